import type { Firestore } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import type { Business } from "../../domain/business/business";
import type {
  AuditEntry,
  AuditLog,
  DashboardMarks,
  InboxMark,
  JobRecord,
  SettingsStore,
} from "../../ports/dashboard.port";
import { FirestoreBusinessRepository } from "./business.repository";
import { optionalDate, toDate } from "./converters";
import { paths } from "./paths";

/**
 * The dashboard's own documents: jobs marked done, inbox marks, attention
 * acknowledgements and the audit log. Kept beside the call and booking
 * documents (never inside them), so a live call saving its conversation can
 * never undo an owner's "handled".
 */
export class FirestoreDashboardRepository implements DashboardMarks, AuditLog, SettingsStore {
  constructor(private readonly db: Firestore) {}

  async job(businessId: string, appointmentId: string): Promise<JobRecord | null> {
    const doc = await this.db.doc(paths.job(businessId, appointmentId)).get();
    if (!doc.exists) return null;
    return {
      appointmentId,
      doneAt: toDate(doc.get("doneAt")),
      doneBy: String(doc.get("doneBy") ?? ""),
    };
  }

  async setJob(businessId: string, appointmentId: string, record: JobRecord | null) {
    const ref = this.db.doc(paths.job(businessId, appointmentId));
    if (!record) {
      await ref.delete();
      return;
    }
    await ref.set({
      appointmentId,
      doneAt: Timestamp.fromDate(record.doneAt),
      doneBy: record.doneBy,
    });
  }

  async conversationExists(businessId: string, conversationId: string): Promise<boolean> {
    return (await this.db.doc(paths.conversation(businessId, conversationId)).get()).exists;
  }

  async inbox(businessId: string, conversationId: string): Promise<InboxMark | null> {
    const doc = await this.db.doc(paths.inboxMark(businessId, conversationId)).get();
    if (!doc.exists) return null;
    return {
      handled: doc.get("handled") === true,
      by: String(doc.get("by") ?? ""),
      at: toDate(doc.get("at")),
    };
  }

  async setInbox(businessId: string, conversationId: string, mark: InboxMark): Promise<void> {
    await this.db.doc(paths.inboxMark(businessId, conversationId)).set({
      handled: mark.handled,
      by: mark.by,
      at: Timestamp.fromDate(mark.at),
    });
  }

  async attention(businessId: string, itemId: string) {
    const doc = await this.db.doc(paths.attentionItem(businessId, itemId)).get();
    if (!doc.exists) return null;
    const by = doc.get("acknowledgedBy") as unknown;
    return {
      acknowledgedAt: optionalDate(doc.get("acknowledgedAt")) ?? null,
      acknowledgedBy: typeof by === "string" ? by : null,
    };
  }

  async acknowledgeAttention(businessId: string, itemId: string, by: string, at: Date) {
    await this.db.doc(paths.attentionItem(businessId, itemId)).update({
      acknowledgedAt: Timestamp.fromDate(at),
      acknowledgedBy: by,
    });
  }

  async record(businessId: string, entry: AuditEntry): Promise<void> {
    await this.db.collection(paths.audit(businessId)).add({
      action: entry.action,
      target: entry.target,
      actor: entry.actor,
      at: Timestamp.fromDate(entry.at),
      before: entry.before ?? null,
      after: entry.after ?? null,
    });
  }

  async load(businessId: string): Promise<Business | null> {
    // A fresh repository: its cache must not hand the editor a minute-old copy.
    return new FirestoreBusinessRepository(this.db).getById(businessId);
  }

  async save(business: Business): Promise<void> {
    await new FirestoreBusinessRepository(this.db).save(business);
  }
}
