import type { DialogueState, OfferedSlot, Stage } from "../dialogue/dialogue-state";

/**
 * One SMS conversation per customer number: every text in and out, and what
 * the next inbound text continues, if anything. Plain JSON, like the call's
 * dialogue state.
 */
export type SmsSpeaker = "customer" | "receptionist" | "owner-forward";

export interface SmsTurn {
  at: Date;
  speaker: SmsSpeaker;
  text: string;
  /** Twilio's MessageSid for an inbound text, the outbox id for a queued one. */
  messageId?: string;
}

/** What the customer's next text is an answer to. */
export type SmsPending =
  /** A call dropped mid-booking: the next texts carry on the same dialogue. */
  | { kind: "booking"; callSid: string; state: DialogueState; expiresAt: string }
  /** We offered other times for an appointment; "1", "2", "3" picks one. */
  | {
      kind: "reschedule";
      appointmentId: string;
      offers: OfferedSlot[];
      /** Offered earlier and not taken: their half-days are not offered again. */
      declinedStarts: string[];
      expiresAt: string;
    };

export interface SmsThread {
  businessId: string;
  phone: string;
  pending: SmsPending | null;
}

/** How long a dropped call's booking can be finished by text. */
export const DROPPED_CALL_FOLLOW_UP_HOURS = 72;
/** How long times offered by text stay on offer. */
export const RESCHEDULE_OFFER_HOURS = 24;

/** Stages of a call that had started a booking and not finished it. */
export const MID_BOOKING_STAGES: readonly Stage[] = [
  "collecting",
  "confirming-address",
  "choosing-slot",
  "confirming-booking",
  "amending",
];

export function isLive(pending: SmsPending | null, now: Date): pending is SmsPending {
  return pending !== null && new Date(pending.expiresAt).getTime() > now.getTime();
}

export function hoursFrom(now: Date, hours: number): string {
  return new Date(now.getTime() + hours * 3_600_000).toISOString();
}

/**
 * Whether a number can receive texts. UK numbers only on mobiles (+447);
 * elsewhere we cannot tell from the number, so we try.
 */
export function canReceiveSms(e164: string): boolean {
  if (e164.startsWith("+44")) return e164.startsWith("+447");
  return /^\+[1-9]\d{6,14}$/.test(e164);
}
