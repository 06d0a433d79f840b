import { strict as assert } from "node:assert";
import {
  deliverOutboxMessage,
  TransientDeliveryError,
  type DeliverOutboxDeps,
} from "../../src/app/deliver-outbox-message";
import { CLAIM_LEASE_MS, MAX_ATTEMPTS } from "../../src/domain/delivery/delivery.state-machine";
import type { NewOutboxMessage } from "../../src/domain/delivery/outbox-message";
import { SmsSendError } from "../../src/ports/sms-gateway.port";
import {
  InMemoryAttentionBoard,
  InMemoryOutboxStore,
  InMemoryRecipients,
  ManualClock,
  RecordingLogger,
  RecordingSmsHistory,
  ScriptedSmsGateway,
} from "../support/in-memory-outbox.store";

const ref = { businessId: "bristol-plumbing", messageId: "booking-confirmation-apt-1" };
const message: NewOutboxMessage = {
  id: ref.messageId,
  businessId: ref.businessId,
  to: "+447700900123",
  body: "Hi Sam, your boiler service is booked for Tue 10 Mar at 10:00.",
  purpose: "booking-confirmation",
  relatedId: "apt-1",
};
const businessNumber = "+441174960000";
const ownerMobile = "+447700900001";

function setup(options: { credentials?: boolean } = {}) {
  const clock = new ManualClock(new Date("2026-03-10T09:00:00Z"));
  const store = new InMemoryOutboxStore(clock);
  store.profiles.set(ref.businessId, {
    phoneNumber: businessNumber,
    defaultCountry: "GB",
    ownerMobile,
  });
  const gateway = new ScriptedSmsGateway(clock);
  const logger = new RecordingLogger();
  const recipients = new InMemoryRecipients();
  const attention = new InMemoryAttentionBoard();
  const history = new RecordingSmsHistory();
  const deps: DeliverOutboxDeps = {
    history,
    store,
    outbox: store,
    recipients,
    attention,
    gateway: options.credentials === false ? undefined : gateway,
    clock,
    logger,
    statusCallbackUrl: "https://example.test/smsStatusCallback",
  };
  return { clock, store, gateway, logger, recipients, attention, history, deps };
}

const transient = () =>
  new SmsSendError({ permanent: false, httpStatus: 503, message: "Twilio 503: unavailable" });

async function rejection(run: Promise<unknown>): Promise<TransientDeliveryError> {
  try {
    await run;
  } catch (error) {
    assert.ok(error instanceof TransientDeliveryError, `unexpected ${String(error)}`);
    return error;
  }
  assert.fail("expected delivery to throw for a retry");
}

describe("delivering an outbox message", () => {
  describe("when Twilio accepts it", () => {
    it("sends once from the business's number and records the sid", async () => {
      const { store, gateway, deps } = setup();
      await store.enqueue(message);

      const result = await deliverOutboxMessage(ref, deps);

      assert.equal(result.kind, "sent");
      assert.deepEqual(gateway.sent, [
        {
          to: message.to,
          from: businessNumber,
          body: message.body,
          statusCallbackUrl:
            "https://example.test/smsStatusCallback/bristol-plumbing/booking-confirmation-apt-1",
        },
      ]);
      const stored = store.get(ref);
      assert.equal(stored.status, "SUCCESS");
      assert.equal(stored.attempts, 1);
      assert.ok(result.kind === "sent");
      assert.equal(stored.twilioSid, result.twilioSid);
      assert.match(stored.twilioSid ?? "", /^SM/);
      assert.equal(stored.twilioStatus, "queued");
    });

    it("uses the message's own sender when it names one", async () => {
      const { store, gateway, deps } = setup();
      await store.enqueue({ ...message, from: "+441174960999" });

      await deliverOutboxMessage(ref, deps);

      assert.equal(gateway.sent[0].from, "+441174960999");
    });
  });

  describe("when the same event is delivered again", () => {
    it("does not send a second time", async () => {
      const { store, gateway, deps } = setup();
      await store.enqueue(message);

      await deliverOutboxMessage(ref, deps);
      const again = await deliverOutboxMessage(ref, deps);

      assert.deepEqual(again, { kind: "already-final", status: "SUCCESS" });
      assert.equal(gateway.sent.length, 1);
    });

    it("lets only one of two concurrent runs send", async () => {
      const { store, gateway, deps } = setup();
      await store.enqueue(message);

      const results = await Promise.allSettled([
        deliverOutboxMessage(ref, deps),
        deliverOutboxMessage(ref, deps),
      ]);

      assert.equal(gateway.sent.length, 1);
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
      const rejected = results.find((r) => r.status === "rejected");
      assert.ok(
        rejected?.status === "rejected" && rejected.reason instanceof TransientDeliveryError,
      );
    });
  });

  describe("when Twilio fails transiently", () => {
    it("records a retry with backoff and throws so the platform retries", async () => {
      const { clock, store, gateway, deps } = setup();
      await store.enqueue(message);
      gateway.failNext(transient());

      const error = await rejection(deliverOutboxMessage(ref, deps));

      const stored = store.get(ref);
      assert.equal(stored.status, "RETRY");
      assert.equal(stored.attempts, 1);
      assert.equal(stored.lastError, "Twilio 503: unavailable");
      assert.deepEqual(stored.nextAttemptAt, new Date(clock.now().getTime() + 30_000));
      assert.deepEqual(error.retryAfter, stored.nextAttemptAt);
    });

    it("does not try again before the backoff has passed", async () => {
      const { clock, store, gateway, deps } = setup();
      await store.enqueue(message);
      gateway.failNext(transient());
      await rejection(deliverOutboxMessage(ref, deps));
      clock.advance(10_000);

      await rejection(deliverOutboxMessage(ref, deps));

      assert.equal(gateway.sent.length, 1);
      assert.equal(store.get(ref).attempts, 1);
    });

    it("succeeds on the retry after the backoff, with two attempts", async () => {
      const { clock, store, gateway, deps } = setup();
      await store.enqueue(message);
      gateway.failNext(transient());
      await rejection(deliverOutboxMessage(ref, deps));
      clock.advance(30_000);

      const result = await deliverOutboxMessage(ref, deps);

      assert.equal(result.kind, "sent");
      assert.equal(store.get(ref).status, "SUCCESS");
      assert.equal(store.get(ref).attempts, 2);
      assert.equal(gateway.sent.length, 2);
    });

    it("gives up with ERROR after the last attempt, without throwing", async () => {
      const { clock, store, gateway, deps } = setup();
      await store.enqueue(message);
      for (let i = 0; i < MAX_ATTEMPTS; i += 1) gateway.failNext(transient());

      for (let i = 1; i < MAX_ATTEMPTS; i += 1) {
        await rejection(deliverOutboxMessage(ref, deps));
        clock.advance(60 * 60_000);
      }
      const result = await deliverOutboxMessage(ref, deps);

      assert.equal(result.kind, "failed");
      assert.equal(store.get(ref).status, "ERROR");
      assert.equal(store.get(ref).attempts, MAX_ATTEMPTS);
      assert.equal(gateway.sent.length, MAX_ATTEMPTS);
    });

    it("retries a failure it cannot classify", async () => {
      const { store, gateway, deps } = setup();
      await store.enqueue(message);
      gateway.failNext(new Error("socket hang up"));

      await rejection(deliverOutboxMessage(ref, deps));

      assert.equal(store.get(ref).status, "RETRY");
    });
  });

  describe("when Twilio rejects the message permanently", () => {
    it("records ERROR with Twilio's code and does not throw", async () => {
      const { store, gateway, logger, deps } = setup();
      await store.enqueue(message);
      gateway.failNext(
        new SmsSendError({
          permanent: true,
          code: 21211,
          httpStatus: 400,
          message: "Twilio 400 (21211): The 'To' number +447700900123 is not a valid phone number.",
        }),
      );

      const result = await deliverOutboxMessage(ref, deps);

      assert.equal(result.kind, "failed");
      const stored = store.get(ref);
      assert.equal(stored.status, "ERROR");
      assert.equal(stored.lastErrorCode, 21211);
      const logged = logger.lines.find((l) => l.event === "sms.failed");
      assert.ok(logged, "the failure is logged");
      assert.doesNotMatch(String(logged.fields.error), /447700900123/);
    });

    it("records ERROR without calling Twilio when the recipient is not a phone number", async () => {
      const { store, gateway, deps } = setup();
      await store.enqueue({ ...message, to: "not a number" });

      const result = await deliverOutboxMessage(ref, deps);

      assert.equal(result.kind, "failed");
      assert.equal(gateway.sent.length, 0);
      assert.match(store.get(ref).lastError ?? "", /recipient/);
    });

    it("records ERROR when the business has no sending number", async () => {
      const { store, gateway, deps } = setup();
      store.profiles.set(ref.businessId, { defaultCountry: "GB", ownerMobile });
      await store.enqueue(message);

      await deliverOutboxMessage(ref, deps);

      assert.equal(store.get(ref).status, "ERROR");
      assert.equal(gateway.sent.length, 0);
    });
  });

  describe("when no Twilio credentials are configured", () => {
    it("records the message as simulated and prints its text", async () => {
      const { store, logger, deps } = setup({ credentials: false });
      await store.enqueue(message);

      const result = await deliverOutboxMessage(ref, deps);

      assert.deepEqual(result, { kind: "simulated", attempt: 1 });
      assert.equal(store.get(ref).status, "SIMULATED");
      const line = logger.lines.find((l) => l.fields.event === "sms.simulated");
      assert.ok(line);
      assert.match(line.event, /^\[simulated SMS\] to \+44\*+0123: Hi Sam, your boiler service/);
    });
  });

  describe("when a worker died holding an attempt", () => {
    it("waits while its lease lasts", async () => {
      const { clock, store, gateway, deps } = setup();
      await store.enqueue(message);
      await store.claimAttempt(ref, {
        attempt: 1,
        claimedAt: clock.now(),
        leaseExpiresAt: new Date(clock.now().getTime() + CLAIM_LEASE_MS),
      });

      const error = await rejection(deliverOutboxMessage(ref, deps));

      assert.match(error.message, /lease-held/);
      assert.equal(gateway.sent.length, 0);
    });

    it("takes over with the next attempt once the lease has expired", async () => {
      const { clock, store, gateway, deps } = setup();
      await store.enqueue(message);
      await store.claimAttempt(ref, {
        attempt: 1,
        claimedAt: clock.now(),
        leaseExpiresAt: new Date(clock.now().getTime() + CLAIM_LEASE_MS),
      });
      clock.advance(CLAIM_LEASE_MS + 1);

      const result = await deliverOutboxMessage(ref, deps);

      assert.deepEqual(result.kind, "sent");
      assert.equal(store.get(ref).attempts, 2);
      assert.equal(gateway.sent.length, 1);
    });

    it("records ERROR when the abandoned attempt was the last one", async () => {
      const { clock, store, gateway, deps } = setup();
      await store.enqueue(message);
      await store.claimAttempt(ref, {
        attempt: MAX_ATTEMPTS,
        claimedAt: clock.now(),
        leaseExpiresAt: new Date(clock.now().getTime() + CLAIM_LEASE_MS),
      });
      clock.advance(CLAIM_LEASE_MS + 1);

      const result = await deliverOutboxMessage(ref, deps);

      assert.equal(result.kind, "failed");
      assert.equal(store.get(ref).status, "ERROR");
      assert.equal(gateway.sent.length, 0);
    });
  });

  describe("when the message does not exist", () => {
    it("reports it missing without sending", async () => {
      const { gateway, deps } = setup();

      assert.deepEqual(await deliverOutboxMessage(ref, deps), { kind: "missing" });
      assert.equal(gateway.sent.length, 0);
    });
  });
});

const lostAnswer = () =>
  new SmsSendError({
    permanent: false,
    outcomeUnknown: true,
    message: "Twilio unreachable (ECONNABORTED): timeout of 8000ms exceeded",
  });

describe("delivering after an attempt whose outcome is unknown", () => {
  describe("when Twilio took the message but its answer was lost", () => {
    it("finds it at Twilio on the retry and records it sent, without sending again", async () => {
      const { clock, store, gateway, deps } = setup();
      await store.enqueue(message);
      gateway.acceptNextThenFail(lostAnswer());

      await rejection(deliverOutboxMessage(ref, deps));
      assert.equal(store.get(ref).outcomeUnknown, true);
      clock.advance(30_000);
      const result = await deliverOutboxMessage(ref, deps);

      assert.deepEqual(result, {
        kind: "sent",
        attempt: 2,
        twilioSid: gateway.accepted[0].sid,
        reconciled: true,
      });
      assert.equal(gateway.accepted.length, 1, "exactly one message at the carrier");
      assert.equal(gateway.sent.length, 1);
      const stored = store.get(ref);
      assert.equal(stored.status, "SUCCESS");
      assert.equal(stored.reconciled, true);
      assert.equal(stored.twilioSid, gateway.accepted[0].sid);
      assert.deepEqual(gateway.lookups[0], {
        to: message.to,
        from: businessNumber,
        body: message.body,
        createdSince: new Date(stored.createdAt.getTime() - 5 * 60_000),
      });
    });
  });

  describe("when the lost attempt never reached Twilio", () => {
    it("looks first, finds nothing, and sends", async () => {
      const { clock, store, gateway, deps } = setup();
      await store.enqueue(message);
      gateway.failNext(lostAnswer());

      await rejection(deliverOutboxMessage(ref, deps));
      clock.advance(30_000);
      const result = await deliverOutboxMessage(ref, deps);

      assert.equal(result.kind, "sent");
      assert.equal(gateway.lookups.length, 1);
      assert.equal(gateway.accepted.length, 1);
      assert.equal(store.get(ref).reconciled, undefined);
    });
  });

  describe("when Twilio answered with an error", () => {
    it("retries without a lookup, since Twilio said it has nothing", async () => {
      const { clock, store, gateway, deps } = setup();
      await store.enqueue(message);
      gateway.failNext(transient());

      await rejection(deliverOutboxMessage(ref, deps));
      clock.advance(30_000);
      await deliverOutboxMessage(ref, deps);

      assert.equal(gateway.lookups.length, 0);
      assert.equal(store.get(ref).outcomeUnknown, undefined);
    });
  });

  describe("when the worker died after claiming", () => {
    it("finds the message its send created and records it, instead of sending twice", async () => {
      const { clock, store, gateway, deps } = setup();
      await store.enqueue(message);
      await store.claimAttempt(ref, {
        attempt: 1,
        claimedAt: clock.now(),
        leaseExpiresAt: new Date(clock.now().getTime() + CLAIM_LEASE_MS),
      });
      // The dead worker's send reached Twilio before it died.
      await gateway.send({ to: message.to, from: businessNumber, body: message.body });
      clock.advance(CLAIM_LEASE_MS + 1);

      const result = await deliverOutboxMessage(ref, deps);

      assert.equal(result.kind, "sent");
      assert.equal(gateway.accepted.length, 1);
      assert.equal(store.get(ref).attempts, 2);
      assert.equal(store.get(ref).reconciled, true);
    });

    it("finds it even when the dead attempt was the last one", async () => {
      const { clock, store, gateway, deps } = setup();
      await store.enqueue(message);
      await store.claimAttempt(ref, {
        attempt: MAX_ATTEMPTS,
        claimedAt: clock.now(),
        leaseExpiresAt: new Date(clock.now().getTime() + CLAIM_LEASE_MS),
      });
      await gateway.send({ to: message.to, from: businessNumber, body: message.body });
      clock.advance(CLAIM_LEASE_MS + 1);

      const result = await deliverOutboxMessage(ref, deps);

      assert.equal(result.kind, "sent");
      assert.equal(store.get(ref).status, "SUCCESS");
    });
  });

  describe("when the lookup at Twilio fails", () => {
    it("does not send blind: it retries the lookup later", async () => {
      const { clock, store, gateway, deps } = setup();
      await store.enqueue(message);
      gateway.failNext(lostAnswer());
      await rejection(deliverOutboxMessage(ref, deps));
      clock.advance(30_000);
      gateway.failNextLookup(transient());

      await rejection(deliverOutboxMessage(ref, deps));

      assert.equal(gateway.sent.length, 1);
      assert.equal(store.get(ref).status, "RETRY");
      assert.equal(store.get(ref).outcomeUnknown, true);
    });
  });

  describe("when a status callback already reported the message's SID", () => {
    it("records it sent without asking Twilio or sending", async () => {
      const { clock, store, gateway, deps } = setup();
      await store.enqueue(message);
      gateway.failNext(lostAnswer());
      await rejection(deliverOutboxMessage(ref, deps));
      await store.applyCarrierStatus(ref, {
        sid: "SM" + "a".repeat(32),
        status: "sent",
        at: clock.now(),
      });
      clock.advance(30_000);

      const result = await deliverOutboxMessage(ref, deps);

      assert.equal(result.kind, "sent");
      assert.equal(gateway.lookups.length, 0);
      assert.equal(gateway.sent.length, 1);
      assert.equal(store.get(ref).twilioSid, "SM" + "a".repeat(32));
    });
  });
});

describe("when the customer has opted out", () => {
  it("records ERROR without calling Twilio, and raises nothing for the owner", async () => {
    const { store, gateway, recipients, attention, deps } = setup();
    recipients.set(ref.businessId, message.to, { optedOut: true, name: "Sam" });
    await store.enqueue(message);

    const result = await deliverOutboxMessage(ref, deps);

    assert.equal(result.kind, "failed");
    assert.equal(gateway.sent.length + gateway.lookups.length, 0);
    const stored = store.get(ref);
    assert.equal(stored.status, "ERROR");
    assert.equal(stored.lastError, "recipient opted out (replied STOP)");
    assert.equal(stored.ownerShouldKnow, false);
    assert.equal(attention.for(ref.businessId).length, 0);
    assert.equal(store.queuedFor(ref.businessId).length, 1, "no owner notice queued");
  });

  it("is checked in simulated mode too", async () => {
    const { store, recipients, deps } = setup({ credentials: false });
    recipients.set(ref.businessId, message.to, { optedOut: true });
    await store.enqueue(message);

    await deliverOutboxMessage(ref, deps);

    assert.equal(store.get(ref).status, "ERROR");
  });

  it("does not stop texts to the owner, who is not a customer", async () => {
    const { store, gateway, recipients, deps } = setup();
    recipients.set(ref.businessId, ownerMobile, { optedOut: true });
    await store.enqueue({ ...message, to: ownerMobile, purpose: "owner-emergency-alert" });

    await deliverOutboxMessage(ref, deps);

    assert.equal(gateway.sent.length, 1);
  });
});

describe("phone numbers", () => {
  it("sends to and from E.164, read in the business's country", async () => {
    const { store, gateway, deps } = setup();
    await store.enqueue({ ...message, to: "07700 900123", from: "0117 496 0999" });

    await deliverOutboxMessage(ref, deps);

    assert.equal(gateway.sent[0].to, "+447700900123");
    assert.equal(gateway.sent[0].from, "+441174960999");
  });

  it("records an invalid recipient as ERROR with the reason, and never sends", async () => {
    const { store, gateway, deps } = setup();
    await store.enqueue({ ...message, to: "0770 090" });

    const result = await deliverOutboxMessage(ref, deps);

    assert.equal(result.kind, "failed");
    assert.equal(
      store.get(ref).lastError,
      "recipient number is invalid: not a valid number for that country",
    );
    assert.equal(gateway.sent.length, 0);
  });
});

describe("when a message fails for good", () => {
  const notMobile = () =>
    new SmsSendError({
      permanent: true,
      code: 21614,
      httpStatus: 400,
      message: "Twilio 400 (21614): 'To' number is not a valid mobile number",
    });

  it("lists it for the owner's attention, with the number masked", async () => {
    const { clock, store, gateway, attention, deps } = setup();
    await store.enqueue(message);
    gateway.failNext(notMobile());

    await deliverOutboxMessage(ref, deps);

    assert.deepEqual(attention.for(ref.businessId), [
      {
        kind: "sms-failed",
        messageId: ref.messageId,
        to: "+44******0123",
        purpose: "booking-confirmation",
        reason: "not a mobile number",
        at: clock.now(),
      },
    ]);
    assert.equal(store.get(ref).ownerShouldKnow, true);
  });

  it("texts the owner once that the customer did not get it", async () => {
    const { store, gateway, recipients, deps } = setup();
    recipients.set(ref.businessId, message.to, { optedOut: false, name: "Sam Jones" });
    await store.enqueue(message);
    gateway.failNext(notMobile());

    await deliverOutboxMessage(ref, deps);
    await deliverOutboxMessage(ref, deps);

    const notices = store.queuedFor(ref.businessId).filter((m) => m.purpose === "owner-sms-failed");
    assert.deepEqual(
      notices.map((m) => ({ id: m.id, to: m.to, body: m.body, relatedId: m.relatedId })),
      [
        {
          id: `owner-sms-failed-${ref.messageId}`,
          to: ownerMobile,
          body: "Couldn't text Sam Jones (+447700900123): not a mobile number",
          relatedId: ref.messageId,
        },
      ],
    );
  });

  it("also tells the owner when the retries ran out", async () => {
    const { clock, store, gateway, attention, deps } = setup();
    await store.enqueue(message);
    for (let i = 0; i < MAX_ATTEMPTS; i += 1) gateway.failNext(transient());
    for (let i = 1; i < MAX_ATTEMPTS; i += 1) {
      await rejection(deliverOutboxMessage(ref, deps));
      clock.advance(60 * 60_000);
    }

    await deliverOutboxMessage(ref, deps);

    assert.match(attention.for(ref.businessId)[0].reason, /gave up after 5 attempts/);
    assert.equal(store.queuedFor(ref.businessId).length, 2);
  });

  it("never texts the owner about a failed text to the owner", async () => {
    const { store, gateway, attention, deps } = setup();
    await store.enqueue({ ...message, to: ownerMobile, purpose: "owner-emergency-alert" });
    gateway.failNext(notMobile());

    await deliverOutboxMessage(ref, deps);

    assert.equal(attention.for(ref.businessId).length, 1, "still on the dashboard");
    assert.equal(store.queuedFor(ref.businessId).length, 1, "no owner notice queued");
  });

  it("does not loop when the owner's failure notice itself fails", async () => {
    const { store, gateway, deps } = setup();
    await store.enqueue(message);
    gateway.failNext(notMobile());
    await deliverOutboxMessage(ref, deps);
    const notice = { businessId: ref.businessId, messageId: `owner-sms-failed-${ref.messageId}` };
    gateway.failNext(notMobile());

    await deliverOutboxMessage(notice, deps);

    assert.equal(store.get(notice).status, "ERROR");
    assert.equal(store.queuedFor(ref.businessId).length, 2);
  });
});

describe("the customer's SMS conversation", () => {
  it("gains the text once it is sent, as said by the receptionist", async () => {
    const { clock, store, history, deps } = setup();
    await store.enqueue({ ...message, to: "07700 900123" });

    await deliverOutboxMessage(ref, deps);
    await deliverOutboxMessage(ref, deps);

    assert.deepEqual(history.turns, [
      {
        businessId: ref.businessId,
        phone: "+447700900123",
        at: clock.now(),
        speaker: "receptionist",
        text: message.body,
        messageId: ref.messageId,
      },
    ]);
  });

  it("gains a simulated text too", async () => {
    const { store, history, deps } = setup({ credentials: false });
    await store.enqueue(message);

    await deliverOutboxMessage(ref, deps);

    assert.equal(history.turns.length, 1);
  });

  it("gains nothing from texts to the owner, or texts that failed", async () => {
    const { store, gateway, history, deps } = setup();
    await store.enqueue({ ...message, to: ownerMobile, purpose: "owner-new-booking" });
    await deliverOutboxMessage(ref, deps);
    const other = { businessId: ref.businessId, messageId: "booking-confirmation-apt-2" };
    await store.enqueue({ ...message, id: other.messageId });
    gateway.failNext(new SmsSendError({ permanent: true, code: 21211, message: "invalid" }));
    await deliverOutboxMessage(other, deps);

    assert.equal(history.turns.length, 0);
  });

  it("does not hold up delivery when it cannot be written", async () => {
    const { store, history, logger, deps } = setup();
    history.failing = true;
    await store.enqueue(message);

    const result = await deliverOutboxMessage(ref, deps);

    assert.equal(result.kind, "sent");
    assert.ok(logger.lines.some((l) => l.event === "sms.history-append-failed"));
  });
});
