import type { Firestore } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import {
  Appointment,
  AppointmentStatus,
  CalendarSync,
  ConfirmationState,
} from "../../domain/scheduling/appointment";
import type {
  AppointmentStore,
  BookingResult,
  RescheduleResult,
} from "../../ports/appointment-store.port";
import type { AuditEntry } from "../../ports/dashboard.port";
import { auditRef, auditToFirestore } from "./audit-entry";
import { isAlreadyExists, optionalDate, toDate } from "./converters";
import { lockFields, lockRefs } from "./slot-locks";
import { paths } from "./paths";

/** Longest job we store; bounds the look-back when listing overlapping appointments. */
const MAX_APPOINTMENT_MS = 8 * 60 * 60_000;

export class FirestoreAppointmentRepository implements AppointmentStore {
  constructor(private readonly db: Firestore) {}

  async listBooked(businessId: string, from: Date, to: Date): Promise<Appointment[]> {
    const snapshot = await this.db
      .collection(paths.appointments(businessId))
      .where("start", ">=", Timestamp.fromMillis(from.getTime() - MAX_APPOINTMENT_MS))
      .where("start", "<", Timestamp.fromDate(to))
      .orderBy("start")
      .get();
    return snapshot.docs
      .map((doc) => appointmentFromFirestore(doc.id, businessId, doc.data()))
      .filter((a) => a.status === "booked" && a.end.getTime() > from.getTime());
  }

  /**
   * Claims the appointment's time and stores it in one commit: a batch that
   * creates one lock document per granule and the appointment, so of two
   * overlapping bookings exactly one succeeds, and an interrupted booking
   * leaves nothing behind (the batch applies whole or not at all).
   */
  async book(appointment: Appointment): Promise<BookingResult> {
    const appointmentRef = this.db.doc(paths.appointment(appointment.businessId, appointment.id));
    const batch = this.db.batch();
    for (const ref of lockRefs(this.db, appointment)) batch.create(ref, lockFields(appointment));
    batch.create(appointmentRef, appointmentToFirestore(appointment));
    try {
      await batch.commit();
      return { outcome: "booked", appointment };
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    // A retry of a booking that landed finds its appointment; otherwise a lock was someone else's.
    const existing = await appointmentRef.get();
    if (!existing.exists) return { outcome: "slot-taken" };
    return {
      outcome: "already-booked",
      appointment: appointmentFromFirestore(
        existing.id,
        appointment.businessId,
        existing.data() ?? {},
      ),
    };
  }

  async listUpcomingForCustomer(
    businessId: string,
    customerId: string,
    from: Date,
  ): Promise<Appointment[]> {
    // Index: appointments (customerId ASC, start ASC), declared in firestore.indexes.json.
    const snapshot = await this.db
      .collection(paths.appointments(businessId))
      .where("customerId", "==", customerId)
      .where("start", ">=", Timestamp.fromDate(from))
      .orderBy("start")
      .get();
    return snapshot.docs
      .map((doc) => appointmentFromFirestore(doc.id, businessId, doc.data()))
      .filter((a) => a.status === "booked");
  }

  /** In one transaction: the appointment is marked cancelled and the locks it holds are deleted. */
  async cancel(
    businessId: string,
    appointmentId: string,
    reason: string,
    at: Date,
    audit?: AuditEntry,
  ): Promise<Appointment | null> {
    const ref = this.db.doc(paths.appointment(businessId, appointmentId));
    return this.db.runTransaction(async (tx) => {
      const doc = await tx.get(ref);
      if (!doc.exists) return null;
      const current = appointmentFromFirestore(doc.id, businessId, doc.data() ?? {});
      if (current.status === "cancelled") return current;
      const locks = lockRefs(this.db, current);
      const held = await tx.getAll(...locks);
      tx.update(ref, {
        status: "cancelled",
        cancelledAt: Timestamp.fromDate(at),
        cancelReason: reason,
        updatedAt: Timestamp.fromDate(at),
      });
      for (const lock of held) if (lock.get("appointmentId") === appointmentId) tx.delete(lock.ref);
      if (audit) tx.create(auditRef(this.db, businessId), auditToFirestore(audit));
      return {
        ...current,
        status: "cancelled" as const,
        cancelledAt: at,
        cancelReason: reason,
        updatedAt: at,
      };
    });
  }

  /**
   * In one transaction: reads the appointment and the locks of its old and
   * new time, claims the new granules it does not hold yet, moves it, and
   * frees the old granules the new time does not cover.
   */
  async reschedule(
    businessId: string,
    appointmentId: string,
    start: Date,
    end: Date,
    at: Date,
    reason = "",
    audit?: AuditEntry,
  ): Promise<RescheduleResult> {
    const ref = this.db.doc(paths.appointment(businessId, appointmentId));
    const moving = this.db.runTransaction(async (tx): Promise<RescheduleResult> => {
      const doc = await tx.get(ref);
      if (!doc.exists) return { outcome: "not-found" };
      const current = appointmentFromFirestore(doc.id, businessId, doc.data() ?? {});
      if (current.status === "cancelled") return { outcome: "not-found" };
      if (current.start.getTime() === start.getTime() && current.end.getTime() === end.getTime()) {
        return { outcome: "rescheduled", appointment: current };
      }
      const moved = { ...current, start, end };
      const newLocks = lockRefs(this.db, moved);
      const kept = new Set(newLocks.map((r) => r.path));
      const oldLocks = lockRefs(this.db, current).filter((r) => !kept.has(r.path));
      const snapshots = await tx.getAll(...newLocks, ...oldLocks);
      const byPath = new Map(snapshots.map((s) => [s.ref.path, s]));
      for (const lock of newLocks) {
        const holder: unknown = byPath.get(lock.path)?.get("appointmentId");
        if (holder !== undefined && holder !== appointmentId) return { outcome: "slot-taken" };
      }
      for (const lock of newLocks) {
        if (!byPath.get(lock.path)?.exists)
          tx.create(lock, lockFields({ id: appointmentId, createdAt: at }));
      }
      tx.update(ref, {
        start: Timestamp.fromDate(start),
        end: Timestamp.fromDate(end),
        previousStart: Timestamp.fromDate(current.start),
        // Always written, so a later move without a reason does not inherit an old one.
        rescheduleReason: reason,
        updatedAt: Timestamp.fromDate(at),
      });
      for (const lock of oldLocks) {
        if (byPath.get(lock.path)?.get("appointmentId") === appointmentId) tx.delete(lock);
      }
      if (audit) tx.create(auditRef(this.db, businessId), auditToFirestore(audit));
      return {
        outcome: "rescheduled",
        appointment: {
          ...moved,
          previousStart: current.start,
          rescheduleReason: reason,
          updatedAt: at,
        },
      };
    });
    // A lock created between our read and our commit: another booking got there first.
    return moving.catch((error: unknown): RescheduleResult => {
      if (isAlreadyExists(error)) return { outcome: "slot-taken" };
      throw error;
    });
  }

  async annotate(
    businessId: string,
    appointmentId: string,
    fields: Partial<Pick<Appointment, "confirmation" | "calendar">>,
  ): Promise<void> {
    const update: Record<string, unknown> = {};
    if (fields.confirmation) update.confirmation = fields.confirmation;
    if (fields.calendar) update.calendar = calendarToFirestore(fields.calendar);
    if (Object.keys(update).length > 0) {
      await this.db.doc(paths.appointment(businessId, appointmentId)).update(update);
    }
  }

  async get(businessId: string, appointmentId: string): Promise<Appointment | null> {
    const doc = await this.db.doc(paths.appointment(businessId, appointmentId)).get();
    return doc.exists ? appointmentFromFirestore(doc.id, businessId, doc.data() ?? {}) : null;
  }
}

export function appointmentToFirestore(a: Appointment): Record<string, unknown> {
  return {
    customerId: a.customerId,
    customerName: a.customerName,
    customerPhone: a.customerPhone,
    address: a.address,
    serviceId: a.serviceId,
    serviceName: a.serviceName,
    problem: a.problem,
    start: Timestamp.fromDate(a.start),
    end: Timestamp.fromDate(a.end),
    bufferMinutes: a.bufferMinutes ?? 0,
    status: a.status,
    source: a.source,
    createdAt: Timestamp.fromDate(a.createdAt),
    updatedAt: Timestamp.fromDate(a.updatedAt ?? a.createdAt),
    confirmation: a.confirmation ?? "not-requested",
    ...(a.cancelledAt ? { cancelledAt: Timestamp.fromDate(a.cancelledAt) } : {}),
    ...(a.cancelReason ? { cancelReason: a.cancelReason } : {}),
    ...(a.previousStart ? { previousStart: Timestamp.fromDate(a.previousStart) } : {}),
    ...(a.calendar ? { calendar: calendarToFirestore(a.calendar) } : {}),
  };
}

function calendarToFirestore(c: CalendarSync): Record<string, unknown> {
  return {
    state: c.state,
    attempts: c.attempts,
    updatedAt: Timestamp.fromDate(c.updatedAt),
    ...(c.eventId ? { eventId: c.eventId } : {}),
    ...(c.lastError ? { lastError: c.lastError } : {}),
  };
}

function calendarFromFirestore(value: unknown): CalendarSync | undefined {
  if (!value || typeof value !== "object") return undefined;
  const c = value as Record<string, unknown>;
  return {
    state: c.state as CalendarSync["state"],
    attempts: typeof c.attempts === "number" ? c.attempts : 0,
    updatedAt: toDate(c.updatedAt),
    ...(typeof c.eventId === "string" ? { eventId: c.eventId } : {}),
    ...(typeof c.lastError === "string" ? { lastError: c.lastError } : {}),
  };
}

const CONFIRMATION_STATES: readonly ConfirmationState[] = [
  "not-requested",
  "requested",
  "confirmed",
];

/**
 * A stored appointment as the domain sees it; the one reading of an appointment
 * document, used by the repository and by the triggers that receive snapshots.
 * Throws when the times are not timestamps.
 */
export function appointmentFromFirestore(
  id: string,
  businessId: string,
  data: Record<string, unknown>,
): Appointment {
  return {
    id,
    businessId,
    customerId: String(data.customerId ?? ""),
    customerName: String(data.customerName ?? ""),
    customerPhone: String(data.customerPhone ?? ""),
    address: String(data.address ?? ""),
    serviceId: String(data.serviceId ?? ""),
    serviceName: String(data.serviceName ?? ""),
    problem: String(data.problem ?? ""),
    start: toDate(data.start),
    end: toDate(data.end),
    bufferMinutes: typeof data.bufferMinutes === "number" ? data.bufferMinutes : 0,
    status: (data.status === "cancelled" ? "cancelled" : "booked") as AppointmentStatus,
    source: String(data.source ?? ""),
    createdAt: toDate(data.createdAt),
    updatedAt: optionalDate(data.updatedAt),
    confirmation: CONFIRMATION_STATES.includes(data.confirmation as ConfirmationState)
      ? (data.confirmation as ConfirmationState)
      : "not-requested",
    cancelledAt: optionalDate(data.cancelledAt),
    cancelReason: typeof data.cancelReason === "string" ? data.cancelReason : undefined,
    previousStart: optionalDate(data.previousStart),
    rescheduleReason:
      typeof data.rescheduleReason === "string" && data.rescheduleReason
        ? data.rescheduleReason
        : undefined,
    calendar: calendarFromFirestore(data.calendar),
  };
}
