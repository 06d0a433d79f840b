import { DateTime } from "luxon";
import type { Appointment } from "../scheduling/appointment";

/**
 * The rules of two-way sync with the owner's calendar, in one place: which
 * appointment changes reach Google, how failures are retried, and what the
 * owner is told. docs/google-calendar.md describes these.
 */

/** The parts of an appointment its calendar event shows. Anything else changing is not our business. */
export interface CalendarFacts {
  status: Appointment["status"];
  startMs: number;
  endMs: number;
  serviceName: string;
  customerName: string;
  customerPhone: string;
  address: string;
  problem: string;
}

export function calendarFactsOf(appointment: Appointment): CalendarFacts {
  return {
    status: appointment.status,
    startMs: appointment.start.getTime(),
    endMs: appointment.end.getTime(),
    serviceName: appointment.serviceName,
    customerName: appointment.customerName,
    customerPhone: appointment.customerPhone,
    address: appointment.address,
    problem: appointment.problem,
  };
}

/**
 * Whether a write to an appointment document needs the calendar to follow.
 * Writes that touch only `calendar` or `confirmation` (including our own
 * sync-state annotations) do not, which is what stops the sync from looping.
 */
export function calendarNeedsSync(
  before: CalendarFacts | undefined,
  after: CalendarFacts | undefined,
): boolean {
  if (!after) return before !== undefined && before.status === "booked";
  if (!before) return true;
  return (Object.keys(after) as Array<keyof CalendarFacts>).some((k) => before[k] !== after[k]);
}

/**
 * What to do in Google for the appointment as it is now: the current state
 * wins over whichever event announced it, so late or repeated events converge.
 */
export type CalendarWritePlan = "insert" | "patch" | "delete";

export function calendarWritePlan(current: Appointment | null): CalendarWritePlan {
  if (!current || current.status === "cancelled") return "delete";
  // An event we know we wrote is patched; otherwise insert (a 409 means it exists: patch).
  return current.calendar?.state === "synced" && current.calendar.eventId ? "patch" : "insert";
}

/** The trigger throws for a platform retry this many times; after that the sweep carries on. */
export const TRIGGER_RETRY_ATTEMPTS = 3;
/** After this many failed attempts in all, the appointment stays in "error" for the owner to see. */
export const MAX_CALENDAR_SYNC_ATTEMPTS = 12;
/** The retry sweep runs this often (and pulls the owner's changes from Google as it does). */
export const CALENDAR_SWEEP_INTERVAL_MINUTES = 15;

/** When the sweep should try again after `attempts` failures: 15 min doubling, at most 8 h apart. */
export function calendarRetryDelayMs(attempts: number): number {
  const minutes = Math.min(
    CALENDAR_SWEEP_INTERVAL_MINUTES * 2 ** Math.max(0, attempts - 1),
    8 * 60,
  );
  return minutes * 60_000;
}

/** One reconnect SMS per business per local day, however many failures notice the revoked grant. */
export function reconnectSmsId(businessId: string, at: Date, timeZone: string): string {
  const day =
    DateTime.fromJSDate(at, { zone: timeZone }).toISODate() ?? at.toISOString().slice(0, 10);
  return `calendar-reconnect-${businessId}-${day}`;
}

export function reconnectSmsText(businessName: string, reconnectUrl: string): string {
  const where = reconnectUrl ? ` at ${reconnectUrl}` : " in the dashboard";
  return (
    `${businessName}: Google Calendar has disconnected from your receptionist, so bookings ` +
    `only check the receptionist's own diary for now. Please reconnect it${where}.`
  );
}

/** The attention note left on an appointment the owner moved in Google onto another job's time. */
export function movedOntoClashNote(newStart: Date, timeZone: string): string {
  const when = DateTime.fromJSDate(newStart, { zone: timeZone }).toFormat("ccc d LLL HH:mm");
  return (
    `Moved in Google Calendar to ${when}, which clashes with another appointment: ` +
    `kept at its booked time. Move it to a free time in Google Calendar or the dashboard.`
  );
}

export function movedOntoClashSmsId(appointmentId: string, newStart: Date): string {
  return `calendar-clash-${appointmentId}-${newStart.getTime()}`;
}

export function movedOntoClashSmsText(
  businessName: string,
  appointment: Pick<Appointment, "serviceName" | "customerName" | "start">,
  newStart: Date,
  timeZone: string,
): string {
  const format = (d: Date) =>
    DateTime.fromJSDate(d, { zone: timeZone }).toFormat("ccc d LLL HH:mm");
  return (
    `${businessName}: you moved ${appointment.customerName}'s ${appointment.serviceName} to ` +
    `${format(newStart)} in Google Calendar, but that clashes with another job, so it is still ` +
    `booked for ${format(appointment.start)}. Please pick another time.`
  );
}
