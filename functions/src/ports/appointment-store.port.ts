import type { Appointment } from "../domain/scheduling/appointment";
import type { AuditEntry } from "./dashboard.port";

export type BookingResult =
  | { outcome: "booked"; appointment: Appointment }
  /** Stored already under this id: a retried request, not a new booking. */
  | { outcome: "already-booked"; appointment: Appointment }
  /** Some of the time is held by another appointment. */
  | { outcome: "slot-taken" };

export type RescheduleResult =
  | { outcome: "rescheduled"; appointment: Appointment }
  | { outcome: "slot-taken" }
  | { outcome: "not-found" };

export interface AppointmentStore {
  /** Booked (not cancelled) appointments overlapping [from, to). */
  listBooked(businessId: string, from: Date, to: Date): Promise<Appointment[]>;
  /** Claims the appointment's time atomically and stores it. */
  book(appointment: Appointment): Promise<BookingResult>;
  get(businessId: string, appointmentId: string): Promise<Appointment | null>;
  /** A customer's booked appointments starting at or after `from`, soonest first. */
  listUpcomingForCustomer(
    businessId: string,
    customerId: string,
    from: Date,
  ): Promise<Appointment[]>;
  /**
   * Marks it cancelled and frees its time; cancelling twice is not an error.
   * `audit` (a dashboard change) is stored in the same commit, only when it cancels.
   */
  cancel(
    businessId: string,
    appointmentId: string,
    reason: string,
    at: Date,
    audit?: AuditEntry,
  ): Promise<Appointment | null>;
  /**
   * Claims the new time atomically, then moves the appointment and frees the
   * old time; `audit` is stored in the same commit, only when it moves.
   */
  reschedule(
    businessId: string,
    appointmentId: string,
    start: Date,
    end: Date,
    at: Date,
    reason?: string,
    audit?: AuditEntry,
  ): Promise<RescheduleResult>;
  /** Merges these fields (confirmation, calendar sync) without touching time or status. */
  annotate(
    businessId: string,
    appointmentId: string,
    fields: Partial<Pick<Appointment, "confirmation" | "calendar">>,
  ): Promise<void>;
}
