import { strict as assert } from "node:assert";
import { DateTime } from "luxon";
import { FirestoreAppointmentRepository } from "../../src/adapters/firestore/appointment.repository";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { paths } from "../../src/adapters/firestore/paths";
import type { Business } from "../../src/domain/business/business";
import { Appointment, lockGranulesFor } from "../../src/domain/scheduling/appointment";
import { createTestTenant } from "../support/firestore-tenant";
import { simulatedCall } from "../support/simulated-call";
import { startWebhooksTestServer, WebhooksTestServer } from "../support/webhooks-test-server";

const MARGARET = {
  name: "Margaret Holloway",
  phone: "+441179460123",
  address: "14 Cotham Road, Bristol BS6 6DR",
};

describe("moving and cancelling a booking by phone, over HTTP, against Firestore", function () {
  this.timeout(30_000);
  let server: WebhooksTestServer;

  before(async () => {
    server = await startWebhooksTestServer();
  });
  after(async () => {
    await server.stop();
  });

  /** A tenant with Margaret and her drain unblock three days from now at 10:30. */
  async function tenantWithBooking(): Promise<{ business: Business; appointment: Appointment }> {
    const business = await createTestTenant({}, [MARGARET]);
    const start = DateTime.now()
      .setZone(business.timeZone)
      .plus({ days: 3 })
      .set({ hour: 10, minute: 30, second: 0, millisecond: 0 });
    const appointment: Appointment = {
      id: "apt-drain",
      businessId: business.id,
      customerId: MARGARET.phone,
      customerName: MARGARET.name,
      customerPhone: MARGARET.phone,
      address: MARGARET.address,
      serviceId: "drain-unblock",
      serviceName: "Drain unblock",
      problem: "Kitchen sink slow to drain",
      start: start.toJSDate(),
      end: start.plus({ hours: 1 }).toJSDate(),
      status: "booked",
      source: "seed",
      createdAt: new Date(),
    };
    const result = await new FirestoreAppointmentRepository(appFirestore()).book(appointment);
    assert.equal(result.outcome, "booked");
    return { business, appointment };
  }

  async function call(business: Business, lines: string[], from: string) {
    const { transcript, said } = await simulatedCall(server, business, lines, { from });
    return { transcript, said: said.join(" ") };
  }

  async function stored(business: Business) {
    return new FirestoreAppointmentRepository(appFirestore()).get(business.id, "apt-drain");
  }

  async function lockHolders(business: Business, start: Date, end: Date) {
    return Promise.all(
      lockGranulesFor(start, end).map(async (g) => {
        const lock = await appFirestore().doc(paths.slotLock(business.id, g)).get();
        return lock.exists ? lock.get("appointmentId") : null;
      }),
    );
  }

  describe("when Margaret rings to cancel", () => {
    it("cancels the appointment and frees its time", async () => {
      const { business, appointment } = await tenantWithBooking();
      const { transcript, said } = await call(
        business,
        ["I need to cancel my appointment", "yes", "yes", "no thanks, that's all"],
        MARGARET.phone,
      );
      assert.equal(transcript.ended, "hangup");
      assert.match(said, /Your drain unblock on .+ at 10:30 am — is that the one\?/);
      assert.match(said, /That's cancelled\. You'll get a text to confirm\./);
      const after = await stored(business);
      assert.equal(after?.status, "cancelled");
      assert.equal(after?.cancelReason, "customer by phone");
      assert.deepEqual(await lockHolders(business, appointment.start, appointment.end), [
        null,
        null,
        null,
        null,
      ]);
    });
  });

  describe("when Margaret rings to move it", () => {
    it("moves the appointment to the chosen time and frees the old one", async () => {
      const { business, appointment } = await tenantWithBooking();
      const { said } = await call(
        business,
        ["can I move my appointment", "yes", "the first one", "yes", "no thanks"],
        MARGARET.phone,
      );
      assert.match(said, /Done\. Your drain unblock is now on/);
      const after = await stored(business);
      assert.equal(after?.status, "booked");
      assert.notEqual(after?.start.getTime(), appointment.start.getTime());
      assert.equal(after?.previousStart?.getTime(), appointment.start.getTime());
      assert.equal(after && after.end.getTime() - after.start.getTime(), 60 * 60_000);
      const newHolders = after ? await lockHolders(business, after.start, after.end) : [];
      assert.ok(newHolders.every((h) => h === "apt-drain"));
      const oldHolders = await lockHolders(business, appointment.start, appointment.end);
      assert.ok(oldHolders.every((h) => h === null || h === "apt-drain"));
    });
  });

  describe("when someone rings from another number", () => {
    it("cancels after the name and postcode both match", async () => {
      const { business } = await tenantWithBooking();
      const { said } = await call(
        business,
        ["I need to cancel my appointment", "Margaret Holloway", "BS6 6DR", "yes", "yes", "no"],
        "+447700900555",
      );
      assert.match(said, /That's cancelled/);
      assert.equal((await stored(business))?.status, "cancelled");
    });

    it("reads out nothing and changes nothing when the postcode does not match", async () => {
      const { business } = await tenantWithBooking();
      const { said } = await call(
        business,
        ["I need to cancel my appointment", "Margaret Holloway", "BS7 8AA", "no thanks"],
        "+447700900555",
      );
      assert.match(said, /can't find an upcoming booking under those details/);
      assert.doesNotMatch(said, /Cotham|drain|10:30/i);
      assert.equal((await stored(business))?.status, "booked");
    });
  });
});
