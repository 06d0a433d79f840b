import { DateTime } from "luxon";
import type { DailyWindow } from "./notification-policy";

/**
 * When a text may go out: owner quiet hours, the customer's night, and where a
 * reminder due in the night goes instead. All wall-clock logic is in the
 * business's time zone, so it holds across both DST changes.
 */

/** How long before the night starts an "evening before" reminder is due. */
export const EVENING_SEND_MINUTES_BEFORE_NIGHT = 15;

/**
 * How far a reminder may move earlier and still be the reminder it was meant
 * to be: up to its own lead time again (a two-hour reminder no earlier than
 * four hours before, a day-before one no earlier than two days before).
 */
export const REMINDER_EARLIEST_FACTOR = 2;

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(":").map(Number);
  return hours * 60 + minutes;
}

/** The wall-clock time "HH:mm" on the local calendar day `day` (a gap time moves forward). */
function at(day: DateTime, clock: string): DateTime {
  const [hour, minute] = clock.split(":").map(Number);
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour, minute },
    { zone: day.zone },
  );
}

/** The occurrence of the window that contains `instant`, or null when it is outside. */
export function windowAround(
  instant: Date,
  window: DailyWindow,
  zone: string,
): { start: Date; end: Date } | null {
  const local = DateTime.fromJSDate(instant, { zone });
  const now = local.hour * 60 + local.minute;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const today = local.startOf("day");
  const yesterday = today.minus({ days: 1 });
  const tomorrow = today.plus({ days: 1 });
  if (start < end) {
    if (now < start || now >= end) return null;
    return { start: at(today, window.start).toJSDate(), end: at(today, window.end).toJSDate() };
  }
  // Over midnight: the evening part belongs to a night that ends tomorrow.
  if (now >= start) {
    return { start: at(today, window.start).toJSDate(), end: at(tomorrow, window.end).toJSDate() };
  }
  if (now < end) {
    return { start: at(yesterday, window.start).toJSDate(), end: at(today, window.end).toJSDate() };
  }
  return null;
}

export function insideWindow(instant: Date, window: DailyWindow | null, zone: string): boolean {
  return window !== null && windowAround(instant, window, zone) !== null;
}

/** `instant` itself when it is outside the window, else the moment the window ends. */
export function deferPastWindow(instant: Date, window: DailyWindow | null, zone: string): Date {
  if (!window) return instant;
  return windowAround(instant, window, zone)?.end ?? instant;
}

export type ReminderPlacement = "on-time" | "evening-before" | "next-morning";

export type ReminderPlan =
  | { send: true; at: Date; placement: ReminderPlacement }
  | { send: false; reason: "window-passed" | "appointment-started" | "night" };

/**
 * Where a reminder goes, decided when the appointment is booked or moved.
 * It is due `minutesBefore` the start; a window already past when the booking
 * is made is skipped (the booking confirmation has just gone). A reminder due
 * in the customer's night goes, in order of preference:
 *   1. at the end of the evening before (EVENING_SEND_MINUTES_BEFORE_NIGHT
 *      before the night starts), if that is still in the future and no earlier
 *      than REMINDER_EARLIEST_FACTOR x its lead time before the start;
 *   2. otherwise when the night ends, if that is before the appointment;
 *   3. otherwise not at all.
 */
export function planReminder(input: {
  start: Date;
  minutesBefore: number;
  night: DailyWindow | null;
  zone: string;
  now: Date;
}): ReminderPlan {
  const due = new Date(input.start.getTime() - input.minutesBefore * 60_000);
  if (due.getTime() <= input.now.getTime()) return { send: false, reason: "window-passed" };
  return placeReminder({ ...input, due });
}

/**
 * The same rule from a given due time, which may be now or past: used again
 * when the reminder is about to be sent, in case the job ran late into the night.
 */
export function placeReminder(input: {
  due: Date;
  start: Date;
  minutesBefore: number;
  night: DailyWindow | null;
  zone: string;
  now: Date;
}): ReminderPlan {
  const { start, night, zone, now } = input;
  const due = new Date(Math.max(input.due.getTime(), now.getTime()));
  if (start.getTime() <= due.getTime()) return { send: false, reason: "appointment-started" };
  const dark = night ? windowAround(due, night, zone) : null;
  if (!dark) return { send: true, at: due, placement: "on-time" };
  const evening = new Date(dark.start.getTime() - EVENING_SEND_MINUTES_BEFORE_NIGHT * 60_000);
  const earliest = start.getTime() - REMINDER_EARLIEST_FACTOR * input.minutesBefore * 60_000;
  if (evening.getTime() > now.getTime() && evening.getTime() >= earliest) {
    return { send: true, at: evening, placement: "evening-before" };
  }
  if (dark.end.getTime() < start.getTime()) {
    return { send: true, at: dark.end, placement: "next-morning" };
  }
  return { send: false, reason: "night" };
}

/** Whether `instant` falls on today's or tomorrow's local date, as seen at `now`. */
export function isTodayOrTomorrow(instant: Date, now: Date, zone: string): boolean {
  const day = DateTime.fromJSDate(instant, { zone }).startOf("day");
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  const diff = Math.round(day.diff(today, "days").days);
  return diff === 0 || diff === 1;
}
