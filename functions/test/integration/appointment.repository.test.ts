import { strict as assert } from "node:assert";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { FirestoreAppointmentRepository } from "../../src/adapters/firestore/appointment.repository";
import type { Appointment } from "../../src/domain/scheduling/appointment";

const MINUTE = 60_000;
const NINE_AM = Date.UTC(2026, 11, 1, 9, 0);

function appointment(
  businessId: string,
  id: string,
  startMinutes: number,
  durationMinutes: number,
): Appointment {
  const start = new Date(NINE_AM + startMinutes * MINUTE);
  return {
    id,
    businessId,
    customerId: "+447700900111",
    customerName: "Test Caller",
    customerPhone: "+447700900111",
    address: "1 Test Street, Bristol BS1 1AA",
    serviceId: "dripping-tap",
    serviceName: "Dripping tap repair",
    problem: "tap dripping",
    start,
    end: new Date(start.getTime() + durationMinutes * MINUTE),
    status: "booked",
    source: "test",
    createdAt: new Date(NINE_AM - 86_400_000),
  };
}

describe("booking appointments in Firestore", () => {
  const repository = () => new FirestoreAppointmentRepository(appFirestore());
  let businessId: string;
  beforeEach(() => {
    businessId = `booking-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  });

  describe("when many callers claim the same slot at the same moment", () => {
    it("gives it to exactly one of them", async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          repository().book(appointment(businessId, `caller-${i}`, 0, 60)),
        ),
      );
      assert.equal(results.filter((r) => r.outcome === "booked").length, 1);
      assert.equal(results.filter((r) => r.outcome === "slot-taken").length, 11);
      const booked = await repository().listBooked(
        businessId,
        new Date(NINE_AM),
        new Date(NINE_AM + 86_400_000),
      );
      assert.equal(booked.length, 1);
    });
  });

  describe("when overlapping jobs of different lengths race", () => {
    it("never lets two of them hold the same time", async () => {
      // 90-min boiler service at 9:00, 60-min jobs at 9:30 and 10:00, 45-min quote at 10:15: all overlap the first.
      const racers = [
        appointment(businessId, "boiler", 0, 90),
        appointment(businessId, "tap", 30, 60),
        appointment(businessId, "drain", 60, 60),
        appointment(businessId, "quote", 75, 45),
      ];
      await Promise.all(racers.map((a) => repository().book(a)));
      const booked = await repository().listBooked(
        businessId,
        new Date(NINE_AM),
        new Date(NINE_AM + 86_400_000),
      );
      assert.ok(booked.length >= 1);
      for (const a of booked) {
        for (const b of booked) {
          if (a.id === b.id) continue;
          assert.ok(a.end <= b.start || b.end <= a.start, `${a.id} overlaps ${b.id}`);
        }
      }
    });
  });

  describe("when back-to-back jobs touch but do not overlap", () => {
    it("books both", async () => {
      const first = await repository().book(appointment(businessId, "first", 0, 60));
      const second = await repository().book(appointment(businessId, "second", 60, 60));
      assert.equal(first.outcome, "booked");
      assert.equal(second.outcome, "booked");
    });
  });

  describe("when a job with a clean-up buffer races the job after it", () => {
    it("keeps the buffer free: a booking starting inside it loses", async () => {
      // A 90-minute boiler service at 9:00 with 15 minutes of clean-up holds 9:00-10:45.
      const first = { ...appointment(businessId, "boiler", 0, 90), bufferMinutes: 15 };
      const [a, b] = await Promise.all([
        repository().book(first),
        repository().book(appointment(businessId, "next", 90, 60)),
      ]);
      assert.deepEqual([a.outcome, b.outcome].sort(), ["booked", "slot-taken"]);
      assert.equal(
        (await repository().book(appointment(businessId, "after", 105, 60))).outcome,
        a.outcome === "booked" ? "booked" : "slot-taken",
      );
    });

    it("frees the buffer with the job when it is cancelled", async () => {
      await repository().book({ ...appointment(businessId, "buffered", 0, 60), bufferMinutes: 30 });
      await repository().cancel(businessId, "buffered", "test", new Date(NINE_AM));
      assert.equal(
        (await repository().book(appointment(businessId, "into-buffer", 60, 30))).outcome,
        "booked",
      );
    });
  });

  describe("when the same booking is retried", () => {
    it("reports it as already booked instead of failing or duplicating", async () => {
      const original = appointment(businessId, "retried", 0, 60);
      assert.equal((await repository().book(original)).outcome, "booked");
      const again = await repository().book(original);
      assert.equal(again.outcome, "already-booked");
      const booked = await repository().listBooked(
        businessId,
        new Date(NINE_AM),
        new Date(NINE_AM + 86_400_000),
      );
      assert.equal(booked.length, 1);
    });
  });

  describe("when listing a day", () => {
    it("includes a job that started before the window but runs into it", async () => {
      await repository().book(appointment(businessId, "long", 0, 120));
      const booked = await repository().listBooked(
        businessId,
        new Date(NINE_AM + 60 * MINUTE),
        new Date(NINE_AM + 180 * MINUTE),
      );
      assert.deepEqual(
        booked.map((a) => a.id),
        ["long"],
      );
    });
  });
  describe("when an appointment is cancelled", () => {
    it("frees its time for someone else, and cancelling again changes nothing", async () => {
      await repository().book(appointment(businessId, "first", 0, 60));
      const at = new Date(NINE_AM - 3_600_000);
      const cancelled = await repository().cancel(businessId, "first", "customer by phone", at);
      assert.equal(cancelled?.status, "cancelled");
      assert.equal(cancelled?.cancelReason, "customer by phone");
      const again = await repository().cancel(businessId, "first", "twice", at);
      assert.equal(again?.cancelReason, "customer by phone");
      assert.equal(
        (await repository().book(appointment(businessId, "second", 0, 60))).outcome,
        "booked",
      );
      assert.equal(await repository().cancel(businessId, "missing", "x", at), null);
    });
  });

  describe("when an appointment is moved", () => {
    it("claims the new time, frees the old, and remembers where it was", async () => {
      await repository().book(appointment(businessId, "moving", 0, 60));
      const at = new Date(NINE_AM - 3_600_000);
      const result = await repository().reschedule(
        businessId,
        "moving",
        new Date(NINE_AM + 180 * MINUTE),
        new Date(NINE_AM + 240 * MINUTE),
        at,
      );
      assert.equal(result.outcome, "rescheduled");
      const stored = await repository().get(businessId, "moving");
      assert.equal(stored?.start.getTime(), NINE_AM + 180 * MINUTE);
      assert.equal(stored?.previousStart?.getTime(), NINE_AM);
      assert.equal(
        (await repository().book(appointment(businessId, "into-old", 0, 60))).outcome,
        "booked",
      );
      assert.equal(
        (await repository().book(appointment(businessId, "into-new", 180, 60))).outcome,
        "slot-taken",
      );
    });

    it("can move by half an hour, overlapping its own old time", async () => {
      await repository().book(appointment(businessId, "nudged", 0, 60));
      const result = await repository().reschedule(
        businessId,
        "nudged",
        new Date(NINE_AM + 30 * MINUTE),
        new Date(NINE_AM + 90 * MINUTE),
        new Date(NINE_AM - 3_600_000),
      );
      assert.equal(result.outcome, "rescheduled");
      assert.equal(
        (await repository().book(appointment(businessId, "early", 0, 30))).outcome,
        "booked",
      );
      assert.equal(
        (await repository().book(appointment(businessId, "late", 60, 30))).outcome,
        "slot-taken",
      );
    });

    it("refuses a time someone else holds and stays where it was", async () => {
      await repository().book(appointment(businessId, "stay", 0, 60));
      await repository().book(appointment(businessId, "blocker", 120, 60));
      const result = await repository().reschedule(
        businessId,
        "stay",
        new Date(NINE_AM + 90 * MINUTE),
        new Date(NINE_AM + 150 * MINUTE),
        new Date(NINE_AM - 3_600_000),
      );
      assert.equal(result.outcome, "slot-taken");
      assert.equal((await repository().get(businessId, "stay"))?.start.getTime(), NINE_AM);
      // Its own time is still held: the failed move released only what it had just claimed.
      assert.equal(
        (await repository().book(appointment(businessId, "intruder", 0, 60))).outcome,
        "slot-taken",
      );
      assert.equal(
        (await repository().book(appointment(businessId, "gap", 90, 30))).outcome,
        "booked",
      );
    });
  });

  describe("when a move overlapping its own time fails on someone else's", () => {
    it("keeps holding its own time", async () => {
      await repository().book(appointment(businessId, "own", 0, 60));
      await repository().book(appointment(businessId, "neighbour", 75, 30));
      const result = await repository().reschedule(
        businessId,
        "own",
        new Date(NINE_AM + 30 * MINUTE),
        new Date(NINE_AM + 90 * MINUTE),
        new Date(NINE_AM - 3_600_000),
      );
      assert.equal(result.outcome, "slot-taken");
      assert.equal(
        (await repository().book(appointment(businessId, "thief", 30, 30))).outcome,
        "slot-taken",
      );
      assert.equal(
        (await repository().book(appointment(businessId, "after", 60, 15))).outcome,
        "booked",
      );
    });
  });

  describe("when a customer's upcoming appointments are listed", () => {
    it("gives their booked ones from now on, soonest first", async () => {
      const mine = (id: string, start: number) => ({
        ...appointment(businessId, id, start, 60),
        customerId: "+447700900222",
      });
      await repository().book(mine("later", 300));
      await repository().book(mine("sooner", 120));
      await repository().book(mine("past", -600));
      await repository().book(appointment(businessId, "someone-else", 0, 60));
      await repository().book(mine("cancelled", 420));
      await repository().cancel(businessId, "cancelled", "test", new Date(NINE_AM));
      const upcoming = await repository().listUpcomingForCustomer(
        businessId,
        "+447700900222",
        new Date(NINE_AM),
      );
      assert.deepEqual(
        upcoming.map((a) => a.id),
        ["sooner", "later"],
      );
    });
  });

  describe("when an appointment is annotated", () => {
    it("records confirmation and calendar sync without touching its time", async () => {
      await repository().book(appointment(businessId, "noted", 0, 60));
      await repository().annotate(businessId, "noted", {
        confirmation: "confirmed",
        calendar: { state: "synced", eventId: "evt1", attempts: 1, updatedAt: new Date(NINE_AM) },
      });
      const stored = await repository().get(businessId, "noted");
      assert.equal(stored?.confirmation, "confirmed");
      assert.equal(stored?.calendar?.eventId, "evt1");
      assert.equal(stored?.start.getTime(), NINE_AM);
    });
  });
});
