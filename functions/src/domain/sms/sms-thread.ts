import type { DialogueState } from "../dialogue/dialogue-state";

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

/**
 * What the customer's next text carries on: the conversation engine's state,
 * and the conversation it belongs to (a dropped call's CallSid, so a booking
 * finished by text is that call's; or the customer's SMS conversation).
 * Stored as plain JSON; the state is checked on read (readDialogueState).
 */
export interface SmsPending {
  conversationId: string;
  state: DialogueState;
  expiresAt: string;
}

export interface SmsThread {
  businessId: string;
  phone: string;
  pending: SmsPending | null;
}

/** How long a dropped call's booking can be finished by text. */
export const DROPPED_CALL_FOLLOW_UP_HOURS = 72;
/** How long a conversation by text (times on offer, a question asked) waits for the reply. */
export const SMS_CONVERSATION_HOURS = 24;

/** The conversation id of a customer's texts: also who their offers are held for. */
export function smsConversationId(phone: string): string {
  return `sms-${phone}`;
}

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

/** The outbox id of the reply to one inbound text when it goes as a text of its own: sent once. */
export function smsReplyOutboxId(messageSid: string): string {
  return `sms-reply-${messageSid}`;
}
