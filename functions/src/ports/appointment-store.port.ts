import type { Appointment } from "../domain/scheduling/appointment";

export type BookingResult =
  | { outcome: "booked"; appointment: Appointment }
  /** Stored already under this id: a retried request, not a new booking. */
  | { outcome: "already-booked"; appointment: Appointment }
  /** Some of the time is held by another appointment. */
  | { outcome: "slot-taken" };

export interface AppointmentStore {
  /** Booked (not cancelled) appointments overlapping [from, to). */
  listBooked(businessId: string, from: Date, to: Date): Promise<Appointment[]>;
  /** Claims the appointment's time atomically and stores it. */
  book(appointment: Appointment): Promise<BookingResult>;
}
