import { strict as assert } from "node:assert";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import {
  FirestoreCallerCounters,
  FirestoreIpCounter,
} from "../../src/adapters/firestore/caller-gate.repository";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { paths } from "../../src/adapters/firestore/paths";
import { admit } from "../../src/app/caller-gate";
import type { Business } from "../../src/domain/business/business";
import { sendInboundSms } from "../../src/tools/sms-simulator";
import { DEMO_ACCOUNT_SID, newSid } from "../../src/tools/simulator/twilio-params";
import { ipLimited } from "../../src/triggers/http/ip-limit";
import { createTestTenant } from "../support/firestore-tenant";
import { InMemoryOutboxQueue, ManualClock, RecordingLogger } from "../support/call-fixtures";
import { simulatedCall } from "../support/simulated-call";
import { startWebhooksTestServer, WebhooksTestServer } from "../support/webhooks-test-server";
import { spoken } from "../../src/domain/dialogue/wording";

/**
 * Rate limits and screening at the door of the voice and SMS webhooks, over
 * HTTP against Firestore (docs/abuse-protection.md).
 */
describe("the door: rate limits and screening, against Firestore", function () {
  this.timeout(30_000);
  let server: WebhooksTestServer;
  const db = () => appFirestore();

  before(async () => {
    server = await startWebhooksTestServer();
  });
  after(async () => {
    await server.stop();
  });

  async function docs(collectionPath: string) {
    const snapshot = await db().collection(collectionPath).get();
    return snapshot.docs.map(
      (d) => ({ id: d.id, ...d.data() }) as Record<string, unknown> & { id: string },
    );
  }

  const tightTenant = () =>
    createTestTenant({
      abuse: {
        callsPerNumber: { limit: 2, windowMinutes: 10 },
        textsPerNumber: { limit: 2, windowMinutes: 10 },
        requestsPerIp: { limit: 60, windowMinutes: 1 },
        shortCalls: { enabled: true, maxSeconds: 5, count: 3, withinHours: 24 },
      },
    });

  /** Twilio's status callback at the end of a call, signed. */
  async function statusCallback(business: Business, from: string, seconds: number) {
    const url = `${server.baseUrl}/voice/status`;
    const params = {
      AccountSid: DEMO_ACCOUNT_SID,
      CallSid: newSid("CA"),
      From: from,
      To: business.phoneNumber,
      CallStatus: "completed",
      CallDuration: String(seconds),
      Direction: "inbound",
    };
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": getExpectedTwilioSignature(server.authToken, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    assert.equal(response.status, 200);
  }

  describe("a counter", () => {
    it("counts 20 arrivals at once exactly, one document per key and window, holding no number", async () => {
      const business = await tightTenant();
      const counters = new FirestoreCallerCounters(db());
      const now = new Date("2026-12-03T09:01:00Z");
      const window = { limit: 100, windowMinutes: 10 };
      const counts = await Promise.all(
        Array.from({ length: 20 }, () =>
          counters.arrive({
            businessId: business.id,
            number: "+447700900301",
            kind: "call",
            window,
            now,
          }),
        ),
      );
      assert.deepEqual(
        counts.map((a) => a.count).sort((a, b) => a - b),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      const stored = await docs(`businesses/${business.id}/rateCounters`);
      assert.equal(stored.length, 1);
      assert.equal(stored[0].count, 20);
      assert.ok(!stored[0].id.includes("7700900301"), "the number is hashed in the id");
      assert.ok(!JSON.stringify(stored[0]).includes("7700900301"), "no number in the document");
      const expireAt = (stored[0].expireAt as FirebaseFirestore.Timestamp).toDate();
      assert.equal(expireAt.toISOString(), "2026-12-03T10:10:00.000Z", "an hour after the window");

      // The next window starts a new count.
      const later = await counters.arrive({
        businessId: business.id,
        number: "+447700900301",
        kind: "call",
        window,
        now: new Date("2026-12-03T09:10:00Z"),
      });
      assert.equal(later.count, 1);
    });

    it("lets the call in, and logs, when the counter cannot be written", async () => {
      const business = await tightTenant();
      const logger = new RecordingLogger();
      const down = () => Promise.reject(new Error("UNAVAILABLE: Firestore is down"));
      const broken = { arrive: down, recordShortCall: down, noteTurnedAway: down };
      const verdict = await admit(business, "+447700900302", "call", {
        counters: broken,
        outbox: new InMemoryOutboxQueue(),
        clock: new ManualClock(new Date()),
        logger,
      });
      assert.deepEqual(verdict, { kind: "pass" });
      assert.ok(logger.lines.some((e) => e.event === "abuse.gate-failed"));
    });
  });

  describe("when one number calls more often than the business allows", () => {
    it("lets the first calls in, turns the next away politely, and still alerts the owner to an emergency", async () => {
      const business = await tightTenant();
      const from = "+447700900311";
      for (let i = 0; i < 2; i += 1) {
        const { said } = await simulatedCall(server, business, ["no thanks, that's all"], { from });
        assert.match(said[0], /Thanks for calling/);
        assert.doesNotMatch(said.join(" "), /several calls/);
      }
      const third = await simulatedCall(server, business, ["I just wanted a quote"], { from });
      assert.deepEqual(third.said.slice(0, 2), [
        `${spoken.turnedAway(business.name, "limited")} ${spoken.ifEmergencyTellMe()}`,
        spoken.turnedAwayNotEmergency(),
      ]);
      assert.equal(third.transcript.ended, "hangup");
      assert.equal((await docs(paths.outbox(business.id))).length, 0, "no alert without emergency");

      const fourth = await simulatedCall(
        server,
        business,
        ["water is pouring through my kitchen ceiling"],
        { from },
      );
      assert.match(fourth.said[1], /I've texted Dave/);
      const outbox = await docs(paths.outbox(business.id));
      assert.equal(outbox.length, 1);
      assert.equal(outbox[0].purpose, "owner-emergency-alert");
      assert.equal(outbox[0].to, business.ownerMobile);
      assert.match(String(outbox[0].body), /EMERGENCY .*rang many times/);

      // Another number, and the owner's own phone, are not limited.
      const other = await simulatedCall(server, business, ["no thanks"], { from: "+447700900312" });
      assert.doesNotMatch(other.said[0], /several calls/);
      for (let i = 0; i < 3; i += 1) {
        const owner = await simulatedCall(server, business, ["no thanks"], {
          from: business.ownerMobile,
        });
        assert.doesNotMatch(owner.said[0], /several calls/);
      }
    });
  });

  describe("screening", () => {
    it("screens a number after repeated short calls, turns its next call away, and counts it", async () => {
      const business = await tightTenant();
      const from = "+447700900321";
      await statusCallback(business, from, 2);
      await statusCallback(business, from, 30); // a real conversation does not count
      await statusCallback(business, from, 0);
      const notYet = await db().doc(paths.screeningEntry(business.id, from)).get();
      assert.equal(notYet.exists, false);
      await statusCallback(business, from, 4);
      const entry = await db().doc(paths.screeningEntry(business.id, from)).get();
      assert.equal(entry.get("status"), "screened");
      assert.equal(entry.get("reason"), "short-calls");
      assert.equal(entry.get("shortCalls"), 3);

      const { said } = await simulatedCall(server, business, [""], { from });
      assert.deepEqual(said.slice(0, 2), [
        `${spoken.turnedAway(business.name, "short-calls")} ${spoken.ifEmergencyTellMe()}`,
        spoken.turnedAwayNotEmergency(),
      ]);
      const after = await db().doc(paths.screeningEntry(business.id, from)).get();
      assert.equal(after.get("turnedAway"), 1);
    });

    it("never screens automatically a number the owner allowed", async () => {
      const business = await tightTenant();
      const from = "+447700900322";
      await db()
        .doc(paths.screeningEntry(business.id, from))
        .set({ number: from, status: "allowed", reason: "owner", since: new Date() });
      for (let i = 0; i < 4; i += 1) await statusCallback(business, from, 1);
      const entry = await db().doc(paths.screeningEntry(business.id, from)).get();
      assert.equal(entry.get("status"), "allowed");
    });

    it("screens a known spam number, unless this business allowed it", async () => {
      const spam = "+447700900331";
      await db().doc(paths.spamNumber(spam)).set({ source: "test", addedAt: new Date() });
      const business = await tightTenant();
      const screened = await simulatedCall(server, business, ["hello"], { from: spam });
      assert.equal(
        screened.said[0],
        `${spoken.turnedAway(business.name, "known-spam")} ${spoken.ifEmergencyTellMe()}`,
      );

      const other = await tightTenant();
      await db()
        .doc(paths.screeningEntry(other.id, spam))
        .set({ number: spam, status: "allowed", reason: "owner", since: new Date() });
      const allowed = await simulatedCall(server, other, ["no thanks"], { from: spam });
      assert.doesNotMatch(allowed.said[0], /can't take calls/);
    });
  });

  describe("texts", () => {
    const text = (business: Business, from: string, body: string) =>
      sendInboundSms({
        baseUrl: server.baseUrl,
        authToken: server.authToken,
        from,
        to: business.phoneNumber,
        body,
      });

    it("answers nothing to a number over its limit, but honours STOP and passes on an emergency", async () => {
      const business = await tightTenant();
      const from = "+447700900341";
      assert.ok((await text(business, from, "hello, are you open saturday?")).reply);
      assert.ok((await text(business, from, "hello again?")).reply);
      const limited = await text(business, from, "hello???");
      assert.equal(limited.reply, null);
      const inbound = await docs(`businesses/${business.id}/inboundSms`);
      assert.ok(
        !inbound.some((m) => m.id === limited.messageSid),
        "a turned-away text is not handled",
      );

      const stop = await text(business, from, "STOP");
      const handled = await docs(`businesses/${business.id}/inboundSms`);
      assert.ok(
        handled.some((m) => m.id === stop.messageSid),
        "STOP reaches the receptionist, which records the opt-out",
      );

      const emergency = await text(business, from, "there's water pouring through my ceiling");
      assert.equal(emergency.reply, null);
      const alerts = (await docs(paths.outbox(business.id))).filter(
        (m) => m.purpose === "owner-emergency-alert",
      );
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0].id, `emergency-alert-sms-${emergency.messageSid}`);
    });
  });

  describe("per IP on a public endpoint", () => {
    it("answers 429 with Retry-After past the limit, per address", async () => {
      const counter = new FirestoreIpCounter(db());
      const logger = new RecordingLogger();
      const now = new Date("2026-12-03T09:00:20Z");
      const endpoint = `test-${Date.now()}`;
      const window = { limit: 3, windowMinutes: 1 };
      const answers = [];
      for (let i = 0; i < 4; i += 1) {
        answers.push(
          await ipLimited({ endpoint, ip: "203.0.113.9", now, window }, { counter, logger }),
        );
      }
      assert.deepEqual(answers.slice(0, 3), [null, null, null]);
      assert.equal(answers[3]?.status, 429);
      assert.equal(answers[3]?.headers["Retry-After"], "40");
      const other = await ipLimited(
        { endpoint, ip: "198.51.100.7", now, window },
        { counter, logger },
      );
      assert.equal(other, null);
    });
  });
});
