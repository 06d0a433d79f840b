import { maskPhoneNumber } from "../phone/phone-number";
import { isOwnerBound, type OutboxPurpose } from "./outbox-message";

/**
 * What happens when an SMS finally fails: the one place that decides who
 * hears about it. A failed message is always visible on its outbox document;
 * on top of that it may raise an attention item on the dashboard, and, for a
 * customer who did not get their text, a short SMS to the owner. Owner-bound
 * messages never cause an owner SMS, so a failing owner number cannot loop.
 */

/** Twilio's code for "the recipient replied STOP". */
export const OPTED_OUT_CODE = 21610;

export const OPTED_OUT_REASON = "recipient opted out (replied STOP)";

/** Plain-English reasons for the Twilio codes an owner is likely to see. */
const REASONS: Readonly<Record<number, string>> = {
  21211: "not a valid phone number",
  21408: "texts to that country are not enabled",
  21610: "they opted out of texts (replied STOP)",
  21612: "the number can't be texted from ours",
  21614: "not a mobile number",
  30003: "phone unreachable (off or out of signal)",
  30004: "the message was blocked",
  30005: "the number doesn't exist",
  30006: "a landline or unreachable network",
  30007: "the network filtered the message",
  30008: "the network couldn't deliver it",
};

/** A short reason an owner can act on; falls back to the code, never to vendor text. */
export function failureReason(code: number | undefined, fallback: string): string {
  if (code !== undefined && REASONS[code]) return REASONS[code];
  return code !== undefined ? `delivery failed (error ${code})` : fallback;
}

export interface FailureFacts {
  purpose: OutboxPurpose;
  /** Twilio's error code, when there is one. */
  code?: number;
  /** The customer opted out: their choice, nothing for the owner to fix. */
  optedOut?: boolean;
}

export interface FailureFollowUp {
  /** Show it on the dashboard's attention list. */
  attention: boolean;
  /** Text the owner that a customer did not get their message. */
  ownerSms: boolean;
  /** Stored on the message: whether the owner needs to act. */
  ownerShouldKnow: boolean;
}

export function failureFollowUp(facts: FailureFacts): FailureFollowUp {
  const optedOut = facts.optedOut === true || facts.code === OPTED_OUT_CODE;
  if (optedOut) return { attention: false, ownerSms: false, ownerShouldKnow: false };
  const customerFacing = !isOwnerBound(facts.purpose);
  return { attention: true, ownerSms: customerFacing, ownerShouldKnow: true };
}

/** A dashboard attention item for one failed message; its id is the message's id. */
export interface SmsFailedAttention {
  kind: "sms-failed";
  messageId: string;
  /** Masked recipient: enough to recognise, not to copy. */
  to: string;
  purpose: OutboxPurpose;
  reason: string;
  at: Date;
}

export function smsFailedAttention(input: {
  messageId: string;
  to: string;
  purpose: OutboxPurpose;
  reason: string;
  at: Date;
}): SmsFailedAttention {
  return { kind: "sms-failed", ...input, to: maskPhoneNumber(input.to) };
}

/** Deterministic, so a repeated failure report queues the owner's text once. */
export function ownerFailureMessageId(messageId: string): string {
  return `owner-sms-failed-${messageId}`;
}

/** "Couldn't text Sam Jones (+447700900123): not a mobile number" */
export function ownerFailureText(
  recipient: { name?: string; phone: string },
  reason: string,
): string {
  const who = recipient.name ? `${recipient.name} (${recipient.phone})` : recipient.phone;
  return `Couldn't text ${who}: ${reason}`;
}
