import { strict as assert } from "node:assert";
import { DateTime } from "luxon";
import { chooseOffers } from "../../src/domain/scheduling/offers";
import {
  describePreference,
  fitsPreference,
  parseTimePreference,
  TimePreference,
} from "../../src/domain/scheduling/time-preference";

const LONDON = "Europe/London";
// Wednesday 25 November 2026, 10:00 in Bristol.
const NOW = DateTime.fromISO("2026-11-25T10:00", { zone: LONDON }).toJSDate();

const hhmm = (m: number | undefined) =>
  m === undefined
    ? undefined
    : `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** The parts of a preference a reader checks: days, ruled-out weekdays, window, soonest. */
function read(speech: string, now = NOW, zone = LONDON) {
  const p = parseTimePreference(speech, now, zone);
  if (!p) return null;
  return {
    days: p.days?.join(" "),
    not: p.notWeekdays?.join(" "),
    after: hhmm(p.after),
    before: hhmm(p.before),
    soonest: p.soonest,
    said: describePreference(p),
  };
}

describe("reading when the caller would like the visit", () => {
  const table: Array<[string, Partial<NonNullable<ReturnType<typeof read>>>]> = [
    [
      "can someone come tomorrow morning",
      { days: "2026-11-26", before: "12:00", said: "tomorrow morning" },
    ],
    [
      "next Tuesday afternoon please",
      { days: "2026-12-01", after: "12:00", said: "next Tuesday afternoon" },
    ],
    ["any time after 3", { after: "15:00", said: "after 3 pm" }],
    ["after 10am on Friday", { days: "2026-11-27", after: "10:00", said: "Friday after 10 am" }],
    ["before noon", { before: "12:00", said: "before 12 pm" }],
    ["by half past 11", { before: "11:30" }],
    ["as soon as possible", { soonest: true, said: "as soon as possible" }],
    ["not Friday", { not: "5", said: "any day not Friday" }],
    [
      "any day next week",
      {
        days: "2026-11-30 2026-12-01 2026-12-02 2026-12-03 2026-12-04 2026-12-05 2026-12-06",
        said: "next week",
      },
    ],
    ["Saturday", { days: "2026-11-28", said: "Saturday" }],
    ["Monday or Tuesday", { days: "2026-11-30 2026-12-01", said: "Monday or Tuesday" }],
    ["this afternoon if you can", { days: "2026-11-25", after: "12:00", said: "today afternoon" }],
    ["the day after tomorrow", { days: "2026-11-27" }],
    ["at the weekend", { days: "2026-11-28 2026-11-29", said: "at the weekend" }],
    ["around 2", { after: "13:00", before: "15:00", said: "around 2 pm" }],
    ["first thing Thursday", { days: "2026-11-26", before: "10:00" }],
    ["any day but Friday, in the morning", { not: "5", before: "12:00" }],
    // UK ways of saying it.
    ["after half two", { after: "14:30", said: "after 2:30 pm" }],
    ["half nine tomorrow", { days: "2026-11-26", after: "08:30", before: "10:30" }],
    ["quarter to four", { after: "14:45", before: "16:45" }],
    ["midday", { after: "11:00", before: "13:00" }],
    ["teatime tomorrow", { days: "2026-11-26", after: "16:00", before: "18:00" }],
    ["between 1 and 3", { after: "13:00", before: "15:00", said: "between 1 pm and 3 pm" }],
    ["not before 10", { after: "10:00" }],
    ["by lunchtime", { before: "12:30" }],
    ["early morning", { before: "10:00" }],
    ["late afternoon", { after: "15:00" }],
    ["the fourteenth", { days: "2026-12-14", said: "the 14th" }],
    ["on the twenty eighth", { days: "2026-11-28" }],
    ["can you come on the 3rd", { days: "2026-12-03" }],
    ["3rd of December", { days: "2026-12-03" }],
    ["december the 10th", { days: "2026-12-10" }],
    ["january the 5th", { days: "2027-01-05" }],
    ["friday week", { days: "2026-12-04" }],
    ["week on wednesday", { days: "2026-12-09" }],
    ["a week tomorrow", { days: "2026-12-03" }],
    ["in a fortnight", { days: "2026-12-09" }],
    [
      "sometime after the weekend",
      {
        days: "2026-11-30 2026-12-01 2026-12-02 2026-12-03 2026-12-04 2026-12-05 2026-12-06",
      },
    ],
    ["early next week", { days: "2026-11-30 2026-12-01" }],
    ["any time except the weekend", { days: undefined, not: "6 7" }],
  ];
  for (const [speech, expected] of table) {
    it(`reads "${speech}"`, () => {
      const got = read(speech);
      assert.ok(got, "a preference");
      for (const [key, value] of Object.entries(expected)) {
        assert.equal(got[key as keyof typeof got], value, `${key} of "${speech}"`);
      }
    });
  }

  it("reads 'next Tuesday' on a Monday as the Tuesday of next week, and 'Tuesday' as tomorrow", () => {
    const monday = DateTime.fromISO("2026-11-23T09:00", { zone: LONDON }).toJSDate();
    assert.equal(read("next Tuesday", monday)?.days, "2026-12-01");
    assert.equal(read("Tuesday", monday)?.days, "2026-11-24");
  });

  it("counts days on the business's clock: in New York, 04:30 UTC on the 26th is still the 25th", () => {
    const late = new Date("2026-11-26T05:30:00Z"); // 00:30 on the 26th in New York
    assert.equal(read("tomorrow", late, "America/New_York")?.days, "2026-11-27");
    assert.equal(
      read("tomorrow", new Date("2026-11-26T04:30:00Z"), "America/New_York")?.days,
      "2026-11-26",
    );
  });

  it("crosses the year end: 'next week' on 30 December 2026", () => {
    const now = DateTime.fromISO("2026-12-30T10:00", { zone: LONDON }).toJSDate();
    assert.equal(read("next week", now)?.days?.split(" ")[0], "2027-01-04");
    assert.equal(
      read("tomorrow", DateTime.fromISO("2026-12-31T10:00", { zone: LONDON }).toJSDate())?.days,
      "2027-01-01",
    );
  });

  for (const speech of [
    "my tap has been dripping since Monday",
    "it started last Tuesday",
    "I'm at 22 Park Street, Bristol BS1 5JA",
    "my number is 07700 900123",
    "the kitchen tap",
    // Choosing among the times offered, never a date.
    "the first one",
    "the second one please",
    "the third one",
    "it's been dripping for two weeks",
  ]) {
    it(`hears no time wish in "${speech}"`, () => {
      assert.equal(read(speech), null);
    });
  }
});

describe("offering times that fit a wish", () => {
  const slot = (local: string) => {
    const start = DateTime.fromISO(local, { zone: LONDON }).toJSDate();
    return { start, end: new Date(start.getTime() + 3_600_000) };
  };
  const free = [
    "2026-11-25T13:15",
    "2026-11-25T14:15",
    "2026-11-26T08:00",
    "2026-11-26T08:30",
    "2026-11-26T09:00",
    "2026-11-26T09:30",
    "2026-11-26T10:00",
    "2026-11-26T13:15",
    "2026-11-27T08:00",
    "2026-11-27T13:15",
  ].map(slot);
  const local = (slots: { start: Date }[]) =>
    slots.map((s) => DateTime.fromJSDate(s.start, { zone: LONDON }).toFormat("ccc HH:mm"));
  const wish = (speech: string) => parseTimePreference(speech, NOW, LONDON) as TimePreference;

  it("spreads choices within one half-day an hour or more apart", () => {
    const choice = chooseOffers(free, {
      count: 3,
      timeZone: LONDON,
      now: NOW,
      preference: wish("tomorrow morning"),
    });
    assert.equal(choice.fit, "preferred");
    assert.deepEqual(local(choice.slots), ["Thu 08:00", "Thu 09:00", "Thu 10:00"]);
  });

  it("offers the nearest free times when nothing fits, and says it did", () => {
    const choice = chooseOffers(free, {
      count: 3,
      timeZone: LONDON,
      now: NOW,
      preference: wish("Friday morning after 11"),
    });
    assert.equal(choice.fit, "nearest");
    assert.deepEqual(local(choice.slots), ["Thu 13:15", "Fri 08:00", "Fri 13:15"]);
  });

  it("keeps the usual spread when the caller only wants the soonest", () => {
    const choice = chooseOffers(free, {
      count: 3,
      timeZone: LONDON,
      now: NOW,
      preference: wish("asap"),
    });
    assert.equal(choice.fit, "any");
    assert.deepEqual(local(choice.slots), ["Wed 13:15", "Thu 08:00", "Thu 13:15"]);
  });

  it("checks a start against every part of the wish", () => {
    const p = wish("not Friday, after 9");
    assert.ok(fitsPreference(slot("2026-11-26T09:00").start, p, LONDON));
    assert.ok(!fitsPreference(slot("2026-11-26T08:30").start, p, LONDON));
    assert.ok(!fitsPreference(slot("2026-11-27T13:15").start, p, LONDON));
  });
});
