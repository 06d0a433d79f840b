/**
 * Phone numbers as callers and owners type or say them, turned into E.164
 * ("+447700900123") so one customer is one record however they wrote it.
 */

export type NormalisedPhone = { ok: true; e164: string } | { ok: false; reason: string };

interface CountryPlan {
  callingCode: string;
  /** The trunk prefix dialled before a national number ("0" in the UK). */
  trunkPrefix: string;
  /** The prefix for dialling abroad from this country. */
  internationalPrefix: string;
  /** Allowed lengths of the national significant number (after the trunk prefix). */
  nationalLengths: readonly number[];
  /** Extra shape check on the national significant number. */
  nationalPattern?: RegExp;
}

const NANP: CountryPlan = {
  callingCode: "1",
  trunkPrefix: "1",
  internationalPrefix: "011",
  nationalLengths: [10],
  // Area codes and exchanges never start with 0 or 1.
  nationalPattern: /^[2-9]\d{2}[2-9]\d{6}$/,
};

export const SUPPORTED_COUNTRIES: Readonly<Record<string, CountryPlan>> = {
  GB: {
    callingCode: "44",
    trunkPrefix: "0",
    internationalPrefix: "00",
    nationalLengths: [9, 10],
    // Nine digits only for some 01 area codes and 0800 numbers; mobiles are always ten.
    nationalPattern: /^(?:[1-9]\d{9}|1\d{8}|800\d{6})$/,
  },
  IE: {
    callingCode: "353",
    trunkPrefix: "0",
    internationalPrefix: "00",
    nationalLengths: [7, 8, 9],
    nationalPattern: /^[1-9]/,
  },
  US: NANP,
  CA: NANP,
};

const PLANS_BY_CALLING_CODE = new Map<string, CountryPlan>(
  Object.values(SUPPORTED_COUNTRIES).map((plan) => [plan.callingCode, plan]),
);

const ALLOWED_CHARACTERS = /^\+?[\d\s\-.()/]+$/;
const TRUNK_ZERO_IN_BRACKETS = /^(\+\d{1,3})\s*\(0\)/;
const SEPARATORS = /[\s\-.()/]/g;
const E164_MAX_DIGITS = 15;
const E164_MIN_DIGITS = 8;

function checkNational(plan: CountryPlan, national: string, e164: string): NormalisedPhone {
  if (national.length < Math.min(...plan.nationalLengths))
    return { ok: false, reason: "too short" };
  if (national.length > Math.max(...plan.nationalLengths)) return { ok: false, reason: "too long" };
  if (!plan.nationalLengths.includes(national.length)) return { ok: false, reason: "wrong length" };
  if (plan.nationalPattern && !plan.nationalPattern.test(national)) {
    return { ok: false, reason: "not a valid number for that country" };
  }
  return { ok: true, e164 };
}

function fromInternational(digits: string): NormalisedPhone {
  if (digits.length < E164_MIN_DIGITS) return { ok: false, reason: "too short" };
  if (digits.length > E164_MAX_DIGITS) return { ok: false, reason: "too long" };
  if (digits.startsWith("0")) return { ok: false, reason: "country code cannot start with 0" };
  for (const [code, plan] of PLANS_BY_CALLING_CODE) {
    if (!digits.startsWith(code)) continue;
    let national = digits.slice(code.length);
    // "+44 07700..." is a common mistake: the trunk 0 is never dialled after the country code.
    if (plan.trunkPrefix === "0" && national.startsWith("0")) national = national.slice(1);
    return checkNational(plan, national, `+${code}${national}`);
  }
  // Another country: we cannot check its plan, only the E.164 length limits.
  return { ok: true, e164: `+${digits}` };
}

/**
 * Normalises a phone number to E.164. National numbers are read in the
 * business's country (ISO 3166 alpha-2: GB, IE, US and CA are supported);
 * international ones ("+353...", "00353...", "011 44...") in any country.
 */
export function normalisePhoneNumber(raw: string, defaultCountry: string): NormalisedPhone {
  const trimmed = raw.trim();
  if (trimmed.length === 0) return { ok: false, reason: "empty" };
  if (!ALLOWED_CHARACTERS.test(trimmed))
    return { ok: false, reason: "contains letters or symbols" };

  const plan = SUPPORTED_COUNTRIES[defaultCountry.toUpperCase()];
  const compact = trimmed.replace(TRUNK_ZERO_IN_BRACKETS, "$1").replace(SEPARATORS, "");
  if (compact.startsWith("+")) return fromInternational(compact.slice(1));
  if (plan === undefined) {
    return {
      ok: false,
      reason: `unsupported country ${defaultCountry}; give the number with +country code`,
    };
  }
  if (compact.startsWith(plan.internationalPrefix)) {
    return fromInternational(compact.slice(plan.internationalPrefix.length));
  }
  if (compact.startsWith("00") && plan !== NANP) return fromInternational(compact.slice(2));

  let national = compact;
  if (plan === NANP) {
    if (national.length === 11 && national.startsWith("1")) national = national.slice(1);
  } else if (national.startsWith(plan.trunkPrefix)) {
    national = national.slice(plan.trunkPrefix.length);
  } else if (
    national.length >= Math.min(...plan.nationalLengths) + 2 &&
    national.startsWith(plan.callingCode)
  ) {
    // "447700900123": the country code without the plus.
    return fromInternational(national);
  } else {
    return { ok: false, reason: "national numbers start with the trunk prefix 0" };
  }
  return checkNational(plan, national, `+${plan.callingCode}${national}`);
}

const KNOWN_CALLING_CODES = [...PLANS_BY_CALLING_CODE.keys()].sort((a, b) => b.length - a.length);
const VISIBLE_TAIL = 4;

/**
 * Masks a number for logs, keeping the country code and last four digits:
 * "+447700900123" becomes "+44******0123". Anything else keeps only its last
 * two characters.
 */
export function maskPhoneNumber(e164: string): string {
  const match = /^\+(\d{7,15})$/.exec(e164.trim());
  if (!match) {
    const s = e164.trim();
    return s.length <= 2 ? "*".repeat(s.length) : `${"*".repeat(s.length - 2)}${s.slice(-2)}`;
  }
  const digits = match[1];
  const code = KNOWN_CALLING_CODES.find((c) => digits.startsWith(c)) ?? digits.slice(0, 2);
  const hidden = digits.length - code.length - VISIBLE_TAIL;
  return `+${code}${"*".repeat(Math.max(0, hidden))}${digits.slice(code.length + Math.max(0, hidden))}`;
}
