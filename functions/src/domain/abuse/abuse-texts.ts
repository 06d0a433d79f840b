import type { ScreeningReason } from "./abuse-policy";

/**
 * What a limited or screened caller hears, and the owner's text when one of
 * them reports an emergency. Every limited or screened call gets one chance
 * to say what is wrong: the emergency check still runs on it.
 */
export function turnedAwayCallSay(
  businessName: string,
  why: "limited" | ScreeningReason,
): string[] {
  const first =
    why === "limited"
      ? `Thanks for calling ${businessName}. We've had several calls from your number in the last few minutes, so I can't take another one just now.`
      : `Thanks for calling ${businessName}. I'm sorry, this line can't take calls from your number.`;
  return [first, "If this is an emergency, tell me what's happening now."];
}

export const NOT_AN_EMERGENCY_SAY = [
  "Thank you. Please try again later, or send us a text on this number. Goodbye.",
];

export function emergencyFromTurnedAwaySay(details: {
  safetyAdvice: string;
  ownerName: string;
  callbackPromise: string;
}): string[] {
  return [
    details.safetyAdvice,
    `I've texted ${details.ownerName} about it now, and they'll call you back ${details.callbackPromise}.`,
    "If anyone is in danger, call 999. Goodbye.",
  ];
}

export function emergencyFromTurnedAwayText(details: {
  label: string;
  callerPhone: string;
  why: "limited" | ScreeningReason;
  words: string;
}): string {
  const words = details.words.length > 120 ? `${details.words.slice(0, 117)}...` : details.words;
  const why =
    details.why === "limited" ? "rang many times in a few minutes" : "is on your screening list";
  return `EMERGENCY (${details.label}): ${details.callerPhone}, a number that ${why}, said: "${words}". Call them back now.`;
}
