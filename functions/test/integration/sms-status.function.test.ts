import { strict as assert } from "node:assert";
import { randomBytes, randomUUID } from "node:crypto";
import { Timestamp } from "firebase-admin/firestore";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { FirestoreOutboxRepository } from "../../src/adapters/firestore/outbox.repository";
import { paths } from "../../src/adapters/firestore/paths";
import { createTestTenant } from "../support/firestore-tenant";
import { startWebhooksTestServer, WebhooksTestServer } from "../support/webhooks-test-server";

const authToken = "status-callback-test-token";
const ownerMobile = "+447700900001";

const newSid = () => `SM${randomBytes(16).toString("hex")}`;

describe("the SMS status callback function", () => {
  let server: WebhooksTestServer;
  let baseUrl = "";
  let businessId = "";
  let repository: FirestoreOutboxRepository;
  before(async () => {
    repository = new FirestoreOutboxRepository(appFirestore());
    server = await startWebhooksTestServer(authToken);
    baseUrl = server.baseUrl;
  });
  after(async () => {
    await server.stop();
  });
  beforeEach(async () => {
    businessId = `biz-${randomUUID()}`;
    await appFirestore().doc(paths.business(businessId)).set({
      id: businessId,
      name: "Bristol Plumbing",
      phoneNumber: "+441174960000",
      ownerMobile,
    });
  });

  /** A customer's message that Twilio accepted with this SID. */
  async function sentMessage(sid: string): Promise<string> {
    const id = `booking-confirmation-${randomUUID()}`;
    const ref = { businessId, messageId: id };
    await repository.enqueue({
      id,
      businessId,
      to: "+447700900123",
      body: "Hi Sam, your boiler service is booked for Tue 10 Mar at 10:00.",
      purpose: "booking-confirmation",
    });
    const now = new Date();
    await repository.claimAttempt(ref, {
      attempt: 1,
      claimedAt: now,
      leaseExpiresAt: new Date(now.getTime() + 60_000),
    });
    await repository.recordOutcome(ref, 1, {
      status: "SUCCESS",
      at: now,
      twilioSid: sid,
      twilioStatus: "queued",
    });
    return id;
  }

  async function post(
    path: string,
    params: Record<string, string>,
    sign: { token?: string } | false = {},
  ): Promise<Response> {
    const url = `${baseUrl}/smsStatusCallback${path}`;
    const headers: Record<string, string> = {
      "content-type": "application/x-www-form-urlencoded",
    };
    if (sign) {
      headers["x-twilio-signature"] = getExpectedTwilioSignature(
        sign.token ?? authToken,
        url,
        params,
      );
    }
    return fetch(url, { method: "POST", headers, body: new URLSearchParams(params) });
  }

  const status = (sid: string, messageStatus: string, extra: Record<string, string> = {}) => ({
    MessageSid: sid,
    MessageStatus: messageStatus,
    AccountSid: `AC${"0".repeat(32)}`,
    ...extra,
  });

  async function stored(messageId: string) {
    const snapshot = await appFirestore().doc(paths.outboxMessage(businessId, messageId)).get();
    return snapshot.data() ?? {};
  }

  describe("when the request is not signed by Twilio", () => {
    it("answers 403 without a signature", async () => {
      const sid = newSid();
      const id = await sentMessage(sid);

      const res = await post("", status(sid, "delivered"), false);

      assert.equal(res.status, 403);
      assert.equal((await stored(id)).twilioStatus, "queued");
    });

    it("answers 403 for a signature made with another token", async () => {
      const sid = newSid();
      await sentMessage(sid);

      const res = await post("", status(sid, "delivered"), { token: "someone-else" });

      assert.equal(res.status, 403);
    });
  });

  describe("when the body is malformed", () => {
    it("answers 400", async () => {
      const res = await post("", { MessageSid: "not-a-sid", MessageStatus: "delivered" });

      assert.equal(res.status, 400);
      assert.match(await res.text(), /MessageSid/);
    });

    it("answers 400 for an error code that is not a number", async () => {
      const res = await post("", status(newSid(), "failed", { ErrorCode: "abc" }));

      assert.equal(res.status, 400);
    });
  });

  describe("when Twilio reports progress", () => {
    it("records delivered after sent", async () => {
      const sid = newSid();
      const id = await sentMessage(sid);

      assert.equal((await post("", status(sid, "sent"))).status, 200);
      assert.equal((await stored(id)).twilioStatus, "sent");
      assert.equal((await post("", status(sid, "delivered"))).status, 200);

      const doc = await stored(id);
      assert.equal(doc.twilioStatus, "delivered");
      assert.equal(doc.status, "SUCCESS");
    });

    it("keeps delivered when a late sent arrives", async () => {
      const sid = newSid();
      const id = await sentMessage(sid);

      await post("", status(sid, "delivered"));
      const res = await post("", status(sid, "sent"));

      assert.equal(res.status, 200);
      assert.equal((await stored(id)).twilioStatus, "delivered");
    });
  });

  describe("when Twilio reports the message failed with 30003", () => {
    it("marks it failed, lists it for the owner and texts the owner once", async () => {
      const sid = newSid();
      const id = await sentMessage(sid);

      await post("", status(sid, "failed", { ErrorCode: "30003" }));
      const again = await post("", status(sid, "failed", { ErrorCode: "30003" }));

      assert.equal(again.status, 200);
      const doc = await stored(id);
      assert.equal(doc.twilioStatus, "failed");
      assert.equal(doc.lastErrorCode, 30003);
      assert.equal(doc.ownerShouldKnow, true);
      const attention = await appFirestore().doc(paths.attentionItem(businessId, id)).get();
      assert.equal(attention.get("kind"), "sms-failed");
      assert.equal(attention.get("reason"), "phone unreachable (off or out of signal)");
      assert.equal(attention.get("to"), "+44******0123");
      assert.ok(attention.get("at") instanceof Timestamp);
      const notice = await stored(`owner-sms-failed-${id}`);
      assert.equal(notice.to, ownerMobile);
      assert.match(String(notice.body), /^Couldn't text \+447700900123: phone unreachable/);
    });
  });

  describe("when Twilio later reports a text it took failed on the sending side (30001, queue overflow)", () => {
    it("tells the owner texts are failing, once, however often and however concurrently the callback comes", async () => {
      // A whole business: the owner's degradation text needs its name.
      businessId = (await createTestTenant({ ownerMobile })).id;
      const sids = [newSid(), newSid()];
      const ids = [await sentMessage(sids[0]), await sentMessage(sids[1])];
      const failed = (sid: string, state = "undelivered") =>
        post("", status(sid, state, { ErrorCode: "30001" }));

      const answers = await Promise.all([failed(sids[0]), failed(sids[0]), failed(sids[1])]);
      answers.push(await failed(sids[0], "failed"));

      assert.deepEqual(
        answers.map((a) => a.status),
        [200, 200, 200, 200],
      );
      for (const id of ids) assert.equal((await stored(id)).lastErrorCode, 30001);
      const degraded = await appFirestore()
        .doc(paths.attentionItem(businessId, "degraded-texts-failing"))
        .get();
      assert.equal(degraded.get("kind"), "receptionist-degraded");
      assert.match(String(degraded.get("reason")), /delivery failed \(error 30001\)/);
      const outbox = await appFirestore().collection(paths.outbox(businessId)).get();
      const told = outbox.docs.filter((d) => d.get("purpose") === "owner-receptionist-degraded");
      assert.equal(told.length, 1);
      assert.equal(told[0].get("to"), ownerMobile);
    });

    it("does not call one unreachable phone (30003) a degradation", async () => {
      const sid = newSid();
      await sentMessage(sid);

      await post("", status(sid, "undelivered", { ErrorCode: "30003" }));

      const degraded = await appFirestore()
        .doc(paths.attentionItem(businessId, "degraded-texts-failing"))
        .get();
      assert.equal(degraded.exists, false);
    });
  });

  describe("when Twilio reports 21610: the customer had replied STOP", () => {
    it("marks the customer opted out, says why on the text, and asks nothing of the owner", async () => {
      const sid = newSid();
      const id = await sentMessage(sid);

      const res = await post("", status(sid, "failed", { ErrorCode: "21610" }));

      assert.equal(res.status, 200);
      const doc = await stored(id);
      assert.equal(doc.twilioStatus, "failed");
      assert.equal(doc.lastErrorCode, 21610);
      assert.equal(doc.failureReason, "they opted out of texts (replied STOP)");
      const customer = await appFirestore().doc(paths.customer(businessId, "+447700900123")).get();
      assert.equal(customer.get("smsOptedOut"), true);
      assert.ok(customer.get("smsOptedOutAt") instanceof Timestamp);
      assert.equal(
        (await appFirestore().doc(paths.attentionItem(businessId, id)).get()).exists,
        false,
      );
      const outbox = await appFirestore().collection(paths.outbox(businessId)).get();
      assert.deepEqual(
        outbox.docs.map((d) => d.get("purpose")),
        ["booking-confirmation"],
        "no text to the owner",
      );
    });
  });

  describe("when the SID is not one of ours", () => {
    it("answers 200 so Twilio stops, and writes nothing", async () => {
      const sid = newSid();

      const res = await post("", status(sid, "delivered"));

      assert.equal(res.status, 200);
      assert.equal((await appFirestore().doc(paths.smsBySid(sid)).get()).exists, false);
    });
  });

  describe("when the send's answer was lost but Twilio calls back on the message's URL", () => {
    it("stores the SID on the message so the retry does not send again", async () => {
      const id = `booking-confirmation-${randomUUID()}`;
      await repository.enqueue({
        id,
        businessId,
        to: "+447700900123",
        body: "Hi Sam, your boiler service is booked.",
        purpose: "booking-confirmation",
      });
      const sid = newSid();

      const res = await post(`/${businessId}/${id}`, status(sid, "sent"));

      assert.equal(res.status, 200);
      const doc = await stored(id);
      assert.equal(doc.twilioSid, sid);
      assert.equal(doc.twilioStatus, "sent");
      assert.deepEqual((await appFirestore().doc(paths.smsBySid(sid)).get()).data(), {
        businessId,
        messageId: id,
      });
    });
  });
});
