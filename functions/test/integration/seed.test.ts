import { strict as assert } from "node:assert";
import { randomInt, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DateTime } from "luxon";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { FirestoreAppointmentRepository } from "../../src/adapters/firestore/appointment.repository";
import { FirestoreBusinessRepository } from "../../src/adapters/firestore/business.repository";
import { FirestoreCustomerRepository } from "../../src/adapters/firestore/customer.repository";
import { paths } from "../../src/adapters/firestore/paths";
import {
  DEFAULT_SEED_FILE,
  readSeedFile,
  seedAppointmentStart,
  seedDemoTenant,
  SeedFile,
} from "../../src/tools/seed";

const repoRoot = path.resolve(__dirname, "..", "..", "..", "..");
const demoSeed = readSeedFile(path.join(repoRoot, DEFAULT_SEED_FILE));

/** A copy of the demo seed under its own tenant id and number, so tests never share data. */
function isolatedSeedFile(edit: (seed: SeedFile) => unknown = (s) => s): string {
  const seed: SeedFile = structuredClone(demoSeed);
  seed.business.id = `seed-test-${randomUUID()}`;
  seed.business.phoneNumber = `+4411749${String(randomInt(0, 100_000)).padStart(5, "0")}`;
  const file = path.join(os.tmpdir(), `${seed.business.id}.json`);
  fs.writeFileSync(file, JSON.stringify(edit(seed)));
  return file;
}

/** Wednesday 25 November 2026, 10:00 in Bristol. */
const WEDNESDAY = DateTime.fromISO("2026-11-25T10:00", { zone: "Europe/London" }).toJSDate();

describe("seeding the demo tenant", () => {
  let db: ReturnType<typeof appFirestore>;
  before(() => {
    db = appFirestore();
  });

  describe("when the stack starts on an empty Firestore", () => {
    it("stores the business and routes its phone number to it", async () => {
      const file = isolatedSeedFile();
      const seed = readSeedFile(file);
      await seedDemoTenant(db, undefined, { file, now: WEDNESDAY });

      const business = await new FirestoreBusinessRepository(db).findByPhoneNumber(
        seed.business.phoneNumber,
      );
      assert.equal(business?.id, seed.business.id);
      assert.equal(business?.name, "Bristol Plumbing");
      assert.deepEqual(
        business?.services.map((s) => s.id),
        seed.business.services.map((s) => s.id),
      );
    });

    it("knows Margaret Holloway by her number, with her property notes", async () => {
      const file = isolatedSeedFile();
      const seed = readSeedFile(file);
      await seedDemoTenant(db, undefined, { file, now: WEDNESDAY });

      const margaret = await new FirestoreCustomerRepository(db).findByPhone(
        seed.business.id,
        "+441179460123",
      );
      assert.equal(margaret?.name, "Margaret Holloway");
      assert.match(margaret?.propertyNotes ?? "", /stopcock/);
    });

    it("books the appointments relative to today, on the business's wall clock", async () => {
      const file = isolatedSeedFile();
      const seed = readSeedFile(file);
      const summary = await seedDemoTenant(db, undefined, { file, now: WEDNESDAY });

      assert.deepEqual(
        summary.appointments.map((a) => a.outcome),
        ["booked", "booked", "booked"],
      );
      const booked = await new FirestoreAppointmentRepository(db).listBooked(
        seed.business.id,
        WEDNESDAY,
        DateTime.fromJSDate(WEDNESDAY).plus({ days: 7 }).toJSDate(),
      );
      const starts = booked.map((a) =>
        DateTime.fromJSDate(a.start, { zone: "Europe/London" }).toFormat("ccc HH:mm"),
      );
      // Thursday is today + 1; today + 3 is a Saturday, which is open in the morning.
      assert.deepEqual(starts, ["Thu 09:00", "Thu 14:00", "Sat 10:30"]);
      assert.ok(booked.every((a) => a.source === "seed" && a.status === "booked"));
      const boiler = booked.find((a) => a.serviceId === "boiler-service");
      assert.equal(boiler?.customerName, "Tom Okafor");
      assert.equal((boiler!.end.getTime() - boiler!.start.getTime()) / 60_000, 90);
    });

    it("claims the slot locks, so nobody can be booked over a seeded job", async () => {
      const file = isolatedSeedFile();
      const summary = await seedDemoTenant(db, undefined, { file, now: WEDNESDAY });
      const seeded = summary.appointments[0];

      // The 90-minute boiler service and its 15-minute clean-up cover seven 15-minute granules.
      const locks = await db
        .collection(`${paths.business(summary.businessId)}/slotLocks`)
        .where("appointmentId", "==", seeded.id)
        .get();
      const granules = locks.docs.map((d) => d.id).sort();
      assert.equal(granules.length, 7);
      assert.equal(granules[0], seeded.start.toISOString().slice(0, 16) + "Z");

      const clash = await new FirestoreAppointmentRepository(db).book({
        id: `clash-${randomUUID()}`,
        businessId: summary.businessId,
        customerId: "+447700900999",
        customerName: "Someone Else",
        customerPhone: "+447700900999",
        address: "1 Elsewhere",
        serviceId: "assessment",
        serviceName: "Plumbing assessment",
        problem: "A leak",
        start: new Date(seeded.start.getTime() + 30 * 60_000),
        end: new Date(seeded.start.getTime() + 90 * 60_000),
        status: "booked",
        source: "test",
        createdAt: WEDNESDAY,
      });
      assert.notEqual(clash.outcome, "booked");
    });

    it("records the owner as a user of the tenant", async () => {
      const file = isolatedSeedFile();
      const summary = await seedDemoTenant(db, undefined, { file, now: WEDNESDAY });

      const user = await db
        .doc(`${paths.business(summary.businessId)}/users/${summary.owner.uid}`)
        .get();
      assert.equal(user.get("email"), "dave@bristolplumbing.example");
      assert.equal(user.get("role"), "owner");
      assert.equal(summary.owner.createdInAuth, false, "no Auth handle was given");
    });

    it("records the staff login as a staff user of the tenant", async () => {
      const file = isolatedSeedFile();
      const summary = await seedDemoTenant(db, undefined, { file, now: WEDNESDAY });
      assert.equal(summary.staff.length, 1);
      const [mia] = summary.staff;
      assert.notEqual(mia.uid, summary.owner.uid);
      const user = await db.doc(`${paths.business(summary.businessId)}/users/${mia.uid}`).get();
      assert.equal(user.get("email"), "mia@bristolplumbing.example");
      assert.equal(user.get("role"), "staff");
    });
  });

  describe("when it runs twice", () => {
    it("leaves one copy of everything", async () => {
      const file = isolatedSeedFile();
      const first = await seedDemoTenant(db, undefined, { file, now: WEDNESDAY });
      const second = await seedDemoTenant(db, undefined, { file, now: WEDNESDAY });

      assert.deepEqual(
        second.appointments.map((a) => [a.id, a.outcome]),
        first.appointments.map((a) => [a.id, "already-booked"]),
      );
      const appointments = await db.collection(paths.appointments(first.businessId)).get();
      assert.equal(appointments.size, 3);
      const customers = await db.collection(paths.customers(first.businessId)).get();
      assert.equal(customers.size, 3);
    });
  });

  describe("when an appointment falls on a closed day", () => {
    it("moves it to the next open day at the same wall-clock time, across the clocks going forward", () => {
      const business = demoSeed.business;
      // Saturday 28 March 2026; Sunday is closed and the clocks go forward that night.
      const saturday = DateTime.fromISO("2026-03-28T12:00", { zone: "Europe/London" }).toJSDate();

      const start = seedAppointmentStart(business, saturday, 1, "09:00");

      assert.equal(start.toISODate(), "2026-03-30");
      assert.equal(start.toUTC().toISO(), "2026-03-30T08:00:00.000Z");
    });
  });

  describe("when the seed file is wrong", () => {
    it("refuses it, naming the bad field", async () => {
      const file = isolatedSeedFile((seed) => ({
        ...seed,
        business: { ...seed.business, phoneNumber: "01174960000" },
      }));
      await assert.rejects(seedDemoTenant(db, undefined, { file }), /phoneNumber/);
    });

    it("refuses an appointment for a customer it does not list", async () => {
      const file = isolatedSeedFile((seed) => {
        seed.appointments[0].customerPhone = "+447700900000";
        return seed;
      });
      await assert.rejects(
        seedDemoTenant(db, undefined, { file, now: WEDNESDAY }),
        /no customer with phone \+447700900000/,
      );
    });
  });
});
