/**
 * When the receptionist itself is degraded, and what the owner is told.
 * Each kind raises one dashboard attention item per business and one owner
 * text per alert window: a burst of failures is one alert, and a degradation
 * that carries on is re-announced at most every ALERT_WINDOW_HOURS.
 */
export const DEGRADATIONS = ["calendar-unreachable", "texts-failing", "model-fallback"] as const;
export type Degradation = (typeof DEGRADATIONS)[number];

export const ALERT_WINDOW_HOURS = 6;

/** The alert window `now` falls in, e.g. "2026-12-03T06" (UTC, 6-hour blocks). */
export function alertWindow(now: Date): string {
  const hour = Math.floor(now.getUTCHours() / ALERT_WINDOW_HOURS) * ALERT_WINDOW_HOURS;
  return `${now.toISOString().slice(0, 10)}T${String(hour).padStart(2, "0")}`;
}

/** Alert unless this degradation was already announced in this window. */
export function shouldAlert(existing: { window?: string } | null, window: string): boolean {
  return existing?.window !== window;
}

/** The dashboard's "Needs you" item: one per degradation, its id `degraded-{kind}`. */
export interface DegradedAttention {
  kind: "receptionist-degraded";
  degradation: Degradation;
  title: string;
  reason: string;
  at: Date;
  window: string;
}

const WHAT: Record<Degradation, { title: string; reason: string; text: string }> = {
  "calendar-unreachable": {
    title: "Google Calendar unreachable",
    reason:
      "Bookings may not be reaching your calendar, and calls are offered times from bookings made here only.",
    text: "your Google Calendar can't be reached, so bookings may be missing from it and offers ignore your personal events.",
  },
  "texts-failing": {
    title: "Texts are failing",
    reason:
      "Texts to customers and to you are not going out. Check the Twilio account (balance, number, credentials).",
    text: "texts from your receptionist are failing to send. Check your Twilio account; customers may not get confirmations.",
  },
  "model-fallback": {
    title: "Receptionist running on its rules only",
    reason:
      "The language model is not answering, so unclear callers get the plainer rules-based reading. Calls still work.",
    text: "the receptionist's language model isn't answering, so it's running on its basic rules. Calls still work.",
  },
};

export function attentionId(degradation: Degradation): string {
  return `degraded-${degradation}`;
}

export function degradedAttention(
  degradation: Degradation,
  now: Date,
  detail?: string,
): DegradedAttention {
  const what = WHAT[degradation];
  return {
    kind: "receptionist-degraded",
    degradation,
    title: what.title,
    reason: detail ? `${what.reason} (${detail})` : what.reason,
    at: now,
    window: alertWindow(now),
  };
}

/** Deterministic per window, so reports racing each other queue one text. */
export function degradedMessageId(degradation: Degradation, window: string): string {
  return `owner-degraded-${degradation}-${window}`;
}

export function degradedOwnerText(businessName: string, degradation: Degradation): string {
  return `${businessName}: ${WHAT[degradation].text} Details in the app.`;
}

/**
 * Twilio codes that say the sending side is broken rather than one recipient:
 * credentials, the account, the sending number, the queue.
 */
const SYSTEMIC_SMS_CODES = new Set([20003, 20005, 21212, 21606, 21611, 21659, 30001, 30002]);

/**
 * A final SMS failure that means texts are failing generally: a systemic
 * code, or every attempt failed without Twilio giving a code (unreachable,
 * 5xx). A bad or opted-out recipient is not a degradation.
 */
export function isSystemicSmsFailure(
  code: number | undefined,
  reason: "permanent" | "attempts-exhausted",
): boolean {
  if (code !== undefined) return SYSTEMIC_SMS_CODES.has(code);
  return reason === "attempts-exhausted";
}

/** The model path fell back for a reason that is an outage, not a setting or a choice. */
export function isModelDegraded(reason: string): boolean {
  return !["no-key", "disabled", "refusal"].includes(reason);
}
