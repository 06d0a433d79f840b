import { strict as assert } from "node:assert";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import type { RecordSmsStatusDeps } from "../../src/app/record-sms-status";
import { handleSmsStatusRequest } from "../../src/triggers/http/sms-status-webhook.handler";
import {
  InMemoryAttentionBoard,
  InMemoryOutboxStore,
  InMemoryRecipients,
  ManualClock,
  RecordingLogger,
} from "../support/in-memory-outbox.store";

const authToken = "unit-token";
const publicBaseUrl = "https://functions.example.test";
const sid = `SM${"1".repeat(32)}`;
const ref = { businessId: "bristol-plumbing", messageId: "booking-confirmation-apt-1" };

async function world() {
  const clock = new ManualClock(new Date("2026-03-10T09:00:00Z"));
  const store = new InMemoryOutboxStore(clock);
  store.profiles.set(ref.businessId, { defaultCountry: "GB", ownerMobile: "+447700900001" });
  await store.enqueue({
    id: ref.messageId,
    businessId: ref.businessId,
    to: "+447700900123",
    body: "Booked.",
    purpose: "booking-confirmation",
  });
  const logger = new RecordingLogger();
  const deps: RecordSmsStatusDeps = {
    statuses: store,
    store,
    outbox: store,
    recipients: new InMemoryRecipients(),
    attention: new InMemoryAttentionBoard(),
    clock,
    logger,
  };
  return { store, logger, deps };
}

function signed(url: string, params: Record<string, string>) {
  return getExpectedTwilioSignature(authToken, url, params);
}

describe("the SMS status webhook handler", () => {
  it("accepts a callback to the function's bare URL, which the runtime shows as '/'", async () => {
    const { deps } = await world();
    const params = { MessageSid: sid, MessageStatus: "sent" };

    const answer = await handleSmsStatusRequest(
      {
        method: "POST",
        path: "/",
        signature: signed(`${publicBaseUrl}/smsStatusCallback`, params),
        body: params,
      },
      { publicBaseUrl, authToken, deps },
    );

    assert.equal(answer.status, 200);
  });

  it("refuses a signature made for another message's URL", async () => {
    const { deps } = await world();
    const params = { MessageSid: sid, MessageStatus: "sent" };

    const answer = await handleSmsStatusRequest(
      {
        method: "POST",
        path: `/${ref.businessId}/${ref.messageId}`,
        signature: signed(`${publicBaseUrl}/smsStatusCallback/${ref.businessId}/other`, params),
        body: params,
      },
      { publicBaseUrl, authToken, deps },
    );

    assert.equal(answer.status, 403);
  });

  it("does not merge a status from another SID into a message that has its own", async () => {
    const { store, deps } = await world();
    await store.applyCarrierStatus(ref, { sid, status: "delivered", at: new Date() });
    const other = `SM${"2".repeat(32)}`;
    const params = { MessageSid: other, MessageStatus: "failed", ErrorCode: "30003" };
    const path = `/${ref.businessId}/${ref.messageId}`;

    const answer = await handleSmsStatusRequest(
      {
        method: "POST",
        path,
        signature: signed(`${publicBaseUrl}/smsStatusCallback${path}`, params),
        body: params,
      },
      { publicBaseUrl, authToken, deps },
    );

    assert.equal(answer.status, 200);
    assert.equal(store.get(ref).twilioStatus, "delivered");
    assert.equal(store.get(ref).lastErrorCode, undefined);
  });

  it("answers 405 to anything but POST", async () => {
    const { deps } = await world();

    const answer = await handleSmsStatusRequest(
      { method: "GET", path: "/", signature: null, body: {} },
      { publicBaseUrl, authToken, deps },
    );

    assert.equal(answer.status, 405);
  });
});
