import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import { OUTBOX_PURPOSES } from "../../domain/delivery/outbox-message";
import {
  scheduledSmsId,
  type NewScheduledSms,
  type ScheduledSms,
} from "../../domain/notifications/scheduled-sms";
import type { ScheduledSmsQueue } from "../../ports/scheduled-sms.port";
import { isAlreadyExists } from "./converters";
import { paths } from "./paths";

const timestamp = z.instanceof(Timestamp).transform((t) => t.toDate());

/** The stored queue document, checked on every read. */
const storedSchema = z.object({
  outboxId: z.string().min(1),
  businessId: z.string().min(1),
  dueAt: timestamp,
  status: z.enum(["waiting", "sent", "skipped"]),
  kind: z.enum(["reminder", "customer-confirmation", "owner-alert"]),
  purpose: z.enum(OUTBOX_PURPOSES),
  to: z.string(),
  appointmentId: z.string(),
  appointmentStartMillis: z.number(),
  body: z.string().optional(),
  windowId: z.string().optional(),
  minutesBefore: z.number().optional(),
});

/**
 * The top-level scheduledSms queue. A text is stored under a deterministic id
 * with create(), so scheduling it twice stores it once; the job finds what is
 * due with one query on (status, dueAt), declared in firestore.indexes.json.
 */
export class FirestoreScheduledSmsRepository implements ScheduledSmsQueue {
  constructor(
    private readonly db: Firestore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async schedule(item: NewScheduledSms): Promise<"scheduled" | "already-scheduled"> {
    const ref = this.db.doc(paths.scheduledSmsItem(scheduledSmsId(item.businessId, item.outboxId)));
    const at = Timestamp.fromDate(this.now());
    const fields = waitingFields(item, at);
    try {
      await ref.create({ ...fields, createdAt: at });
      return "scheduled";
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    // Skipped once (moved away, then back): it applies again. Sent stays sent.
    const existing = await ref.get();
    if (existing.get("status") === "skipped") {
      await ref.update({ ...fields, reason: null });
      return "scheduled";
    }
    return "already-scheduled";
  }

  async due(now: Date, limit: number): Promise<ScheduledSms[]> {
    const snapshot = await this.db
      .collection(paths.scheduledSms())
      .where("status", "==", "waiting")
      .where("dueAt", "<=", Timestamp.fromDate(now))
      .orderBy("dueAt")
      .limit(limit)
      .get();
    const items: ScheduledSms[] = [];
    for (const doc of snapshot.docs) {
      const parsed = storedSchema.safeParse(doc.data());
      // A malformed document is left alone rather than stopping every other text.
      if (parsed.success) items.push({ id: doc.id, ...parsed.data });
    }
    return items;
  }

  async defer(businessId: string, outboxId: string, dueAt: Date, at: Date): Promise<void> {
    await this.db
      .doc(paths.scheduledSmsItem(scheduledSmsId(businessId, outboxId)))
      .update({ dueAt: Timestamp.fromDate(dueAt), updatedAt: Timestamp.fromDate(at) });
  }

  async finish(
    businessId: string,
    outboxId: string,
    outcome: { status: "sent" | "skipped"; reason: string; at: Date },
  ): Promise<"finished" | "not-waiting"> {
    const ref = this.db.doc(paths.scheduledSmsItem(scheduledSmsId(businessId, outboxId)));
    const current = await ref.get();
    if (!current.exists || current.get("status") !== "waiting") return "not-waiting";
    await ref.update({
      status: outcome.status,
      reason: outcome.reason,
      finishedAt: Timestamp.fromDate(outcome.at),
      updatedAt: Timestamp.fromDate(outcome.at),
    });
    return "finished";
  }
}

/** Firestore refuses undefined values unless told to ignore them. */
function definedFields(item: NewScheduledSms): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined));
}

/** A text waiting for its time, as stored (createdAt added on create). */
export function waitingFields(item: NewScheduledSms, at: Timestamp): Record<string, unknown> {
  return {
    ...definedFields(item),
    dueAt: Timestamp.fromDate(item.dueAt),
    status: "waiting",
    updatedAt: at,
  };
}
