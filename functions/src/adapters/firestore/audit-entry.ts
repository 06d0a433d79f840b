import type { DocumentReference, Firestore } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import type { AuditEntry } from "../../ports/dashboard.port";
import { paths } from "./paths";

/**
 * An audit entry as stored in businesses/{b}/audit, written by the
 * repositories in the same batch or transaction as the change it describes.
 * A new entry's document has an automatic id, like add().
 */
export function auditRef(db: Firestore, businessId: string): DocumentReference {
  return db.collection(paths.audit(businessId)).doc();
}

export function auditToFirestore(entry: AuditEntry): Record<string, unknown> {
  return {
    action: entry.action,
    target: entry.target,
    actor: entry.actor,
    at: Timestamp.fromDate(entry.at),
    before: entry.before ?? null,
    after: entry.after ?? null,
  };
}
