import { strict as assert } from "node:assert";
import { DateTime } from "luxon";
import {
  ActionRefused,
  DashboardDeps,
  moveAppointment,
  moveOptions,
} from "../../src/app/dashboard-actions";
import type { Business } from "../../src/domain/business/business";
import type { CalendarBusy, CalendarBusySource } from "../../src/ports/calendar-busy.port";
import type { DashboardActor, DashboardMarks } from "../../src/ports/dashboard.port";
import {
  aBusiness,
  anAppointment,
  InMemoryAppointmentStore,
  InMemoryHoldStore,
  ManualClock,
  RecordingLogger,
} from "../support/call-fixtures";

/**
 * Moving a job from the dashboard goes through the same offers path as a
 * call (findFreeTimes): the owner's Google Calendar busy time and callers'
 * live holds are never offered, and a move onto them is refused.
 */
const NOW = new Date("2026-11-25T10:00:00Z"); // Wednesday, Bristol on GMT
const FRIDAY = "2026-11-27";
const at = (time: string) =>
  DateTime.fromISO(`${FRIDAY}T${time}`, { zone: "Europe/London" }).toJSDate();

class FixedCalendar implements CalendarBusySource {
  constructor(public answer: CalendarBusy) {}
  async busyBetween(): Promise<CalendarBusy> {
    return this.answer;
  }
}

/** The marks a move never touches: any use fails the test. */
const noMarks = new Proxy({} as DashboardMarks, {
  get: (_t, name) => () => Promise.reject(new Error(`a move used marks.${String(name)}`)),
});

function world(calendar: CalendarBusy) {
  const business: Business = aBusiness();
  const appointments = new InMemoryAppointmentStore();
  const job = anAppointment();
  appointments.add(job);
  const holds = new InMemoryHoldStore();
  const deps: DashboardDeps = {
    appointments,
    calendarBusy: new FixedCalendar(calendar),
    holds,
    settings: { load: async () => business, save: async () => undefined },
    marks: noMarks,
    clock: new ManualClock(NOW),
    logger: new RecordingLogger(),
  };
  const owner: DashboardActor = { uid: "dave", businessId: business.id, role: "owner" };
  return { business, appointments, job, holds, deps, owner };
}

const starts = (options: Array<{ start: string }>) =>
  options.map((o) => DateTime.fromISO(o.start, { zone: "Europe/London" }).toFormat("HH:mm"));

describe("moving a job from the dashboard", () => {
  it("offers the times around the owner's calendar busy time, and says the calendar was read", async () => {
    const free = world({ status: "ok", busy: [] });
    const withoutBusy = await moveOptions(
      free.owner,
      { appointmentId: free.job.id, day: FRIDAY },
      free.deps,
    );
    assert.ok(starts(withoutBusy.options).includes("10:00"), starts(withoutBusy.options).join());

    const busy = world({ status: "ok", busy: [{ start: at("09:00"), end: at("12:00") }] });
    const result = await moveOptions(
      busy.owner,
      { appointmentId: busy.job.id, day: FRIDAY },
      busy.deps,
    );
    const offered = starts(result.options);
    assert.equal(result.calendarChecked, true);
    for (const time of ["09:00", "09:30", "10:00", "11:00"]) {
      assert.ok(!offered.includes(time), `${time} is in the owner's calendar: ${offered.join()}`);
    }
    assert.ok(offered.includes("13:15"), offered.join());
  });

  it("refuses a move onto the owner's calendar busy time and leaves the job where it was", async () => {
    const w = world({ status: "ok", busy: [{ start: at("09:00"), end: at("12:00") }] });
    await assert.rejects(
      moveAppointment(
        w.owner,
        { appointmentId: w.job.id, start: at("10:00").toISOString() },
        w.deps,
      ),
      (e: unknown) => e instanceof ActionRefused && e.code === "failed-precondition",
    );
    const stored = await w.appointments.get(w.business.id, w.job.id);
    assert.equal(stored?.start.toISOString(), w.job.start.toISOString());
    assert.deepEqual(w.appointments.audits, []);
  });

  it("does not offer a time a caller is being offered right now", async () => {
    const w = world({ status: "ok", busy: [] });
    w.holds.apply(w.business.id, {
      holder: "CA-someone-on-the-phone",
      hold: [{ start: at("14:30"), end: at("15:30") }],
      release: [],
      expiresAt: new Date(NOW.getTime() + 5 * 60_000),
      at: NOW,
    });
    const offered = starts(
      (await moveOptions(w.owner, { appointmentId: w.job.id, day: FRIDAY }, w.deps)).options,
    );
    assert.ok(!offered.includes("14:00"), offered.join());
    assert.ok(offered.includes("13:15"), offered.join());
  });

  it("still offers times when the calendar cannot be read, and says they were not checked against it", async () => {
    const w = world({ status: "unavailable", reason: "Google answered 503" });
    const result = await moveOptions(w.owner, { appointmentId: w.job.id, day: FRIDAY }, w.deps);
    assert.equal(result.calendarChecked, false);
    assert.ok(result.options.length > 0);
  });

  it("moves to a free time and records who moved it, from where to where", async () => {
    const w = world({ status: "ok", busy: [{ start: at("09:00"), end: at("12:00") }] });
    const moved = await moveAppointment(
      w.owner,
      { appointmentId: w.job.id, start: at("13:15").toISOString() },
      w.deps,
    );
    assert.equal(moved.appointment.start, at("13:15").toISOString());
    // The entry goes to the store with the move, to be committed with it.
    assert.equal(w.appointments.audits.length, 1);
    assert.equal(w.appointments.audits[0].action, "moveAppointment");
    assert.deepEqual(w.appointments.audits[0].actor, { uid: "dave", role: "owner" });
  });
});
