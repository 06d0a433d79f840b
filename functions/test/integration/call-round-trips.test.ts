import { strict as assert } from "node:assert";
import { deleteApp, initializeApp, type App } from "firebase-admin/app";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import { FirestoreAppointmentRepository } from "../../src/adapters/firestore/appointment.repository";
import { FirestoreBusinessRepository } from "../../src/adapters/firestore/business.repository";
import { FirestoreCallWriter } from "../../src/adapters/firestore/call-writer";
import { FirestoreConversationRepository } from "../../src/adapters/firestore/conversation.repository";
import { FirestoreCustomerRepository } from "../../src/adapters/firestore/customer.repository";
import { FirestoreHoldRepository } from "../../src/adapters/firestore/hold.repository";
import { FirestoreOutboxRepository } from "../../src/adapters/firestore/outbox.repository";
import { paths } from "../../src/adapters/firestore/paths";
import { CallDeps, handleCallTurn, recordCallEnded, startCall } from "../../src/app/handle-call";
import type { Business } from "../../src/domain/business/business";
import { FirestoreRoundTripCounter, RoundTripCount } from "../support/firestore-round-trips";
import { createTestTenant } from "../support/firestore-tenant";
import { ManualClock, RecordingLogger } from "../support/in-memory-outbox.store";

const NOW = new Date("2026-11-25T10:00:00Z");
const CALL_SID = `CA${"5".repeat(32)}`;

/**
 * What a call costs in Firestore round trips, counted on the wire (a proxy
 * reading the gRPC frames): the caller waits for every one of them.
 */
describe("Firestore round trips of a booking call", () => {
  let counter: FirestoreRoundTripCounter;
  let app: App;
  let db: Firestore;
  let deps: CallDeps;
  let business: Business;
  const trips: Record<string, RoundTripCount> = {};

  async function measured<T>(name: string, work: () => Promise<T>): Promise<T> {
    counter.take();
    const result = await work();
    trips[name] = counter.take();
    return result;
  }

  before(async function () {
    this.timeout(30_000);
    business = await createTestTenant();
    const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? "").split(":");
    counter = new FirestoreRoundTripCounter({ host, port: Number(port) });
    const proxied = await counter.start();
    app = initializeApp({ projectId: process.env.GCLOUD_PROJECT }, `round-trips-${Date.now()}`);
    db = getFirestore(app);
    // FIRESTORE_EMULATOR_HOST names the host; a port given in settings wins over its port.
    db.settings({ port: Number(proxied.split(":")[1]), ignoreUndefinedProperties: true });
    const clock = new ManualClock(NOW);
    deps = {
      businesses: new FirestoreBusinessRepository(db),
      customers: new FirestoreCustomerRepository(db, () => clock.now()),
      appointments: new FirestoreAppointmentRepository(db),
      conversations: new FirestoreConversationRepository(db),
      outbox: new FirestoreOutboxRepository(db, clock),
      writer: new FirestoreCallWriter(db, () => clock.now()),
      holds: new FirestoreHoldRepository(db),
      clock,
      logger: new RecordingLogger(),
    };
    // A warm instance: the tenant's config and number route are cached, as after the first call.
    await deps.businesses.findByPhoneNumber(business.phoneNumber);

    const call = { callSid: CALL_SID, from: "+447700900321", to: business.phoneNumber };
    await measured("incoming", () => startCall(call, deps));
    const turn = (step: number, speech: string) =>
      handleCallTurn(
        { businessId: business.id, callSid: CALL_SID, step, speech, confidence: 0.9 },
        deps,
      );
    await measured("offers", () =>
      turn(1, "Hi, this is Sam Patel at 12 Oak Road, Bristol BS6 5AB, my kitchen tap is dripping"),
    );
    await measured("choice", () => turn(2, "the first one"));
    await measured("booking", () => turn(3, "yes please"));
    await measured("goodbye", () => turn(4, "no that's all, thanks"));
    await measured("status", () =>
      recordCallEnded(
        { businessId: business.id, callSid: CALL_SID, callStatus: "completed" },
        deps,
      ),
    );
  });

  after(async () => {
    counter.stop();
    await deleteApp(app);
  });

  it("books the job, so the figures are of a real booking", async () => {
    const conversation = await db.doc(paths.conversation(business.id, CALL_SID)).get();
    assert.equal(conversation.get("outcome"), "booked");
    assert.equal((conversation.get("appointmentIds") as string[]).length, 1);
  });

  it("greets a caller in three: the saved settings, their customer record, the new conversation", () => {
    // Settings are read afresh for each new call, so an owner's change applies to the next call.
    assert.deepEqual(trips.incoming, { requests: 3, roundTrips: 3 });
  });

  it("answers a turn that needs no diary in one read and one write", () => {
    assert.deepEqual(trips.choice, { requests: 2, roundTrips: 2 });
    assert.deepEqual(trips.goodbye, { requests: 2, roundTrips: 2 });
  });

  it("books in one read and one commit: locks, appointment, text, holds and conversation together", () => {
    assert.deepEqual(trips.booking, { requests: 2, roundTrips: 2 });
  });

  it("offers times with one more read, the diary and other callers' holds read together", () => {
    assert.equal(trips.offers.roundTrips, 3, JSON.stringify(trips.offers));
    assert.equal(trips.offers.requests, 4, JSON.stringify(trips.offers));
  });
});
