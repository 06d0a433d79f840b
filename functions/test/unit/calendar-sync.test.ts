import { strict as assert } from "node:assert";
import { reportCalendarGrantRevoked } from "../../src/app/calendar-sweep";
import { pullCalendarChanges } from "../../src/app/pull-calendar-changes";
import {
  syncAppointmentChange,
  TransientCalendarSyncError,
  type CalendarSyncDeps,
} from "../../src/app/sync-appointment-to-calendar";
import {
  appointmentRefFromEventId,
  calendarEventFor,
  calendarEventIdFor,
} from "../../src/domain/calendar/calendar-event";
import {
  calendarFactsOf,
  calendarNeedsSync,
  MAX_CALENDAR_SYNC_ATTEMPTS,
} from "../../src/domain/calendar/calendar-sync.rules";
import type { Appointment } from "../../src/domain/scheduling/appointment";
import type {
  CalendarChangeFeed,
  CalendarChanges,
  CalendarConnections,
  CalendarEventWriter,
  CalendarSyncQueue,
  CalendarSyncQueueItem,
  CalendarWriteResult,
} from "../../src/ports/calendar-sync.port";
import {
  aBusiness,
  InMemoryAppointmentStore,
  InMemoryBusinessDirectory,
  InMemoryOutboxQueue,
} from "../support/call-fixtures";
import { ManualClock, RecordingLogger } from "../support/in-memory-outbox.store";

const business = aBusiness({ id: "bristol", timeZone: "Europe/London" });
const at = (iso: string) => new Date(iso);

function anAppointment(overrides: Partial<Appointment> = {}): Appointment {
  return {
    id: "apt-1",
    businessId: business.id,
    customerId: "c1",
    customerName: "Sarah Jones",
    customerPhone: "+447700900999",
    address: "22 Park Street",
    serviceId: "tap",
    serviceName: "Dripping tap repair",
    problem: "drips",
    start: at("2026-07-14T09:00:00Z"),
    end: at("2026-07-14T10:00:00Z"),
    status: "booked",
    source: "test",
    createdAt: at("2026-07-01T09:00:00Z"),
    ...overrides,
  };
}

/** A calendar that answers from a script, recording what it was asked. */
class ScriptedCalendar implements CalendarEventWriter {
  readonly calls: string[] = [];
  readonly script: CalendarWriteResult[] = [];
  private answer(id: string): CalendarWriteResult {
    return this.script.shift() ?? { status: "done", eventId: id };
  }
  async writeEvent(_b: string, event: { id: string }, plan: "insert" | "patch") {
    this.calls.push(plan);
    return this.answer(event.id);
  }
  async deleteEvent(_b: string, eventId: string) {
    this.calls.push("delete");
    return this.answer(eventId);
  }
}

class MemoryQueue implements CalendarSyncQueue {
  readonly items = new Map<string, CalendarSyncQueueItem>();
  async schedule(item: CalendarSyncQueueItem) {
    this.items.set(item.appointmentId, item);
  }
  async remove(ref: { appointmentId: string }) {
    this.items.delete(ref.appointmentId);
  }
  async due(now: Date) {
    return [...this.items.values()].filter((i) => i.dueAt <= now);
  }
}

function world() {
  const appointments = new InMemoryAppointmentStore();
  const calendar = new ScriptedCalendar();
  const queue = new MemoryQueue();
  const deps: CalendarSyncDeps = {
    appointments,
    businesses: new InMemoryBusinessDirectory(business),
    calendar,
    queue,
    clock: new ManualClock(at("2026-07-01T10:00:00Z")),
    logger: new RecordingLogger(),
    dashboardBaseUrl: "https://dash.example",
  };
  return { appointments, calendar, queue, deps };
}

describe("calendar event ids", () => {
  it("are valid Google ids, the same every time, and name their appointment", () => {
    const ref = { businessId: "bristol-plumbing", appointmentId: "CA1234_turn-3" };
    const id = calendarEventIdFor(ref);

    assert.match(id, /^[a-v0-9]{5,1024}$/);
    assert.equal(calendarEventIdFor(ref), id);
    assert.deepEqual(appointmentRefFromEventId(id), ref);
  });

  it("do not claim other people's events", () => {
    assert.equal(appointmentRefFromEventId("personal0123abc"), undefined);
    assert.equal(appointmentRefFromEventId("rcptzz"), undefined);
    assert.equal(appointmentRefFromEventId("rcpt"), undefined);
  });
});

describe("the event for an appointment", () => {
  it("shows the wall-clock time in the business's zone in summer", () => {
    const event = calendarEventFor(anAppointment(), {
      timeZone: "Europe/London",
      dashboardBaseUrl: "",
    });
    assert.deepEqual(event.start, {
      dateTime: "2026-07-14T10:00:00+01:00",
      timeZone: "Europe/London",
    });
    assert.match(event.description, /Appointment id: apt-1/);
  });
});

describe("which appointment writes reach the calendar", () => {
  const booked = calendarFactsOf(anAppointment());

  it("ignores writes that touch only the sync state or confirmation", () => {
    assert.equal(calendarNeedsSync(booked, { ...booked }), false);
  });

  it("syncs a new booking, a move, a changed address and a cancellation", () => {
    assert.equal(calendarNeedsSync(undefined, booked), true);
    assert.equal(calendarNeedsSync(booked, { ...booked, startMs: booked.startMs + 1 }), true);
    assert.equal(calendarNeedsSync(booked, { ...booked, address: "elsewhere" }), true);
    assert.equal(calendarNeedsSync(booked, { ...booked, status: "cancelled" }), true);
  });

  it("syncs a deleted document only if it was booked", () => {
    assert.equal(calendarNeedsSync(booked, undefined), true);
    assert.equal(calendarNeedsSync({ ...booked, status: "cancelled" }, undefined), false);
  });
});

describe("syncing an appointment to the calendar", () => {
  const change = (a: Appointment) => ({
    ref: { businessId: a.businessId, appointmentId: a.id },
    after: calendarFactsOf(a),
  });

  it("inserts a new booking, then patches it once synced", async () => {
    const w = world();
    const appointment = anAppointment();
    w.appointments.add(appointment);

    assert.equal(await syncAppointmentChange(change(appointment), w.deps), "synced");
    assert.equal(await syncAppointmentChange(change(appointment), w.deps), "synced");

    assert.deepEqual(w.calendar.calls, ["insert", "patch"]);
    assert.equal((await w.appointments.get(business.id, "apt-1"))?.calendar?.state, "synced");
  });

  it("deletes the event of a cancelled appointment", async () => {
    const w = world();
    const appointment = anAppointment({ status: "cancelled" });
    w.appointments.appointments.set(`${business.id}/apt-1`, appointment);

    await syncAppointmentChange(change(appointment), w.deps);

    assert.deepEqual(w.calendar.calls, ["delete"]);
  });

  it("records not-connected and does nothing else when there is no calendar", async () => {
    const w = world();
    w.appointments.add(anAppointment());
    w.calendar.script.push({ status: "not-connected" });

    assert.equal(await syncAppointmentChange(change(anAppointment()), w.deps), "not-connected");
    assert.equal(
      (await w.appointments.get(business.id, "apt-1"))?.calendar?.state,
      "not-connected",
    );
    assert.equal(w.queue.items.size, 0);
  });

  it("throws for the platform's retry three times, then leaves it to the sweep", async () => {
    const w = world();
    w.appointments.add(anAppointment());
    for (let i = 0; i < 3; i++) w.calendar.script.push({ status: "transient", reason: "HTTP 503" });

    await assert.rejects(
      syncAppointmentChange(change(anAppointment()), w.deps),
      TransientCalendarSyncError,
    );
    await assert.rejects(
      syncAppointmentChange(change(anAppointment()), w.deps),
      TransientCalendarSyncError,
    );
    assert.equal(await syncAppointmentChange(change(anAppointment()), w.deps), "retry-scheduled");

    const state = (await w.appointments.get(business.id, "apt-1"))?.calendar;
    assert.equal(state?.state, "pending");
    assert.equal(state?.attempts, 3);
    assert.equal(w.queue.items.get("apt-1")?.attempts, 3);
  });

  it("gives up after the last attempt and shows the error", async () => {
    const w = world();
    const appointment = anAppointment({
      calendar: {
        state: "pending",
        attempts: MAX_CALENDAR_SYNC_ATTEMPTS - 1,
        updatedAt: new Date(),
      },
    });
    w.appointments.add(appointment);
    await w.queue.schedule({
      businessId: business.id,
      appointmentId: "apt-1",
      attempts: 11,
      dueAt: new Date(),
    });
    w.calendar.script.push({ status: "transient", reason: "HTTP 500" });

    assert.equal(await syncAppointmentChange(change(appointment), w.deps), "failed");
    assert.equal((await w.appointments.get(business.id, "apt-1"))?.calendar?.state, "error");
    assert.equal(w.queue.items.size, 0);
  });

  it("records a permanent failure without retrying", async () => {
    const w = world();
    w.appointments.add(anAppointment());
    w.calendar.script.push({ status: "permanent", reason: "HTTP 400" });

    assert.equal(await syncAppointmentChange(change(anAppointment()), w.deps), "failed");
    assert.equal(w.queue.items.size, 0);
  });
});

describe("pulling the owner's changes from Google", () => {
  function feedOf(changes: CalendarChanges): CalendarChangeFeed & { committed: string[] } {
    const committed: string[] = [];
    return {
      committed,
      changesSince: async () => changes,
      commitChanges: async (_b, checkpoint) => {
        committed.push(checkpoint);
      },
    };
  }
  const synced = { state: "synced" as const, attempts: 1, updatedAt: new Date() };
  const eventId = calendarEventIdFor({ businessId: business.id, appointmentId: "apt-1" });
  const ref = { businessId: business.id, appointmentId: "apt-1" };

  function pullWorld(changes: CalendarChanges) {
    const w = world();
    const outbox = new InMemoryOutboxQueue();
    const feed = feedOf(changes);
    const deps = { ...w.deps, feed, outbox };
    return { ...w, outbox, feed, deps };
  }

  it("leaves an appointment alone while our own write to Google is pending", async () => {
    const w = pullWorld({
      status: "ok",
      fullResync: false,
      checkpoint: "sync-2",
      changes: [{ eventId, ref, cancelled: true }],
    });
    w.appointments.add(anAppointment({ calendar: { ...synced, state: "pending" } }));

    const summary = await pullCalendarChanges(business.id, w.deps);

    assert.equal(summary.applied.skipped, 1);
    assert.equal((await w.appointments.get(business.id, "apt-1"))?.status, "booked");
    assert.deepEqual(w.feed.committed, ["sync-2"]);
  });

  it("ignores an event naming another business", async () => {
    const w = pullWorld({
      status: "ok",
      fullResync: false,
      checkpoint: "sync-3",
      changes: [{ eventId, ref: { ...ref, businessId: "someone-else" }, cancelled: true }],
    });
    w.appointments.add(anAppointment({ calendar: synced }));

    await pullCalendarChanges(business.id, w.deps);

    assert.equal((await w.appointments.get(business.id, "apt-1"))?.status, "booked");
  });

  it("does not store the checkpoint when Google could not be read", async () => {
    const w = pullWorld({ status: "transient", reason: "HTTP 503" });

    const summary = await pullCalendarChanges(business.id, w.deps);

    assert.equal(summary.status, "transient");
    assert.deepEqual(w.feed.committed, []);
  });
});

describe("when Google refuses the refresh token", () => {
  it("marks the connection and queues one reconnect text per day", async () => {
    const marks: string[] = [];
    const connections: CalendarConnections = {
      markNeedsReconnect: async (b) => {
        marks.push(b);
        return marks.length === 1 ? "marked" : "unchanged";
      },
      duePulls: async () => [],
      schedulePull: async () => undefined,
    };
    const outbox = new InMemoryOutboxQueue();
    const clock = new ManualClock(at("2026-07-01T22:30:00Z"));
    const deps = {
      connections,
      businesses: new InMemoryBusinessDirectory(business),
      outbox,
      clock,
      logger: new RecordingLogger(),
      reconnectUrl: "https://dash.example",
    };

    await reportCalendarGrantRevoked(business.id, "invalid_grant", deps);
    await reportCalendarGrantRevoked(business.id, "invalid_grant", deps);
    clock.advance(2 * 3_600_000); // past midnight in London: a new day
    await reportCalendarGrantRevoked(business.id, "invalid_grant", deps);

    const texts = outbox.byPurpose("owner-calendar-reconnect");
    assert.equal(texts.length, 2);
    assert.equal(texts[0].to, business.ownerMobile);
    assert.match(texts[0].body, /reconnect it at https:\/\/dash\.example/);
    assert.deepEqual(marks, [business.id, business.id, business.id]);
  });
});
