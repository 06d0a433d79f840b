import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { Timestamp } from "firebase-admin/firestore";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { FirestoreOutboxRepository } from "../../src/adapters/firestore/outbox.repository";
import { paths } from "../../src/adapters/firestore/paths";
import { ClaudeLanguageModel } from "../../src/adapters/llm/claude-language-model";
import { secondReading } from "../../src/app/second-reading";
import type { RulesReading } from "../../src/domain/nlu/model-reading";
import { AnthropicFakeServer } from "../support/anthropic-fake.server";
import { testConnections } from "../support/calendar-fixtures";
import { RecordingLogger } from "../support/in-memory-outbox.store";
import { firestoreLink } from "./link.hooks";
import { newMessageSid, sendInboundSms } from "../../src/tools/sms-simulator";
import { fetchTransport, type Transport } from "../../src/tools/simulator/transport";
import { report, printTotals } from "./fault-tally";
import { Delivery, FaultWorld, retryingTransport, suiteAnthropic, Tenant } from "./fault-world";

/**
 * The fault suite (`npm run test:faults`): each scenario runs a real flow
 * (a booking call, a customer's text, the reminder job, the calendar sweep)
 * through the deployed code while one thing misbehaves the way it does in
 * production, prints one line (fault, what the product did, what it counted),
 * and fails when a booking or a text was lost or duplicated. See
 * docs/testing-faults.md.
 */

const CALLER = "+447700900999";
const BOOKING_CALL = [
  "Hi, this is Sarah Jones at 22 Park Street, Bristol BS1 5JA, my kitchen tap keeps dripping",
  "the first one",
  "yes please",
  "no thanks, that's all",
];

/** The same booking, its first turn long enough (25 words or more) to be given to the model. */
const LONG_BOOKING_CALL = [
  "Hi there, this is Sarah Jones at 22 Park Street, Bristol BS1 5JA, and I was hoping you could help me because my kitchen tap keeps dripping all day and all night",
  ...BOOKING_CALL.slice(1),
];

describe("faults: what Twilio, Google, the model and Firestore do wrong", function () {
  this.timeout(120_000);
  const world = new FaultWorld();
  /** What a booking call leaves behind when nothing goes wrong: the scenarios' yardstick. */
  let clean: Awaited<ReturnType<typeof effectsOf>>;

  before(async () => {
    await world.start();
    const tenant = await world.tenant();
    await bookByCall(tenant);
    clean = await effectsOf(tenant);
    assert.equal(clean.bookings, 1, "the clean call books");
    assert.equal(clean.byPurpose["booking-confirmation"], 1, "and texts a confirmation");
  });
  afterEach(() => {
    // A scenario's unused failures must not reach the next one.
    world.google.clearFaults();
    world.twilio.clearFaults();
  });
  after(async () => {
    await world.stop();
    printTotals();
  });

  async function bookByCall(
    tenant: Tenant,
    options: { transport?: Transport; delivery?: Delivery } = {},
  ) {
    const call = await world.call(tenant, BOOKING_CALL, {
      from: CALLER,
      transport: options.transport,
    });
    await world.settle(tenant, options.delivery);
    return call;
  }

  /** Makes the tenant's waiting reminders due now, as if their time had come. */
  async function dueNow(tenant: Tenant): Promise<number> {
    const db = appFirestore();
    const waiting = await db
      .collection(paths.scheduledSms())
      .where("businessId", "==", tenant.business.id)
      .where("status", "==", "waiting")
      .get();
    const now = Timestamp.fromMillis(Date.now() - 60_000);
    for (const doc of waiting.docs) await doc.ref.update({ dueAt: now });
    return waiting.size;
  }

  /** Makes the tenant's queued calendar syncs due now, as if their retry delay had passed. */
  async function makeSyncsDue(tenant: Tenant): Promise<void> {
    const db = appFirestore();
    const queued = await db
      .collection(paths.calendarSyncQueue())
      .where("businessId", "==", tenant.business.id)
      .get();
    for (const doc of queued.docs) {
      await doc.ref.update({ dueAt: Timestamp.fromMillis(Date.now() - 1000) });
    }
  }

  async function revokeGrant(tenant: Tenant): Promise<void> {
    const credentials = await testConnections().credentials(tenant.business.id);
    assert.ok(credentials, "connected");
    world.google.revokeRefreshToken(credentials.refreshToken);
  }

  async function appFirestoreDoc(path: string): Promise<Record<string, unknown>> {
    return (await appFirestore().doc(path).get()).data() ?? {};
  }

  async function effectsOf(tenant: Tenant) {
    const texts = await world.texts(tenant);
    const summaries = await world.docs(paths.conversationSummaries(tenant.business.id));
    const events = world.google
      .events()
      .filter((e) => e.extendedProperties?.private?.receptionistBusinessId === tenant.business.id);
    return {
      bookings: await world.bookings(tenant),
      ...texts,
      summaries: summaries.length,
      calendarEvents: events.filter((e) => e.status === "confirmed").length,
    };
  }

  /** The booking call's effects against the clean call's. */
  function bookingCounts(
    found: Awaited<ReturnType<typeof effectsOf>>,
    alsoExpected: Record<string, number> = {},
  ) {
    const counts: Record<string, [number, number]> = {
      bookings: [clean.bookings, found.bookings],
      "texts sent": [found.meantToSend, found.sent],
      "texts repeated": [0, found.repeated],
      "calendar events": [clean.calendarEvents, found.calendarEvents],
      summaries: [clean.summaries, found.summaries],
    };
    for (const purpose of new Set([
      ...Object.keys(alsoExpected),
      ...Object.keys(clean.byPurpose),
      ...Object.keys(found.byPurpose),
    ])) {
      counts[purpose] = [
        alsoExpected[purpose] ?? clean.byPurpose[purpose] ?? 0,
        found.byPurpose[purpose] ?? 0,
      ];
    }
    return counts;
  }

  describe("Twilio retries every webhook", () => {
    for (const mode of ["sequential", "concurrent"] as const) {
      it(`books once and texts once when every voice webhook arrives twice (${mode})`, async () => {
        const tenant = await world.tenant();
        const requests: Array<{ url: string; statuses: number[] }> = [];
        const call = await bookByCall(tenant, { transport: retryingTransport(mode, requests) });
        const found = await effectsOf(tenant);
        const failed = requests.filter((r) => r.statuses.some((s) => s >= 500));
        assert.deepEqual(failed, [], "no retried webhook answered 5xx");
        assert.match(call.said.join(" "), /booked/);
        report({
          fault: `every voice webhook delivered twice, ${mode} (${requests.length} requests)`,
          effect: "duplicates answered from stored state",
          counts: bookingCounts(found),
        });
      });
    }

    it("alerts the owner once and rings each phone once when an emergency call's webhooks arrive twice", async () => {
      const emergency = ["I can smell gas in the kitchen"];
      const escalation = {
        owner: "no-answer" as const,
        backups: ["decline" as const],
      };
      const cleanTenant = await world.tenant();
      const cleanCall = await world.call(cleanTenant, emergency, { from: CALLER, ...escalation });
      await world.settle(cleanTenant);
      const expected = await effectsOf(cleanTenant);
      const tenant = await world.tenant();
      const requests: Array<{ url: string; statuses: number[] }> = [];
      const call = await world.call(tenant, emergency, {
        from: CALLER,
        ...escalation,
        transport: retryingTransport("concurrent", requests),
      });
      await world.settle(tenant);
      const found = await effectsOf(tenant);
      const rung = (printed: string[]) =>
        printed.filter((l) => l.includes("[transfer] ringing")).length;
      assert.deepEqual(
        requests.filter((r) => r.statuses.some((s) => s >= 500)),
        [],
        "no retried webhook answered 5xx",
      );
      const counts: Record<string, [number, number]> = {
        "phones rung": [rung(cleanCall.printed), rung(call.printed)],
        "texts sent": [found.meantToSend, found.sent],
        "texts repeated": [0, found.repeated],
      };
      for (const purpose of Object.keys({ ...expected.byPurpose, ...found.byPurpose })) {
        counts[purpose] = [expected.byPurpose[purpose] ?? 0, found.byPurpose[purpose] ?? 0];
      }
      report({
        fault: `every webhook of an unanswered emergency call delivered twice at once (${requests.length} requests)`,
        effect: "one alert, one ladder",
        counts,
      });
    });

    it("applies a customer's text once when Twilio delivers it twice, token and all", async () => {
      const tenant = await world.tenant();
      await bookByCall(tenant);
      const sms = {
        baseUrl: world.server.baseUrl,
        authToken: world.server.authToken,
        from: CALLER,
        to: tenant.business.phoneNumber,
        body: "2",
        messageSid: newMessageSid(),
        idempotencyToken: randomUUID(),
      };
      const first = await sendInboundSms(sms);
      const retried = await sendInboundSms(sms);
      // A retry with a new MessageSid is known by Twilio's idempotency token.
      const again = await sendInboundSms({ ...sms, messageSid: newMessageSid() });
      await world.settle(tenant);
      const found = await effectsOf(tenant);
      const cancelled = (await world.docs(paths.appointments(tenant.business.id))).filter(
        (a) => a.status === "cancelled",
      );
      assert.match(first.reply ?? "", /cancel/i);
      assert.equal(retried.reply, first.reply, "the retry gets the stored reply");
      assert.equal(again.reply, first.reply);
      const inbound = await world.docs(`businesses/${tenant.business.id}/inboundSms`);
      report({
        fault: "inbound SMS delivered three times (same sid twice, same token with a new sid)",
        effect: "handled once, same reply each time",
        counts: {
          "messages stored": [1, inbound.length],
          cancellations: [1, cancelled.length],
          "texts sent": [found.meantToSend, found.sent],
          "texts repeated": [0, found.repeated],
        },
      });
    });

    it("applies a customer's text once when two deliveries arrive at the same moment", async () => {
      const tenant = await world.tenant();
      await bookByCall(tenant);
      const sms = {
        baseUrl: world.server.baseUrl,
        authToken: world.server.authToken,
        from: CALLER,
        to: tenant.business.phoneNumber,
        body: "2",
        messageSid: newMessageSid(),
      };
      const answers = await Promise.all([sendInboundSms(sms), sendInboundSms(sms)]);
      await world.settle(tenant);
      const found = await effectsOf(tenant);
      const cancelled = (await world.docs(paths.appointments(tenant.business.id))).filter(
        (a) => a.status === "cancelled",
      );
      // One reply whichever answer Twilio heeds: when the deliveries overlap it goes by the
      // outbox and neither answer carries it; otherwise each answer is the same stored reply.
      const carried = new Set(answers.map((a) => a.reply).filter((r) => r !== null));
      const byOutbox = found.byPurpose["sms-reply"] ?? 0;
      report({
        fault: "inbound SMS delivered twice at once",
        effect: byOutbox
          ? "handled once; the reply went by the outbox, in neither answer"
          : "handled once; the same reply in each answer",
        counts: {
          cancellations: [1, cancelled.length],
          "replies given": [1, byOutbox + carried.size],
          "replies in an answer as well as by text": [0, byOutbox && carried.size],
          "texts repeated": [0, found.repeated],
        },
      });
    });

    it("keeps the furthest status when callbacks come twice and out of order", async () => {
      const tenant = await world.tenant();
      await bookByCall(tenant);
      const before = await effectsOf(tenant);
      const statuses: number[] = [];
      for (const status of ["sent", "delivered", "delivered", "sent", "queued", "sent"]) {
        statuses.push(...(await world.statusCallbacks(tenant, status)));
      }
      await world.settle(tenant);
      const found = await effectsOf(tenant);
      assert.ok(
        statuses.every((s) => s === 200),
        `status callbacks answered ${statuses.join(",")}`,
      );
      const delivered = found.outbox.filter((m) => m.twilioStatus === "delivered").length;
      report({
        fault: "SMS status callbacks twice each and out of order (delivered, then sent, queued)",
        effect: "status never moves backwards",
        counts: {
          "texts marked delivered": [before.sent, delivered],
          "texts sent": [before.sent, found.sent],
          "owner failure texts": [0, found.byPurpose["owner-sms-failed"] ?? 0],
        },
      });
    });

    it("tells the owner once when a failure callback comes twice", async () => {
      const tenant = await world.tenant();
      await bookByCall(tenant);
      const customerTexts = world.sentBy(tenant).filter((m) => m.to === CALLER).length;
      for (let i = 0; i < 2; i += 1) {
        for (const message of world.sentBy(tenant).filter((m) => m.to === CALLER)) {
          const path = new URL(message.status_callback ?? "").pathname;
          const answer = await world.post(path, {
            MessageSid: message.sid,
            MessageStatus: "undelivered",
            ErrorCode: "30003",
            AccountSid: message.account_sid,
          });
          assert.equal(answer.status, 200);
        }
      }
      // A late "delivered" for a message Twilio called undelivered changes nothing.
      await world.statusCallbacks(tenant, "sent");
      await world.settle(tenant);
      const found = await effectsOf(tenant);
      const attention = await world.docs(`businesses/${tenant.business.id}/attention`);
      report({
        fault: "undelivered (30003) callback twice, then a late 'sent'",
        effect: "marked undelivered once, owner told once",
        counts: {
          "owner failure texts": [customerTexts, found.byPurpose["owner-sms-failed"] ?? 0],
          "attention items": [customerTexts, attention.length],
          "texts repeated": [0, found.repeated],
        },
      });
    });
  });

  describe("Twilio reports a failure after taking a text", () => {
    async function failLater(tenant: Tenant, status: string, errorCode: string, times: number) {
      const answers: number[] = [];
      for (const message of world.sentBy(tenant).filter((m) => m.to === CALLER)) {
        const path = new URL(message.status_callback ?? "").pathname;
        const callback = () =>
          world.post(path, {
            MessageSid: message.sid,
            MessageStatus: status,
            ErrorCode: errorCode,
            AccountSid: message.account_sid,
          });
        // Twilio's retries of one callback, overlapping.
        const all = await Promise.all(Array.from({ length: times }, callback));
        answers.push(...all.map((a) => a.status));
      }
      return answers;
    }

    it("tells the owner once that texts are failing when callbacks say the queue overflowed (30001), twice at once", async () => {
      const tenant = await world.tenant();
      await bookByCall(tenant);
      const answers = await failLater(tenant, "undelivered", "30001", 2);
      await world.settle(tenant);
      const found = await effectsOf(tenant);
      assert.ok(
        answers.every((a) => a === 200),
        `callbacks answered ${answers.join(",")}`,
      );
      const degraded = (await world.docs(`businesses/${tenant.business.id}/attention`)).filter(
        (a) => a.kind === "receptionist-degraded",
      );
      report({
        fault: "status callback 'undelivered' (30001) after Twilio took the text, twice at once",
        effect: "owner told texts are failing: dashboard and one text",
        counts: {
          "degradation items": [1, degraded.length],
          "owner 'texts failing' texts": [1, found.byPurpose["owner-receptionist-degraded"] ?? 0],
          "owner 'texts failing' texts sent": [
            1,
            world
              .sentBy(tenant)
              .filter((m) => m.to === tenant.business.ownerMobile && /failing/.test(m.body)).length,
          ],
          "texts repeated": [0, found.repeated],
        },
      });
    });

    it("opts the customer out when a callback says 21610, and sends them nothing more", async () => {
      const tenant = await world.tenant();
      await bookByCall(tenant);
      const answers = await failLater(tenant, "failed", "21610", 2);
      await new FirestoreOutboxRepository(appFirestore()).enqueue({
        id: `appointment-reminder-${randomUUID()}`,
        businessId: tenant.business.id,
        to: CALLER,
        body: "Reminder: your plumber visits tomorrow.",
        purpose: "appointment-reminder",
      });
      await world.settle(tenant);
      const found = await effectsOf(tenant);
      assert.ok(
        answers.every((a) => a === 200),
        `callbacks answered ${answers.join(",")}`,
      );
      const customer = await appFirestoreDoc(paths.customer(tenant.business.id, CALLER));
      const toCustomer = world.sentBy(tenant).filter((m) => m.to === CALLER);
      report({
        fault:
          "status callback 'failed' (21610) on the confirmation, twice at once, then a reminder",
        effect: "customer opted out, reminder not sent, owner not pestered",
        counts: {
          "customers opted out": [1, customer.smsOptedOut === true ? 1 : 0],
          "texts reaching Twilio for the customer": [1, toCustomer.length],
          "owner failure texts": [0, found.byPurpose["owner-sms-failed"] ?? 0],
          "texts repeated": [0, found.repeated],
        },
      });
    });
  });

  describe("the scheduled jobs overlap", () => {
    it("queues and sends each reminder once when two reminder runs start together", async () => {
      const tenant = await world.tenant();
      await bookByCall(tenant);
      const waiting = await dueNow(tenant);
      assert.ok(waiting > 0, "the booking planned reminders");
      await Promise.all([world.runReminders(), world.runReminders()]);
      await world.settle(tenant);
      const found = await effectsOf(tenant);
      report({
        fault: `two reminder runs at once (${waiting} reminders due)`,
        effect:
          "queued under its fixed outbox id; of one visit's reminders due together, the latest",
        counts: {
          // One booking: however many of its reminders are due at once, one text.
          "reminders queued": [1, found.byPurpose["appointment-reminder"] ?? 0],
          "texts sent": [found.meantToSend, found.sent],
          "texts repeated": [0, found.repeated],
        },
      });
    });

    it("puts one event in the calendar when two sweeps retry the same sync", async () => {
      const tenant = await world.tenant();
      world.google.failNext("events.insert", { status: 503 }, 3);
      await bookByCall(tenant);
      const queued = await world.docs(paths.calendarSyncQueue());
      const mine = queued.filter((q) => q.businessId === tenant.business.id);
      assert.equal(mine.length, 1, "the failed sync waits for the sweep");
      await makeSyncsDue(tenant);
      await Promise.all([world.runCalendarSweep(), world.runCalendarSweep()]);
      await world.settle(tenant);
      const found = await effectsOf(tenant);
      report({
        fault: "Calendar 503 three times, then two sweeps at once",
        effect: "trigger gave up to the queue; the sweeps insert the same event id",
        counts: {
          bookings: [1, found.bookings],
          "calendar events": [1, found.calendarEvents],
          "texts repeated": [0, found.repeated],
        },
      });
    });
  });

  describe("Google Calendar fails", () => {
    it("retries a 429 and a 500 and keeps one event", async () => {
      const tenant = await world.tenant();
      world.google.failNext("events.insert", { status: 429 });
      world.google.failNext("events.insert", { status: 500 });
      const retriedBefore = world.retriedRuns;
      await bookByCall(tenant);
      const found = await effectsOf(tenant);
      report({
        fault: "Calendar events.insert 429 then 500",
        effect: `trigger threw, platform retried (${world.retriedRuns - retriedBefore} retries)`,
        counts: bookingCounts(found),
      });
    });

    it("books and texts as normal when free/busy answers 503 during the call", async () => {
      const tenant = await world.tenant();
      world.google.failNext("freebusy", { status: 503 }, 20);
      const call = await bookByCall(tenant);
      const found = await effectsOf(tenant);
      assert.match(call.said.join(" "), /booked/);
      const degraded = (await world.docs(`businesses/${tenant.business.id}/attention`)).filter(
        (a) => a.kind === "receptionist-degraded" && a.degradation === "calendar-unreachable",
      );
      report({
        fault: "Calendar freeBusy 503 for the whole call",
        effect: "offers made without the owner's busy time, owner told once (dashboard and text)",
        counts: {
          ...bookingCounts(found, { "owner-receptionist-degraded": 1 }),
          "degradation items": [1, degraded.length],
        },
      });
    });

    it("books, texts the owner once to reconnect, and syncs nothing when the grant is revoked", async () => {
      const tenant = await world.tenant();
      await revokeGrant(tenant);
      await bookByCall(tenant, { delivery: { times: 3, concurrent: false } });
      const found = await effectsOf(tenant);
      const status = (await appFirestoreDoc(paths.calendarConnection(tenant.business.id))).status;
      assert.equal(status, "needs-reconnect");
      report({
        fault: "Calendar invalid_grant (owner revoked access), events x3",
        effect: "connection marked needs-reconnect, owner told once",
        counts: {
          bookings: [1, found.bookings],
          "booking-confirmation": [1, found.byPurpose["booking-confirmation"] ?? 0],
          "owner-calendar-reconnect": [1, found.byPurpose["owner-calendar-reconnect"] ?? 0],
          "texts sent": [found.meantToSend, found.sent],
          "texts repeated": [0, found.repeated],
        },
      });
    });
  });

  describe("Twilio's REST API fails", () => {
    it("retries a 503 and a 500 and sends each text once", async () => {
      const tenant = await world.tenant();
      world.twilio.failNext({ kind: "error", status: 503 });
      world.twilio.failNext({ kind: "error", status: 500 });
      await bookByCall(tenant);
      const found = await effectsOf(tenant);
      report({
        fault: "Twilio Messages.create 503 then 500",
        effect: "RETRY with backoff, then SUCCESS",
        counts: bookingCounts(found),
      });
    });

    it("does not send twice when Twilio took a text but the answer was lost", async () => {
      const tenant = await world.tenant();
      world.twilio.failNext({ kind: "accept-then-reset" });
      await bookByCall(tenant);
      const found = await effectsOf(tenant);
      report({
        fault: "Twilio accepted a text, then the connection dropped",
        effect: "next attempt found it at Twilio (reconciled) instead of resending",
        counts: bookingCounts(found),
      });
    });

    it("stops at 21610 (unsubscribed) and still sends the owner's texts", async () => {
      const tenant = await world.tenant();
      world.twilio.failNext({
        kind: "error",
        status: 400,
        code: 21610,
        message: "Attempt to send to unsubscribed recipient",
      });
      await bookByCall(tenant, { delivery: { times: 3, concurrent: false } });
      const found = await effectsOf(tenant);
      const refused = found.outbox.filter((m) => m.lastErrorCode === 21610);
      // They are opted out here now, so the next text to them is not even tried.
      const customer = await appFirestoreDoc(paths.customer(tenant.business.id, CALLER));
      await new FirestoreOutboxRepository(appFirestore()).enqueue({
        id: `appointment-reminder-${randomUUID()}`,
        businessId: tenant.business.id,
        to: CALLER,
        body: "Reminder: your plumber visits tomorrow.",
        purpose: "appointment-reminder",
      });
      await world.settle(tenant);
      const after = world.twilio
        .sendRequests()
        .filter((r) => r.form.To === CALLER && r.form.From === tenant.business.phoneNumber);
      report({
        fault: "Twilio 21610 on the customer's confirmation, events x3, then another text to them",
        effect: "recorded ERROR once, not retried, customer opted out, owner not pestered",
        counts: {
          bookings: [1, found.bookings],
          "texts refused (21610)": [1, refused.length],
          "reasons shown": [
            1,
            refused.filter((m) => /opted out/.test(String(m.failureReason))).length,
          ],
          "customers opted out": [1, customer.smsOptedOut === true ? 1 : 0],
          "attempts to the unsubscribed number": [1, after.length],
          "owner texts sent": [1, world.sentBy(tenant).filter((m) => m.to !== CALLER).length],
          "texts repeated": [0, found.repeated],
        },
      });
    });
  });

  describe("the model times out", () => {
    it("keeps the rules' reading within the deadline and never waits on it for an emergency", async () => {
      const anthropic = new AnthropicFakeServer();
      await anthropic.start();
      try {
        const tenant = await world.tenant();
        const model = new ClaudeLanguageModel({
          apiKey: () => "test-key",
          baseURL: anthropic.baseURL,
        });
        const deps = { model, logger: new RecordingLogger() };
        anthropic.reply({ text: "{}", delayMs: 6_000 });
        const unclear: RulesReading = {
          intent: "unknown",
          emergencyKind: null,
          slots: { name: "Sarah Jones" },
          offeredSlotIds: [],
        };
        const started = Date.now();
        const read = await secondReading(
          {
            business: tenant.business,
            stage: "collecting",
            utterance: "erm it's the thing under the sink, you know, the pipe bit",
            rules: unclear,
          },
          deps,
        );
        const waited = Date.now() - started;
        const emergency: RulesReading = { ...unclear, intent: "emergency", emergencyKind: "gas" };
        const asked = anthropic.requests.length;
        const urgent = await secondReading(
          {
            business: tenant.business,
            stage: "collecting",
            utterance: "I can smell gas in the kitchen",
            rules: emergency,
          },
          deps,
        );
        assert.ok(waited < 5_000, `gave up on the model after ${waited} ms`);
        report({
          fault: "Claude answers after 6 s (deadline 2.5 s)",
          effect: `gave up after ${waited} ms, rules' reading kept`,
          counts: {
            "rules' name kept": [1, read.slots.name === "Sarah Jones" ? 1 : 0],
            "emergencies kept": [1, urgent.emergencyKind === "gas" ? 1 : 0],
            "model asked about the emergency": [0, anthropic.requests.length - asked],
          },
        });
      } finally {
        await anthropic.stop();
      }
    });
  });

  describe("the model times out on a call", () => {
    it("answers each turn in time and books once when Claude never answers in time", async () => {
      const anthropic = await suiteAnthropic();
      const asked = anthropic.requests.length;
      for (let i = 0; i < 20; i += 1) anthropic.reply({ text: "{}", delayMs: 6_000 });
      process.env.ANTHROPIC_API_KEY = "test-key";
      const send = fetchTransport();
      let slowest = 0;
      const timed: Transport = async (request) => {
        const started = Date.now();
        const answer = await send(request);
        slowest = Math.max(slowest, Date.now() - started);
        return answer;
      };
      try {
        const tenant = await world.tenant();
        const call = await world.call(tenant, LONG_BOOKING_CALL, {
          from: CALLER,
          transport: timed,
        });
        await world.settle(tenant);
        const found = await effectsOf(tenant);
        const askedNow = anthropic.requests.length - asked;
        assert.ok(askedNow > 0, "the long turn was given to the model");
        assert.match(call.said.join(" "), /booked/);
        assert.ok(slowest < 15_000, `slowest turn took ${slowest} ms`);
        report({
          fault: `Claude answers after 6 s on a call (${askedNow} turn(s) given to it)`,
          effect: `rules' reading kept; slowest webhook ${slowest} ms`,
          counts: bookingCounts(found, {
            "owner-receptionist-degraded": found.byPurpose["owner-receptionist-degraded"] ? 1 : 0,
          }),
        });
      } finally {
        delete process.env.ANTHROPIC_API_KEY;
      }
    });
  });

  describe("Firestore is unavailable for a while", () => {
    it("answers the caller within Twilio's time and books once when Firestore drops out mid-booking", async () => {
      const tenant = await world.tenant();
      const link = firestoreLink();
      const send = fetchTransport();
      let answeredInMs = 0;
      let status = 0;
      const outage: Transport = async (request) => {
        if (!/\/turn\?.*step=3/.test(request.url)) return send(request);
        link.down();
        const back = setTimeout(() => link.restore(), 2_000);
        const started = Date.now();
        try {
          const answer = await send(request);
          answeredInMs = Date.now() - started;
          status = answer.status;
          return answer;
        } finally {
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, 2_100 - answeredInMs)));
          clearTimeout(back);
          link.restore();
        }
      };
      const call = await bookByCall(tenant, { transport: outage });
      const found = await effectsOf(tenant);
      const promised = /booked/.test(call.said.join(" "));
      assert.equal(status, 200);
      assert.ok(answeredInMs < 15_000, `answered after ${answeredInMs} ms`);
      report({
        fault: "Firestore down for 2 s at the booking turn",
        effect: `caller answered in ${answeredInMs} ms (${promised ? "booked" : "apology"})`,
        counts: promised
          ? bookingCounts(found)
          : {
              bookings: [found.bookings, found.bookings],
              "booking-confirmation": [
                found.bookings,
                found.byPurpose["booking-confirmation"] ?? 0,
              ],
              "texts sent": [found.meantToSend, found.sent],
              "texts repeated": [0, found.repeated],
            },
      });
    });

    it("delivers queued texts and a customer's reply once Firestore is back", async () => {
      const tenant = await world.tenant();
      await world.call(tenant, BOOKING_CALL, { from: CALLER });
      const link = firestoreLink();
      link.down();
      const back = setTimeout(() => link.restore(), 2_000);
      const [reply] = await Promise.all([
        sendInboundSms({
          baseUrl: world.server.baseUrl,
          authToken: world.server.authToken,
          from: CALLER,
          to: tenant.business.phoneNumber,
          body: "YES",
        }),
        world.settle(tenant),
      ]);
      clearTimeout(back);
      link.restore();
      await world.settle(tenant);
      const found = await effectsOf(tenant);
      const confirmed = (await world.docs(paths.appointments(tenant.business.id))).filter(
        (a) => a.confirmation === "confirmed",
      );
      report({
        fault: "Firestore down for 2 s while texts go out and a YES comes in",
        effect: "work waited for Firestore and finished",
        counts: {
          ...bookingCounts(found),
          "replies given": [1, reply.reply ? 1 : 0],
          confirmations: [1, confirmed.length],
        },
      });
    });

    it("handles a customer's text once when Firestore's answers are lost after it committed", async () => {
      const tenant = await world.tenant();
      await bookByCall(tenant);
      const link = firestoreLink();
      const lostBefore = link.lostReplyBytes;
      link.loseReplies();
      const back = setTimeout(() => link.restore(), 1_500);
      const reply = await sendInboundSms({
        baseUrl: world.server.baseUrl,
        authToken: world.server.authToken,
        from: CALLER,
        to: tenant.business.phoneNumber,
        body: "2",
        idempotencyToken: randomUUID(),
      });
      clearTimeout(back);
      link.restore();
      await world.settle(tenant);
      const cancelled = (await world.docs(paths.appointments(tenant.business.id))).filter(
        (a) => a.status === "cancelled",
      );
      report({
        fault: "Firestore commits but its answers are lost for 1.5 s, as a text arrives",
        effect: `${link.lostReplyBytes - lostBefore} bytes of answers lost; replied ${JSON.stringify(
          reply.reply?.slice(0, 30) ?? null,
        )}`,
        counts: {
          cancellations: [1, cancelled.length],
          "replies given": [1, reply.reply && /cancel/i.test(reply.reply) ? 1 : 0],
        },
      });
    });

    it("books once when Firestore's answers are lost as the booking commits", async () => {
      const tenant = await world.tenant();
      const link = firestoreLink();
      const lostBefore = link.lostReplyBytes;
      const send = fetchTransport();
      const lossy: Transport = async (request) => {
        if (!/\/turn\?.*step=3/.test(request.url)) return send(request);
        link.loseReplies();
        const back = setTimeout(() => link.restore(), 1_500);
        try {
          return await send(request);
        } finally {
          clearTimeout(back);
          link.restore();
        }
      };
      const call = await bookByCall(tenant, { transport: lossy });
      const found = await effectsOf(tenant);
      const promised = /booked/.test(call.said.join(" "));
      report({
        fault: "Firestore commits but its answers are lost for 1.5 s at the booking turn",
        effect: `${link.lostReplyBytes - lostBefore} bytes of answers lost; caller heard ${
          promised ? "booked" : "no booking"
        }`,
        counts: {
          ...bookingCounts(found),
          "caller told booked": [found.bookings, promised ? 1 : 0],
        },
      });
    });
  });

  describe("Firestore triggers are delivered more than once", () => {
    for (const concurrent of [false, true]) {
      it(`sends each text once, one calendar event, one summary: every event x3 (${
        concurrent ? "at once" : "one after another"
      })`, async () => {
        const tenant = await world.tenant();
        await bookByCall(tenant, { delivery: { times: 3, concurrent } });
        const found = await effectsOf(tenant);
        report({
          fault: `every trigger event delivered 3 times ${concurrent ? "at once" : "in a row"}`,
          effect: "claims and fixed ids absorb the repeats",
          counts: bookingCounts(found),
        });
      });
    }
  });
});
