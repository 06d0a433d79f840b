import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { paths } from "../../src/adapters/firestore/paths";
import {
  calendarEventFor,
  calendarEventIdFor,
  type CalendarEventDraft,
} from "../../src/domain/calendar/calendar-event";
import type { Appointment } from "../../src/domain/scheduling/appointment";
import {
  adapterWorld,
  connectBusiness,
  newGoogleFake,
  type AdapterWorld,
} from "../support/calendar-fixtures";

const DAY = Date.UTC(2026, 2, 10); // Tue 10 Mar 2026, GMT
const at = (hours: number, minutes = 0) => new Date(DAY + (hours * 60 + minutes) * 60_000);

function anAppointment(businessId: string, overrides: Partial<Appointment> = {}): Appointment {
  return {
    id: `apt-${randomUUID()}`,
    businessId,
    customerId: "cust-1",
    customerName: "Sarah Jones",
    customerPhone: "+447700900999",
    address: "22 Park Street, Bristol BS1 5JA",
    serviceId: "dripping-tap",
    serviceName: "Dripping tap repair",
    problem: "Kitchen tap drips all night",
    start: at(10),
    end: at(11),
    status: "booked",
    source: "CA123",
    createdAt: at(8),
    ...overrides,
  };
}

function draftOf(appointment: Appointment): CalendarEventDraft {
  return calendarEventFor(appointment, {
    timeZone: "Europe/London",
    dashboardBaseUrl: "https://dash.example",
  });
}

describe("the Google Calendar adapter, through googleapis against a local Google", () => {
  const fake = newGoogleFake(2);
  let baseUrl = "";
  let world: AdapterWorld;
  let businessId = "";

  before(async () => {
    ({ baseUrl } = await fake.start());
  });
  after(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    world = adapterWorld(baseUrl, { writeMs: 2_000 });
    businessId = `cal-${randomUUID()}`;
  });

  describe("when the business has not connected a calendar", () => {
    it("reports not-connected for busy time and writes, without calling Google", async () => {
      assert.deepEqual(await world.adapter.busyBetween(businessId, at(8), at(18)), {
        status: "not-connected",
      });
      const draft = draftOf(anAppointment(businessId));
      assert.deepEqual(await world.adapter.writeEvent(businessId, draft, "insert"), {
        status: "not-connected",
      });
      assert.equal(fake.requests.length, 0);
    });
  });

  describe("when it is connected", () => {
    let refreshToken = "";
    beforeEach(async () => {
      refreshToken = await connectBusiness(fake, world.connections, businessId);
    });

    it("stores the refresh token only encrypted", async () => {
      const stored = await appFirestore().doc(paths.calendarConnection(businessId)).get();
      assert.ok(!JSON.stringify(stored.data()).includes(refreshToken));
      assert.equal(stored.get("refreshToken.v"), 1);
    });

    it("reads busy time from freebusy, refreshing the access token once for several calls", async () => {
      fake.addPersonalEvent(at(12), at(13));

      const first = await world.adapter.busyBetween(businessId, at(8), at(18));
      const second = await world.adapter.busyBetween(businessId, at(8), at(18));

      assert.deepEqual(first, { status: "ok", busy: [{ start: at(12), end: at(13) }] });
      assert.deepEqual(second, first);
      const refreshes = fake.requestsFor("token.refresh");
      assert.equal(refreshes.length, 1);
      assert.deepEqual(
        {
          client_id: (refreshes[0].body as Record<string, string>).client_id,
          refresh_token: (refreshes[0].body as Record<string, string>).refresh_token,
        },
        { client_id: "1234-test.apps.googleusercontent.com", refresh_token: refreshToken },
      );
      const query = fake.requestsFor("freebusy")[0].body as { items: unknown };
      assert.deepEqual(query.items, [{ id: "primary" }]);
    });

    it("asks every calendar the owner chose, and uses those that answer", async () => {
      await world.connections.saveSettings(
        businessId,
        {
          busyCalendarIds: ["primary", "missing@group.calendar.google.com"],
          eventCalendarId: "primary",
        },
        new Date(),
      );
      fake.addPersonalEvent(at(9), at(10));

      const busy = await world.adapter.busyBetween(businessId, at(8), at(18));

      assert.deepEqual(busy, { status: "ok", busy: [{ start: at(9), end: at(10) }] });
    });

    it("reports unavailable when Google is rate limiting, so bookings go on from Firestore", async () => {
      fake.failNext("freebusy", { status: 429 });

      const busy = await world.adapter.busyBetween(businessId, at(8), at(18));

      assert.equal(busy.status, "unavailable");
    });

    it("inserts an event under the appointment's own id, with the job's details", async () => {
      const appointment = anAppointment(businessId);

      const result = await world.adapter.writeEvent(businessId, draftOf(appointment), "insert");

      const eventId = calendarEventIdFor({ businessId, appointmentId: appointment.id });
      assert.deepEqual(result, { status: "done", eventId });
      const event = fake.event(eventId);
      assert.ok(event);
      assert.equal(event.summary, "Dripping tap repair – Sarah Jones");
      assert.equal(event.location, "22 Park Street, Bristol BS1 5JA");
      assert.deepEqual(event.start, {
        dateTime: "2026-03-10T10:00:00+00:00",
        timeZone: "Europe/London",
      });
      assert.match(event.description ?? "", /Phone: \+447700900999/);
      assert.match(event.description ?? "", /Job notes: Kitchen tap drips all night/);
      assert.match(
        event.description ?? "",
        new RegExp(`https://dash.example/appointments/${appointment.id}`),
      );
    });

    it("keeps one event when an insert is retried, updating it instead (409 is done)", async () => {
      const appointment = anAppointment(businessId);
      await world.adapter.writeEvent(businessId, draftOf(appointment), "insert");

      const moved = { ...appointment, start: at(14), end: at(15) };
      const retried = await world.adapter.writeEvent(businessId, draftOf(moved), "insert");

      assert.equal(retried.status, "done");
      assert.equal(fake.events().length, 1);
      assert.equal(fake.events()[0].start?.dateTime, "2026-03-10T14:00:00+00:00");
      assert.equal(fake.requestsFor("events.patch").length, 1);
    });

    it("inserts when a patch finds no event", async () => {
      const appointment = anAppointment(businessId);

      const result = await world.adapter.writeEvent(businessId, draftOf(appointment), "patch");

      assert.equal(result.status, "done");
      assert.equal(fake.events().length, 1);
    });

    it("refreshes an expired access token on a 401 and retries once", async () => {
      await world.adapter.busyBetween(businessId, at(8), at(9));
      fake.expireAccessTokens();

      const result = await world.adapter.writeEvent(
        businessId,
        draftOf(anAppointment(businessId)),
        "insert",
      );

      assert.equal(result.status, "done");
      assert.equal(fake.requestsFor("token.refresh").length, 2);
      assert.equal(fake.requestsFor("events.insert").length, 2);
    });

    for (const status of [429, 500, 503]) {
      it(`treats HTTP ${status} as transient`, async () => {
        fake.failNext("events.insert", { status });

        const result = await world.adapter.writeEvent(
          businessId,
          draftOf(anAppointment(businessId)),
          "insert",
        );

        assert.equal(result.status, "transient");
        assert.equal(fake.events().length, 0);
      });
    }

    it("treats a timeout as transient", async () => {
      fake.failNext("events.insert", { delayMs: 2_500 });

      const result = await world.adapter.writeEvent(
        businessId,
        draftOf(anAppointment(businessId)),
        "insert",
      );

      assert.equal(result.status, "transient");
    });

    it("treats a 400 as permanent", async () => {
      fake.failNext("events.insert", { status: 400 });

      const result = await world.adapter.writeEvent(
        businessId,
        draftOf(anAppointment(businessId)),
        "insert",
      );

      assert.equal(result.status, "permanent");
    });

    it("deletes an event, and counts an event already gone as deleted", async () => {
      const appointment = anAppointment(businessId);
      const { id } = draftOf(appointment);
      await world.adapter.writeEvent(businessId, draftOf(appointment), "insert");

      assert.deepEqual(await world.adapter.deleteEvent(businessId, id), {
        status: "done",
        eventId: id,
      });
      assert.deepEqual(await world.adapter.deleteEvent(businessId, id), {
        status: "done",
        eventId: id,
      });
      assert.equal(fake.event(id)?.status, "cancelled");
      const never = calendarEventIdFor({ businessId, appointmentId: "never-synced" });
      assert.equal((await world.adapter.deleteEvent(businessId, never)).status, "done");
    });

    describe("and the owner revokes access in Google", () => {
      beforeEach(() => fake.revokeRefreshToken(refreshToken));

      it("reports the grant once, marks the connection and answers not-connected from then on", async () => {
        const busy = await world.adapter.busyBetween(businessId, at(8), at(18));
        const write = await world.adapter.writeEvent(
          businessId,
          draftOf(anAppointment(businessId)),
          "insert",
        );

        assert.deepEqual(busy, { status: "not-connected" });
        assert.deepEqual(write, { status: "not-connected" });
        assert.deepEqual(world.revoked, [{ businessId, reason: "invalid_grant" }]);
        assert.equal((await world.connections.view(businessId)).status, "needs-reconnect");
        assert.equal(fake.requestsFor("events.insert").length, 0);
      });
    });

    describe("reading the owner's changes", () => {
      async function ours(start: number): Promise<{ appointment: Appointment; id: string }> {
        const appointment = anAppointment(businessId, { start: at(start), end: at(start + 1) });
        await world.adapter.writeEvent(businessId, draftOf(appointment), "insert");
        return { appointment, id: draftOf(appointment).id };
      }

      it("lists our events on the first (full) sync, across pages, and leaves personal events out", async () => {
        const a = await ours(9);
        const b = await ours(11);
        const c = await ours(13);
        fake.addPersonalEvent(at(15), at(16));

        const changes = await world.adapter.changesSince(businessId);

        assert.equal(changes.status, "ok");
        assert.ok(changes.status === "ok" && changes.fullResync);
        const ids = changes.status === "ok" ? changes.changes.map((x) => x.eventId) : [];
        assert.deepEqual(ids, [a.id, b.id, c.id]);
        assert.ok(fake.requestsFor("events.list").length >= 2, "paged");
        assert.equal(
          changes.status === "ok" && changes.changes[0].ref.appointmentId,
          a.appointment.id,
        );
      });

      it("then lists only what changed since, moves and deletions included", async () => {
        const a = await ours(9);
        const b = await ours(11);
        const first = await world.adapter.changesSince(businessId);
        assert.equal(first.status, "ok");
        if (first.status === "ok") await world.adapter.commitChanges(businessId, first.checkpoint);
        fake.ownerMoves(a.id, at(15), at(16, 30));
        fake.ownerDeletes(b.id);

        const next = await world.adapter.changesSince(businessId);

        assert.ok(next.status === "ok");
        assert.equal(next.fullResync, false);
        assert.deepEqual(
          next.changes.map((c) => ({
            id: c.eventId,
            cancelled: c.cancelled,
            start: c.start,
            end: c.end,
          })),
          [
            { id: a.id, cancelled: false, start: at(15), end: at(16, 30) },
            { id: b.id, cancelled: true, start: undefined, end: undefined },
          ],
        );
        const incremental = fake.requestsFor("events.list").at(-1);
        assert.match(incremental?.query.syncToken ?? "", /^sync-\d+$/);
      });

      it("starts over with a full sync when Google no longer knows the sync token (410)", async () => {
        await ours(9);
        const first = await world.adapter.changesSince(businessId);
        if (first.status === "ok") await world.adapter.commitChanges(businessId, first.checkpoint);
        fake.invalidateSyncTokens();

        const next = await world.adapter.changesSince(businessId);

        assert.ok(next.status === "ok");
        assert.equal(next.fullResync, true);
        assert.equal(next.changes.length, 1);
        const lists = fake.requestsFor("events.list");
        assert.ok(lists.at(-2)?.query.syncToken, "tried the stale token first");
        assert.equal(lists.at(-1)?.query.syncToken, undefined);
      });
    });
  });
});
