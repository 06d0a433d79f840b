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
  | {
      status: "SUCCESS";
      at: Date;
      twilioSid: string;
      twilioStatus: string;
      /** Found at Twilio by reconciliation instead of sent by this attempt. */
      reconciled?: boolean;
    }
  | { status: "SIMULATED"; at: Date }
  | {
      status: "RETRY";
      at: Date;
      nextAttemptAt: Date;
      lastError: string;
      lastErrorCode?: number;
      /** Some attempt so far may have reached Twilio unseen: reconcile before sending. */
      outcomeUnknown: boolean;
    }
  | {
      status: "ERROR";
      at: Date;
      lastError: string;
      lastErrorCode?: number;
      ownerShouldKnow: boolean;
      outcomeUnknown?: boolean;
    };

/** What delivery needs to know about the sending business. */
export interface BusinessSmsProfile {
  /** The business's Twilio number, E.164. */
  phoneNumber?: string;
  /** ISO country national numbers are read in, e.g. "GB". */
  defaultCountry: string;
  /** Where failure notices go. */
  ownerMobile?: string;
}

/** What delivering an outbox message needs from storage. */
export interface OutboxDeliveryStore {
  load(ref: OutboxMessageRef): Promise<OutboxMessage | undefined>;

  /** The business's sending number, country and owner; undefined when it does not exist. */
  smsProfile(businessId: string): Promise<BusinessSmsProfile | undefined>;

  /**
   * Claims one attempt atomically: exactly one caller gets "claimed" for a given
   * attempt number, and the message becomes PROCESSING with that attempt count.
   */
  claimAttempt(ref: OutboxMessageRef, claim: AttemptClaim): Promise<"claimed" | "already-claimed">;

  /**
   * Stores how an attempt ended. "superseded" when the message has moved on
   * (a later attempt exists or it is final already) and nothing was written.
   * A SUCCESS also makes the message findable by its Twilio SID (findBySid),
   * whether or not it was recorded.
   */
  recordOutcome(
    ref: OutboxMessageRef,
    attempt: number,
    outcome: DeliveryOutcome,
  ): Promise<"recorded" | "superseded">;
}

/** What a Twilio status callback changed on its message. */
export interface CarrierStatusApplied {
  message: OutboxMessage;
  /** The status before and after merging (a late callback leaves it unchanged). */
  previous?: string;
  current: string;
}

/** What recording Twilio's status callbacks needs from storage. */
export interface SmsStatusStore {
  /** The outbox message Twilio knows by this SID, if any. */
  findBySid(sid: string): Promise<OutboxMessageRef | undefined>;

  /**
   * Merges a reported Twilio status into the message (never backwards, see
   * mergeTwilioStatus). The SID is stored too when the message had none (an
   * attempt whose answer was lost), so a later attempt finds it sent.
   * On undelivered/failed the error and ownerShouldKnow are stored as well.
   * Undefined when the message does not exist.
   */
  applyCarrierStatus(
    ref: OutboxMessageRef,
    update: CarrierStatusUpdate,
  ): Promise<CarrierStatusApplied | undefined>;
}

/** A status Twilio reported for a sent message, with its failure when it failed. */
export interface CarrierStatusUpdate {
  sid: string;
  status: string;
  at: Date;
  failure?: { error: string; code?: number; ownerShouldKnow: boolean };
}
