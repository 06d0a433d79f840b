import { DateTime } from "luxon";
import type { Business, OpeningPeriod, Service, Weekday } from "../business/business";
import { travelMinutesBetween } from "./area";

/** A start time the business could offer, as UTC instants. */
export interface Slot {
  start: Date;
  end: Date;
}

export interface BusyPeriod {
  start: Date;
  end: Date;
}

/** A job already in the diary, with what it needs around it. */
export interface BookedJob {
  start: Date;
  end: Date;
  /** Clean-up after it, from its service's profile. */
  bufferMinutes: number;
  /** Its postcode district or ZIP (areaOf its address), for travel time. */
  area: string | null;
}

export interface AvailabilityQuery {
  business: Business;
  service: Service;
  now: Date;
  /** Plain busy time: the owner's calendar, other callers' holds. */
  busy: readonly BusyPeriod[];
  /** Booked jobs: busy with their buffers and the travel to and from them, and counted per day. */
  jobs?: readonly BookedJob[];
  /** Where the new job is (areaOf its address), for travel time; null when unknown. */
  area?: string | null;
  /** Starts already offered and turned down; skipped. */
  exclude?: readonly Date[];
}

const MINUTE_MS = 60_000;

/**
 * Every slot, in time order, where the service fits inside one opening
 * period of the business's wall-clock day, starts after the lead time, on a
 * day the business takes bookings, within the service's own limits, and
 * where the job and its buffer overlap nothing busy: booked jobs (with their
 * buffers and the travel between areas), the calendar, other callers' holds.
 * Wall-clock times go through luxon in the business's zone, so a day with a
 * daylight-saving change still opens at its local time.
 *
 * Busy time is sorted and merged once, then swept with one cursor as the
 * candidates move forward: O((busy + candidates) log busy), not busy x candidates.
 */
export function* availableSlots(query: AvailabilityQuery): Generator<Slot> {
  const { business, service, now } = query;
  const zone = business.timeZone;
  const policy = business.booking;
  const earliest = now.getTime() + policy.minLeadMinutes * MINUTE_MS;
  const excluded = new Set((query.exclude ?? []).map((d) => d.getTime()));
  const durationMs = service.durationMinutes * MINUTE_MS;
  const occupiedMs = durationMs + (service.bufferMinutes ?? 0) * MINUTE_MS;
  const stepMs = policy.slotStepMinutes * MINUTE_MS;
  const closed = new Set(policy.closedDates);
  const timeline = new BusyTimeline(blockedIntervals(query));
  const jobsPerDay = new DayCounter(query.jobs ?? []);
  const nowLocal = DateTime.fromJSDate(now, { zone });
  const today = nowLocal.startOf("day");
  const pastSameDayCutoff =
    policy.sameDayCutoff !== undefined && nowLocal.toFormat("HH:mm") >= policy.sameDayCutoff;

  for (let dayOffset = 0; dayOffset <= policy.horizonDays; dayOffset++) {
    const day = today.plus({ days: dayOffset });
    if (dayOffset === 0 && pastSameDayCutoff) continue;
    if (closed.has(day.toISODate() ?? "")) continue;
    if (service.allowedWeekdays && !service.allowedWeekdays.includes(day.weekday)) continue;
    const periods = [...(business.hours[String(day.weekday) as Weekday] ?? [])].sort((a, b) =>
      a.open.localeCompare(b.open),
    );
    if (periods.length === 0) continue;
    if (policy.maxJobsPerDay !== undefined) {
      const jobs = jobsPerDay.between(day.toMillis(), day.plus({ days: 1 }).toMillis());
      if (jobs >= policy.maxJobsPerDay) continue;
    }
    const firstStart = service.earliestStart ? at(day, service.earliestStart) : -Infinity;
    const lastStart = service.latestStart ? at(day, service.latestStart) : Infinity;
    for (const period of periods) {
      const { open, close } = periodOn(day, period);
      for (let start = open; start + durationMs <= close; start += stepMs) {
        if (start < earliest || start < firstStart || excluded.has(start)) continue;
        if (start > lastStart) break;
        if (!timeline.isFree(start, start + occupiedMs)) continue;
        yield { start: new Date(start), end: new Date(start + durationMs) };
      }
    }
  }
}

/**
 * Every span a new job in `query.area` may not overlap, sorted by start and
 * merged. A booked job blocks from the travel time before it starts until
 * its buffer and the travel after it are over.
 */
export function blockedIntervals(query: AvailabilityQuery): Array<[number, number]> {
  const travel = query.business.booking.travel;
  const area = query.area ?? null;
  const travelTo = new Map<string | null, number>();
  const raw: Array<[number, number]> = query.busy.map((b) => [b.start.getTime(), b.end.getTime()]);
  for (const job of query.jobs ?? []) {
    let minutes = travelTo.get(job.area);
    if (minutes === undefined) {
      minutes = travelMinutesBetween(travel, job.area, area);
      travelTo.set(job.area, minutes);
    }
    raw.push([
      job.start.getTime() - minutes * MINUTE_MS,
      job.end.getTime() + (job.bufferMinutes + minutes) * MINUTE_MS,
    ]);
  }
  raw.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of raw) {
    if (!(end > start)) continue;
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Sorted, disjoint busy spans, asked about in time order with one forward-only cursor. */
class BusyTimeline {
  private cursor = 0;

  constructor(private readonly spans: ReadonlyArray<readonly [number, number]>) {}

  /** Whether [from, to) overlaps no span; `from` must not go backwards between calls. */
  isFree(from: number, to: number): boolean {
    while (this.cursor < this.spans.length && this.spans[this.cursor][1] <= from) this.cursor++;
    return this.cursor >= this.spans.length || this.spans[this.cursor][0] >= to;
  }
}

/** Counts jobs starting in [from, to), asked about in time order. */
class DayCounter {
  private readonly starts: number[];
  private cursor = 0;

  constructor(jobs: readonly BookedJob[]) {
    this.starts = jobs.map((j) => j.start.getTime()).sort((a, b) => a - b);
  }

  between(from: number, to: number): number {
    while (this.cursor < this.starts.length && this.starts[this.cursor] < from) this.cursor++;
    let count = 0;
    while (this.cursor + count < this.starts.length && this.starts[this.cursor + count] < to) {
      count++;
    }
    return count;
  }
}

function at(day: DateTime, hhmm: string): number {
  const [hour, minute] = hhmm.split(":").map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
}

function periodOn(day: DateTime, period: OpeningPeriod): { open: number; close: number } {
  return { open: at(day, period.open), close: at(day, period.close) };
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
