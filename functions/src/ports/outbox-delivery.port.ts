import type { OutboxMessage } from "../domain/delivery/outbox-message";

/** Identifies one outbox message. */
export interface OutboxMessageRef {
  businessId: string;
  messageId: string;
}

export interface AttemptClaim {
  /** 1 for the first try. */
  attempt: number;
  claimedAt: Date;
  leaseExpiresAt: Date;
  /** The event that started this run, for tracing duplicates. */
  eventId?: string;
}

/** How an attempt ended, as stored on the message. */
export type DeliveryOutcome =
  | { status: "SUCCESS"; at: Date; twilioSid: string; twilioStatus: string }
  | { status: "SIMULATED"; at: Date }
  | { status: "RETRY"; at: Date; nextAttemptAt: Date; lastError: string; lastErrorCode?: number }
  | { status: "ERROR"; at: Date; lastError: string; lastErrorCode?: number };

/** What delivering an outbox message needs from storage. */
export interface OutboxDeliveryStore {
  load(ref: OutboxMessageRef): Promise<OutboxMessage | undefined>;

  /** The business's own sending number, used when a message names none. */
  senderNumber(businessId: string): Promise<string | undefined>;

  /**
   * Claims one attempt atomically: exactly one caller gets "claimed" for a given
   * attempt number, and the message becomes PROCESSING with that attempt count.
   */
  claimAttempt(ref: OutboxMessageRef, claim: AttemptClaim): Promise<"claimed" | "already-claimed">;

  /**
   * Stores how an attempt ended. "superseded" when the message has moved on
   * (a later attempt exists or it is final already) and nothing was written.
   */
  recordOutcome(
    ref: OutboxMessageRef,
    attempt: number,
    outcome: DeliveryOutcome,
  ): Promise<"recorded" | "superseded">;
}
