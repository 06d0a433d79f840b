import type { BusyPeriod } from "../domain/scheduling/availability";

/**
 * Busy time from the owner's calendar(s), for availability. "not-connected"
 * and "unavailable" mean: offer from Firestore alone (and, for unavailable,
 * tell the owner); they never stop a booking.
 */
export type CalendarBusy =
  | { status: "ok"; busy: BusyPeriod[] }
  | { status: "not-connected" }
  | { status: "unavailable"; reason: string };

export interface CalendarBusySource {
  busyBetween(businessId: string, from: Date, to: Date): Promise<CalendarBusy>;
}
