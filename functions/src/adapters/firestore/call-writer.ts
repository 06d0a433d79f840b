import type {
  DocumentData,
  DocumentReference,
  DocumentSnapshot,
  Firestore,
} from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import { scheduledSmsId } from "../../domain/notifications/scheduled-sms";
import { expiryOf } from "../../domain/privacy/retention";
import type { TranscriptRetention } from "../../ports/retention.port";
import { lockGranulesFor } from "../../domain/scheduling/appointment";
import type { Slot } from "../../domain/scheduling/availability";
import type {
  CallWriter,
  CallWrites,
  CallWritesResult,
  ConversationChanges,
  KeyedTurn,
} from "../../ports/call-writes.port";
import { appointmentToFirestore } from "./appointment.repository";
import { isAlreadyExists } from "./converters";
import { customerDetailFields } from "./customer.repository";
import { newOutboxFields } from "./outbox.repository";
import { paths } from "./paths";
import { lockFields, lockRefs } from "./slot-locks";
import { waitingFields } from "./scheduled-sms.repository";

/** What a WriteBatch and a Transaction have in common: the writes. */
interface WriteSink {
  create(ref: DocumentReference, data: DocumentData): unknown;
  set(ref: DocumentReference, data: DocumentData, options: { merge: true }): unknown;
  set(ref: DocumentReference, data: DocumentData): unknown;
  update(ref: DocumentReference, data: DocumentData): unknown;
  delete(ref: DocumentReference): unknown;
}

/**
 * Commits a call webhook's writes in one batch: one round trip, all or
 * nothing (a batch of create()s fails whole if any document exists, on
 * production Firestore and the official emulator). Only when something to
 * be created exists already (a retried webhook, or a slot lock another
 * booking holds) does it read, in a transaction, and create what is missing.
 */
export class FirestoreCallWriter implements CallWriter {
  constructor(
    private readonly db: Firestore,
    private readonly now: () => Date = () => new Date(),
    /** Stamps each turn with its TTL field `expireAt` (docs/privacy.md); none without it. */
    private readonly retention?: TranscriptRetention,
  ) {}

  async commit(writes: CallWrites): Promise<CallWritesResult> {
    const days =
      this.retention && writes.turns.length > 0
        ? await this.retention.transcriptDays(writes.businessId)
        : undefined;
    const releaseAll =
      writes.holds && "releaseAll" in writes.holds
        ? await this.heldBy(writes.businessId, writes.holds.holder)
        : [];
    const batch = this.db.batch();
    this.apply(batch, writes, new Map(), releaseAll, days);
    try {
      await batch.commit();
      return { outcome: "committed" };
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    // First a plain read: when another caller or booking holds the time (the usual case
    // under load), say so without a transaction, whose locks would queue the crowd.
    const toCreate = this.createdBy(writes);
    const seen = await this.db.getAll(...toCreate);
    const taken = conflictIn(writes, existingByPath(seen));
    if (taken) return { outcome: taken };
    return this.db.runTransaction(async (tx) => {
      const existing = existingByPath(toCreate.length > 0 ? await tx.getAll(...toCreate) : []);
      const verdict = conflictIn(writes, existing);
      if (verdict) return { outcome: verdict };
      this.apply(tx, writes, existing, releaseAll, days);
      return { outcome: "committed" as const };
    });
  }

  /** The hold documents of one caller (the status callback's release). */
  private async heldBy(businessId: string, holder: string): Promise<DocumentReference[]> {
    const snapshot = await this.db
      .collection(paths.slotHolds(businessId))
      .where("holder", "==", holder)
      .get();
    return snapshot.docs.map((d) => d.ref);
  }

  /** Every document the writes create, so a retry can tell what exists already. */
  private createdBy(writes: CallWrites): DocumentReference[] {
    const b = writes.businessId;
    const refs: DocumentReference[] = [];
    if (writes.booking) {
      const { appointment } = writes.booking;
      refs.push(...lockRefs(this.db, appointment));
      refs.push(this.db.doc(paths.appointment(b, appointment.id)));
    }
    for (const m of writes.outbox) refs.push(this.db.doc(paths.outboxMessage(b, m.id)));
    for (const s of writes.scheduled) {
      refs.push(this.db.doc(paths.scheduledSmsItem(scheduledSmsId(s.businessId, s.outboxId))));
    }
    if (writes.holds && "hold" in writes.holds) {
      refs.push(...holdGranules(writes.holds.hold).map((g) => this.db.doc(paths.slotHold(b, g))));
    }
    return refs;
  }

  private apply(
    sink: WriteSink,
    writes: CallWrites,
    existing: ReadonlyMap<string, DocumentSnapshot>,
    releaseAll: readonly DocumentReference[],
    transcriptDays?: number,
  ): void {
    const now = Timestamp.fromDate(this.now());
    const b = writes.businessId;
    const create = (ref: DocumentReference, data: Record<string, unknown>) => {
      if (!existing.has(ref.path)) sink.create(ref, data);
    };
    if (writes.booking) {
      const { appointment, customer } = writes.booking;
      for (const ref of lockRefs(this.db, appointment)) create(ref, lockFields(appointment));
      create(
        this.db.doc(paths.appointment(b, appointment.id)),
        appointmentToFirestore(appointment),
      );
      // Merged: a returning customer keeps what we knew, with the details given now on top.
      sink.set(
        this.db.doc(paths.customer(b, customer.phone)),
        customerDetailFields(customer, this.now()),
        { merge: true },
      );
    }
    for (const message of writes.outbox) {
      create(this.db.doc(paths.outboxMessage(b, message.id)), newOutboxFields(message, now));
    }
    for (const item of writes.scheduled) {
      const ref = this.db.doc(
        paths.scheduledSmsItem(scheduledSmsId(item.businessId, item.outboxId)),
      );
      create(ref, { ...waitingFields(item, now), createdAt: now });
    }
    for (const ref of releaseAll) sink.delete(ref);
    if (writes.holds && "hold" in writes.holds) {
      const change = writes.holds;
      const held = new Set<string>();
      for (const span of change.hold) {
        for (const granule of holdGranules([span])) {
          // Offers close together (a job and its clean-up) share a granule: one hold for it.
          if (held.has(granule)) continue;
          held.add(granule);
          const ref = this.db.doc(paths.slotHold(b, granule));
          const data = holdFields(change.holder, span, change.expiresAt, change.at);
          // Only our own or an expired hold exists here (conflictIn checked): take it over.
          if (existing.has(ref.path)) sink.set(ref, data);
          else sink.create(ref, data);
        }
      }
      for (const granule of holdGranules(change.release)) {
        if (!held.has(granule)) sink.delete(this.db.doc(paths.slotHold(b, granule)));
      }
    }
    if (writes.conversation) {
      sink.update(
        this.db.doc(paths.conversation(b, writes.callSid)),
        conversationFields(writes.conversation),
      );
    }
    for (const turn of writes.turns) {
      sink.set(
        this.db.doc(paths.callTurn(b, writes.callSid, turn.key)),
        turnFields(turn, transcriptDays),
      );
    }
  }
}

/** The documents that exist, by path. */
function existingByPath(snapshots: readonly DocumentSnapshot[]): Map<string, DocumentSnapshot> {
  return new Map(snapshots.filter((d) => d.exists).map((d) => [d.ref.path, d]));
}

/**
 * Why the writes cannot go ahead, given the documents to be created that
 * exist: a slot lock of another appointment, or another caller's live hold.
 */
function conflictIn(
  writes: CallWrites,
  existing: ReadonlyMap<string, DocumentSnapshot>,
): "slot-taken" | "holds-taken" | null {
  const appointmentId = writes.booking?.appointment.id;
  const holds = writes.holds && "hold" in writes.holds ? writes.holds : undefined;
  let verdict: "holds-taken" | null = null;
  for (const snapshot of existing.values()) {
    const collection = snapshot.ref.parent.id;
    if (collection === "slotLocks" && snapshot.get("appointmentId") !== appointmentId) {
      return "slot-taken";
    }
    if (collection === "slotHolds" && holds) {
      const mine = snapshot.get("holder") === holds.holder;
      const expiresAt: unknown = snapshot.get("expiresAt");
      const live = expiresAt instanceof Timestamp && expiresAt.toMillis() > holds.at.getTime();
      if (!mine && live) verdict = "holds-taken";
    }
  }
  return verdict;
}

function holdGranules(spans: readonly Slot[]): string[] {
  return [...new Set(spans.flatMap((s) => lockGranulesFor(s.start, s.end)))];
}

function holdFields(
  holder: string,
  span: Slot,
  expiresAt: Date,
  at: Date,
): Record<string, unknown> {
  return {
    holder,
    start: Timestamp.fromDate(span.start),
    end: Timestamp.fromDate(span.end),
    expiresAt: Timestamp.fromDate(expiresAt),
    createdAt: Timestamp.fromDate(at),
  };
}

/** Field-level: a status callback's fields and a turn's fields never overwrite each other. */
export function conversationFields(c: ConversationChanges): Record<string, unknown> {
  const fields: Record<string, unknown> = { updatedAt: Timestamp.fromDate(c.updatedAt) };
  // Dialogue state and the last answer are plain JSON by design.
  if (c.state !== undefined) fields.state = plainJson(c.state);
  if (c.lastAnswer !== undefined) fields.lastAnswer = plainJson(c.lastAnswer);
  if (c.turnCount !== undefined) fields.turnCount = c.turnCount;
  if (c.emergency !== undefined) fields.emergency = c.emergency;
  if (c.escalation !== undefined) fields.escalation = plainJson(c.escalation);
  if (c.outcome !== undefined) fields.outcome = c.outcome;
  if (c.appointmentIds !== undefined) fields.appointmentIds = c.appointmentIds;
  if (c.endedAt !== undefined) fields.endedAt = Timestamp.fromDate(c.endedAt);
  if (c.endStatus !== undefined) fields.endStatus = c.endStatus;
  return fields;
}

/** A turn's document; with `transcriptDays`, its TTL field `expireAt` too. */
export function turnFields(turn: KeyedTurn, transcriptDays?: number): Record<string, unknown> {
  // The key is the document id, not a field.
  const fields: Record<string, unknown> = { ...turn, at: Timestamp.fromDate(turn.at) };
  if (transcriptDays !== undefined) {
    fields.expireAt = Timestamp.fromDate(expiryOf(turn.at, transcriptDays));
  }
  delete fields.key;
  for (const name of Object.keys(fields)) if (fields[name] === undefined) delete fields[name];
  return fields;
}

function plainJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
