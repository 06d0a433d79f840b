import { strict as assert } from "node:assert";
import { DateTime } from "luxon";
import type { Business, Service } from "../../src/domain/business/business";
import { serviceById } from "../../src/domain/business/business";
import { lockGranulesFor } from "../../src/domain/scheduling/appointment";
import {
  availableSlots,
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
    const business = aBusiness({ hours: openEveryDay() });
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
    const business = aBusiness();
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
