/**
 * Words that Twilio (and the carriers behind it) act on by themselves when a
 * customer texts one of them alone: opt-out stops every message from the
 * number, opt-in resumes them. Our own texts must never ask a customer to
 * reply with one of these to mean something else (e.g. never "reply CANCEL").
 */
export const OPT_OUT_KEYWORDS = [
  "STOP",
  "STOPALL",
  "UNSUBSCRIBE",
  "CANCEL",
  "END",
  "QUIT",
  "REVOKE",
  "OPTOUT",
] as const;

export const OPT_IN_KEYWORDS = ["START", "YES", "UNSTOP"] as const;

export const HELP_KEYWORDS = ["HELP", "INFO"] as const;

export type CarrierKeyword =
  | { kind: "opt-out"; word: string }
  | { kind: "opt-in"; word: string }
  | { kind: "help"; word: string };

/** The carrier keyword a whole message is, if it is one (case and punctuation ignored). */
export function carrierKeywordOf(message: string): CarrierKeyword | null {
  const word = message
    .trim()
    .replace(/[.!?\s]+$/u, "")
    .toUpperCase();
  if ((OPT_OUT_KEYWORDS as readonly string[]).includes(word)) return { kind: "opt-out", word };
  if ((OPT_IN_KEYWORDS as readonly string[]).includes(word)) return { kind: "opt-in", word };
  if ((HELP_KEYWORDS as readonly string[]).includes(word)) return { kind: "help", word };
  return null;
}
