import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import { isTerminal } from "../../domain/delivery/delivery.state-machine";
import {
  DELIVERY_STATUSES,
  type NewOutboxMessage,
  type OutboxMessage,
} from "../../domain/delivery/outbox-message";
import { systemClock, type Clock } from "../../ports/clock.port";
import type {
  AttemptClaim,
  DeliveryOutcome,
  OutboxDeliveryStore,
  OutboxMessageRef,
} from "../../ports/outbox-delivery.port";
import type { OutboxQueue } from "../../ports/outbox.port";
import { paths } from "./paths";

/** gRPC ALREADY_EXISTS: create() found the document there. */
const ALREADY_EXISTS = 6;

function isAlreadyExists(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    (error as { code: unknown }).code === ALREADY_EXISTS
  );
}

const timestamp = z.instanceof(Timestamp).transform((t) => t.toDate());

/** The stored outbox document, checked on every read. */
const storedMessageSchema = z.object({
  businessId: z.string(),
  to: z.string(),
  body: z.string(),
  purpose: z.enum([
    "booking-confirmation",
    "owner-emergency-alert",
    "owner-emergency-unanswered",
    "owner-message",
    "owner-new-booking",
  ]),
  relatedId: z.string().optional(),
  from: z.string().optional(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int().min(0),
  createdAt: timestamp,
  updatedAt: timestamp,
  nextAttemptAt: timestamp.optional(),
  leaseExpiresAt: timestamp.optional(),
  lastError: z.string().optional(),
  lastErrorCode: z.number().optional(),
  twilioSid: z.string().optional(),
  twilioStatus: z.string().optional(),
});

/** Drops undefined fields: Firestore rejects them unless told to ignore them. */
function defined<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/**
 * The outbox in Firestore: queueing messages, and the claims and outcomes of
 * their delivery. Every "exactly once" rests on create() of a deterministic
 * document id, which fails atomically when the document exists, not on
 * transaction isolation (the embedded test Firestore does not isolate).
 */
export class FirestoreOutboxRepository implements OutboxQueue, OutboxDeliveryStore {
  constructor(
    private readonly db: Firestore,
    private readonly clock: Clock = systemClock,
  ) {}

  async enqueue(message: NewOutboxMessage): Promise<"queued" | "already-queued"> {
    const now = Timestamp.fromDate(this.clock.now());
    const ref = this.db.doc(paths.outboxMessage(message.businessId, message.id));
    try {
      await ref.create(
        defined({
          businessId: message.businessId,
          to: message.to,
          body: message.body,
          purpose: message.purpose,
          relatedId: message.relatedId,
          from: message.from,
          status: "PENDING",
          attempts: 0,
          createdAt: now,
          updatedAt: now,
        }),
      );
      return "queued";
    } catch (error) {
      if (isAlreadyExists(error)) return "already-queued";
      throw error;
    }
  }

  async load(ref: OutboxMessageRef): Promise<OutboxMessage | undefined> {
    const snapshot = await this.db.doc(paths.outboxMessage(ref.businessId, ref.messageId)).get();
    if (!snapshot.exists) return undefined;
    const stored = storedMessageSchema.parse(snapshot.data());
    return { id: snapshot.id, ...stored };
  }

  async senderNumber(businessId: string): Promise<string | undefined> {
    const snapshot = await this.db.doc(paths.business(businessId)).get();
    const phoneNumber: unknown = snapshot.get("phoneNumber");
    return typeof phoneNumber === "string" ? phoneNumber : undefined;
  }

  async claimAttempt(
    ref: OutboxMessageRef,
    claim: AttemptClaim,
  ): Promise<"claimed" | "already-claimed"> {
    const leaseExpiresAt = Timestamp.fromDate(claim.leaseExpiresAt);
    // The claim document decides the winner. The message is updated only after
    // our create() succeeded, as a separate write: batches are not relied on
    // to be all-or-nothing (the embedded Firestore applies them partially).
    try {
      await this.db.doc(paths.outboxClaim(ref.businessId, ref.messageId, claim.attempt)).create(
        defined({
          attempt: claim.attempt,
          claimedAt: Timestamp.fromDate(claim.claimedAt),
          leaseExpiresAt,
          eventId: claim.eventId,
        }),
      );
    } catch (error) {
      if (isAlreadyExists(error)) return "already-claimed";
      throw error;
    }
    await this.db.doc(paths.outboxMessage(ref.businessId, ref.messageId)).update({
      status: "PROCESSING",
      attempts: claim.attempt,
      leaseExpiresAt,
      updatedAt: Timestamp.fromDate(claim.claimedAt),
    });
    return "claimed";
  }

  async recordOutcome(
    ref: OutboxMessageRef,
    attempt: number,
    outcome: DeliveryOutcome,
  ): Promise<"recorded" | "superseded"> {
    const docRef = this.db.doc(paths.outboxMessage(ref.businessId, ref.messageId));
    return this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(docRef);
      if (!snapshot.exists) return "superseded";
      const status = z.enum(DELIVERY_STATUSES).parse(snapshot.get("status"));
      // Only the owner of the latest attempt writes, and a final state is never left.
      if (isTerminal(status) || snapshot.get("attempts") !== attempt) return "superseded";
      tx.update(docRef, outcomeFields(outcome));
      return "recorded";
    });
  }
}

function outcomeFields(outcome: DeliveryOutcome): Record<string, unknown> {
  const base = {
    status: outcome.status,
    updatedAt: Timestamp.fromDate(outcome.at),
  };
  switch (outcome.status) {
    case "SUCCESS":
      return {
        ...base,
        twilioSid: outcome.twilioSid,
        twilioStatus: outcome.twilioStatus,
        // lastError stays: it tells why earlier attempts needed retrying.
        nextAttemptAt: FieldValue.delete(),
        leaseExpiresAt: FieldValue.delete(),
      };
    case "SIMULATED":
      return { ...base, nextAttemptAt: FieldValue.delete(), leaseExpiresAt: FieldValue.delete() };
    case "RETRY":
      return {
        ...base,
        nextAttemptAt: Timestamp.fromDate(outcome.nextAttemptAt),
        lastError: outcome.lastError,
        lastErrorCode: outcome.lastErrorCode ?? FieldValue.delete(),
        leaseExpiresAt: FieldValue.delete(),
      };
    case "ERROR":
      return {
        ...base,
        lastError: outcome.lastError,
        lastErrorCode: outcome.lastErrorCode ?? FieldValue.delete(),
        nextAttemptAt: FieldValue.delete(),
        leaseExpiresAt: FieldValue.delete(),
      };
  }
}
