/**
 * How many SMS segments a text costs. GSM-7 fits 160 characters in one
 * segment and 153 per segment once split (306 in two); any character outside
 * GSM-7 (a curly quote, an emoji) switches the whole text to UCS-2, which fits
 * 70, then 67 per segment (134 in two).
 */
const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/** These take two septets each (an escape, then the character). */
const GSM7_EXTENSION = "^{}\\[~]|€\f";

export interface SmsLength {
  encoding: "GSM-7" | "UCS-2";
  /** In the encoding's units: septets for GSM-7, UTF-16 code units for UCS-2. */
  characters: number;
  segments: number;
  /** The most characters two segments hold in this encoding. */
  twoSegmentLimit: number;
}

export function smsLength(text: string): SmsLength {
  let septets = 0;
  let gsm = true;
  for (const char of text) {
    if (GSM7_BASIC.includes(char)) septets += 1;
    else if (GSM7_EXTENSION.includes(char)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    return {
      encoding: "GSM-7",
      characters: septets,
      segments: septets <= 160 ? 1 : Math.ceil(septets / 153),
      twoSegmentLimit: 306,
    };
  }
  const units = text.length;
  return {
    encoding: "UCS-2",
    characters: units,
    segments: units <= 70 ? 1 : Math.ceil(units / 67),
    twoSegmentLimit: 134,
  };
}
