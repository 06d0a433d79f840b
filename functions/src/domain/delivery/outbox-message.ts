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

/** Why the message exists; lets the dashboard and tests find it. */
export type OutboxPurpose =
  | "booking-confirmation"
  | "owner-emergency-alert"
  | "owner-emergency-unanswered"
  | "owner-message"
  | "owner-new-booking";

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
}
