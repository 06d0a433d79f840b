import { strict as assert } from "node:assert";
import {
  deferPastWindow,
  insideWindow,
  isTodayOrTomorrow,
  placeReminder,
  planReminder,
} from "../../src/domain/notifications/send-windows";

const LONDON = "Europe/London";
const QUIET = { start: "21:00", end: "07:00" };
const NIGHT = { start: "20:30", end: "08:00" };
const at = (iso: string) => new Date(iso);

describe("owner quiet hours (21:00-07:00, Europe/London)", () => {
  it("lets an alert at 20:59 go at once", () => {
    const now = at("2026-11-25T20:59:00Z");
    assert.equal(deferPastWindow(now, QUIET, LONDON).toISOString(), now.toISOString());
  });

  it("holds an alert at 22:00 until 07:00 the next morning", () => {
    assert.equal(
      deferPastWindow(at("2026-11-25T22:00:00Z"), QUIET, LONDON).toISOString(),
      "2026-11-26T07:00:00.000Z",
    );
  });

  it("holds an alert at 06:59 until 07:00 the same morning, and lets 07:00 through", () => {
    assert.equal(
      deferPastWindow(at("2026-11-26T06:59:00Z"), QUIET, LONDON).toISOString(),
      "2026-11-26T07:00:00.000Z",
    );
    assert.equal(insideWindow(at("2026-11-26T07:00:00Z"), QUIET, LONDON), false);
  });

  it("ends at 07:00 BST on the night the clocks go forward", () => {
    // 22:00 GMT on Sat 28 Mar 2026; BST starts at 01:00 GMT on Sun 29 Mar.
    assert.equal(
      deferPastWindow(at("2026-03-28T22:00:00Z"), QUIET, LONDON).toISOString(),
      "2026-03-29T06:00:00.000Z",
    );
  });

  it("ends at 07:00 GMT on the night the clocks go back", () => {
    // 23:00 BST on Sat 24 Oct 2026; GMT returns at 01:00 GMT on Sun 25 Oct.
    assert.equal(
      deferPastWindow(at("2026-10-24T22:00:00Z"), QUIET, LONDON).toISOString(),
      "2026-10-25T07:00:00.000Z",
    );
  });

  it("holds nothing when the business has no quiet hours", () => {
    const now = at("2026-11-25T23:00:00Z");
    assert.equal(deferPastWindow(now, null, LONDON), now);
  });

  it("handles a window that does not cross midnight", () => {
    const lunch = { start: "12:00", end: "13:00" };
    assert.equal(
      deferPastWindow(at("2026-11-25T12:30:00Z"), lunch, LONDON).toISOString(),
      "2026-11-25T13:00:00.000Z",
    );
    assert.equal(insideWindow(at("2026-11-25T13:00:00Z"), lunch, LONDON), false);
  });
});

describe("planning a reminder around the customer's night (20:30-08:00)", () => {
  const plan = (start: string, minutesBefore: number, now: string) =>
    planReminder({ start: at(start), minutesBefore, night: NIGHT, zone: LONDON, now: at(now) });

  it("sends a day-before reminder for a 10:00 visit at 10:00 the day before", () => {
    assert.deepEqual(plan("2026-11-27T10:00:00Z", 1440, "2026-11-25T12:00:00Z"), {
      send: true,
      at: at("2026-11-26T10:00:00Z"),
      placement: "on-time",
    });
  });

  it("moves a two-hour reminder due at 07:00 to 08:00, when the night ends", () => {
    // The evening before (20:15) would be 12h45 early: more than twice its two hours.
    assert.deepEqual(plan("2026-11-27T09:00:00Z", 120, "2026-11-25T12:00:00Z"), {
      send: true,
      at: at("2026-11-27T08:00:00Z"),
      placement: "next-morning",
    });
  });

  it("skips a two-hour reminder for an 08:00 visit: the night ends as the visit starts", () => {
    assert.deepEqual(plan("2026-11-27T08:00:00Z", 120, "2026-11-25T12:00:00Z"), {
      send: false,
      reason: "night",
    });
  });

  it("sends a reminder due in the night at the end of the evening before, when that is close enough", () => {
    // Ten hours before a 09:00 visit is 23:00; 20:15 is within twice ten hours.
    assert.deepEqual(plan("2026-11-27T09:00:00Z", 600, "2026-11-25T12:00:00Z"), {
      send: true,
      at: at("2026-11-26T20:15:00Z"),
      placement: "evening-before",
    });
  });

  it("uses the next morning when the evening before has already gone", () => {
    assert.deepEqual(plan("2026-11-27T09:00:00Z", 600, "2026-11-26T20:20:00Z"), {
      send: true,
      at: at("2026-11-27T08:00:00Z"),
      placement: "next-morning",
    });
  });

  it("skips a window that has passed by the time of booking", () => {
    assert.deepEqual(plan("2026-11-26T10:00:00Z", 1440, "2026-11-25T12:00:00Z"), {
      send: false,
      reason: "window-passed",
    });
  });

  it("keeps local times across the clocks going forward", () => {
    // Sun 29 Mar 2026 09:00 BST = 08:00Z. Two hours before is 07:00 BST, in the night.
    assert.deepEqual(plan("2026-03-29T08:00:00Z", 120, "2026-03-27T12:00:00Z"), {
      send: true,
      at: at("2026-03-29T07:00:00Z"),
      placement: "next-morning",
    });
    // Ten hours before is 22:00 GMT on Saturday, in the night: the evening is 20:15 GMT.
    assert.deepEqual(plan("2026-03-29T08:00:00Z", 600, "2026-03-27T12:00:00Z"), {
      send: true,
      at: at("2026-03-28T20:15:00Z"),
      placement: "evening-before",
    });
  });

  it("keeps local times across the clocks going back", () => {
    // Sun 25 Oct 2026 09:00 GMT. Ten hours before is 23:00 BST on Sat; the evening is 20:15 BST.
    assert.deepEqual(plan("2026-10-25T09:00:00Z", 600, "2026-10-23T12:00:00Z"), {
      send: true,
      at: at("2026-10-24T19:15:00Z"),
      placement: "evening-before",
    });
    assert.deepEqual(plan("2026-10-25T09:00:00Z", 120, "2026-10-23T12:00:00Z"), {
      send: true,
      at: at("2026-10-25T08:00:00Z"),
      placement: "next-morning",
    });
  });

  describe("when the job runs late, into the night", () => {
    it("moves an evening reminder to the next morning", () => {
      assert.deepEqual(
        placeReminder({
          due: at("2026-11-26T20:15:00Z"),
          start: at("2026-11-27T09:00:00Z"),
          minutesBefore: 600,
          night: NIGHT,
          zone: LONDON,
          now: at("2026-11-26T20:40:00Z"),
        }),
        { send: true, at: at("2026-11-27T08:00:00Z"), placement: "next-morning" },
      );
    });

    it("sends a due reminder at once in the day", () => {
      assert.deepEqual(
        placeReminder({
          due: at("2026-11-26T10:00:00Z"),
          start: at("2026-11-27T10:00:00Z"),
          minutesBefore: 1440,
          night: NIGHT,
          zone: LONDON,
          now: at("2026-11-26T10:04:00Z"),
        }),
        { send: true, at: at("2026-11-26T10:04:00Z"), placement: "on-time" },
      );
    });

    it("skips a reminder once its appointment has started", () => {
      assert.deepEqual(
        placeReminder({
          due: at("2026-11-27T08:00:00Z"),
          start: at("2026-11-27T09:00:00Z"),
          minutesBefore: 120,
          night: NIGHT,
          zone: LONDON,
          now: at("2026-11-27T09:00:00Z"),
        }),
        { send: false, reason: "appointment-started" },
      );
    });
  });
});

describe("today or tomorrow, on the business's calendar", () => {
  it("counts local dates, not 24-hour spans", () => {
    const now = at("2026-11-25T23:30:00Z");
    assert.equal(isTodayOrTomorrow(at("2026-11-25T08:00:00Z"), now, LONDON), true);
    assert.equal(isTodayOrTomorrow(at("2026-11-26T23:59:00Z"), now, LONDON), true);
    assert.equal(isTodayOrTomorrow(at("2026-11-27T00:00:00Z"), now, LONDON), false);
  });

  it("holds on the 23-hour and 25-hour days", () => {
    // Sat 28 Mar 23:30 GMT: tomorrow (Sun, 23 hours long) ends at 23:00Z.
    assert.equal(
      isTodayOrTomorrow(at("2026-03-29T22:30:00Z"), at("2026-03-28T23:30:00Z"), LONDON),
      true,
    );
    assert.equal(
      isTodayOrTomorrow(at("2026-03-29T23:30:00Z"), at("2026-03-28T23:30:00Z"), LONDON),
      false,
    );
    // Sat 24 Oct 23:30 BST (22:30Z): Sunday runs to 00:00Z on Monday.
    assert.equal(
      isTodayOrTomorrow(at("2026-10-25T23:30:00Z"), at("2026-10-24T22:30:00Z"), LONDON),
      true,
    );
    assert.equal(
      isTodayOrTomorrow(at("2026-10-26T00:30:00Z"), at("2026-10-24T22:30:00Z"), LONDON),
      false,
    );
  });
});
