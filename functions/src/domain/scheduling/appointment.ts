/** A booked job at a customer's property. Times are UTC instants. */
export type AppointmentStatus = "booked" | "cancelled";

/** Whether the customer has confirmed they will be in (set by reminders and replies). */
export type ConfirmationState = "not-requested" | "requested" | "confirmed";

/** Where the appointment stands with the owner's calendar. */
export interface CalendarSync {
  state: "pending" | "synced" | "error" | "not-connected";
  eventId?: string;
  attempts: number;
  lastError?: string;
  updatedAt: Date;
}

export interface Appointment {
  id: string;
  businessId: string;
  customerId: string;
  customerName: string;
  customerPhone: string;
  address: string;
  serviceId: string;
  serviceName: string;
  problem: string;
  start: Date;
  end: Date;
  /** Travel and clean-up after the job, from its service when booked; its time is claimed too. */
  bufferMinutes?: number;
  status: AppointmentStatus;
  /** Where the booking came from: a CallSid, or "seed" / "dashboard" / "sms". */
  source: string;
  createdAt: Date;
  updatedAt?: Date;
  confirmation?: ConfirmationState;
  cancelledAt?: Date;
  /** Who cancelled and why, in a few words ("customer by phone", "customer replied 2"). */
  cancelReason?: string;
  /** The start before the latest reschedule, so alerts can say "moved from ...". */
  previousStart?: Date;
  /** Who moved it last and how, in a few words ("customer replied by SMS"). */
  rescheduleReason?: string;
  calendar?: CalendarSync;
}

/**
 * Bookings claim their time in fixed granules. Two appointments overlap
 * exactly when they share a granule, so creating one lock document per
 * granule makes a double booking fail on at least one create().
 */
export const LOCK_GRANULE_MINUTES = 15;
const GRANULE_MS = LOCK_GRANULE_MINUTES * 60_000;

/**
 * The time a booking claims: the job and its buffer, so a concurrent booking
 * can never start in the clean-up or travel time after another job.
 */
export function claimedSpanOf(a: Pick<Appointment, "start" | "end" | "bufferMinutes">): {
  start: Date;
  end: Date;
} {
  return { start: a.start, end: new Date(a.end.getTime() + (a.bufferMinutes ?? 0) * 60_000) };
}

/** UTC granule keys, e.g. "2026-11-26T10:15Z", covered by [start, end). */
export function lockGranulesFor(start: Date, end: Date): string[] {
  // An invalid Date compares false both ways, and would claim no granule at all.
  if (!Number.isFinite(start.getTime()) || !Number.isFinite(end.getTime())) {
    throw new RangeError("an appointment needs valid start and end times");
  }
  if (end.getTime() <= start.getTime()) {
    throw new RangeError("an appointment must end after it starts");
  }
  const first = Math.floor(start.getTime() / GRANULE_MS) * GRANULE_MS;
  const keys: string[] = [];
  for (let t = first; t < end.getTime(); t += GRANULE_MS) {
    keys.push(new Date(t).toISOString().slice(0, 16) + "Z");
  }
  return keys;
}
