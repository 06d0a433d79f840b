import { strict as assert } from "node:assert";
import { deliverOutboxMessage, type DeliverOutboxDeps } from "../../src/app/deliver-outbox-message";
import { recordSmsStatus, type RecordSmsStatusDeps } from "../../src/app/record-sms-status";
import type { NewOutboxMessage } from "../../src/domain/delivery/outbox-message";
import { SmsSendError } from "../../src/ports/sms-gateway.port";
import {
  InMemoryAttentionBoard,
  InMemoryConsentOnRecipients,
  InMemoryOutboxStore,
  InMemoryRecipients,
  ManualClock,
  RecordingDegradationReporter,
  RecordingLogger,
  ScriptedSmsGateway,
} from "../support/in-memory-outbox.store";

const businessId = "bristol-plumbing";
const customer = "+447700900123";
const ownerMobile = "+447700900001";

function setup() {
  const clock = new ManualClock(new Date("2026-03-10T09:00:00Z"));
  const store = new InMemoryOutboxStore(clock);
  store.profiles.set(businessId, {
    phoneNumber: "+441174960000",
    defaultCountry: "GB",
    ownerMobile,
  });
  const recipients = new InMemoryRecipients();
  const consent = new InMemoryConsentOnRecipients(recipients);
  const degradation = new RecordingDegradationReporter();
  const gateway = new ScriptedSmsGateway(clock);
  const logger = new RecordingLogger();
  const attention = new InMemoryAttentionBoard();
  const deliverDeps: DeliverOutboxDeps = {
    store,
    outbox: store,
    recipients,
    attention,
    gateway,
    degradation,
    consent,
    clock,
    logger,
  };
  const statusDeps: RecordSmsStatusDeps = {
    statuses: store,
    store,
    outbox: store,
    recipients,
    attention,
    degradation,
    consent,
    clock,
    logger,
  };
  return {
    clock,
    store,
    recipients,
    consent,
    degradation,
    gateway,
    logger,
    attention,
    deliverDeps,
    statusDeps,
  };
}

const text = (id: string, to = customer): NewOutboxMessage => ({
  id,
  businessId,
  to,
  body: `Text ${id}`,
  purpose: "booking-confirmation",
});

/** Queues and sends one text; Twilio takes it. */
async function sent(world: ReturnType<typeof setup>, id: string, to = customer) {
  await world.store.enqueue(text(id, to));
  const result = await deliverOutboxMessage({ businessId, messageId: id }, world.deliverDeps);
  assert.equal(result.kind, "sent");
  return result.kind === "sent" ? result.twilioSid : "";
}

describe("a text Twilio took, then reported failed (status callback)", () => {
  it("tells the owner texts are failing when the sending side failed (30001), once per message however often the callback comes", async () => {
    const world = setup();
    const sid = await sent(world, "confirmation-1");

    for (const status of ["undelivered", "undelivered", "failed"]) {
      await recordSmsStatus({ sid, status, errorCode: 30001 }, world.statusDeps);
    }

    assert.deepEqual(world.degradation.reports, [
      { businessId, degradation: "texts-failing", detail: "delivery failed (error 30001)" },
    ]);
  });

  it("counts each failed text once: a second text failing reports again, for the throttle to judge", async () => {
    const world = setup();
    const first = await sent(world, "confirmation-1");
    const second = await sent(world, "confirmation-2", "+447700900124");

    await recordSmsStatus({ sid: first, status: "failed", errorCode: 30002 }, world.statusDeps);
    await recordSmsStatus({ sid: second, status: "failed", errorCode: 30002 }, world.statusDeps);
    await recordSmsStatus({ sid: second, status: "failed", errorCode: 30002 }, world.statusDeps);

    assert.equal(world.degradation.reports.length, 2);
  });

  it("does not call one customer's unreachable phone (30003) a degradation", async () => {
    const world = setup();
    const sid = await sent(world, "confirmation-1");

    await recordSmsStatus({ sid, status: "undelivered", errorCode: 30003 }, world.statusDeps);

    assert.deepEqual(world.degradation.reports, []);
    assert.equal(world.attention.for(businessId).length, 1, "the owner still sees the failed text");
  });
});

describe("Twilio's 21610: the customer had replied STOP", () => {
  it("on a status callback, marks them opted out, and the next text to them is not sent", async () => {
    const world = setup();
    const sid = await sent(world, "confirmation-1");

    await recordSmsStatus({ sid, status: "failed", errorCode: 21610 }, world.statusDeps);
    await recordSmsStatus({ sid, status: "failed", errorCode: 21610 }, world.statusDeps);

    assert.deepEqual(world.consent.changes, [{ businessId, phone: customer, optedOut: true }]);
    assert.deepEqual(world.degradation.reports, []);
    assert.deepEqual(
      world.attention.for(businessId),
      [],
      "their choice: nothing for the owner to do",
    );
    const stored = world.store.get({ businessId, messageId: "confirmation-1" });
    assert.equal(stored.lastErrorCode, 21610);

    await world.store.enqueue(text("reminder-1"));
    const next = await deliverOutboxMessage(
      { businessId, messageId: "reminder-1" },
      world.deliverDeps,
    );
    assert.equal(next.kind, "failed");
    assert.equal(world.gateway.sent.length, 1, "nothing more went to Twilio");
  });

  it("on the send, records the failure once without retrying, marks them opted out, and stops the next text", async () => {
    const world = setup();
    world.gateway.failNext(
      new SmsSendError({
        permanent: true,
        code: 21610,
        httpStatus: 400,
        message: "Attempt to send to unsubscribed recipient",
      }),
    );
    await world.store.enqueue(text("confirmation-1"));

    const result = await deliverOutboxMessage(
      { businessId, messageId: "confirmation-1" },
      world.deliverDeps,
    );

    assert.equal(result.kind, "failed");
    const stored = world.store.get({ businessId, messageId: "confirmation-1" });
    assert.equal(stored.status, "ERROR");
    assert.equal(stored.attempts, 1);
    assert.equal(stored.lastErrorCode, 21610);
    assert.deepEqual(world.consent.changes, [{ businessId, phone: customer, optedOut: true }]);
    assert.deepEqual(world.degradation.reports, []);
    const failed = world.logger.lines.find((l) => l.event === "sms.failed");
    assert.equal(failed?.fields.reason, "opted-out");
    assert.ok(world.logger.lines.some((l) => l.event === "sms.recipient-opted-out"));

    await world.store.enqueue(text("reminder-1"));
    const next = await deliverOutboxMessage(
      { businessId, messageId: "reminder-1" },
      world.deliverDeps,
    );
    assert.equal(next.kind, "failed");
    assert.equal(world.gateway.sent.length, 1, "one call to Twilio in all");
  });

  it("leaves the owner's own number alone when a text to the owner gets 21610", async () => {
    const world = setup();
    world.gateway.failNext(
      new SmsSendError({ permanent: true, code: 21610, httpStatus: 400, message: "unsubscribed" }),
    );
    await world.store.enqueue({
      id: "owner-alert-1",
      businessId,
      to: ownerMobile,
      body: "Emergency",
      purpose: "owner-emergency-alert",
    });

    await deliverOutboxMessage({ businessId, messageId: "owner-alert-1" }, world.deliverDeps);

    assert.deepEqual(world.consent.changes, []);
  });
});
