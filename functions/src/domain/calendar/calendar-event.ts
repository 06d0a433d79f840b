import { DateTime } from "luxon";
import type { Appointment } from "../scheduling/appointment";

/**
 * How an appointment appears in the owner's Google Calendar, and the id its
 * event gets there. The id is derived from the appointment, never random, so
 * a retried insert finds its own earlier event (Google answers 409) instead of
 * creating a second one.
 */

/** Google event ids use base32hex: digits and a-v, 5 to 1024 characters. */
const BASE32HEX = "0123456789abcdefghijklmnopqrstuv";
/** Marks events this product created; nothing else in a calendar starts this way by chance. */
export const EVENT_ID_PREFIX = "rcpt";
const MAX_EVENT_ID_LENGTH = 1024;

function base32hexEncode(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32HEX[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32HEX[(buffer << (5 - bits)) & 31];
  return out;
}

function base32hexDecode(text: string): Uint8Array | undefined {
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text) {
    const value = BASE32HEX.indexOf(char);
    if (value < 0) return undefined;
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >> (bits - 8)) & 255);
      bits -= 8;
      buffer &= (1 << bits) - 1;
    }
  }
  return Uint8Array.from(bytes);
}

export interface AppointmentRef {
  businessId: string;
  appointmentId: string;
}

/**
 * "rcpt" + base32hex("businessId/appointmentId"): deterministic, valid for
 * Google, and reversible, so a change read back from Google (even a deleted
 * event, which carries little more than its id) names its appointment.
 */
export function calendarEventIdFor(ref: AppointmentRef): string {
  const encoded = base32hexEncode(
    new TextEncoder().encode(`${ref.businessId}/${ref.appointmentId}`),
  );
  const id = EVENT_ID_PREFIX + encoded;
  if (id.length > MAX_EVENT_ID_LENGTH)
    throw new RangeError("appointment id too long for an event id");
  return id;
}

/** The appointment an event id of ours stands for; undefined for anyone else's event. */
export function appointmentRefFromEventId(eventId: string): AppointmentRef | undefined {
  if (!eventId.startsWith(EVENT_ID_PREFIX)) return undefined;
  const bytes = base32hexDecode(eventId.slice(EVENT_ID_PREFIX.length));
  if (!bytes) return undefined;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  const slash = text.indexOf("/");
  if (slash <= 0 || slash === text.length - 1) return undefined;
  // Round-trip check: only an id we would have produced counts as ours.
  const ref = { businessId: text.slice(0, slash), appointmentId: text.slice(slash + 1) };
  return calendarEventIdFor(ref) === eventId ? ref : undefined;
}

/** The event we write, in Google's terms, without any SDK type. */
export interface CalendarEventDraft {
  id: string;
  summary: string;
  description: string;
  location: string;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  /** Lets the owner (and our change feed) see where the event came from. */
  privateProperties: Record<string, string>;
}

/** Where the dashboard shows one appointment; one place, so docs and events agree. */
export function appointmentDashboardUrl(dashboardBaseUrl: string, appointmentId: string): string {
  const base = dashboardBaseUrl.replace(/\/+$/, "");
  return base ? `${base}/appointments/${encodeURIComponent(appointmentId)}` : "";
}

function wallClock(instant: Date, timeZone: string): string {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`invalid time zone ${timeZone}`);
  return local.toISO({ suppressMilliseconds: true }) ?? instant.toISOString();
}

export function calendarEventFor(
  appointment: Appointment,
  options: { timeZone: string; dashboardBaseUrl: string },
): CalendarEventDraft {
  const link = appointmentDashboardUrl(options.dashboardBaseUrl, appointment.id);
  const lines = [
    `Customer: ${appointment.customerName}`,
    `Phone: ${appointment.customerPhone}`,
    `Address: ${appointment.address}`,
    ...(appointment.problem ? [`Job notes: ${appointment.problem}`] : []),
    "",
    link ? `Appointment: ${link}` : `Appointment id: ${appointment.id}`,
    "Booked by the receptionist. Moving or deleting this event moves or cancels the appointment.",
  ];
  return {
    id: calendarEventIdFor({ businessId: appointment.businessId, appointmentId: appointment.id }),
    summary: `${appointment.serviceName} – ${appointment.customerName}`,
    description: lines.join("\n"),
    location: appointment.address,
    start: { dateTime: wallClock(appointment.start, options.timeZone), timeZone: options.timeZone },
    end: { dateTime: wallClock(appointment.end, options.timeZone), timeZone: options.timeZone },
    privateProperties: {
      receptionistBusinessId: appointment.businessId,
      receptionistAppointmentId: appointment.id,
    },
  };
}
