import type { DocumentReference, Firestore } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import { Appointment, claimedSpanOf, lockGranulesFor } from "../../domain/scheduling/appointment";
import { paths } from "./paths";

/**
 * A booking owns its time through one lock document per 15-minute granule it
 * claims (job plus buffer), created in the same commit as the appointment.
 */
export function lockRefs(
  db: Firestore,
  appointment: Pick<Appointment, "businessId" | "start" | "end" | "bufferMinutes">,
): DocumentReference[] {
  const span = claimedSpanOf(appointment);
  return lockGranulesFor(span.start, span.end).map((g) =>
    db.doc(paths.slotLock(appointment.businessId, g)),
  );
}

export function lockFields(appointment: Pick<Appointment, "id" | "createdAt">) {
  return { appointmentId: appointment.id, createdAt: Timestamp.fromDate(appointment.createdAt) };
}
