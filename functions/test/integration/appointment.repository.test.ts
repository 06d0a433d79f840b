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
});
