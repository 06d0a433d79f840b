import { strict as assert } from "node:assert";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { DateTime } from "luxon";
import { FirestoreAppointmentRepository } from "../../src/adapters/firestore/appointment.repository";
import { FirestoreBusinessRepository } from "../../src/adapters/firestore/business.repository";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { paths } from "../../src/adapters/firestore/paths";
import { FirestoreSmsConversationRepository } from "../../src/adapters/firestore/sms-conversation.repository";
import { handleInboundSms } from "../../src/app/handle-inbound-sms";
import { smsDeps } from "../../src/bootstrap";
import type { Business } from "../../src/domain/business/business";
import type { SmsConversations } from "../../src/ports/sms-conversation.port";
import type { Appointment } from "../../src/domain/scheduling/appointment";
import { simulateCall } from "../../src/tools/simulator/call-session";
import { scriptCaller } from "../../src/tools/simulator/callers";
import { fetchTransport } from "../../src/tools/simulator/transport";
import { DEMO_ACCOUNT_SID } from "../../src/tools/simulator/twilio-params";
import {
  inboundSmsParams,
  newMessageSid,
  sendInboundSms,
  watchOutbox,
} from "../../src/tools/sms-simulator";
import { TEST_PROJECT_ID } from "../support/root-hooks";
import { createTestTenant } from "../support/firestore-tenant";
import { startWebhooksTestServer, WebhooksTestServer } from "../support/webhooks-test-server";

const TOM = {
  name: "Tom Okafor",
  phone: "+447700900222",
  address: "3 Gloucester Road, Bristol BS7 8AA",
};

async function waitUntil(probe: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("timed out");
}

describe("the sms function, over HTTP, against Firestore", function () {
  this.timeout(30_000);
  let server: WebhooksTestServer;

  before(async () => {
    server = await startWebhooksTestServer();
  });
  after(async () => {
    await server.stop();
  });

  const send = (
    business: Business,
    body: string,
    extra: { from?: string; messageSid?: string; idempotencyToken?: string } = {},
  ) =>
    sendInboundSms({
      baseUrl: server.baseUrl,
      authToken: server.authToken,
      from: extra.from ?? TOM.phone,
      to: business.phoneNumber,
      body,
      ...(extra.messageSid ? { messageSid: extra.messageSid } : {}),
      ...(extra.idempotencyToken ? { idempotencyToken: extra.idempotencyToken } : {}),
    });

  async function docs(collectionPath: string) {
    const snapshot = await appFirestore().collection(collectionPath).get();
    return snapshot.docs.map(
      (d) => ({ id: d.id, ...d.data() }) as Record<string, unknown> & { id: string },
    );
  }

  const history = (business: Business, phone: string) =>
    new FirestoreSmsConversationRepository(appFirestore()).listTurns(business.id, phone);

  async function bookTom(business: Business): Promise<Appointment> {
    const start = new Date(Date.now() + 3 * 86_400_000);
    start.setUTCHours(10, 0, 0, 0);
    const appointment: Appointment = {
      id: `appt-${business.id}`,
      businessId: business.id,
      customerId: TOM.phone,
      customerName: TOM.name,
      customerPhone: TOM.phone,
      address: TOM.address,
      serviceId: "boiler-service",
      serviceName: "Boiler service",
      problem: "Annual service",
      start,
      end: new Date(start.getTime() + 90 * 60_000),
      status: "booked",
      source: "seed",
      createdAt: new Date(),
      confirmation: "requested",
    };
    const result = await new FirestoreAppointmentRepository(appFirestore()).book(appointment);
    assert.equal(result.outcome, "booked");
    return appointment;
  }

  describe("when a customer replies YES to a reminder", () => {
    it("confirms the appointment, replies in TwiML and keeps the conversation", async () => {
      const business = await createTestTenant({}, [TOM]);
      const appointment = await bookTom(business);
      const sent = await send(business, "YES");
      assert.match(sent.twiml, /^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>/);
      assert.match(sent.reply ?? "", /thanks, your boiler service on .+ is confirmed/);
      const stored = await appFirestore().doc(paths.appointment(business.id, appointment.id)).get();
      assert.equal(stored.get("confirmation"), "confirmed");
      const inbound = await appFirestore()
        .doc(paths.inboundSms(business.id, sent.messageSid))
        .get();
      assert.equal(inbound.get("answer.outcome"), "confirmed");
      const conversation = await appFirestore()
        .doc(paths.smsConversation(business.id, TOM.phone))
        .get();
      assert.equal(conversation.get("channel"), "sms");
      const turns = await history(business, TOM.phone);
      assert.deepEqual(
        turns.map((t) => t.speaker),
        ["customer", "receptionist"],
      );
    });
  });

  describe("when the customer texts STOP", () => {
    it("stores the opt-out on the customer and replies nothing", async () => {
      const business = await createTestTenant({}, [TOM]);
      const sent = await send(business, "STOP");
      assert.equal(sent.reply, null);
      assert.match(sent.twiml, /<Response\/>/);
      const customer = await appFirestore().doc(paths.customer(business.id, TOM.phone)).get();
      assert.equal(customer.get("smsOptedOut"), true);
      assert.equal(customer.get("name"), TOM.name);
      const back = await send(business, "START");
      assert.match(back.reply ?? "", /you'll get texts from us again/);
      const after = await appFirestore().doc(paths.customer(business.id, TOM.phone)).get();
      assert.equal(after.get("smsOptedOut"), false);
      assert.equal(after.get("smsOptedOutAt"), null);
    });
  });

  describe("when a customer who opted out texts an emergency in the owner's quiet hours", () => {
    /** A tenant whose owner is in quiet hours now, on the real clock: two hours either side. */
    async function quietNow(): Promise<Business> {
      const business = await createTestTenant({}, [TOM]);
      const here = DateTime.now().setZone(business.timeZone);
      const ownerQuietHours = {
        start: here.minus({ hours: 2 }).toFormat("HH:mm"),
        end: here.plus({ hours: 2 }).toFormat("HH:mm"),
      };
      const quiet = { ...business, notifications: { ...business.notifications, ownerQuietHours } };
      await new FirestoreBusinessRepository(appFirestore()).save(quiet);
      return quiet;
    }

    const heldFor = async (business: Business) =>
      (await docs(paths.scheduledSms())).filter((d) => d.businessId === business.id);

    it("alerts the owner at once, once however often Twilio delivers it, and texts them nothing", async () => {
      const business = await quietNow();
      await send(business, "STOP");
      const messageSid = newMessageSid();
      const answers = [
        await send(business, "water pouring through my ceiling", { messageSid }),
        ...(await Promise.all(
          [1, 2, 3].map(() => send(business, "water pouring through my ceiling", { messageSid })),
        )),
      ];
      for (const answer of answers) {
        assert.equal(answer.reply, null);
        assert.match(answer.twiml, /<Response\/>/);
      }
      const outbox = await docs(paths.outbox(business.id));
      assert.deepEqual(
        outbox.map((m) => [m.id, m.purpose, m.to]),
        [[`emergency-alert-sms-${messageSid}`, "owner-emergency-alert", business.ownerMobile]],
      );
      assert.match(String(outbox[0].body), /^EMERGENCY \(Water coming through the ceiling\)/);
      assert.deepEqual(await heldFor(business), [], "nothing waits for the morning");
      const inbound = await appFirestore().doc(paths.inboundSms(business.id, messageSid)).get();
      assert.equal(inbound.get("answer.outcome"), "emergency-opted-out");
      const conversation = await appFirestore()
        .doc(paths.smsConversation(business.id, TOM.phone))
        .get();
      assert.equal(
        conversation.get(`episode.${messageSid}.emergency.kind`),
        "water-through-ceiling",
      );
      assert.deepEqual(
        (await history(business, TOM.phone)).map((t) => t.speaker),
        ["customer", "customer", "owner-forward"],
      );
      const customer = await appFirestore().doc(paths.customer(business.id, TOM.phone)).get();
      assert.equal(customer.get("smsOptedOut"), true);
    });

    it("still holds an ordinary text from them for the morning", async () => {
      const business = await quietNow();
      await send(business, "STOP");
      const sent = await send(business, "can you look at my dripping tap next week");
      assert.equal(sent.reply, null);
      assert.deepEqual(await docs(paths.outbox(business.id)), []);
      const held = await heldFor(business);
      assert.deepEqual(
        held.map((d) => [d.purpose, d.to]),
        [["owner-message", business.ownerMobile]],
      );
    });
  });

  describe("when Twilio delivers one message more than once", () => {
    it("handles a redelivery once and answers it the same", async () => {
      const business = await createTestTenant({}, [TOM]);
      // Words about the visit Tom has booked: for the owner.
      await bookTom(business);
      const messageSid = newMessageSid();
      const first = await send(business, "Can you bring a new washer?", { messageSid });
      const again = await send(business, "Can you bring a new washer?", { messageSid });
      assert.equal(again.twiml, first.twiml);
      assert.match(first.reply ?? "", /passed that to Dave/);
      // What npm run sms prints under the reply: the owner's copy, found by its MessageSid.
      const seen = await watchOutbox(
        {
          firestore: process.env.FIRESTORE_EMULATOR_HOST ?? "",
          project: TEST_PROJECT_ID,
          to: business.phoneNumber,
          from: TOM.phone,
          since: new Date(Date.now() - 5_000),
          waitMs: 0,
        },
        messageSid,
      );
      assert.deepEqual(
        seen.map((m) => [m.purpose, m.to]),
        [["owner-message", business.ownerMobile]],
      );
      const outbox = await docs(paths.outbox(business.id));
      assert.deepEqual(
        outbox.map((m) => m.purpose),
        ["owner-message"],
      );
    });

    it("handles concurrent deliveries of one message once", async () => {
      const business = await createTestTenant({}, [TOM]);
      // Words about the visit Tom has booked: for the owner.
      await bookTom(business);
      const messageSid = newMessageSid();
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => send(business, "Is it Dave coming?", { messageSid })),
      );
      // One reply whichever answer Twilio heeds: by the outbox and in no answer when the
      // deliveries overlapped, else the same stored reply in each answer.
      const carried = new Set(answers.map((a) => a.reply).filter((r) => r !== null));
      const outbox = await docs(paths.outbox(business.id));
      const byOutbox = outbox.filter((m) => m.purpose === "sms-reply");
      assert.equal(
        byOutbox.length + carried.size,
        1,
        JSON.stringify({ byOutbox, carried: [...carried] }),
      );
      assert.equal(outbox.filter((m) => m.purpose === "owner-message").length, 1);
      assert.deepEqual(
        (await history(business, TOM.phone)).map((t) => t.speaker),
        ["customer", "owner-forward", "receptionist"],
      );
    });

    describe("two deliveries overlapping, the first held mid-way (the use case on Firestore)", () => {
      /** The deployed adapters, with the first delivery's first read after claiming held (and failed, if asked). */
      function heldDeps(failFirst: boolean) {
        const deps = smsDeps();
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        let started!: () => void;
        const midway = new Promise<void>((resolve) => (started = resolve));
        let first = true;
        const sms: SmsConversations = {
          append: deps.sms.append.bind(deps.sms),
          setPending: deps.sms.setPending.bind(deps.sms),
          recordStep: deps.sms.recordStep.bind(deps.sms),
          getThread: async (businessId, phone) => {
            if (first) {
              first = false;
              started();
              await held;
              if (failFirst) throw new Error("Firestore unavailable");
            }
            return deps.sms.getThread(businessId, phone);
          },
        };
        return {
          deps: { ...deps, sms, duplicateWait: { maxMs: 10_000, pollMs: 100 } },
          release,
          midway,
        };
      }

      for (const failFirst of [false, true]) {
        it(`handles the text once and replies once${failFirst ? ", the second taking over when the first fails after claiming" : ", by the outbox"}`, async () => {
          const business = await createTestTenant({}, [TOM]);
          await bookTom(business);
          const { deps, release, midway } = heldDeps(failFirst);
          const input = {
            messageSid: newMessageSid(),
            from: TOM.phone,
            to: business.phoneNumber,
            body: "Is it Dave coming?",
            numMedia: 0,
          };
          const firstRun = handleInboundSms(input, deps);
          await midway;
          const secondRun = handleInboundSms(input, deps);
          // The second has claimed nothing and joined the first before the first goes on.
          await waitUntil(async () => {
            const doc = await appFirestore()
              .doc(paths.inboundSms(business.id, input.messageSid))
              .get();
            return doc.get("joinedUntil") !== undefined;
          });
          release();
          const [first, second] = await Promise.all([firstRun, secondRun]);

          const outbox = await docs(paths.outbox(business.id));
          const byOutbox = outbox.filter((m) => m.purpose === "sms-reply");
          const carried = [first, second].filter((a) => a.reply !== null);
          assert.equal(byOutbox.length + carried.length, 1, "exactly one reply");
          if (failFirst) {
            assert.equal(first.outcome, "handed-over");
            assert.equal(carried[0]?.reply, second.reply, "the second's answer carries it");
          } else {
            assert.equal(byOutbox[0]?.id, `sms-reply-${input.messageSid}`);
            assert.equal(byOutbox[0]?.to, TOM.phone);
          }
          assert.equal(outbox.filter((m) => m.purpose === "owner-message").length, 1);
          assert.deepEqual(
            (await history(business, TOM.phone)).map((t) => t.speaker),
            ["customer", "owner-forward", "receptionist"],
          );
        });
      }
    });

    it("recognises a retried webhook by its I-Twilio-Idempotency-Token", async () => {
      const business = await createTestTenant({}, [TOM]);
      // Words about the visit Tom has booked: for the owner.
      await bookTom(business);
      const token = `${DEMO_ACCOUNT_SID}-${Date.now()}`;
      const first = await send(business, "What time will you arrive?", { idempotencyToken: token });
      const retried = await send(business, "What time will you arrive?", {
        idempotencyToken: token,
        messageSid: first.messageSid,
      });
      assert.equal(retried.reply, first.reply);
      assert.equal((await docs(paths.outbox(business.id))).length, 1);
    });
  });

  describe("when a request is not from Twilio or is malformed", () => {
    const post = async (params: Record<string, string>, signature?: string) => {
      const response = await fetch(`${server.baseUrl}/sms/incoming`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          ...(signature ? { "x-twilio-signature": signature } : {}),
        },
        body: new URLSearchParams(params).toString(),
      });
      return { status: response.status, body: await response.text() };
    };
    const params = () =>
      inboundSmsParams({
        messageSid: newMessageSid(),
        accountSid: DEMO_ACCOUNT_SID,
        from: TOM.phone,
        to: "+441174960000",
        body: "YES",
      });

    it("rejects a request without a signature with 403", async () => {
      assert.equal((await post(params())).status, 403);
    });

    it("rejects a signature made with another token, or over changed parameters, with 403", async () => {
      const url = `${server.baseUrl}/sms/incoming`;
      const p = params();
      assert.equal(
        (await post(p, getExpectedTwilioSignature("not-the-token", url, p))).status,
        403,
      );
      const signature = getExpectedTwilioSignature(server.authToken, url, p);
      assert.equal((await post({ ...p, Body: "NO" }, signature)).status, 403);
    });

    it("rejects a correctly signed but malformed request with 400 and says why", async () => {
      const url = `${server.baseUrl}/sms/incoming`;
      const p = { ...params(), MessageSid: "not-a-message" };
      const response = await post(p, getExpectedTwilioSignature(server.authToken, url, p));
      assert.equal(response.status, 400);
      assert.match(response.body, /MessageSid/);
    });

    it("answers an empty TwiML response for a number that belongs to no business", async () => {
      const business = { phoneNumber: "+441179999998" } as Business;
      const sent = await send(business, "YES");
      assert.equal(sent.reply, null);
    });
  });

  describe("when a call drops in the middle of a booking", () => {
    it("texts the caller, and their texts finish the same booking", async () => {
      const business = await createTestTenant();
      const caller = "+447700900999";
      const transcript = await simulateCall(
        {
          baseUrl: server.baseUrl,
          from: caller,
          to: business.phoneNumber,
          confidence: 0.92,
          authToken: server.authToken,
          accountSid: DEMO_ACCOUNT_SID,
          owner: "accept",
          backups: [],
        },
        {
          transport: fetchTransport(),
          caller: scriptCaller([
            "Hi, this is Sarah Jones at 22 Park Street, Bristol BS1 5JA, my kitchen tap keeps dripping",
          ]),
          print: () => undefined,
        },
      );
      const followUp = await appFirestore()
        .doc(paths.outboxMessage(business.id, `booking-follow-up-${transcript.callSid}`))
        .get();
      assert.equal(followUp.get("to"), caller);
      assert.match(String(followUp.get("body")), /sorry we were cut off.+1\) .+ Reply 1, 2 or 3/);

      const chose = await send(business, "1", { from: caller });
      assert.match(chose.reply ?? "", /Shall I book it\?/);
      const booked = await send(business, "yes", { from: caller });
      assert.match(booked.reply ?? "", /You're booked in for/);

      const appointments = await docs(paths.appointments(business.id));
      assert.equal(appointments.length, 1);
      assert.equal(appointments[0].customerName, "Sarah Jones");
      assert.equal(appointments[0].source, transcript.callSid);
      const confirmation = (await docs(paths.outbox(business.id))).filter(
        (m) => m.purpose === "booking-confirmation",
      );
      assert.equal(confirmation.length, 1);
      const conversation = await appFirestore()
        .doc(paths.conversation(business.id, transcript.callSid))
        .get();
      assert.equal(conversation.get("outcome"), "booked");
    });
  });
});
