import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import type { DocumentSnapshot } from "firebase-admin/firestore";
import functionsTest from "firebase-functions-test";
import { FirestoreAppointmentRepository } from "../../src/adapters/firestore/appointment.repository";
import { FirestoreBusinessRepository } from "../../src/adapters/firestore/business.repository";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { FirestoreOutboxRepository } from "../../src/adapters/firestore/outbox.repository";
import { paths } from "../../src/adapters/firestore/paths";
import { FirestoreScheduledSmsRepository } from "../../src/adapters/firestore/scheduled-sms.repository";
import { SMS_RESCHEDULE_REASON } from "../../src/app/handle-inbound-sms";
import { notifyAppointmentChange } from "../../src/app/notify-appointment-change";
import { sendDueSms, type DueResult, type SendDueDeps } from "../../src/app/send-due-sms";
import type { Business } from "../../src/domain/business/business";
import { scheduledSmsId } from "../../src/domain/notifications/scheduled-sms";
import type { Appointment } from "../../src/domain/scheduling/appointment";
import { appointmentNotifications } from "../../src/triggers/firestore/appointment-notifications.trigger";
import { ManualClock, RecordingLogger } from "../support/in-memory-outbox.store";
import { aBusiness } from "../support/call-fixtures";
import { createTestTenant } from "../support/firestore-tenant";
import { TEST_PROJECT_ID } from "../support/root-hooks";

const DAY = 86_400_000;
const CUSTOMER = "+447700900222";

function anAppointment(businessId: string, start: Date, overrides: Partial<Appointment> = {}) {
  const appointment: Appointment = {
    id: `apt-${randomUUID().slice(0, 8)}`,
    businessId,
    customerId: CUSTOMER,
    customerName: "Tom Okafor",
    customerPhone: CUSTOMER,
    address: "3 Gloucester Road, Bristol BS7 8AA",
    serviceId: "boiler-service",
    serviceName: "Boiler service",
    problem: "Annual boiler service",
    start,
    end: new Date(start.getTime() + 90 * 60_000),
    status: "booked",
    source: "CA-test",
    createdAt: new Date(),
    ...overrides,
  };
  return appointment;
}

async function outboxIds(businessId: string): Promise<string[]> {
  const snapshot = await appFirestore().collection(paths.outbox(businessId)).get();
  return snapshot.docs.map((d) => d.id).sort();
}

async function queued(businessId: string, outboxId: string) {
  const doc = await appFirestore()
    .doc(paths.scheduledSmsItem(scheduledSmsId(businessId, outboxId)))
    .get();
  return doc.data();
}

describe("the appointment notifications trigger", () => {
  const fft = functionsTest({ projectId: TEST_PROJECT_ID });
  const wrapped = fft.wrap(appointmentNotifications);
  const db = () => appFirestore();
  const appointments = () => new FirestoreAppointmentRepository(db());
  let business: Business;

  after(() => fft.cleanup());
  beforeEach(async () => {
    // The trigger runs on the real clock: test tenants have no quiet hours or night by default.
    business = await createTestTenant();
  });

  /** Runs `write` and delivers the document-written event it causes (twice when asked). */
  async function changeAndNotify(
    appointmentId: string,
    write: () => Promise<unknown>,
    deliveries = 1,
  ): Promise<void> {
    const ref = db().doc(paths.appointment(business.id, appointmentId));
    const before: DocumentSnapshot = await ref.get();
    await write();
    const after: DocumentSnapshot = await ref.get();
    const event = {
      id: randomUUID(),
      data: fft.makeChange(before, after),
      params: { businessId: business.id, appointmentId },
    };
    for (let i = 0; i < deliveries; i++) await wrapped(event);
  }

  /** Ten o'clock (UTC) three days from now: always in the future, never today or tomorrow. */
  function inThreeDays(): Date {
    const start = new Date(Date.now() + 3 * DAY);
    start.setUTCHours(10, 0, 0, 0);
    return start;
  }

  describe("when a booking is created", () => {
    it("queues the owner's alert and both reminders, once however often the event comes", async () => {
      const appointment = anAppointment(business.id, inThreeDays());

      await changeAndNotify(appointment.id, () => appointments().book(appointment), 3);

      assert.deepEqual(await outboxIds(business.id), [`owner-new-booking-${appointment.id}`]);
      const start = appointment.start.getTime();
      const dayBefore = await queued(business.id, `reminder-${appointment.id}-day-before-${start}`);
      assert.equal(dayBefore?.status, "waiting");
      assert.equal(dayBefore?.dueAt.toMillis(), start - DAY);
      assert.equal(dayBefore?.kind, "reminder");
      const twoHours = await queued(business.id, `reminder-${appointment.id}-two-hours-${start}`);
      assert.equal(twoHours?.dueAt.toMillis(), start - 2 * 3_600_000);
    });

    it("texts nobody about an appointment the seed wrote", async () => {
      const appointment = anAppointment(business.id, inThreeDays(), { source: "seed" });
      await changeAndNotify(appointment.id, () => appointments().book(appointment));
      assert.deepEqual(await outboxIds(business.id), []);
    });
  });

  describe("when a booking is cancelled", () => {
    it("alerts the owner, confirms to the customer and drops the reminders", async () => {
      const appointment = anAppointment(business.id, inThreeDays());
      await changeAndNotify(appointment.id, () => appointments().book(appointment));

      await changeAndNotify(
        appointment.id,
        () => appointments().cancel(business.id, appointment.id, "customer replied 2", new Date()),
        2,
      );

      assert.deepEqual(await outboxIds(business.id), [
        `cancelled-${appointment.id}`,
        `owner-cancelled-${appointment.id}`,
        `owner-new-booking-${appointment.id}`,
      ]);
      const start = appointment.start.getTime();
      const reminder = await queued(business.id, `reminder-${appointment.id}-day-before-${start}`);
      assert.equal(reminder?.status, "skipped");
    });
  });

  describe("when a booking is moved to tomorrow", () => {
    it("confirms the new time to the customer, alerts the owner and re-plans reminders", async () => {
      const appointment = anAppointment(business.id, inThreeDays());
      await changeAndNotify(appointment.id, () => appointments().book(appointment));
      const tomorrow = new Date(appointment.start.getTime() - 2 * DAY + 4 * 3_600_000);

      await changeAndNotify(
        appointment.id,
        () =>
          appointments().reschedule(
            business.id,
            appointment.id,
            tomorrow,
            new Date(tomorrow.getTime() + 90 * 60_000),
            new Date(),
          ),
        2,
      );

      const ids = await outboxIds(business.id);
      assert.equal(
        ids.filter((id) => id.startsWith(`moved-${appointment.id}-${tomorrow.getTime()}-`)).length,
        1,
      );
      assert.equal(ids.filter((id) => id.startsWith(`owner-moved-${appointment.id}-`)).length, 1);
      const oldStart = appointment.start.getTime();
      const old = await queued(business.id, `reminder-${appointment.id}-two-hours-${oldStart}`);
      assert.equal(old?.status, "skipped");
      const fresh = await queued(
        business.id,
        `reminder-${appointment.id}-two-hours-${tomorrow.getTime()}`,
      );
      assert.equal(fresh?.status, "waiting");
    });
  });

  describe("when the customer moved the booking by text themselves", () => {
    it("reads who moved it from the stored document and sends no second confirmation", async () => {
      const appointment = anAppointment(business.id, inThreeDays());
      await changeAndNotify(appointment.id, () => appointments().book(appointment));
      const later = new Date(appointment.start.getTime() + DAY);
      await changeAndNotify(
        appointment.id,
        () =>
          appointments().reschedule(
            business.id,
            appointment.id,
            later,
            new Date(later.getTime() + 90 * 60_000),
            new Date(),
            SMS_RESCHEDULE_REASON,
          ),
        2,
      );
      const ids = await outboxIds(business.id);
      assert.equal(ids.filter((id) => id.startsWith(`moved-${appointment.id}-`)).length, 0);
    });
  });
});

describe("sending due texts from Firestore, on a controlled clock", () => {
  let business: Business;
  let clock: ManualClock;
  const db = () => appFirestore();

  // A fixed past timeline: other suites' texts, due by the real clock, are not due on this one.
  const BOOKED_AT = new Date("2026-03-24T12:00:00Z");
  const setNow = (iso: string) => clock.advance(new Date(iso).getTime() - clock.now().getTime());

  function deps(): SendDueDeps {
    const outbox = new FirestoreOutboxRepository(db(), clock);
    return {
      scheduled: new FirestoreScheduledSmsRepository(db(), () => clock.now()),
      businesses: new FirestoreBusinessRepository(db()),
      appointments: new FirestoreAppointmentRepository(db()),
      recipients: outbox,
      outbox,
      clock,
      logger: new RecordingLogger(),
    };
  }

  async function book(start: string): Promise<Appointment> {
    const appointment = anAppointment(business.id, new Date(start), { createdAt: BOOKED_AT });
    const result = await new FirestoreAppointmentRepository(db()).book(appointment);
    assert.equal(result.outcome, "booked");
    await notifyAppointmentChange(
      { businessId: business.id, appointmentId: appointment.id, before: null, after: appointment },
      { ...deps(), logger: new RecordingLogger() },
    );
    return appointment;
  }

  const mine = (results: DueResult[]) => results.filter((r) => r.item.businessId === business.id);
  const reminderIds = async () =>
    (await outboxIds(business.id)).filter((id) => id.startsWith("reminder-"));

  beforeEach(async () => {
    // A controlled clock: the demo tenant's quiet hours and customer night apply.
    business = await createTestTenant({ notifications: aBusiness().notifications });
    clock = new ManualClock(BOOKED_AT);
  });

  it("sends a due reminder once, however often the job runs", async () => {
    // Thu 26 Mar 2026 10:00 GMT.
    const appointment = await book("2026-03-26T10:00:00Z");
    setNow("2026-03-25T10:00:00Z");

    const first = mine(await sendDueSms(deps()));
    const second = mine(await sendDueSms(deps()));

    assert.deepEqual(
      first.map((r) => r.result.outcome),
      ["queued"],
    );
    assert.deepEqual(second, []);
    const id = `reminder-${appointment.id}-day-before-${appointment.start.getTime()}`;
    assert.deepEqual(await reminderIds(), [id]);
    const sent = await db().doc(paths.outboxMessage(business.id, id)).get();
    assert.equal(sent.get("purpose"), "appointment-reminder");
    assert.match(
      String(sent.get("body")),
      /Reply YES to confirm, 2 to cancel, 3 for a new time\.$/,
    );
    assert.equal((await queued(business.id, id))?.status, "sent");
    const stored = await new FirestoreAppointmentRepository(db()).get(business.id, appointment.id);
    assert.equal(stored?.confirmation, "requested");
  });

  it("queues each due text once when runs overlap", async () => {
    await book("2026-03-26T10:00:00Z");
    await book("2026-03-26T14:00:00Z");
    setNow("2026-03-25T14:00:00Z");

    const runs = await Promise.all([sendDueSms(deps()), sendDueSms(deps()), sendDueSms(deps())]);

    const outcomes = runs.flatMap((r) => mine(r)).map((r) => r.result.outcome);
    assert.equal(outcomes.filter((o) => o === "queued").length, 2, outcomes.join(", "));
    assert.equal((await reminderIds()).length, 2);
  });

  it("skips the reminder of a cancelled appointment, and of one already past", async () => {
    const cancelled = await book("2026-03-26T10:00:00Z");
    await new FirestoreAppointmentRepository(db()).cancel(
      business.id,
      cancelled.id,
      "owner",
      BOOKED_AT,
    );
    const past = await book("2026-03-26T11:00:00Z");
    setNow("2026-03-26T11:30:00Z");

    const results = mine(await sendDueSms(deps()));

    const reasons = results.map((r) =>
      r.result.outcome === "skipped" ? r.result.reason : r.result.outcome,
    );
    assert.ok(reasons.includes("appointment cancelled"), reasons.join(", "));
    assert.ok(
      reasons.some((r) => /already started/.test(r)),
      reasons.join(", "),
    );
    assert.deepEqual(await reminderIds(), []);
    const pastReminder = `reminder-${past.id}-two-hours-${past.start.getTime()}`;
    assert.equal((await queued(business.id, pastReminder))?.status, "skipped");
  });

  it("sends a reminder due in the customer's night when the night ends, across the clocks going forward", async () => {
    // Sun 29 Mar 2026 09:00 BST (08:00Z): two hours before is 07:00 BST, in the night.
    const appointment = await book("2026-03-29T08:00:00Z");
    const id = `reminder-${appointment.id}-two-hours-${appointment.start.getTime()}`;
    assert.equal(
      (await queued(business.id, id))?.dueAt.toDate().toISOString(),
      "2026-03-29T07:00:00.000Z",
    );

    setNow("2026-03-29T06:30:00Z");
    await sendDueSms(deps());
    assert.ok(!(await reminderIds()).includes(id));

    setNow("2026-03-29T07:00:00Z");
    await sendDueSms(deps());
    assert.ok((await reminderIds()).includes(id));
  });

  it("moves a reminder the job finds late at night to the morning", async () => {
    const appointment = await book("2026-03-27T14:00:00Z");
    const id = `reminder-${appointment.id}-day-before-${appointment.start.getTime()}`;
    setNow("2026-03-26T21:00:00Z");

    const [result] = mine(await sendDueSms(deps())).filter((r) => r.item.outboxId === id);

    assert.equal(result.result.outcome, "deferred");
    assert.equal(
      (await queued(business.id, id))?.dueAt.toDate().toISOString(),
      "2026-03-27T08:00:00.000Z",
    );
    assert.deepEqual(await reminderIds(), []);
  });
});
