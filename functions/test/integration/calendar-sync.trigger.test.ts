import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import type { DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import functionsTest from "firebase-functions-test";
import { FirestoreAppointmentRepository } from "../../src/adapters/firestore/appointment.repository";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { paths } from "../../src/adapters/firestore/paths";
import { DELETED_IN_GOOGLE_REASON } from "../../src/app/pull-calendar-changes";
import { TransientCalendarSyncError } from "../../src/app/sync-appointment-to-calendar";
import { calendarEventIdFor } from "../../src/domain/calendar/calendar-event";
import type { Business } from "../../src/domain/business/business";
import type { Appointment } from "../../src/domain/scheduling/appointment";
import { syncAppointmentToCalendar } from "../../src/triggers/firestore/calendar-sync.trigger";
import { calendarSyncSweep } from "../../src/triggers/scheduled/calendar-sync.schedule";
import {
  connectBusiness,
  newGoogleFake,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
  TEST_TOKEN_KEY,
  testConnections,
} from "../support/calendar-fixtures";
import { createTestTenant } from "../support/firestore-tenant";
import { TEST_PROJECT_ID } from "../support/root-hooks";

const ENV = {
  GOOGLE_OAUTH_CLIENT_ID: TEST_CLIENT_ID,
  GOOGLE_OAUTH_CLIENT_SECRET: TEST_CLIENT_SECRET,
  CALENDAR_TOKEN_KEY: TEST_TOKEN_KEY,
  DASHBOARD_BASE_URL: "https://dash.example",
  PUBLIC_WEBHOOK_BASE_URL: "http://127.0.0.1:1",
};
const ENV_NAMES = [...Object.keys(ENV), "GOOGLE_API_BASE_URL", "GOOGLE_OAUTH_BASE_URL"];

const HOUR = 3_600_000;
/** Whole hours from a fixed point a few days ahead, so times stay in the future. */
const base = Math.ceil(Date.now() / (24 * HOUR)) * 24 * HOUR + 3 * 24 * HOUR;
const hour = (h: number) => new Date(base + h * HOUR);

describe("the calendar sync trigger and sweep, against Firestore and a local Google", () => {
  const fake = newGoogleFake();
  const fft = functionsTest({ projectId: TEST_PROJECT_ID });
  const wrapped = fft.wrap(syncAppointmentToCalendar);
  /** Runs the scheduled function's handler, as Cloud Scheduler would. */
  const sweep = () => calendarSyncSweep.run({ scheduleTime: new Date().toISOString() });
  let db: Firestore;
  let appointments: FirestoreAppointmentRepository;
  let business: Business;
  let refreshToken = "";

  before(async () => {
    db = appFirestore();
    appointments = new FirestoreAppointmentRepository(db);
    const { baseUrl } = await fake.start();
    Object.assign(process.env, ENV, {
      GOOGLE_API_BASE_URL: baseUrl,
      GOOGLE_OAUTH_BASE_URL: baseUrl,
    });
  });
  after(async () => {
    for (const name of ENV_NAMES) delete process.env[name];
    fft.cleanup();
    await fake.stop();
  });
  beforeEach(async () => {
    fake.reset();
    business = await createTestTenant();
    refreshToken = await connectBusiness(fake, testConnections(), business.id);
  });

  function anAppointment(startHour: number, overrides: Partial<Appointment> = {}): Appointment {
    return {
      id: `apt-${randomUUID()}`,
      businessId: business.id,
      customerId: "cust-1",
      customerName: "Sarah Jones",
      customerPhone: "+447700900999",
      address: "22 Park Street, Bristol BS1 5JA",
      serviceId: "dripping-tap",
      serviceName: "Dripping tap repair",
      problem: "Tap drips",
      start: hour(startHour),
      end: hour(startHour + 1),
      status: "booked",
      source: "test",
      createdAt: new Date(),
      ...overrides,
    };
  }

  const docOf = (id: string) => db.doc(paths.appointment(business.id, id));

  /** Delivers the written event for the change from `before` to the document as it is now. */
  async function deliver(id: string, before: DocumentSnapshot, eventId: string = randomUUID()) {
    const after = await docOf(id).get();
    await wrapped({
      id: eventId,
      data: fft.makeChange(before, after),
      params: { businessId: business.id, appointmentId: id },
    });
  }

  /** Books it, then delivers its creation event; returns the snapshot before and the id. */
  async function book(appointment: Appointment): Promise<DocumentSnapshot> {
    const before = await docOf(appointment.id).get();
    const booked = await appointments.book(appointment);
    assert.equal(booked.outcome, "booked");
    return before;
  }

  const eventIdOf = (a: Appointment) =>
    calendarEventIdFor({ businessId: business.id, appointmentId: a.id });

  async function calendarState(id: string) {
    return (await appointments.get(business.id, id))?.calendar;
  }

  async function ownerTexts(purpose: string) {
    const snapshot = await db
      .collection(paths.outbox(business.id))
      .where("purpose", "==", purpose)
      .get();
    return snapshot.docs;
  }

  describe("when an appointment is booked", () => {
    it("puts one event in the owner's calendar and records it as synced", async () => {
      const appointment = anAppointment(10);
      const before = await book(appointment);

      await deliver(appointment.id, before);

      assert.equal(fake.events().length, 1);
      assert.equal(
        fake.event(eventIdOf(appointment))?.summary,
        "Dripping tap repair – Sarah Jones",
      );
      const state = await calendarState(appointment.id);
      assert.equal(state?.state, "synced");
      assert.equal(state?.eventId, eventIdOf(appointment));
    });

    it("ignores the write of its own sync state, so it does not loop", async () => {
      const appointment = anAppointment(10);
      const before = await book(appointment);
      const justBooked = await docOf(appointment.id).get();
      await deliver(appointment.id, before);
      const calls = fake.requests.length;

      // Recording the sync state is itself a write, and Firestore delivers it too.
      await deliver(appointment.id, justBooked);

      assert.ok(calls > 0);
      assert.equal(fake.requests.length, calls);
    });

    it("keeps one event when the first try reached Google but crashed before recording it", async () => {
      const appointment = anAppointment(10);
      const before = await book(appointment);
      await deliver(appointment.id, before, "event-1");
      // As if the sync state had never been written: the retry plans an insert again.
      await docOf(appointment.id).update({ calendar: null });

      await deliver(appointment.id, before, "event-1");

      assert.equal(fake.events().length, 1);
      assert.equal(fake.requestsFor("events.insert").length, 2);
      assert.equal((await calendarState(appointment.id))?.state, "synced");
    });
  });

  describe("when an appointment is moved or cancelled in Firestore", () => {
    it("moves the event, then deletes it", async () => {
      const appointment = anAppointment(10);
      await deliver(appointment.id, await book(appointment));

      let before = await docOf(appointment.id).get();
      await appointments.reschedule(business.id, appointment.id, hour(14), hour(15), new Date());
      await deliver(appointment.id, before);
      assert.equal(
        new Date(fake.event(eventIdOf(appointment))?.start?.dateTime ?? "").getTime(),
        hour(14).getTime(),
      );

      before = await docOf(appointment.id).get();
      await appointments.cancel(business.id, appointment.id, "customer by phone", new Date());
      await deliver(appointment.id, before);
      assert.equal(fake.event(eventIdOf(appointment))?.status, "cancelled");
      assert.equal(fake.requestsFor("events.patch").length, 1);
      assert.equal(fake.requestsFor("events.delete").length, 1);
    });
  });

  describe("when Google fails for a while", () => {
    it("throws for a platform retry, then leaves it to the sweep, which finishes it", async () => {
      const appointment = anAppointment(10);
      const before = await book(appointment);
      fake.failNext("events.insert", { status: 503 }, 3);

      await assert.rejects(deliver(appointment.id, before), TransientCalendarSyncError);
      await assert.rejects(deliver(appointment.id, before), TransientCalendarSyncError);
      await deliver(appointment.id, before); // third failure: no more throwing

      const pending = await calendarState(appointment.id);
      assert.equal(pending?.state, "pending");
      assert.equal(pending?.attempts, 3);
      assert.match(pending?.lastError ?? "", /503/);
      const queued = await db.doc(paths.calendarSyncQueueItem(business.id, appointment.id)).get();
      assert.ok(queued.exists);
      assert.equal(fake.events().length, 0);

      // Due now, as if the retry delay had passed.
      await queued.ref.update({ dueAt: new Date(Date.now() - 1000) });
      await sweep();

      assert.equal((await calendarState(appointment.id))?.state, "synced");
      assert.equal(fake.events().length, 1);
      assert.equal((await queued.ref.get()).exists, false);
    });
  });

  describe("when the owner has revoked access", () => {
    it("marks the connection needs-reconnect and texts the owner once", async () => {
      fake.revokeRefreshToken(refreshToken);
      const first = anAppointment(10);
      const second = anAppointment(12);

      await deliver(first.id, await book(first));
      await deliver(second.id, await book(second));

      const connection = await db.doc(paths.calendarConnection(business.id)).get();
      assert.equal(connection.get("status"), "needs-reconnect");
      const texts = await ownerTexts("owner-calendar-reconnect");
      assert.equal(texts.length, 1);
      assert.equal(texts[0].get("to"), business.ownerMobile);
      assert.match(texts[0].get("body"), /reconnect/);
      assert.equal((await calendarState(first.id))?.state, "not-connected");
      assert.equal((await calendarState(second.id))?.state, "not-connected");
      // The second booking never reached Google: the connection was known to be dead.
      assert.equal(fake.requestsFor("token.refresh").length, 1);
    });
  });

  describe("when the business has no calendar connected", () => {
    it("records not-connected and calls nobody", async () => {
      await testConnections().remove(business.id);
      const appointment = anAppointment(10);

      await deliver(appointment.id, await book(appointment));

      assert.equal((await calendarState(appointment.id))?.state, "not-connected");
      assert.equal(fake.requests.length, 0);
    });
  });

  describe("when the owner changes our events in Google Calendar", () => {
    async function synced(startHour: number): Promise<Appointment> {
      const appointment = anAppointment(startHour);
      await deliver(appointment.id, await book(appointment));
      return appointment;
    }

    async function pullNow() {
      await db.doc(paths.calendarPull(business.id)).update({ dueAt: new Date(Date.now() - 1000) });
      await sweep();
    }

    it("moves the appointment the owner moved, and cancels the one they deleted", async () => {
      const moved = await synced(10);
      const deleted = await synced(12);
      await pullNow(); // the first, full sync: nothing to change
      fake.ownerMoves(eventIdOf(moved), hour(15), hour(16));
      fake.ownerDeletes(eventIdOf(deleted));

      await pullNow();

      const nowMoved = await appointments.get(business.id, moved.id);
      assert.equal(nowMoved?.start.getTime(), hour(15).getTime());
      assert.equal(nowMoved?.previousStart?.getTime(), hour(10).getTime());
      const nowCancelled = await appointments.get(business.id, deleted.id);
      assert.equal(nowCancelled?.status, "cancelled");
      assert.equal(nowCancelled?.cancelReason, DELETED_IN_GOOGLE_REASON);
    });

    it("does not double-book: a move onto another job is flagged for the owner", async () => {
      const moving = await synced(10);
      const other = await synced(14);
      await pullNow();
      fake.ownerMoves(eventIdOf(moving), hour(14), hour(15));

      await pullNow();

      const kept = await appointments.get(business.id, moving.id);
      assert.equal(kept?.start.getTime(), hour(10).getTime());
      assert.equal(kept?.calendar?.state, "error");
      assert.match(kept?.calendar?.lastError ?? "", /clashes with another appointment/);
      assert.equal(
        (await appointments.get(business.id, other.id))?.start.getTime(),
        hour(14).getTime(),
      );
      assert.equal((await ownerTexts("owner-calendar-clash")).length, 1);
    });
  });
});
