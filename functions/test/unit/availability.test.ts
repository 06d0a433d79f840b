import { strict as assert } from "node:assert";
import { DateTime } from "luxon";
import type { Business, Service } from "../../src/domain/business/business";
import { serviceById } from "../../src/domain/business/business";
import { lockGranulesFor } from "../../src/domain/scheduling/appointment";
import { areaOf, travelMinutesBetween } from "../../src/domain/scheduling/area";
import {
  availableSlots,
  blockedIntervals,
  BookedJob,
  BusyPeriod,
  describeSlot,
  Slot,
  spokenTime,
  spreadOffers,
} from "../../src/domain/scheduling/availability";
import { aBusiness, openEveryDay } from "../support/call-fixtures";

const LONDON = "Europe/London";
const NEW_YORK = "America/New_York";

/** A wall-clock time in a zone, as the instant the code works with. */
function at(local: string, zone = LONDON): Date {
  const parsed = DateTime.fromISO(local, { zone });
  if (!parsed.isValid) throw new Error(`bad test time ${local}`);
  return parsed.toJSDate();
}

function service(business: Business, id: string): Service {
  const found = serviceById(business, id);
  if (!found) throw new Error(`no service ${id}`);
  return found;
}

/** Every slot as local "yyyy-MM-dd HH:mm" in the business's zone. */
function localStarts(slots: Iterable<Slot>, zone = LONDON): string[] {
  return [...slots].map((s) => DateTime.fromJSDate(s.start, { zone }).toFormat("yyyy-MM-dd HH:mm"));
}

function slotsOn(
  day: string,
  options: {
    business?: Business;
    serviceId?: string;
    now?: Date;
    busy?: BusyPeriod[];
    exclude?: Date[];
    jobs?: BookedJob[];
    area?: string | null;
  } = {},
): string[] {
  const business = options.business ?? aBusiness();
  const zone = business.timeZone;
  const all = availableSlots({
    business,
    service: service(business, options.serviceId ?? "dripping-tap"),
    // Far enough ahead that the lead time never matters unless a test sets now.
    now: options.now ?? at("2026-11-20T06:00", zone),
    busy: options.busy ?? [],
    exclude: options.exclude,
    jobs: options.jobs,
    area: options.area,
  });
  return localStarts(all, zone)
    .filter((s) => s.startsWith(day))
    .map((s) => s.slice(11));
}

describe("availability", () => {
  describe("on a weekday with a lunch break (Bristol, Wednesday 25 November 2026)", () => {
    const wednesday = slotsOn("2026-11-25");

    it("starts at opening time and steps on the 30-minute grid", () => {
      assert.deepEqual(wednesday.slice(0, 3), ["08:00", "08:30", "09:00"]);
    });

    it("only offers a morning start that finishes by 12:30", () => {
      const morning = wednesday.filter((t) => t < "12:30");
      assert.equal(morning[morning.length - 1], "11:30");
      assert.ok(!wednesday.includes("12:00"), "an hour from 12:00 runs into lunch");
    });

    it("restarts the grid when the afternoon opens at 13:15", () => {
      assert.ok(!wednesday.includes("12:30") && !wednesday.includes("13:00"));
      assert.deepEqual(
        wednesday.filter((t) => t > "12:30"),
        ["13:15", "13:45", "14:15", "14:45", "15:15", "15:45", "16:15"],
      );
    });

    it("fits a longer job before close: a 90-minute boiler service starts no later than 11:00 and 15:45", () => {
      const boiler = slotsOn("2026-11-25", { serviceId: "boiler-service" });
      assert.equal(boiler.filter((t) => t < "12:30").pop(), "11:00");
      assert.equal(boiler.pop(), "15:45");
    });
  });

  describe("on the short days", () => {
    it("stops an hour's job by Friday's 16:00 close", () => {
      assert.equal(slotsOn("2026-11-27").pop(), "14:45");
    });

    it("offers the Saturday half day only", () => {
      assert.deepEqual(slotsOn("2026-11-28"), ["09:00", "09:30", "10:00", "10:30", "11:00"]);
    });

    it("offers nothing on a Sunday, when Bristol Plumbing is closed", () => {
      assert.deepEqual(slotsOn("2026-11-29"), []);
      assert.ok(slotsOn("2026-11-30").length > 0, "Monday opens again");
    });
  });

  describe("lead time and horizon", () => {
    it("offers nothing sooner than two hours after the call", () => {
      const today = slotsOn("2026-11-25", { now: at("2026-11-25T10:00") });
      assert.equal(today[0], "13:15", "12:00 is the earliest, and 12:00 cannot fit before lunch");
    });

    it("offers a slot exactly at the lead time", () => {
      const today = slotsOn("2026-11-25", { now: at("2026-11-25T07:00") });
      assert.equal(today[0], "09:00");
    });

    it("offers nothing past the booking horizon", () => {
      const business = aBusiness({
        booking: { ...aBusiness().booking, horizonDays: 2 },
      });
      const all = localStarts(
        availableSlots({
          business,
          service: service(business, "dripping-tap"),
          now: at("2026-11-25T06:00"),
          busy: [],
        }),
      );
      const days = [...new Set(all.map((s) => s.slice(0, 10)))];
      assert.deepEqual(days, ["2026-11-25", "2026-11-26", "2026-11-27"]);
    });

    it("counts the grid from each opening time with a different step", () => {
      const business = aBusiness({
        booking: { ...aBusiness().booking, slotStepMinutes: 45 },
      });
      assert.deepEqual(slotsOn("2026-11-28", { business }), ["09:00", "09:45", "10:30"]);
    });
  });

  describe("with jobs already in the diary", () => {
    const busy = [{ start: at("2026-11-25T09:00"), end: at("2026-11-25T10:00") }];

    it("skips every start that would overlap a booked job", () => {
      const day = slotsOn("2026-11-25", { busy });
      for (const clash of ["08:30", "09:00", "09:30"]) assert.ok(!day.includes(clash), clash);
    });

    it("allows a job that ends as another starts, or starts as it ends", () => {
      const day = slotsOn("2026-11-25", { busy });
      assert.ok(day.includes("08:00"), "08:00-09:00 touches 09:00");
      assert.ok(day.includes("10:00"), "10:00 starts as the booked job ends");
    });

    it("skips starts the caller already turned down", () => {
      const day = slotsOn("2026-11-25", {
        exclude: [at("2026-11-25T08:00"), at("2026-11-25T13:15")],
      });
      assert.equal(day[0], "08:30");
      assert.ok(!day.includes("13:15"));
      assert.ok(day.includes("13:45"));
    });
  });

  describe("when the clocks go forward (Sunday 28 March 2027)", () => {
    // Easter Monday 29 March is a bank holiday in the seed; open it here to see the clock.
    const business = aBusiness({
      hours: openEveryDay(),
      booking: { ...aBusiness().booking, closedDates: [] },
    });
    const slots = [
      ...availableSlots({
        business,
        service: service(business, "dripping-tap"),
        now: new Date("2027-03-27T12:00:00Z"),
        busy: [],
      }),
    ];
    const firstOn = (date: string) =>
      slots.find((s) => DateTime.fromJSDate(s.start, { zone: LONDON }).toISODate() === date);

    it("opens Sunday at 08:00 British Summer Time, which is 07:00 UTC", () => {
      assert.equal(firstOn("2027-03-28")?.start.toISOString(), "2027-03-28T07:00:00.000Z");
    });

    it("opens the Monday after at 08:00 local = 07:00Z", () => {
      assert.equal(firstOn("2027-03-29")?.start.toISOString(), "2027-03-29T07:00:00.000Z");
    });

    it("keeps the last start of the changeover day at 16:30 local", () => {
      const sunday = localStarts(slots).filter((s) => s.startsWith("2027-03-28"));
      assert.equal(sunday.pop(), "2027-03-28 16:30");
      assert.equal(sunday.length, 17, "a full day of starts, none lost to the shorter day");
    });

    it("says a slot is tomorrow although the night is an hour short", () => {
      const said = describeSlot(
        new Date("2027-03-28T07:00:00Z"),
        new Date("2027-03-27T23:30:00Z"),
        LONDON,
      );
      assert.equal(said, "tomorrow, Sunday, at 8 am");
    });
  });

  describe("when the clocks go back (Sunday 25 October 2026)", () => {
    const business = aBusiness({ hours: openEveryDay() });
    const slots = [
      ...availableSlots({
        business,
        service: service(business, "dripping-tap"),
        now: new Date("2026-10-24T12:00:00Z"),
        busy: [],
      }),
    ];
    const firstOn = (date: string) =>
      slots.find((s) => DateTime.fromJSDate(s.start, { zone: LONDON }).toISODate() === date);

    it("still opens Saturday at 08:00 summer time (07:00Z)", () => {
      const saturday = [
        ...availableSlots({
          business,
          service: service(business, "dripping-tap"),
          now: new Date("2026-10-23T12:00:00Z"),
          busy: [],
        }),
      ].find((s) => DateTime.fromJSDate(s.start, { zone: LONDON }).toISODate() === "2026-10-24");
      assert.equal(saturday?.start.toISOString(), "2026-10-24T07:00:00.000Z");
    });

    it("opens Sunday at 08:00 Greenwich Mean Time, which is 08:00 UTC", () => {
      assert.equal(firstOn("2026-10-25")?.start.toISOString(), "2026-10-25T08:00:00.000Z");
    });

    it("opens the Monday after at 08:00 local = 08:00Z", () => {
      assert.equal(firstOn("2026-10-26")?.start.toISOString(), "2026-10-26T08:00:00.000Z");
    });
  });

  describe("for a tenant in New York", () => {
    const business = aBusiness({
      id: "brooklyn-plumbing",
      timeZone: NEW_YORK,
      defaultCountry: "US",
      hours: {
        "1": [{ open: "09:00", close: "17:00" }],
        "2": [{ open: "09:00", close: "17:00" }],
        "3": [{ open: "09:00", close: "17:00" }],
        "4": [{ open: "09:00", close: "17:00" }],
        "5": [{ open: "09:00", close: "17:00" }],
        "6": [],
        "7": [],
      },
    });
    const slotsFrom = (now: Date) =>
      availableSlots({ business, service: service(business, "dripping-tap"), now, busy: [] });

    it("opens at 9 am Eastern (14:00Z in winter), not at 9 am in London", () => {
      const first = slotsFrom(new Date("2026-11-25T12:00:00Z")).next().value;
      assert.equal(first?.start.toISOString(), "2026-11-25T14:00:00.000Z");
    });

    it("follows the US clock change, three weeks before the UK's", () => {
      // Monday 15 March 2027: New York is on daylight time, London is not yet.
      const first = slotsFrom(new Date("2027-03-15T10:00:00Z")).next().value;
      assert.equal(first?.start.toISOString(), "2027-03-15T13:00:00.000Z");
    });

    it("spreads offers by the New York half-day, not the UTC one", () => {
      // 11:30 am Eastern is 16:30Z: still a morning for the caller.
      const morning = {
        start: at("2026-11-25T11:30", NEW_YORK),
        end: at("2026-11-25T12:30", NEW_YORK),
      };
      const later = {
        start: at("2026-11-25T11:45", NEW_YORK),
        end: at("2026-11-25T12:45", NEW_YORK),
      };
      const afternoon = {
        start: at("2026-11-25T13:00", NEW_YORK),
        end: at("2026-11-25T14:00", NEW_YORK),
      };
      assert.deepEqual(spreadOffers([morning, later, afternoon], 3, NEW_YORK), [
        morning,
        afternoon,
      ]);
    });
  });

  describe("at the end of the month and year", () => {
    const business = aBusiness({ booking: { ...aBusiness().booking, closedDates: [] } });
    const now = at("2026-12-31T16:00");
    const slots = [
      ...availableSlots({ business, service: service(business, "dripping-tap"), now, busy: [] }),
    ];

    it("moves from 31 December to 1 January 2027 once the day is over", () => {
      assert.equal(localStarts(slots)[0], "2027-01-01 08:00");
    });

    it("calls New Year's Day tomorrow", () => {
      assert.equal(describeSlot(slots[0].start, now, LONDON), "tomorrow, Friday, at 8 am");
    });

    it("keeps offering into January up to the horizon", () => {
      const last = localStarts(slots).pop() ?? "";
      assert.ok(last.startsWith("2027-01-14"), last);
    });
  });
});

describe("spreading offers", () => {
  const business = aBusiness();
  const now = at("2026-11-25T06:00");
  const slots = () =>
    availableSlots({ business, service: service(business, "dripping-tap"), now, busy: [] });

  it("gives the earliest slot, then the first of each later half-day", () => {
    const offers = localStarts(spreadOffers(slots(), 3, LONDON));
    assert.deepEqual(offers, ["2026-11-25 08:00", "2026-11-25 13:15", "2026-11-26 08:00"]);
  });

  it("never offers two times in the same half-day", () => {
    const offers = spreadOffers(slots(), 5, LONDON).map((s) => {
      const local = DateTime.fromJSDate(s.start, { zone: LONDON });
      return `${local.toISODate()} ${local.hour < 12 ? "am" : "pm"}`;
    });
    assert.equal(new Set(offers).size, 5);
  });

  it("offers fewer than asked when the diary has fewer half-days free", () => {
    const only = [{ start: at("2026-11-25T08:00"), end: at("2026-11-25T09:00") }];
    assert.deepEqual(spreadOffers(only, 3, LONDON), only);
    assert.deepEqual(spreadOffers([], 3, LONDON), []);
  });
});

describe("describing a slot", () => {
  const now = at("2026-11-25T10:00");

  it("says today for later the same day", () => {
    assert.equal(describeSlot(at("2026-11-25T13:15"), now, LONDON), "today at 1:15 pm");
  });

  it("says tomorrow for the next day", () => {
    assert.equal(describeSlot(at("2026-11-26T08:00"), now, LONDON), "tomorrow, Thursday, at 8 am");
  });

  it("gives only the day and date further ahead", () => {
    assert.equal(
      describeSlot(at("2026-11-27T14:30"), now, LONDON),
      "Friday 27 November at 2:30 pm",
    );
  });

  it("counts days on the business's clock: 00:30 in London is already tomorrow there", () => {
    // 23:30 UTC on 30 June is 00:30 on 1 July in London.
    assert.equal(
      describeSlot(at("2026-07-01T08:00"), new Date("2026-06-30T23:30:00Z"), LONDON),
      "today at 8 am",
    );
  });

  it("speaks noon and midnight the way people say them", () => {
    const spoken = (t: string) => spokenTime(DateTime.fromISO(`2026-11-25T${t}`, { zone: LONDON }));
    assert.equal(spoken("12:00"), "12 pm");
    assert.equal(spoken("00:30"), "12:30 am");
    assert.equal(spoken("13:05"), "1:05 pm");
    assert.equal(spoken("09:00"), "9 am");
  });
});

describe("lock granules", () => {
  it("claims each 15-minute granule of an hour's job", () => {
    assert.deepEqual(
      lockGranulesFor(new Date("2026-11-26T10:00:00Z"), new Date("2026-11-26T11:00:00Z")),
      ["2026-11-26T10:00Z", "2026-11-26T10:15Z", "2026-11-26T10:30Z", "2026-11-26T10:45Z"],
    );
  });

  it("claims whole granules for times off the 15-minute grid", () => {
    assert.deepEqual(
      lockGranulesFor(new Date("2026-11-26T10:10:00Z"), new Date("2026-11-26T10:20:00Z")),
      ["2026-11-26T10:00Z", "2026-11-26T10:15Z"],
    );
  });

  it("does not claim the granule a job ends on, so back-to-back jobs both fit", () => {
    const first = lockGranulesFor(
      new Date("2026-11-26T09:00:00Z"),
      new Date("2026-11-26T10:00:00Z"),
    );
    const second = lockGranulesFor(
      new Date("2026-11-26T10:00:00Z"),
      new Date("2026-11-26T11:00:00Z"),
    );
    assert.deepEqual(
      first.filter((g) => second.includes(g)),
      [],
    );
  });

  it("gives overlapping jobs at least one granule in common", () => {
    const first = lockGranulesFor(
      new Date("2026-11-26T09:00:00Z"),
      new Date("2026-11-26T10:30:00Z"),
    );
    const second = lockGranulesFor(
      new Date("2026-11-26T10:15:00Z"),
      new Date("2026-11-26T11:15:00Z"),
    );
    assert.deepEqual(
      first.filter((g) => second.includes(g)),
      ["2026-11-26T10:15Z"],
    );
  });

  it("names granules in UTC across midnight and the year end", () => {
    assert.deepEqual(
      lockGranulesFor(new Date("2026-12-31T23:45:00Z"), new Date("2027-01-01T00:15:00Z")),
      ["2026-12-31T23:45Z", "2027-01-01T00:00Z"],
    );
  });

  it("refuses an empty or backwards range", () => {
    const t = new Date("2026-11-26T10:00:00Z");
    assert.throws(() => lockGranulesFor(t, t), RangeError);
    assert.throws(() => lockGranulesFor(t, new Date("2026-11-26T09:00:00Z")), RangeError);
  });

  it("refuses invalid dates rather than claiming nothing", () => {
    const t = new Date("2026-11-26T10:00:00Z");
    assert.throws(() => lockGranulesFor(new Date("not a date"), t), RangeError);
    assert.throws(() => lockGranulesFor(t, new Date(Number.NaN)), RangeError);
  });
});

describe("the scheduling policy", () => {
  const base = aBusiness();
  const withBooking = (booking: Partial<Business["booking"]>) =>
    aBusiness({ booking: { ...base.booking, ...booking } });
  const withService = (id: string, changes: Partial<Service>) =>
    aBusiness({ services: base.services.map((s) => (s.id === id ? { ...s, ...changes } : s)) });
  const job = (start: string, end: string, area: string | null, bufferMinutes = 0): BookedJob => ({
    start: at(start),
    end: at(end),
    bufferMinutes,
    area,
  });

  describe("on closed dates", () => {
    it("offers nothing on the seed's bank holidays: Christmas, the Boxing Day substitute, New Year", () => {
      const now = at("2026-12-23T06:00");
      for (const day of ["2026-12-25", "2026-12-28", "2027-01-01"]) {
        assert.deepEqual(slotsOn(day, { now }), [], day);
      }
      assert.ok(slotsOn("2026-12-29", { now }).length > 0, "open again on the 29th");
    });

    it("moves from New Year's Eve to the first open day, Saturday 2 January", () => {
      const first = availableSlots({
        business: base,
        service: service(base, "dripping-tap"),
        now: at("2026-12-31T16:00"),
        busy: [],
      }).next().value;
      assert.equal(first && localStarts([first])[0], "2027-01-02 09:00");
    });
  });

  describe("with a same-day cut-off at 12:00", () => {
    const business = withBooking({ sameDayCutoff: "12:00", minLeadMinutes: 60 });

    it("still books the same day when the call comes before the cut-off", () => {
      assert.equal(slotsOn("2026-11-25", { business, now: at("2026-11-25T11:59") })[0], "13:15");
    });

    it("books nothing more that day once the cut-off has passed", () => {
      assert.deepEqual(slotsOn("2026-11-25", { business, now: at("2026-11-25T12:00") }), []);
      assert.equal(slotsOn("2026-11-26", { business, now: at("2026-11-25T12:00") })[0], "08:00");
    });
  });

  describe("with at most two jobs a day", () => {
    const business = withBooking({ maxJobsPerDay: 2 });

    it("offers nothing more on a day that has two jobs already", () => {
      const jobs = [
        job("2026-11-25T08:00", "2026-11-25T09:00", "BS1"),
        job("2026-11-25T15:00", "2026-11-25T16:00", "BS1"),
      ];
      assert.deepEqual(slotsOn("2026-11-25", { business, jobs }), []);
      assert.equal(slotsOn("2026-11-26", { business, jobs })[0], "08:00");
    });

    it("still offers a day with one job", () => {
      const jobs = [job("2026-11-25T08:00", "2026-11-25T09:00", "BS1")];
      assert.equal(slotsOn("2026-11-25", { business, jobs, area: "BS1" })[0], "09:00");
    });
  });

  describe("with buffers after jobs", () => {
    it("keeps a booked job's clean-up free: a 15-minute buffer after 08:00-09:00 moves the next start to 09:30", () => {
      const jobs = [job("2026-11-25T08:00", "2026-11-25T09:00", "BS1", 15)];
      const day = slotsOn("2026-11-25", { jobs, area: "BS1" });
      assert.ok(!day.includes("09:00"));
      assert.equal(day[0], "09:30");
    });

    it("keeps the new job's own buffer clear of the next job", () => {
      const business = withService("dripping-tap", { bufferMinutes: 30 });
      const jobs = [job("2026-11-25T10:00", "2026-11-25T11:00", "BS1")];
      const day = slotsOn("2026-11-25", { business, jobs, area: "BS1" });
      assert.ok(day.includes("08:30"), "08:30-09:30, buffer to 10:00");
      assert.ok(!day.includes("09:00"), "09:00-10:00 leaves no time for its buffer");
    });

    it("lets the buffer of the day's last job run past closing", () => {
      const business = withService("dripping-tap", { bufferMinutes: 30 });
      assert.equal(
        slotsOn("2026-11-25", { business }).pop(),
        "16:15",
        "16:15-17:15, as without one",
      );
    });
  });

  describe("with travel between areas (seed zones: central 15, north 15, east 30; unknown 30)", () => {
    const tenToEleven = [job("2026-11-25T10:00", "2026-11-25T11:00", "BS1")];

    it("lets jobs in the same district or zone run back to back", () => {
      for (const area of ["BS1", "BS8"]) {
        const day = slotsOn("2026-11-25", { jobs: tenToEleven, area });
        assert.ok(day.includes("09:00") && day.includes("11:00"), area);
      }
    });

    it("leaves the travel time between zones before and after the other job", () => {
      const day = slotsOn("2026-11-25", { jobs: tenToEleven, area: "BS5" });
      assert.ok(!day.includes("09:00") && !day.includes("11:00"), "30 minutes to and from east");
      assert.ok(day.includes("08:30") && day.includes("11:30"));
    });

    it("uses the larger zone's minutes, and the default when an address has no postcode", () => {
      const north = slotsOn("2026-11-25", { jobs: tenToEleven, area: "BS6" });
      assert.ok(
        !north.includes("11:00") && north.includes("11:30"),
        "15 minutes, on a 30-minute grid",
      );
      const unknown = slotsOn("2026-11-25", { jobs: tenToEleven, area: null });
      assert.ok(!unknown.includes("11:00") && unknown.includes("11:30"));
    });

    it("reads the area from an address: UK district, outward code alone, US ZIP", () => {
      assert.equal(areaOf("14 Cotham Road, Bristol BS6 6DR"), "BS6");
      assert.equal(areaOf("Flat 2, 41 Whiteladies Road, Bristol bs8 2ls."), "BS8");
      assert.equal(areaOf("3 Gloucester Road, Bristol BS7"), "BS7");
      assert.equal(areaOf("120 Court Street, Brooklyn, NY 11201"), "11201");
      assert.equal(areaOf("22 Park Street"), null);
      assert.equal(areaOf(undefined), null);
    });

    it("finds travel minutes by zone", () => {
      const travel = base.booking.travel;
      assert.equal(travelMinutesBetween(travel, "BS1", "BS1"), 0);
      assert.equal(travelMinutesBetween(travel, "BS1", "BS8"), 0);
      assert.equal(travelMinutesBetween(travel, "BS1", "BS6"), 15);
      assert.equal(travelMinutesBetween(travel, "BS6", "BS4"), 30);
      assert.equal(travelMinutesBetween(travel, "BS1", "GL1"), 30);
      assert.equal(travelMinutesBetween(travel, null, null), 30);
    });
  });

  describe("with service constraints", () => {
    it("starts no earlier than earliestStart and no later than latestStart", () => {
      const business = withService("dripping-tap", {
        earliestStart: "10:00",
        latestStart: "14:00",
      });
      const day = slotsOn("2026-11-25", { business });
      assert.equal(day[0], "10:00");
      assert.equal(day.pop(), "13:45");
    });

    it("offers a bathroom quote on weekdays only, starting by 15:00 (the seed's profile)", () => {
      assert.deepEqual(slotsOn("2026-11-28", { serviceId: "bathroom-quote" }), []);
      assert.equal(slotsOn("2026-11-27", { serviceId: "bathroom-quote" }).pop(), "14:45");
    });
  });

  describe("with calendar busy time and other callers' holds as plain busy time", () => {
    it("skips starts overlapping any of them, unsorted and overlapping each other", () => {
      const busy = [
        { start: at("2026-11-25T14:00"), end: at("2026-11-25T15:00") },
        { start: at("2026-11-25T08:00"), end: at("2026-11-25T08:45") },
        { start: at("2026-11-25T14:30"), end: at("2026-11-25T15:30") },
      ];
      const day = slotsOn("2026-11-25", { busy });
      assert.equal(day[0], "09:00");
      assert.ok(!day.includes("14:15") && !day.includes("15:15"));
      assert.ok(day.includes("13:15") === false, "13:15-14:15 overlaps 14:00");
      assert.ok(day.includes("15:45"));
    });
  });

  describe("compared with checking every busy period for every candidate", () => {
    it("gives exactly the same slots for a crowded random diary", () => {
      let seed = 42;
      const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
      const from = at("2026-11-25T06:00").getTime();
      const jobs: BookedJob[] = Array.from({ length: 300 }, () => {
        const start = from + Math.floor(random() * 14 * 96) * 15 * 60_000;
        return {
          start: new Date(start),
          end: new Date(start + (1 + Math.floor(random() * 6)) * 15 * 60_000),
          bufferMinutes: random() < 0.5 ? 15 : 0,
          area: ["BS1", "BS6", "BS5", null][Math.floor(random() * 4)],
        };
      });
      const query = {
        // No daily limit here: only the busy-time check is being compared.
        business: withBooking({ maxJobsPerDay: undefined }),
        service: service(base, "boiler-service"),
        now: new Date(from),
        busy: [{ start: at("2026-11-26T12:00"), end: at("2026-11-26T16:00") }],
        jobs,
        area: "BS6",
      };
      const fast = localStarts(availableSlots(query));
      const blocked = blockedIntervals(query);
      const naive = localStarts(
        [...availableSlots({ ...query, busy: [], jobs: [] })].filter(
          (s) =>
            !blocked.some(
              ([b0, b1]) => b0 < s.end.getTime() + 15 * 60_000 && b1 > s.start.getTime(),
            ),
        ),
      );
      assert.ok(naive.length > 10, "the diary still has room");
      assert.deepEqual(fast, naive);
    });
  });
});
