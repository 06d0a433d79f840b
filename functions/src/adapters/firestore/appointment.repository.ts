import type { Firestore } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import {
  Appointment,
  AppointmentStatus,
  lockGranulesFor,
} from "../../domain/scheduling/appointment";
import type { AppointmentStore, BookingResult } from "../../ports/appointment-store.port";
import { isAlreadyExists, toDate } from "./converters";
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
      .map((doc) => fromFirestore(doc.id, businessId, doc.data()))
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
    const claimed: string[] = [];
    for (const granule of lockGranulesFor(appointment.start, appointment.end)) {
      const outcome = await this.claimGranule(appointment, granule);
      if (outcome === "taken") {
        await this.release(appointment, claimed);
        return { outcome: "slot-taken" };
      }
      claimed.push(granule);
    }
    try {
      await appointmentRef.create(toFirestore(appointment));
      return { outcome: "booked", appointment };
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      const existing = await appointmentRef.get();
      return {
        outcome: "already-booked",
        appointment: fromFirestore(existing.id, appointment.businessId, existing.data() ?? {}),
      };
    }
  }

  /** "ours" also when a retry of this same booking claimed it before. */
  private async claimGranule(appointment: Appointment, granule: string): Promise<"ours" | "taken"> {
    const lockRef = this.db.doc(paths.slotLock(appointment.businessId, granule));
    try {
      await lockRef.create({
        appointmentId: appointment.id,
        createdAt: Timestamp.fromDate(appointment.createdAt),
      });
      return "ours";
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      const holder = (await lockRef.get()).get("appointmentId");
      return holder === appointment.id ? "ours" : "taken";
    }
  }

  private async release(appointment: Appointment, granules: readonly string[]): Promise<void> {
    await Promise.all(
      granules.map((granule) =>
        this.db.doc(paths.slotLock(appointment.businessId, granule)).delete(),
      ),
    );
  }

  async get(businessId: string, appointmentId: string): Promise<Appointment | null> {
    const doc = await this.db.doc(paths.appointment(businessId, appointmentId)).get();
    return doc.exists ? fromFirestore(doc.id, businessId, doc.data() ?? {}) : null;
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
    status: a.status,
    source: a.source,
    createdAt: Timestamp.fromDate(a.createdAt),
  };
}

function fromFirestore(id: string, businessId: string, data: Record<string, unknown>): Appointment {
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
    status: (data.status === "cancelled" ? "cancelled" : "booked") as AppointmentStatus,
    source: String(data.source ?? ""),
    createdAt: toDate(data.createdAt),
  };
}
