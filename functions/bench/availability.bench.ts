/**
 * Time to compute a caller's offers for a busy tenant: 1,000 booked jobs
 * (with buffers and travel between areas) and 300 calendar busy blocks over
 * a 60-day horizon, beside a baseline measured in the same run: the same
 * slots found by checking every busy span for every candidate (the naive
 * scan the sweep replaced). Pure computation; no Firestore.
 * Run alone: node lib/bench/availability.bench.js (also part of npm run bench).
 */
import { performance } from "node:perf_hooks";
import type { Business } from "../src/domain/business/business";
import { areaOf } from "../src/domain/scheduling/area";
import {
  availableSlots,
  AvailabilityQuery,
  blockedIntervals,
  BookedJob,
  BusyPeriod,
  Slot,
} from "../src/domain/scheduling/availability";
import { rankOffers } from "../src/domain/scheduling/offers";
import { parseTimePreference } from "../src/domain/scheduling/time-preference";
import { aBusiness } from "../test/support/call-fixtures";

const JOBS = 1_000;
const CALENDAR_BLOCKS = 300;
const HORIZON_DAYS = 60;
const NOW = new Date("2026-11-25T07:00:00Z");
const ADDRESSES = [
  "1 Park Street, Bristol BS1 5HX",
  "14 Cotham Road, Bristol BS6 6DR",
  "9 Brook Road, Bristol BS5 7EX",
  "41 Whiteladies Road, Bristol BS8 2LS",
  "2 Hareclive Road, Bristol BS13 0JP",
  "22 Somewhere Lane",
];

/** A small deterministic generator, so every run measures the same diary. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

function busyTenant(): { business: Business; jobs: BookedJob[]; calendar: BusyPeriod[] } {
  const seed = aBusiness();
  const openAllWeek = { open: "07:00", close: "20:00" };
  const business = aBusiness({
    hours: Object.fromEntries(
      ["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [openAllWeek]]),
    ) as Business["hours"],
    booking: {
      ...seed.booking,
      slotStepMinutes: 15,
      horizonDays: HORIZON_DAYS,
      maxJobsPerDay: undefined,
      closedDates: [],
    },
  });
  const random = seeded(7);
  const quarter = 15 * 60_000;
  const horizonQuarters = HORIZON_DAYS * 96;
  const jobs: BookedJob[] = Array.from({ length: JOBS }, () => {
    const start = NOW.getTime() + Math.floor(random() * horizonQuarters) * quarter;
    const service = business.services[Math.floor(random() * business.services.length)];
    return {
      start: new Date(start),
      end: new Date(start + service.durationMinutes * 60_000),
      bufferMinutes: service.bufferMinutes ?? 0,
      area: areaOf(ADDRESSES[Math.floor(random() * ADDRESSES.length)]),
    };
  });
  const calendar: BusyPeriod[] = Array.from({ length: CALENDAR_BLOCKS }, () => {
    const start = NOW.getTime() + Math.floor(random() * horizonQuarters) * quarter;
    return {
      start: new Date(start),
      end: new Date(start + (1 + Math.floor(random() * 8)) * quarter),
    };
  });
  return { business, jobs, calendar };
}

/** The slots of the query by the naive rule: each candidate against every blocked span. */
function naiveSlots(query: AvailabilityQuery): Slot[] {
  const blocked = blockedIntervals(query);
  const bufferMs = (query.service.bufferMinutes ?? 0) * 60_000;
  return [...availableSlots({ ...query, busy: [], jobs: [] })].filter(
    (s) => !blocked.some(([b0, b1]) => b0 < s.end.getTime() + bufferMs && b1 > s.start.getTime()),
  );
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(iterations: number, run: () => unknown): number {
  for (let i = 0; i < 3; i++) run(); // warm the JIT
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

export function benchAvailability(iterations = 30): string[] {
  const { business, jobs, calendar } = busyTenant();
  const service = business.services.find((s) => s.id === "boiler-service") ?? business.services[0];
  const query: AvailabilityQuery = {
    business,
    service,
    now: NOW,
    busy: calendar,
    jobs,
    area: "BS6",
  };
  const options = { count: 3, timeZone: business.timeZone, now: NOW };
  // A wish nothing fits (the business never opens at 6 am) makes the offer scan the whole horizon.
  const impossible = parseTimePreference("before 6 am", NOW, business.timeZone) ?? undefined;

  const all = [...availableSlots(query)];
  const naive = naiveSlots(query);
  if (all.length !== naive.length) throw new Error("the sweep and the naive scan disagree");

  const firstOffers = time(iterations, () => rankOffers(availableSlots(query), options));
  const wholeHorizon = time(iterations, () => [...availableSlots(query)]);
  const nearest = time(iterations, () =>
    rankOffers(availableSlots(query), { ...options, preference: impossible }),
  );
  const baseline = time(Math.max(3, Math.floor(iterations / 5)), () => naiveSlots(query));
  const sortOnly = time(iterations, () => blockedIntervals(query));

  const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
  return [
    `Availability: ${JOBS} booked jobs + ${CALENDAR_BLOCKS} calendar blocks over ${HORIZON_DAYS} days, ` +
      `15-minute grid, ${all.length} free ${service.durationMinutes}-minute slots (median of ${iterations}):`,
    `  first offers (the usual call)          ${fmt(firstOffers)}`,
    `  every free slot in the horizon (sweep) ${fmt(wholeHorizon)}`,
    `  nearest offers to a wish nothing fits  ${fmt(nearest)}`,
    `Baseline, same run: every candidate checked against every busy span: ${fmt(baseline)}` +
      ` (${(baseline / wholeHorizon).toFixed(1)}x the sweep); sorting and merging the busy time alone: ${fmt(sortOnly)}`,
  ];
}

if (require.main === module) {
  for (const line of benchAvailability()) console.log(line);
}
