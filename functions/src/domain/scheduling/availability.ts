import { DateTime } from "luxon";
import type { Business, OpeningPeriod, Service, Weekday } from "../business/business";

/** A start time the business could offer, as UTC instants. */
export interface Slot {
  start: Date;
  end: Date;
}

export interface BusyPeriod {
  start: Date;
  end: Date;
}

export interface AvailabilityQuery {
  business: Business;
  service: Service;
  now: Date;
  busy: readonly BusyPeriod[];
  /** Starts already offered and turned down; skipped. */
  exclude?: readonly Date[];
}

/**
 * Every slot, in time order, where the service fits inside one opening
 * period of the business's wall-clock day, starts after the lead time, and
 * overlaps nothing busy. Wall-clock times go through luxon in the business's
 * zone, so a day with a daylight-saving change still opens at its local time.
 */
export function* availableSlots(query: AvailabilityQuery): Generator<Slot> {
  const { business, service, now, busy } = query;
  const zone = business.timeZone;
  const policy = business.booking;
  const earliest = now.getTime() + policy.minLeadMinutes * 60_000;
  const excluded = new Set((query.exclude ?? []).map((d) => d.getTime()));
  const durationMs = service.durationMinutes * 60_000;
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");

  for (let dayOffset = 0; dayOffset <= policy.horizonDays; dayOffset++) {
    const day = today.plus({ days: dayOffset });
    const periods = business.hours[String(day.weekday) as Weekday] ?? [];
    for (const period of periods) {
      const { open, close } = periodOn(day, period);
      const stepMs = policy.slotStepMinutes * 60_000;
      for (let start = open; start + durationMs <= close; start += stepMs) {
        if (start < earliest || excluded.has(start)) continue;
        const end = start + durationMs;
        if (busy.some((b) => b.start.getTime() < end && b.end.getTime() > start)) continue;
        yield { start: new Date(start), end: new Date(end) };
      }
    }
  }
}

function periodOn(day: DateTime, period: OpeningPeriod): { open: number; close: number } {
  const at = (hhmm: string) => {
    const [hour, minute] = hhmm.split(":").map(Number);
    return day.set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
  };
  return { open: at(period.open), close: at(period.close) };
}

/**
 * A few well-spread choices rather than three back-to-back times: the
 * earliest slot, then the earliest in each later half-day, so the caller
 * hears different mornings, afternoons and days. Half-days of times the
 * caller turned down (`avoid`) are skipped: "none of those" should not be
 * answered with the same mornings half an hour later.
 */
export function spreadOffers(
  slots: Iterable<Slot>,
  count: number,
  timeZone: string,
  avoid: readonly Date[] = [],
): Slot[] {
  const offers: Slot[] = [];
  const halfDayOf = (start: Date) => {
    const local = DateTime.fromJSDate(start, { zone: timeZone });
    return `${local.toISODate()}-${local.hour < 12 ? "am" : "pm"}`;
  };
  const halfDaysUsed = new Set(avoid.map(halfDayOf));
  for (const slot of slots) {
    const halfDay = halfDayOf(slot.start);
    if (halfDaysUsed.has(halfDay)) continue;
    halfDaysUsed.add(halfDay);
    offers.push(slot);
    if (offers.length >= count) break;
  }
  return offers;
}

/** How a slot is spoken: "today at 1:15 pm", "tomorrow, Thursday, at 8 am", "Friday 27 November at 2:30 pm". */
export function describeSlot(start: Date, now: Date, timeZone: string): string {
  const local = DateTime.fromJSDate(start, { zone: timeZone });
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf("day");
  const days = Math.round(local.startOf("day").diff(today, "days").days);
  const time = spokenTime(local);
  if (days === 0) return `today at ${time}`;
  if (days === 1) return `tomorrow, ${local.toFormat("cccc")}, at ${time}`;
  return `${local.toFormat("cccc d LLLL")} at ${time}`;
}

export function spokenTime(local: DateTime): string {
  const hour12 = local.hour % 12 === 0 ? 12 : local.hour % 12;
  const suffix = local.hour < 12 ? "am" : "pm";
  return local.minute === 0
    ? `${hour12} ${suffix}`
    : `${hour12}:${String(local.minute).padStart(2, "0")} ${suffix}`;
}
