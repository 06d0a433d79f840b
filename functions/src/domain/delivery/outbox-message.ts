/**
 * An outgoing SMS waiting in, or delivered from, a business's outbox.
 * Delivery follows one state machine (see delivery.state-machine.ts):
 * PENDING -> PROCESSING -> SUCCESS | SIMULATED | ERROR, or RETRY -> PROCESSING ...
 */
export const DELIVERY_STATUSES = [
  "PENDING",
  "PROCESSING",
  "RETRY",
  "SUCCESS",
  "SIMULATED",
  "ERROR",
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * Why the message exists; lets the dashboard and tests find it. Purposes that
 * start with "owner-" go to the business's own people; every other purpose is
 * customer-facing (and so checked against the customer's opt-out).
 */
export const OUTBOX_PURPOSES = [
  "booking-confirmation",
  "owner-emergency-alert",
  "owner-emergency-unanswered",
  "owner-message",
  "owner-new-booking",
  "owner-sms-failed",
  "owner-calendar-reconnect",
  "owner-calendar-clash",
  /**
   * No longer queued (a calendar out of reach during a call is the
   * `calendar-unreachable` degradation); kept so messages already stored still read.
   */
  "owner-calendar-unavailable",
  "owner-lost-lead",
  "owner-receptionist-degraded",
  "owner-cancellation",
  "owner-schedule-change",
  /** Once a day, the conversations that need the owner (daily-digest.ts). */
  "owner-daily-digest",
  "appointment-reminder",
  "appointment-moved",
  "appointment-cancelled",
  /** A call dropped mid-booking: asks the caller to finish it by text (docs/sms.md). */
  "booking-follow-up",
  /** A reply to a customer's text that took longer than Twilio waits for its answer. */
  "sms-reply",
] as const;
export type OutboxPurpose = (typeof OUTBOX_PURPOSES)[number];

/** Whether the message goes to the business's owner or staff rather than a customer. */
export function isOwnerBound(purpose: OutboxPurpose): boolean {
  return purpose.startsWith("owner-");
}

export interface NewOutboxMessage {
  /** Deterministic, so queueing the same message twice stores it once. */
  id: string;
  businessId: string;
  to: string;
  body: string;
  purpose: OutboxPurpose;
  /** The appointment, call or conversation the message is about. */
  relatedId?: string;
  /** Sending number, E.164; when absent the business's own Twilio number is used. */
  from?: string;
}

export interface OutboxMessage extends NewOutboxMessage {
  status: DeliveryStatus;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
  nextAttemptAt?: Date;
  lastError?: string;
  /** Twilio's error code of the last failure, when Twilio gave one. */
  lastErrorCode?: number;
  /** While PROCESSING: until when the current attempt belongs to its worker. */
  leaseExpiresAt?: Date;
  twilioSid?: string;
  twilioStatus?: string;
  /**
   * Set once an attempt ended without knowing whether Twilio took the message
   * (timeout or reset after the request went out). Every later attempt then
   * looks for it at Twilio before sending again. Never cleared.
   */
  outcomeUnknown?: boolean;
  /** SUCCESS found by looking the message up at Twilio rather than by sending it. */
  reconciled?: boolean;
  /**
   * On a failed message (ERROR, or Twilio reporting it undelivered/failed):
   * whether the owner needs to act, e.g. tell the customer another way.
   */
  ownerShouldKnow?: boolean;
}
