import type { Firestore } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import type { Business } from "../../domain/business/business";
import type {
  AuditEntry,
  DashboardMarks,
  InboxMark,
  JobRecord,
  SettingsStore,
} from "../../ports/dashboard.port";
import { auditRef, auditToFirestore } from "./audit-entry";
import { FirestoreBusinessRepository } from "./business.repository";
import { optionalDate, toDate } from "./converters";
import { paths } from "./paths";

/**
 * The dashboard's own documents: jobs marked done, inbox marks, attention
 * acknowledgements and the audit log. Kept beside the call and booking
 * documents (never inside them), so a live call saving its conversation can
 * never undo an owner's "handled". Each change is committed in one batch
 * with its audit entry, so there is never a change without its entry or an
 * entry for a change that did not happen.
 */
export class FirestoreDashboardRepository implements DashboardMarks, SettingsStore {
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

  async setJob(
    businessId: string,
    appointmentId: string,
    record: JobRecord | null,
    audit: AuditEntry,
  ) {
    const ref = this.db.doc(paths.job(businessId, appointmentId));
    const batch = this.db.batch();
    if (!record) batch.delete(ref);
    else {
      batch.set(ref, {
        appointmentId,
        doneAt: Timestamp.fromDate(record.doneAt),
        doneBy: record.doneBy,
      });
    }
    batch.create(auditRef(this.db, businessId), auditToFirestore(audit));
    await batch.commit();
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

  async setInbox(
    businessId: string,
    conversationId: string,
    mark: InboxMark,
    audit: AuditEntry,
  ): Promise<void> {
    const batch = this.db.batch();
    batch.set(this.db.doc(paths.inboxMark(businessId, conversationId)), {
      handled: mark.handled,
      by: mark.by,
      at: Timestamp.fromDate(mark.at),
    });
    batch.create(auditRef(this.db, businessId), auditToFirestore(audit));
    await batch.commit();
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

  async acknowledgeAttention(
    businessId: string,
    itemId: string,
    by: string,
    at: Date,
    audit: AuditEntry,
  ) {
    const batch = this.db.batch();
    batch.update(this.db.doc(paths.attentionItem(businessId, itemId)), {
      acknowledgedAt: Timestamp.fromDate(at),
      acknowledgedBy: by,
    });
    batch.create(auditRef(this.db, businessId), auditToFirestore(audit));
    await batch.commit();
  }

  async load(businessId: string): Promise<Business | null> {
    // A fresh repository: its cache must not hand the editor a minute-old copy.
    return new FirestoreBusinessRepository(this.db).getById(businessId);
  }

  async save(business: Business, audit: AuditEntry): Promise<void> {
    const batch = this.db.batch();
    new FirestoreBusinessRepository(this.db).addTo(batch, business);
    batch.create(auditRef(this.db, business.id), auditToFirestore(audit));
    await batch.commit();
  }
}
