import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import { isTerminal, mergeTwilioStatus } from "../../domain/delivery/delivery.state-machine";
import { failureReason, type SmsFailedAttention } from "../../domain/delivery/failure-visibility";
import {
  DELIVERY_STATUSES,
  OUTBOX_PURPOSES,
  type NewOutboxMessage,
  type OutboxMessage,
} from "../../domain/delivery/outbox-message";
import type { AttentionBoard } from "../../ports/attention.port";
import { systemClock, type Clock } from "../../ports/clock.port";
import type {
  AttemptClaim,
  BusinessSmsProfile,
  CarrierStatusApplied,
  CarrierStatusUpdate,
  DeliveryOutcome,
  OutboxDeliveryStore,
  OutboxMessageRef,
  SmsStatusStore,
} from "../../ports/outbox-delivery.port";
import type { OutboxQueue } from "../../ports/outbox.port";
import type { RecipientInfo, RecipientStatus } from "../../ports/recipient-status.port";
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
  purpose: z.enum(OUTBOX_PURPOSES),
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
  outcomeUnknown: z.boolean().optional(),
  reconciled: z.boolean().optional(),
  ownerShouldKnow: z.boolean().optional(),
  failureReason: z.string().optional(),
});

/** The parts of the business document delivery reads. */
const businessProfileSchema = z.object({
  phoneNumber: z.string().optional(),
  defaultCountry: z.string().length(2).default("GB"),
  ownerMobile: z.string().optional(),
});

/** The parts of a customer document delivery reads. */
const recipientSchema = z.object({
  name: z.string().optional(),
  smsOptedOut: z.boolean().optional(),
});

const sidIndexSchema = z.object({ businessId: z.string(), messageId: z.string() });

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
export class FirestoreOutboxRepository
  implements OutboxQueue, OutboxDeliveryStore, SmsStatusStore, RecipientStatus, AttentionBoard
{
  constructor(
    private readonly db: Firestore,
    private readonly clock: Clock = systemClock,
  ) {}

  async enqueue(message: NewOutboxMessage): Promise<"queued" | "already-queued"> {
    const now = Timestamp.fromDate(this.clock.now());
    const ref = this.db.doc(paths.outboxMessage(message.businessId, message.id));
    try {
      await ref.create(newOutboxFields(message, now));
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

  async smsProfile(businessId: string): Promise<BusinessSmsProfile | undefined> {
    const snapshot = await this.db.doc(paths.business(businessId)).get();
    if (!snapshot.exists) return undefined;
    const parsed = businessProfileSchema.safeParse(snapshot.data());
    // A malformed field must not stop delivery: what is unusable counts as absent.
    return parsed.success ? parsed.data : { defaultCountry: "GB" };
  }

  async recipient(businessId: string, e164: string): Promise<RecipientInfo> {
    const snapshot = await this.db.doc(paths.customer(businessId, e164)).get();
    const parsed = recipientSchema.safeParse(snapshot.data() ?? {});
    if (!parsed.success) return { optedOut: snapshot.get("smsOptedOut") === true };
    return { optedOut: parsed.data.smsOptedOut === true, name: parsed.data.name };
  }

  async raise(businessId: string, item: SmsFailedAttention): Promise<void> {
    try {
      await this.db.doc(paths.attentionItem(businessId, item.messageId)).create({
        ...item,
        at: Timestamp.fromDate(item.at),
      });
    } catch (error) {
      // Raised already (a redelivered event): the first one stands, as the owner may have seen it.
      if (!isAlreadyExists(error)) throw error;
    }
  }

  async findBySid(sid: string): Promise<OutboxMessageRef | undefined> {
    const snapshot = await this.db.doc(paths.smsBySid(sid)).get();
    if (!snapshot.exists) return undefined;
    const parsed = sidIndexSchema.safeParse(snapshot.data());
    return parsed.success ? parsed.data : undefined;
  }

  async applyCarrierStatus(
    ref: OutboxMessageRef,
    update: CarrierStatusUpdate,
  ): Promise<CarrierStatusApplied | undefined> {
    const docRef = this.db.doc(paths.outboxMessage(ref.businessId, ref.messageId));
    const applied = await this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(docRef);
      if (!snapshot.exists) return undefined;
      const stored = storedMessageSchema.parse(snapshot.data());
      const previous = stored.twilioStatus;
      const current = mergeTwilioStatus(previous, update.status);
      const fields: Record<string, unknown> = {
        twilioStatus: current,
        updatedAt: Timestamp.fromDate(update.at),
      };
      if (stored.twilioSid === undefined) fields.twilioSid = update.sid;
      if (update.failure && current === update.status) {
        fields.lastError = update.failure.error;
        fields.lastErrorCode = update.failure.code ?? FieldValue.delete();
        fields.ownerShouldKnow = update.failure.ownerShouldKnow;
        fields.failureReason = failureReason(update.failure.code, update.failure.error);
      }
      tx.update(docRef, fields);
      const message: OutboxMessage = {
        id: snapshot.id,
        ...stored,
        twilioStatus: current,
        twilioSid: stored.twilioSid ?? update.sid,
      };
      return { message, previous, current, adoptedSid: stored.twilioSid === undefined };
    });
    if (!applied) return undefined;
    // A SID first learned from its callback (the send's answer was lost) becomes findable.
    if (applied.adoptedSid) await this.indexSid(update.sid, ref);
    return { message: applied.message, previous: applied.previous, current: applied.current };
  }

  private async indexSid(sid: string, ref: OutboxMessageRef): Promise<void> {
    await this.db
      .doc(paths.smsBySid(sid))
      .set({ businessId: ref.businessId, messageId: ref.messageId });
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
    // Indexed first, even if this outcome turns out superseded: Twilio has the
    // message either way, and its status callbacks must find where it belongs.
    if (outcome.status === "SUCCESS") await this.indexSid(outcome.twilioSid, ref);
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
        ...(outcome.reconciled && { reconciled: true }),
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
        // Sticky: once an attempt may have reached Twilio unseen, it stays so.
        ...(outcome.outcomeUnknown && { outcomeUnknown: true }),
        leaseExpiresAt: FieldValue.delete(),
      };
    case "ERROR":
      return {
        ...base,
        lastError: outcome.lastError,
        lastErrorCode: outcome.lastErrorCode ?? FieldValue.delete(),
        // Why, in the owner's words: what the dashboard shows on the failed text.
        failureReason: failureReason(outcome.lastErrorCode, outcome.lastError),
        ownerShouldKnow: outcome.ownerShouldKnow,
        ...(outcome.outcomeUnknown && { outcomeUnknown: true }),
        nextAttemptAt: FieldValue.delete(),
        leaseExpiresAt: FieldValue.delete(),
      };
  }
}

/** A new message as stored: PENDING, no attempts yet. */
export function newOutboxFields(
  message: NewOutboxMessage,
  now: Timestamp,
): Record<string, unknown> {
  return defined({
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
  });
}
