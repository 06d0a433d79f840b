import type { Firestore } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import {
  Appointment,
  AppointmentStatus,
  CalendarSync,
  claimedSpanOf,
  ConfirmationState,
  lockGranulesFor,
} from "../../domain/scheduling/appointment";
import type {
  AppointmentStore,
  BookingResult,
  RescheduleResult,
} from "../../ports/appointment-store.port";
import { isAlreadyExists, optionalDate, toDate } from "./converters";
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
   * Claims a lock document per granule of the appointment's time, in time
   * order, each with create(), then stores the appointment. Of two
   * overlapping bookings, whoever creates their earliest shared granule
   * first wins, and the other stops there and releases what it claimed.
   * Each create() is atomic on its own; this does not rely on batches or
   * transactions being isolated (the embedded Firestore applies a failing
   * batch partially).
   */
  async book(appointment: Appointment): Promise<BookingResult> {
    const appointmentRef = this.db.doc(paths.appointment(appointment.businessId, appointment.id));
    const span = claimedSpanOf(appointment);
    const claimed = await this.claimTime(
      appointment.businessId,
      appointment.id,
      span.start,
      span.end,
      appointment.createdAt,
    );
    if (!claimed) return { outcome: "slot-taken" };
    try {
      await appointmentRef.create(toFirestore(appointment));
      return { outcome: "booked", appointment };
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      const existing = await appointmentRef.get();
      return {
        outcome: "already-booked",
        appointment: appointmentFromFirestore(
          existing.id,
          appointment.businessId,
          existing.data() ?? {},
        ),
      };
    }
  }

  /**
   * Claims every granule of [start, end) for this appointment, in time order.
   * On a clash, releases what this call claimed and returns false.
   */
  private async claimTime(
    businessId: string,
    appointmentId: string,
    start: Date,
    end: Date,
    at: Date,
  ): Promise<boolean> {
    const claimed: string[] = [];
    for (const granule of lockGranulesFor(start, end)) {
      const outcome = await this.claimGranule(businessId, appointmentId, granule, at);
      if (outcome === "taken") {
        // Only what this call created: granules it already held (its current time, when moving) stay.
        await this.release(businessId, appointmentId, claimed);
        return false;
      }
      if (outcome === "created") claimed.push(granule);
    }
    return true;
  }

  /** "held" when this appointment holds it already: a retried booking, or its own time when moving. */
  private async claimGranule(
    businessId: string,
    appointmentId: string,
    granule: string,
    at: Date,
  ): Promise<"created" | "held" | "taken"> {
    const lockRef = this.db.doc(paths.slotLock(businessId, granule));
    try {
      await lockRef.create({ appointmentId, createdAt: Timestamp.fromDate(at) });
      return "created";
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      const holder = (await lockRef.get()).get("appointmentId");
      return holder === appointmentId ? "held" : "taken";
    }
  }

  /** Deletes the locks of these granules that this appointment holds, and no others. */
  private async release(
    businessId: string,
    appointmentId: string,
    granules: readonly string[],
  ): Promise<void> {
    await Promise.all(
      granules.map(async (granule) => {
        const lockRef = this.db.doc(paths.slotLock(businessId, granule));
        const lock = await lockRef.get();
        if (lock.get("appointmentId") === appointmentId) await lockRef.delete();
      }),
    );
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

  async cancel(
    businessId: string,
    appointmentId: string,
    reason: string,
    at: Date,
  ): Promise<Appointment | null> {
    const ref = this.db.doc(paths.appointment(businessId, appointmentId));
    const current = await this.get(businessId, appointmentId);
    if (!current) return null;
    if (current.status === "cancelled") return current;
    await ref.update({
      status: "cancelled",
      cancelledAt: Timestamp.fromDate(at),
      cancelReason: reason,
      updatedAt: Timestamp.fromDate(at),
    });
    const span = claimedSpanOf(current);
    await this.release(businessId, appointmentId, lockGranulesFor(span.start, span.end));
    return {
      ...current,
      status: "cancelled",
      cancelledAt: at,
      cancelReason: reason,
      updatedAt: at,
    };
  }

  async reschedule(
    businessId: string,
    appointmentId: string,
    start: Date,
    end: Date,
    at: Date,
    reason = "",
  ): Promise<RescheduleResult> {
    const current = await this.get(businessId, appointmentId);
    if (!current || current.status === "cancelled") return { outcome: "not-found" };
    if (current.start.getTime() === start.getTime() && current.end.getTime() === end.getTime()) {
      return { outcome: "rescheduled", appointment: current };
    }
    // Granules it already holds count as its own, so a move that overlaps its old time works.
    const oldSpan = claimedSpanOf(current);
    const newSpan = claimedSpanOf({ start, end, bufferMinutes: current.bufferMinutes });
    if (!(await this.claimTime(businessId, appointmentId, newSpan.start, newSpan.end, at)))
      return { outcome: "slot-taken" };
    await this.db.doc(paths.appointment(businessId, appointmentId)).update({
      start: Timestamp.fromDate(start),
      end: Timestamp.fromDate(end),
      previousStart: Timestamp.fromDate(current.start),
      // Always written, so a later move without a reason does not inherit an old one.
      rescheduleReason: reason,
      updatedAt: Timestamp.fromDate(at),
    });
    const kept = new Set(lockGranulesFor(newSpan.start, newSpan.end));
    const freed = lockGranulesFor(oldSpan.start, oldSpan.end).filter((g) => !kept.has(g));
    await this.release(businessId, appointmentId, freed);
    return {
      outcome: "rescheduled",
      appointment: {
        ...current,
        start,
        end,
        previousStart: current.start,
        rescheduleReason: reason,
        updatedAt: at,
      },
    };
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

function toFirestore(a: Appointment): Record<string, unknown> {
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
