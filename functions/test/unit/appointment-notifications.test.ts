import { dashboardReason } from "../../src/app/dashboard-actions";
import { strict as assert } from "node:assert";
import { notifyAppointmentChange, type NotifyDeps } from "../../src/app/notify-appointment-change";
import { SMS_CANCEL_REASON, SMS_RESCHEDULE_REASON } from "../../src/app/handle-inbound-sms";
import { sendDueSms, type SendDueDeps } from "../../src/app/send-due-sms";
import type { Business } from "../../src/domain/business/business";
import { notificationIds, scheduledSmsId } from "../../src/domain/notifications/scheduled-sms";
import type { Appointment } from "../../src/domain/scheduling/appointment";
import {
  aBusiness,
  InMemoryAppointmentStore,
  InMemoryBusinessDirectory,
  InMemoryOutboxQueue,
  ManualClock,
  RecordingLogger,
} from "../support/call-fixtures";
import { InMemoryRecipients, InMemoryScheduledSmsQueue } from "../support/in-memory-scheduled-sms";

const TOM = "+447700900222";

function aWorld(now: string, business: Business = aBusiness()) {
  const clock = new ManualClock(new Date(now));
  const world = {
    business,
    clock,
    outbox: new InMemoryOutboxQueue(),
    scheduled: new InMemoryScheduledSmsQueue(),
    recipients: new InMemoryRecipients(),
    appointments: new InMemoryAppointmentStore(),
    businesses: new InMemoryBusinessDirectory(business),
    logger: new RecordingLogger(),
  };
  const notifyDeps: NotifyDeps = world;
  const sendDeps: SendDueDeps = world;
  return { ...world, notifyDeps, sendDeps };
}

function anAppointment(overrides: Partial<Appointment> = {}): Appointment {
  return {
    id: "apt-1",
    businessId: "bristol-plumbing",
    customerId: TOM,
    customerName: "Tom Okafor",
    customerPhone: TOM,
    address: "3 Gloucester Road, Bristol BS7 8AA",
    serviceId: "boiler-service",
    serviceName: "Boiler service",
    problem: "Annual boiler service",
    start: new Date("2026-11-27T10:00:00Z"),
    end: new Date("2026-11-27T11:30:00Z"),
    status: "booked",
    source: "CA123",
    createdAt: new Date("2026-11-25T12:00:00Z"),
    ...overrides,
  };
}

/** Moves the world's clock to this instant. */
function setNow(w: ReturnType<typeof aWorld>, iso: string): void {
  w.clock.advance(new Date(iso).getTime() - w.clock.now().getTime());
}

const write = (before: Appointment | null, after: Appointment | null) => ({
  businessId: "bristol-plumbing",
  appointmentId: "apt-1",
  before,
  after,
});

describe("notifying an appointment change", () => {
  describe("when a booking is made in the afternoon", () => {
    it("alerts the owner at once and schedules both reminders", async () => {
      const w = aWorld("2026-11-25T12:00:00Z");
      const appointment = anAppointment();

      await notifyAppointmentChange(write(null, appointment), w.notifyDeps);

      const [alert] = w.outbox.byPurpose("owner-new-booking");
      assert.equal(alert.id, "owner-new-booking-apt-1");
      assert.equal(alert.to, w.business.ownerMobile);
      assert.match(alert.body, /Tom Okafor 07700 900222/);
      const start = appointment.start.getTime();
      const dayBefore = w.scheduled.get("bristol-plumbing", `reminder-apt-1-day-before-${start}`);
      const twoHours = w.scheduled.get("bristol-plumbing", `reminder-apt-1-two-hours-${start}`);
      assert.equal(dayBefore.dueAt.toISOString(), "2026-11-26T10:00:00.000Z");
      assert.equal(twoHours.dueAt.toISOString(), "2026-11-27T08:00:00.000Z");
      assert.equal(w.outbox.messages.length, 1, "nothing to the customer: the call confirmed it");
    });

    it("stores everything once when the event is delivered twice", async () => {
      const w = aWorld("2026-11-25T12:00:00Z");

      await notifyAppointmentChange(write(null, anAppointment()), w.notifyDeps);
      await notifyAppointmentChange(write(null, anAppointment()), w.notifyDeps);

      assert.equal(w.outbox.messages.length, 1);
      assert.equal(w.scheduled.items.size, 2);
    });

    it("does not alert an owner who switched new-booking alerts off", async () => {
      const business = aBusiness();
      business.notifications.ownerAlerts.newBooking = false;
      const w = aWorld("2026-11-25T12:00:00Z", business);

      await notifyAppointmentChange(write(null, anAppointment()), w.notifyDeps);

      assert.equal(w.outbox.messages.length, 0);
      assert.equal(w.scheduled.items.size, 2, "reminders still");
    });
  });

  describe("when a booking is made in the owner's quiet hours", () => {
    it("holds the owner's alert until 07:00", async () => {
      const w = aWorld("2026-11-25T22:30:00Z");

      await notifyAppointmentChange(write(null, anAppointment()), w.notifyDeps);

      assert.equal(w.outbox.messages.length, 0);
      const held = w.scheduled.get("bristol-plumbing", "owner-new-booking-apt-1");
      assert.equal(held.dueAt.toISOString(), "2026-11-26T07:00:00.000Z");
      assert.equal(held.kind, "owner-alert");
      assert.match(held.body ?? "", /^New booking: Tom Okafor/);
    });
  });

  describe("when the demo seed writes an appointment", () => {
    it("texts nobody and schedules nothing", async () => {
      const w = aWorld("2026-11-25T12:00:00Z");
      await notifyAppointmentChange(write(null, anAppointment({ source: "seed" })), w.notifyDeps);
      assert.equal(w.outbox.messages.length + w.scheduled.items.size, 0);
    });
  });

  describe("when a booking is cancelled", () => {
    it("alerts the owner, confirms to the customer and drops the reminders", async () => {
      const w = aWorld("2026-11-25T12:00:00Z");
      const booked = anAppointment();
      await notifyAppointmentChange(write(null, booked), w.notifyDeps);
      const cancelled = {
        ...booked,
        status: "cancelled" as const,
        cancelReason: "customer replied 2",
      };

      await notifyAppointmentChange(write(booked, cancelled), w.notifyDeps);

      assert.match(
        w.outbox.byPurpose("owner-cancellation")[0].body,
        /^Cancelled \(customer replied 2\)/,
      );
      const [confirmation] = w.outbox.byPurpose("appointment-cancelled");
      assert.equal(confirmation.id, "cancelled-apt-1");
      assert.equal(
        confirmation.body,
        "Bristol Plumbing: your boiler service on Fri 27 Nov at 10am is cancelled. To book again call 0117 496 0000.",
      );
      assert.deepEqual(w.scheduled.waiting(), []);
    });

    it("sends the customer nothing once they have opted out", async () => {
      const w = aWorld("2026-11-25T12:00:00Z");
      w.recipients.optedOut.add(TOM);
      const booked = anAppointment();

      await notifyAppointmentChange(
        write(booked, { ...booked, status: "cancelled" }),
        w.notifyDeps,
      );

      assert.equal(w.outbox.byPurpose("appointment-cancelled").length, 0);
      assert.equal(w.outbox.byPurpose("owner-cancellation").length, 1);
    });

    it("does not text a customer who cancelled by SMS: the reply to their text was the ack", async () => {
      const w = aWorld("2026-11-25T12:00:00Z");
      const booked = anAppointment();
      const cancelled = {
        ...booked,
        status: "cancelled" as const,
        cancelReason: SMS_CANCEL_REASON,
      };

      await notifyAppointmentChange(write(booked, cancelled), w.notifyDeps);

      assert.equal(w.outbox.byPurpose("appointment-cancelled").length, 0);
      assert.equal(w.outbox.byPurpose("owner-cancellation").length, 1);
    });

    it("texts the customer but not the owner who cancelled it on the dashboard", async () => {
      const w = aWorld("2026-11-25T12:00:00Z");
      const booked = anAppointment();
      const cancelled = {
        ...booked,
        status: "cancelled" as const,
        cancelReason: `${dashboardReason("owner")}: customer rang`,
      };

      await notifyAppointmentChange(write(booked, cancelled), w.notifyDeps);

      assert.equal(w.outbox.byPurpose("appointment-cancelled").length, 1);
      assert.equal(w.outbox.byPurpose("owner-cancellation").length, 0);
    });

    it("holds the customer's confirmation until their night ends", async () => {
      const w = aWorld("2026-11-25T21:00:00Z");
      const booked = anAppointment();

      await notifyAppointmentChange(
        write(booked, { ...booked, status: "cancelled" }),
        w.notifyDeps,
      );

      const held = w.scheduled.get("bristol-plumbing", "cancelled-apt-1");
      assert.equal(held.dueAt.toISOString(), "2026-11-26T08:00:00.000Z");
    });
  });

  describe("when a booking is moved", () => {
    const from = anAppointment();
    const moved = (start: string, changedAt: string) =>
      anAppointment({
        start: new Date(start),
        end: new Date(new Date(start).getTime() + 90 * 60_000),
        previousStart: from.start,
        updatedAt: new Date(changedAt),
      });

    it("confirms the new time, alerts the owner when it touches tomorrow, and re-plans reminders", async () => {
      const w = aWorld("2026-11-26T12:00:00Z");
      await notifyAppointmentChange(write(null, from), w.notifyDeps);
      const after = moved("2026-12-02T14:00:00Z", "2026-11-26T12:00:00Z");

      await notifyAppointmentChange(write(from, after), w.notifyDeps);

      const [confirmation] = w.outbox.byPurpose("appointment-moved");
      const startMillis = after.start.getTime();
      assert.equal(confirmation.id, `moved-apt-1-${startMillis}-${after.updatedAt?.getTime()}`);
      assert.match(confirmation.body, /has moved to Wed 2 Dec at 2pm, 3 Gloucester Road/);
      assert.match(
        w.outbox.byPurpose("owner-schedule-change")[0].body,
        /from tomorrow 10am to Wed 2 Dec 2pm/,
      );
      assert.deepEqual(
        w.scheduled
          .waiting()
          .map((i) => i.outboxId)
          .sort(),
        [`reminder-apt-1-day-before-${startMillis}`, `reminder-apt-1-two-hours-${startMillis}`],
      );
    });

    it("sends no second confirmation when the customer moved it by text themselves", async () => {
      const w = aWorld("2026-11-26T12:00:00Z");
      const after = {
        ...moved("2026-12-02T14:00:00Z", "2026-11-26T12:00:00Z"),
        rescheduleReason: SMS_RESCHEDULE_REASON,
      };
      await notifyAppointmentChange(write(from, after), w.notifyDeps);
      assert.equal(w.outbox.byPurpose("appointment-moved").length, 0);
      assert.equal(
        w.outbox.byPurpose("owner-schedule-change").length,
        1,
        "the owner still hears of it",
      );
    });

    it("texts the customer but not the owner who moved it on the dashboard; staff's moves reach the owner", async () => {
      const w = aWorld("2026-11-26T12:00:00Z");
      const byOwner = {
        ...moved("2026-12-02T14:00:00Z", "2026-11-26T12:00:00Z"),
        rescheduleReason: dashboardReason("owner"),
      };
      await notifyAppointmentChange(write(from, byOwner), w.notifyDeps);
      assert.equal(w.outbox.byPurpose("appointment-moved").length, 1);
      assert.equal(w.outbox.byPurpose("owner-schedule-change").length, 0);

      const byStaff = { ...byOwner, rescheduleReason: dashboardReason("staff") };
      const other = aWorld("2026-11-26T12:00:00Z");
      await notifyAppointmentChange(write(from, byStaff), other.notifyDeps);
      assert.equal(other.outbox.byPurpose("appointment-moved").length, 1);
      assert.equal(other.outbox.byPurpose("owner-schedule-change").length, 1);
    });

    it("does not alert the owner about a move between two days next week", async () => {
      const w = aWorld("2026-11-20T12:00:00Z");
      await notifyAppointmentChange(
        write(from, moved("2026-12-02T14:00:00Z", "2026-11-20T12:00:00Z")),
        w.notifyDeps,
      );
      assert.equal(w.outbox.byPurpose("owner-schedule-change").length, 0);
      assert.equal(w.outbox.byPurpose("appointment-moved").length, 1);
    });

    it("tells the customer again when it is moved away and back", async () => {
      const w = aWorld("2026-11-20T12:00:00Z");
      const away = moved("2026-12-02T14:00:00Z", "2026-11-20T12:00:00Z");
      const back = {
        ...from,
        previousStart: away.start,
        updatedAt: new Date("2026-11-20T13:00:00Z"),
      };

      await notifyAppointmentChange(write(null, from), w.notifyDeps);
      await notifyAppointmentChange(write(from, away), w.notifyDeps);
      await notifyAppointmentChange(write(away, back), w.notifyDeps);

      assert.equal(w.outbox.byPurpose("appointment-moved").length, 2);
      const start = from.start.getTime();
      assert.equal(
        w.scheduled.get("bristol-plumbing", `reminder-apt-1-day-before-${start}`).status,
        "waiting",
      );
    });
  });
});

describe("sending due texts", () => {
  async function booked(w: ReturnType<typeof aWorld>, appointment = anAppointment()) {
    w.appointments.add(appointment);
    await notifyAppointmentChange(write(null, appointment), w.notifyDeps);
    return appointment;
  }

  it("sends a reminder once it is due, and asks the customer to confirm", async () => {
    const w = aWorld("2026-11-25T12:00:00Z");
    await booked(w);
    setNow(w, "2026-11-26T10:00:00Z");

    const results = await sendDueSms(w.sendDeps);

    assert.deepEqual(
      results.map((r) => r.result.outcome),
      ["queued"],
    );
    const [reminder] = w.outbox.byPurpose("appointment-reminder");
    assert.equal(
      reminder.body,
      "Bristol Plumbing: reminder, boiler service on Fri 27 Nov at 10am, 3 Gloucester Road, Bristol BS7 8AA. " +
        "Reply YES to confirm, 2 to cancel, 3 for a new time.",
    );
    assert.equal(
      (await w.appointments.get("bristol-plumbing", "apt-1"))?.confirmation,
      "requested",
    );
  });

  it("sends only the latest reminder when both fall due in one run: the same words twice would be a duplicate", async () => {
    const w = aWorld("2026-11-25T12:00:00Z");
    await booked(w);
    // The job did not run between the day-before and the two-hour reminder.
    setNow(w, "2026-11-27T08:30:00Z");

    const results = await sendDueSms(w.sendDeps);

    assert.deepEqual(results.map((r) => r.result.outcome).sort(), ["queued", "skipped"]);
    const skipped = results.find((r) => r.result.outcome === "skipped");
    assert.match(skipped?.item.outboxId ?? "", /day-before/);
    assert.equal(w.outbox.byPurpose("appointment-reminder").length, 1);
    assert.match(w.outbox.byPurpose("appointment-reminder")[0].id, /two-hours/);
  });

  it("sends nothing before it is due, and nothing twice when run again", async () => {
    const w = aWorld("2026-11-25T12:00:00Z");
    await booked(w);
    setNow(w, "2026-11-26T09:59:00Z");
    assert.deepEqual(await sendDueSms(w.sendDeps), []);
    setNow(w, "2026-11-26T10:05:00Z");
    await sendDueSms(w.sendDeps);
    await sendDueSms(w.sendDeps);
    assert.equal(w.outbox.byPurpose("appointment-reminder").length, 1);
  });

  it("skips the reminder of a cancelled appointment", async () => {
    const w = aWorld("2026-11-25T12:00:00Z");
    await booked(w);
    await w.appointments.cancel("bristol-plumbing", "apt-1", "owner", new Date());
    setNow(w, "2026-11-26T10:00:00Z");

    const [result] = await sendDueSms(w.sendDeps);

    assert.deepEqual(result.result, { outcome: "skipped", reason: "appointment cancelled" });
    assert.equal(w.outbox.byPurpose("appointment-reminder").length, 0);
  });

  it("skips the old time's reminder of an appointment moved since", async () => {
    const w = aWorld("2026-11-25T12:00:00Z");
    await booked(w);
    await w.appointments.reschedule(
      "bristol-plumbing",
      "apt-1",
      new Date("2026-11-27T14:00:00Z"),
      new Date("2026-11-27T15:30:00Z"),
      new Date(),
    );
    setNow(w, "2026-11-26T10:00:00Z");

    const [result] = await sendDueSms(w.sendDeps);

    assert.equal(result.result.outcome, "skipped");
    assert.match(result.result.outcome === "skipped" ? result.result.reason : "", /moved/);
  });

  it("skips a customer who opted out", async () => {
    const w = aWorld("2026-11-25T12:00:00Z");
    await booked(w);
    w.recipients.optedOut.add(TOM);
    setNow(w, "2026-11-26T10:00:00Z");

    const [result] = await sendDueSms(w.sendDeps);

    assert.deepEqual(result.result, { outcome: "skipped", reason: "customer opted out" });
  });

  it("defers a reminder found due inside the night to the morning", async () => {
    const w = aWorld("2026-11-25T12:00:00Z");
    await booked(w);
    setNow(w, "2026-11-26T21:00:00Z");
    // A reminder late into the night (the job was down): the day-before one, still waiting.
    const [result] = await sendDueSms(w.sendDeps);

    assert.equal(result.result.outcome, "deferred");
    const id = notificationIds.reminder("apt-1", "day-before", anAppointment().start.getTime());
    assert.equal(
      w.scheduled.items.get(scheduledSmsId("bristol-plumbing", id))?.dueAt.toISOString(),
      "2026-11-27T08:00:00.000Z",
    );
    assert.equal(w.outbox.messages.filter((m) => m.purpose === "appointment-reminder").length, 0);
  });

  it("sends a held owner alert when quiet hours end", async () => {
    const w = aWorld("2026-11-25T22:30:00Z");
    await booked(w);
    setNow(w, "2026-11-26T07:00:00Z");

    await sendDueSms(w.sendDeps);

    assert.equal(w.outbox.byPurpose("owner-new-booking").length, 1);
  });

  it("keeps going when one text fails, and leaves it waiting for the next run", async () => {
    const w = aWorld("2026-11-25T12:00:00Z");
    await booked(w);
    await booked(
      w,
      anAppointment({
        id: "apt-2",
        start: new Date("2026-11-27T13:00:00Z"),
        end: new Date("2026-11-27T14:00:00Z"),
      }),
    );
    setNow(w, "2026-11-26T13:00:00Z");
    const enqueue = w.outbox.enqueue.bind(w.outbox);
    w.outbox.enqueue = async (message) => {
      if (message.relatedId === "apt-1") throw new Error("deadline exceeded");
      return enqueue(message);
    };

    const results = await sendDueSms(w.sendDeps);

    assert.deepEqual(results.map((r) => r.result.outcome).sort(), ["failed", "queued"]);
    assert.equal(
      w.scheduled
        .waiting()
        .filter(
          (i) =>
            i.kind === "reminder" && i.appointmentId === "apt-1" && i.windowId === "day-before",
        ).length,
      1,
    );
  });
});
