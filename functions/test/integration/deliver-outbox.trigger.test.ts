import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { Timestamp } from "firebase-admin/firestore";
import functionsTest from "firebase-functions-test";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { FirestoreOutboxRepository } from "../../src/adapters/firestore/outbox.repository";
import { paths } from "../../src/adapters/firestore/paths";
import { TransientDeliveryError } from "../../src/app/deliver-outbox-message";
import type { NewOutboxMessage } from "../../src/domain/delivery/outbox-message";
import { deliverOutboxMessage } from "../../src/triggers/firestore/deliver-outbox.trigger";
import { TEST_PROJECT_ID } from "../support/root-hooks";
import { fakeAccountSid, TwilioFakeServer } from "../support/twilio-fake.server";

const authToken = "trigger-test-auth-token";
const accountSid = fakeAccountSid();
const businessNumber = "+441174960000";
const ownerMobile = "+447700900001";
const TWILIO_ENV = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_BASE_URL"] as const;

describe("the outbox delivery trigger", () => {
  const fake = new TwilioFakeServer({ accountSid, authToken });
  const fft = functionsTest({ projectId: TEST_PROJECT_ID });
  const wrapped = fft.wrap(deliverOutboxMessage);
  let baseUrl = "";
  let businessId = "";

  before(async () => {
    ({ baseUrl } = await fake.start());
  });
  after(async () => {
    for (const name of TWILIO_ENV) delete process.env[name];
    fft.cleanup();
    await fake.stop();
  });
  beforeEach(async () => {
    fake.reset();
    process.env.TWILIO_ACCOUNT_SID = accountSid;
    process.env.TWILIO_AUTH_TOKEN = authToken;
    process.env.TWILIO_API_BASE_URL = baseUrl;
    businessId = `biz-${randomUUID()}`;
    await appFirestore().doc(paths.business(businessId)).set({
      id: businessId,
      name: "Bristol Plumbing",
      phoneNumber: businessNumber,
      ownerMobile,
    });
  });

  async function queue(overrides: Partial<NewOutboxMessage> = {}): Promise<string> {
    const id = `booking-confirmation-${randomUUID()}`;
    const outcome = await new FirestoreOutboxRepository(appFirestore()).enqueue({
      id,
      businessId,
      to: "+447700900123",
      body: "Hi Sam, your boiler service is booked for Tue 10 Mar at 10:00.",
      purpose: "booking-confirmation",
      relatedId: "apt-1",
      ...overrides,
    });
    assert.equal(outcome, "queued");
    return id;
  }

  /** Delivers the document-created event, as Firestore would (again, if asked twice). */
  async function runTrigger(messageId: string, eventId: string = randomUUID()): Promise<void> {
    const snapshot = await appFirestore().doc(paths.outboxMessage(businessId, messageId)).get();
    await wrapped({ id: eventId, data: snapshot, params: { businessId, messageId } });
  }

  async function stored(messageId: string) {
    const snapshot = await appFirestore().doc(paths.outboxMessage(businessId, messageId)).get();
    return snapshot.data() ?? {};
  }

  async function expectRetryThrown(run: Promise<void>): Promise<void> {
    await assert.rejects(run, (error) => error instanceof TransientDeliveryError);
  }

  describe("when a message is queued", () => {
    it("sends it through Twilio once and records SUCCESS with the sid", async () => {
      const id = await queue();

      await runTrigger(id);

      const doc = await stored(id);
      const [sent] = fake.sentMessages();
      assert.equal(fake.sentMessages().length, 1);
      assert.equal(doc.status, "SUCCESS");
      assert.equal(doc.twilioSid, sent.sid);
      assert.equal(doc.twilioStatus, "queued");
      assert.equal(doc.attempts, 1);
      assert.equal(sent.to, "+447700900123");
      assert.equal(sent.from, businessNumber);
    });

    it("leaves a claim document for the attempt", async () => {
      const id = await queue();

      await runTrigger(id, "event-for-claim");

      const claim = await appFirestore()
        .doc(paths.outboxClaim(businessId, id, 1))
        .get();
      assert.equal(claim.get("eventId"), "event-for-claim");
      assert.ok(claim.get("leaseExpiresAt") instanceof Timestamp);
    });
  });

  describe("when the event is delivered twice", () => {
    it("still sends exactly one SMS", async () => {
      const id = await queue();
      const eventId = randomUUID();

      await runTrigger(id, eventId);
      await runTrigger(id, eventId);

      assert.equal(fake.sendRequests().length, 1);
      assert.equal((await stored(id)).status, "SUCCESS");
    });

    it("sends exactly one SMS when both deliveries run at once", async () => {
      const id = await queue();

      await Promise.allSettled([runTrigger(id), runTrigger(id)]);
      await runTrigger(id);

      assert.equal(fake.sendRequests().length, 1);
      assert.equal((await stored(id)).status, "SUCCESS");
    });
  });

  describe("when Twilio fails transiently", () => {
    it("throws for a platform retry, then succeeds on it with two attempts", async () => {
      const id = await queue();
      fake.failNext({ kind: "error", status: 503, message: "Service Unavailable" });

      await expectRetryThrown(runTrigger(id));
      const afterFailure = await stored(id);
      assert.equal(afterFailure.status, "RETRY");
      assert.match(String(afterFailure.lastError), /503/);
      assert.ok(afterFailure.nextAttemptAt instanceof Timestamp);

      // The platform redelivers after its own delay; make the backoff have passed.
      await appFirestore()
        .doc(paths.outboxMessage(businessId, id))
        .update({ nextAttemptAt: Timestamp.fromMillis(Date.now() - 1000) });
      await runTrigger(id);

      const doc = await stored(id);
      assert.equal(doc.status, "SUCCESS");
      assert.equal(doc.attempts, 2);
      assert.equal(fake.sentMessages().length, 1);
      assert.equal(fake.sendRequests().length, 2);
    });

    it("does not call Twilio again while the backoff lasts", async () => {
      const id = await queue();
      fake.failNext({ kind: "error", status: 429, code: 20429, message: "Too Many Requests" });
      await expectRetryThrown(runTrigger(id));

      await expectRetryThrown(runTrigger(id));

      assert.equal(fake.sendRequests().length, 1);
      assert.equal((await stored(id)).attempts, 1);
    });
  });

  describe("when Twilio rejects the recipient", () => {
    it("records ERROR with Twilio's code and returns without throwing", async () => {
      const id = await queue();
      fake.failNext({
        kind: "error",
        status: 400,
        code: 21211,
        message: "The 'To' number +447700900123 is not a valid phone number.",
      });

      await runTrigger(id);

      const doc = await stored(id);
      assert.equal(doc.status, "ERROR");
      assert.equal(doc.lastErrorCode, 21211);
      assert.equal(fake.sentMessages().length, 0);
    });
  });

  describe("when no Twilio credentials are configured", () => {
    it("records the message as SIMULATED without calling Twilio", async () => {
      delete process.env.TWILIO_ACCOUNT_SID;
      const id = await queue();

      await runTrigger(id);

      assert.equal((await stored(id)).status, "SIMULATED");
      assert.equal(fake.requests.length, 0);
    });
  });

  describe("when the same message is queued twice", () => {
    it("stores it once", async () => {
      const repository = new FirestoreOutboxRepository(appFirestore());
      const message: NewOutboxMessage = {
        id: "owner-new-booking-apt-9",
        businessId,
        to: "+447700900456",
        body: "New booking: boiler service, Tue 10:00.",
        purpose: "owner-new-booking",
      };

      const outcomes = [await repository.enqueue(message), await repository.enqueue(message)];

      assert.deepEqual(outcomes, ["queued", "already-queued"]);
      const doc = await stored(message.id);
      assert.equal(doc.status, "PENDING");
      assert.equal(doc.attempts, 0);
    });
  });

  async function pastBackoff(messageId: string): Promise<void> {
    // The platform redelivers after its own delay; make the backoff have passed.
    await appFirestore()
      .doc(paths.outboxMessage(businessId, messageId))
      .update({ nextAttemptAt: Timestamp.fromMillis(Date.now() - 1000) });
  }

  describe("when Twilio took the message but the connection dropped before its answer", () => {
    it("finds it on the retry and records it, leaving exactly one message at Twilio", async () => {
      const id = await queue();
      fake.failNext({ kind: "accept-then-reset" });

      await expectRetryThrown(runTrigger(id));
      assert.equal((await stored(id)).outcomeUnknown, true);
      await pastBackoff(id);
      await runTrigger(id);

      const doc = await stored(id);
      assert.equal(fake.sentMessages().length, 1);
      assert.equal(fake.sendRequests().length, 1);
      assert.equal(doc.status, "SUCCESS");
      assert.equal(doc.reconciled, true);
      assert.equal(doc.twilioSid, fake.sentMessages()[0].sid);
    });
  });

  describe("when a message is sent", () => {
    it("indexes its Twilio SID and asks for status callbacks at its own URL", async () => {
      process.env.PUBLIC_WEBHOOK_BASE_URL = "https://example.test";
      try {
        const id = await queue();

        await runTrigger(id);

        const [sent] = fake.sentMessages();
        const index = await appFirestore().doc(paths.smsBySid(sent.sid)).get();
        assert.deepEqual(index.data(), { businessId, messageId: id });
        assert.equal(
          sent.status_callback,
          `https://example.test/smsStatusCallback/${businessId}/${id}`,
        );
      } finally {
        delete process.env.PUBLIC_WEBHOOK_BASE_URL;
      }
    });
  });

  describe("when the customer replied STOP", () => {
    it("records ERROR without calling Twilio", async () => {
      await appFirestore()
        .doc(paths.customer(businessId, "+447700900123"))
        .set({ name: "Sam", phone: "+447700900123", smsOptedOut: true });
      const id = await queue();

      await runTrigger(id);

      const doc = await stored(id);
      assert.equal(doc.status, "ERROR");
      assert.equal(doc.lastError, "recipient opted out (replied STOP)");
      assert.equal(fake.requests.length, 0);
    });
  });

  describe("when the number is written the local way", () => {
    it("sends to it in E.164", async () => {
      const id = await queue({ to: "07700 900123" });

      await runTrigger(id);

      assert.equal(fake.sentMessages()[0].to, "+447700900123");
    });
  });

  describe("when Twilio says the customer's number is not a mobile", () => {
    it("lists it for the owner and texts the owner once", async () => {
      await appFirestore()
        .doc(paths.customer(businessId, "+447700900123"))
        .set({ name: "Sam Jones", phone: "+447700900123" });
      const id = await queue();
      fake.failNext({ kind: "error", status: 400, code: 21614, message: "not a mobile" });

      await runTrigger(id);
      await runTrigger(id);

      const attention = await appFirestore().doc(paths.attentionItem(businessId, id)).get();
      assert.equal(attention.get("kind"), "sms-failed");
      assert.equal(attention.get("to"), "+44******0123");
      assert.equal(attention.get("reason"), "not a mobile number");
      assert.ok(attention.get("at") instanceof Timestamp);
      const notice = await stored(`owner-sms-failed-${id}`);
      assert.equal(notice.to, ownerMobile);
      assert.equal(notice.purpose, "owner-sms-failed");
      assert.equal(notice.body, "Couldn't text Sam Jones (+447700900123): not a mobile number");
    });
  });
});
