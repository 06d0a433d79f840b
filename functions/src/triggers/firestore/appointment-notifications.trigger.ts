import type { DocumentSnapshot } from "firebase-admin/firestore";
import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { appointmentFromFirestore } from "../../adapters/firestore/appointment.repository";
import { FirestoreBusinessRepository } from "../../adapters/firestore/business.repository";
import { appFirestore } from "../../adapters/firestore/firestore-client";
import { FirestoreOutboxRepository } from "../../adapters/firestore/outbox.repository";
import { FirestoreScheduledSmsRepository } from "../../adapters/firestore/scheduled-sms.repository";
import { errorText, functionsLoggerAdapter } from "../../logs";
import { notifyAppointmentChange } from "../../app/notify-appointment-change";
import type { Appointment } from "../../domain/scheduling/appointment";
import { systemClock } from "../../ports/clock.port";
import { FUNCTION_OPTIONS } from "../../function-options";

/** The appointment a snapshot holds; null when there is none (or it is not one we can read). */
export function appointmentFromSnapshot(
  snapshot: DocumentSnapshot | undefined,
  businessId: string,
): Appointment | null {
  if (!snapshot?.exists) return null;
  try {
    return appointmentFromFirestore(snapshot.id, businessId, snapshot.data() ?? {});
  } catch (error) {
    functionsLoggerAdapter.warn("notifications.unreadable-appointment", {
      businessId,
      appointmentId: snapshot.id,
      issue: errorText(error),
    });
    return null;
  }
}

/**
 * Texts about bookings made, cancelled or moved (see app/notify-appointment-change.ts).
 * retry: true is safe: every text has a deterministic outbox or queue id,
 * so a retried or redelivered event stores nothing twice.
 */
export const appointmentNotifications = onDocumentWritten(
  {
    ...FUNCTION_OPTIONS.appointmentNotifications,
    document: "businesses/{businessId}/appointments/{appointmentId}",
    retry: true,
  },
  async (event) => {
    const { businessId, appointmentId } = event.params;
    const db = appFirestore();
    await notifyAppointmentChange(
      {
        businessId,
        appointmentId,
        before: appointmentFromSnapshot(event.data?.before, businessId),
        after: appointmentFromSnapshot(event.data?.after, businessId),
      },
      {
        businesses: new FirestoreBusinessRepository(db),
        outbox: new FirestoreOutboxRepository(db),
        recipients: new FirestoreOutboxRepository(db),
        scheduled: new FirestoreScheduledSmsRepository(db),
        clock: systemClock,
        logger: functionsLoggerAdapter,
      },
    );
  },
);
