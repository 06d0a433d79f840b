import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { paths } from "../../src/adapters/firestore/paths";
import { newMessageSid, sendInboundSms } from "../../src/tools/sms-simulator";
import { fetchTransport, type Transport } from "../../src/tools/simulator/transport";
import { report, printTotals } from "./fault-tally";
import { Delivery, FaultWorld, retryingTransport, Tenant } from "./fault-world";

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
  function bookingCounts(found: Awaited<ReturnType<typeof effectsOf>>) {
    const counts: Record<string, [number, number]> = {
      bookings: [clean.bookings, found.bookings],
      "texts sent": [found.meantToSend, found.sent],
      "texts repeated": [0, found.repeated],
      "calendar events": [clean.calendarEvents, found.calendarEvents],
      summaries: [clean.summaries, found.summaries],
    };
    for (const purpose of new Set([
      ...Object.keys(clean.byPurpose),
      ...Object.keys(found.byPurpose),
    ])) {
      counts[purpose] = [clean.byPurpose[purpose] ?? 0, found.byPurpose[purpose] ?? 0];
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
      const replies = answers.filter((a) => a.reply !== null).length;
      report({
        fault: "inbound SMS delivered twice at once",
        effect: `one handled, ${replies} of 2 answers carry the reply`,
        counts: {
          cancellations: [1, cancelled.length],
          "replies given": [1, Math.min(1, replies)],
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

export { fetchTransport };
