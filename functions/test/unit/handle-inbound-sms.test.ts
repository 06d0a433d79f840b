import { strict as assert } from "node:assert";
import { handleCallTurn, recordCallEnded, startCall } from "../../src/app/handle-call";
import {
  handleInboundSms,
  InboundSmsInput,
  SMS_CANCEL_REASON,
} from "../../src/app/handle-inbound-sms";
import { followUpMessageId } from "../../src/app/dropped-call-follow-up";
import { InMemoryCallWriter, InMemoryHoldStore } from "../support/call-fixtures";
import { InMemoryScheduledSmsQueue } from "../support/in-memory-scheduled-sms";
import { NOW, TOM, tomsVisit } from "../support/scripted-conversations";
import { anSmsWorld, SmsWorld } from "../support/sms-fixtures";

const STRANGER = "+447700900777";

let sids = 0;
function messageSid(): string {
  sids += 1;
  return `SM${String(sids).padStart(32, "0")}`;
}

function aWorld(): SmsWorld {
  const world = anSmsWorld({ now: NOW, customers: [TOM] });
  return world;
}

async function text(
  world: SmsWorld,
  body: string,
  from = TOM.phone,
  extra: Partial<InboundSmsInput> = {},
) {
  return handleInboundSms(
    {
      messageSid: messageSid(),
      from,
      to: world.business.phoneNumber,
      body,
      numMedia: 0,
      ...extra,
    },
    world.smsDeps,
  );
}

describe("a customer's text", () => {
  describe("when the customer replies YES", () => {
    it("confirms their next appointment that asked for confirmation and thanks them", async () => {
      const world = aWorld();
      world.appointments.add(tomsVisit());
      world.appointments.add(
        tomsVisit({
          id: "appt-tom-next-week",
          start: new Date("2026-12-02T09:00:00Z"),
          end: new Date("2026-12-02T10:30:00Z"),
          confirmation: "requested",
        }),
      );
      const answer = await text(world, "YES");
      assert.equal(answer.outcome, "confirmed");
      assert.match(
        answer.reply ?? "",
        /^Bristol Plumbing: thanks, your boiler service on Wed 2 Dec at 9 am is confirmed/,
      );
      const confirmed = await world.appointments.get(world.business.id, "appt-tom-next-week");
      assert.equal(confirmed?.confirmation, "confirmed");
      const other = await world.appointments.get(world.business.id, tomsVisit().id);
      assert.equal(other?.confirmation, undefined);
    });

    it("confirms their next upcoming appointment when none asked", async () => {
      const world = aWorld();
      world.appointments.add(tomsVisit());
      const answer = await text(world, "👍");
      assert.equal(answer.outcome, "confirmed");
      assert.match(answer.reply ?? "", /Thu 26 Nov at 9 am/);
    });

    it("records the text and the reply on the customer's SMS conversation", async () => {
      const world = aWorld();
      world.appointments.add(tomsVisit());
      await text(world, "yes please");
      const history = world.sms.history(world.business.id, TOM.phone);
      assert.deepEqual(
        history.map((t) => t.speaker),
        ["customer", "receptionist"],
      );
      assert.equal(history[0].text, "yes please");
      assert.match(history[1].text, /confirmed/);
    });
  });

  describe("when Twilio delivers the same message twice", () => {
    it("handles it once and answers the redelivery the same", async () => {
      const world = aWorld();
      world.appointments.add(tomsVisit());
      const sid = messageSid();
      const input = {
        messageSid: sid,
        from: TOM.phone,
        to: world.business.phoneNumber,
        body: "no can't make it",
        numMedia: 0,
      };
      const first = await handleInboundSms(input, world.smsDeps);
      const again = await handleInboundSms(input, world.smsDeps);
      assert.equal(first.outcome, "cancelled");
      assert.equal(again.duplicate, true);
      assert.equal(again.reply, first.reply);
      assert.equal(world.sms.history(world.business.id, TOM.phone).length, 2);
    });

    it("recognises a retried webhook by its idempotency token", async () => {
      const world = aWorld();
      world.appointments.add(tomsVisit());
      const token = "AC123-retry-token";
      const first = await text(world, "what time will you arrive?", TOM.phone, {
        idempotencyToken: token,
      });
      const retried = await text(world, "what time will you arrive?", TOM.phone, {
        idempotencyToken: token,
      });
      assert.equal(retried.duplicate, true);
      assert.equal(retried.reply, first.reply);
      assert.equal(world.outbox.byPurpose("owner-message").length, 1);
    });

    it("lets a redelivery handle a message whose first handling failed", async () => {
      const world = aWorld();
      world.appointments.add(tomsVisit());
      const sid = messageSid();
      const input = {
        messageSid: sid,
        from: TOM.phone,
        to: world.business.phoneNumber,
        body: "YES",
        numMedia: 0,
      };
      const annotate = world.appointments.annotate.bind(world.appointments);
      world.appointments.annotate = () => Promise.reject(new Error("Firestore unavailable"));
      await assert.rejects(handleInboundSms(input, world.smsDeps), /unavailable/);
      world.appointments.annotate = annotate;
      const retried = await handleInboundSms(input, world.smsDeps);
      assert.equal(retried.duplicate, false);
      assert.equal(retried.outcome, "confirmed");
    });
  });

  describe("when Twilio delivers the same message twice at once", () => {
    /** A world whose first delivery waits mid-way for `release` (and then fails, if asked). */
    function overlapping(options: { failFirst?: boolean; maxMs?: number } = {}) {
      const world = aWorld();
      world.appointments.add(tomsVisit());
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const midway = new Promise<void>((resolve) => (started = resolve));
      // The first delivery stops at its first read after claiming the text.
      const getThread = world.sms.getThread.bind(world.sms);
      let first = true;
      world.smsDeps.sms.getThread = async (...args: Parameters<typeof getThread>) => {
        if (first) {
          first = false;
          started();
          await held;
          if (options.failFirst) throw new Error("Firestore unavailable");
        }
        return getThread(...args);
      };
      // Each wait lets the first delivery on, and moves the clock as time would.
      world.smsDeps.duplicateWait = {
        maxMs: options.maxMs ?? 5_000,
        pollMs: 250,
        sleep: async (ms) => {
          world.clock.advance(ms);
          await new Promise((resolve) => setImmediate(resolve));
        },
      };
      const input = {
        messageSid: messageSid(),
        from: TOM.phone,
        to: world.business.phoneNumber,
        body: "no can't make it",
        numMedia: 0,
      };
      return { world, input, release, midway };
    }

    const repliesIn = (world: SmsWorld, answers: Array<{ reply: string | null }>) =>
      answers.filter((a) => a.reply !== null).length + world.outbox.byPurpose("sms-reply").length;

    it("handles it once and sends exactly one reply, by the outbox, which neither answer carries", async () => {
      const { world, input, release, midway } = overlapping();
      const firstRun = handleInboundSms(input, world.smsDeps);
      await midway;
      const secondRun = handleInboundSms(input, world.smsDeps);
      await new Promise((resolve) => setImmediate(resolve));
      release();
      const [first, second] = await Promise.all([firstRun, secondRun]);

      assert.equal(first.outcome, "cancelled");
      assert.equal(second.duplicate, true);
      assert.equal(first.reply, null);
      assert.equal(second.reply, null);
      const [reply] = world.outbox.byPurpose("sms-reply");
      assert.equal(reply.id, `sms-reply-${input.messageSid}`);
      assert.equal(reply.to, TOM.phone);
      assert.match(reply.body, /cancel/i);
      assert.equal(repliesIn(world, [first, second]), 1);
      const stored = await world.appointments.get(world.business.id, tomsVisit().id);
      assert.equal(stored?.status, "cancelled");

      // A third delivery later gets no second reply either.
      const third = await handleInboundSms(input, world.smsDeps);
      assert.equal(third.reply, null);
      assert.equal(repliesIn(world, [first, second, third]), 1);
    });

    it("lets the waiting delivery take over when the first fails after claiming: one reply, not lost", async () => {
      const { world, input, release, midway } = overlapping({ failFirst: true });
      const firstRun = handleInboundSms(input, world.smsDeps);
      await midway;
      const secondRun = handleInboundSms(input, world.smsDeps);
      await new Promise((resolve) => setImmediate(resolve));
      release();
      const [first, second] = await Promise.all([firstRun, secondRun]);

      assert.equal(first.outcome, "handed-over");
      assert.equal(first.reply, null, "the failed delivery answers nothing, not an apology");
      assert.equal(second.outcome, "cancelled");
      assert.match(second.reply ?? "", /cancel/i);
      assert.equal(repliesIn(world, [first, second]), 1);
      assert.ok(world.logger.lines.some((l) => l.event === "sms.duplicate-took-over"));
    });

    it("answers empty when the first takes longer than it waits, and the reply still goes, once", async () => {
      const { world, input, release, midway } = overlapping({ maxMs: 1_000 });
      const firstRun = handleInboundSms(input, world.smsDeps);
      await midway;
      const second = await handleInboundSms(input, world.smsDeps);
      assert.equal(second.reply, null);
      assert.equal(second.outcome, "in-progress");
      release();
      const first = await firstRun;

      assert.equal(first.reply, null);
      assert.equal(repliesIn(world, [first, second]), 1);
      assert.equal(world.outbox.byPurpose("sms-reply").length, 1);
    });
  });

  describe("when the customer replies NO or 2", () => {
    it("cancels the appointment, says why on it, and acknowledges without texting the owner", async () => {
      for (const reply of ["NO", "2", "cancel the appointment"]) {
        const world = aWorld();
        world.appointments.add(tomsVisit());
        const answer = await text(world, reply);
        assert.equal(answer.outcome, "cancelled", reply);
        const stored = await world.appointments.get(world.business.id, tomsVisit().id);
        assert.equal(stored?.status, "cancelled");
        assert.equal(stored?.cancelReason, SMS_CANCEL_REASON);
        assert.match(answer.reply ?? "", /is cancelled/);
        // The appointment-change trigger tells the owner; the use case does not.
        assert.equal(world.outbox.messages.length, 0);
      }
    });
  });

  describe("for the thread's summary once it goes quiet", () => {
    it("records what each text did, under its MessageSid, with the customer's name", async () => {
      const world = aWorld();
      world.appointments.add(tomsVisit());
      await text(world, "NO");
      const steps = Object.values(world.sms.steps.get(`${world.business.id}/${TOM.phone}`) ?? {});
      assert.equal(steps.length, 1);
      assert.deepEqual(
        steps[0].done.map((d) => d.action),
        ["cancelled"],
      );
      assert.equal(steps[0].customerName, "Tom Okafor");
      assert.equal(steps[0].at, NOW.toISOString());
    });
  });

  describe("when the customer texts STOP", () => {
    it("opts them out, replies nothing, and a later reminder sees they are opted out", async () => {
      const world = aWorld();
      world.appointments.add(tomsVisit());
      const answer = await text(world, "STOP");
      assert.equal(answer.reply, null);
      assert.equal(answer.outcome, "opted-out");
      // What the delivery of a reminder reads before sending.
      const customer = await world.customers.findByPhone(world.business.id, TOM.phone);
      assert.equal(customer?.smsOptedOut, true);
      assert.equal(customer?.smsOptedOutAt?.toISOString(), NOW.toISOString());
      assert.equal(customer?.name, "Tom Okafor");
    });

    it("keeps the opt-out of a number that is not a customer yet", async () => {
      const world = aWorld();
      await text(world, "stop", STRANGER);
      const customer = await world.customers.findByPhone(world.business.id, STRANGER);
      assert.equal(customer?.smsOptedOut, true);
      assert.equal(customer?.name, "");
    });

    it("does not greet the number by name when it later rings", async () => {
      const world = aWorld();
      await text(world, "STOP", STRANGER);
      const answer = await startCall(
        { callSid: `CA${"1".repeat(32)}`, from: STRANGER, to: world.business.phoneNumber },
        world.deps,
      );
      const said = answer.instruction.kind === "whisper" ? [] : answer.instruction.say;
      assert.match(said.join(" "), /How can I help\?/);
      assert.doesNotMatch(said.join(" "), /good to hear from you again/);
    });

    it("only passes later texts to the owner, with no reply", async () => {
      const world = aWorld();
      world.appointments.add(tomsVisit());
      await text(world, "STOP");
      const answer = await text(world, "NO");
      assert.equal(answer.reply, null);
      assert.equal(answer.outcome, "forwarded-opted-out");
      const stored = await world.appointments.get(world.business.id, tomsVisit().id);
      assert.equal(stored?.status, "booked");
      assert.match(
        world.outbox.byPurpose("owner-message")[0].body,
        /opted out of texts: call them/,
      );
    });
  });

  describe("when a customer who opted out texts an emergency", () => {
    /** 22:30 in Bristol: inside the owner's quiet hours, which an ordinary message waits out. */
    const LATE = new Date("2026-11-25T22:30:00Z");
    const CEILING = "water pouring through my ceiling";

    /** Tom, opted out by an earlier STOP, in the owner's quiet hours, with held alerts queued. */
    async function optedOutAtNight(): Promise<SmsWorld & { scheduled: InMemoryScheduledSmsQueue }> {
      const world = anSmsWorld({ now: LATE, customers: [TOM] });
      const scheduled = new InMemoryScheduledSmsQueue();
      world.smsDeps.scheduled = scheduled;
      await text(world, "STOP");
      return { ...world, scheduled };
    }

    const toCustomer = (world: SmsWorld) => world.outbox.messages.filter((m) => m.to === TOM.phone);

    it("alerts the owner at once, whatever the hour, and texts the customer nothing", async () => {
      const world = await optedOutAtNight();
      const sid = messageSid();
      const answer = await text(world, CEILING, TOM.phone, { messageSid: sid });
      assert.equal(answer.reply, null);
      assert.equal(answer.outcome, "emergency-opted-out");
      const [alert] = world.outbox.byPurpose("owner-emergency-alert");
      assert.ok(alert, "the owner is alerted now, not after the quiet hours");
      assert.equal(alert.id, `emergency-alert-sms-${sid}`);
      assert.equal(alert.to, world.business.ownerMobile);
      assert.equal(alert.relatedId, sid);
      assert.match(
        alert.body,
        /^EMERGENCY \(Water coming through the ceiling\): Tom Okafor \+447700900222/,
      );
      assert.match(alert.body, /Texted: "water pouring through my ceiling"/);
      assert.match(alert.body, /opted out of texts and were sent nothing: call them now\.$/);
      assert.equal(world.scheduled.items.size, 0, "nothing waits for the morning");
      assert.deepEqual(toCustomer(world), [], "STOP is honoured");
      const customer = await world.customers.findByPhone(world.business.id, TOM.phone);
      assert.equal(customer?.smsOptedOut, true);
    });

    it("records the emergency on the conversation, for the thread and its summary", async () => {
      const world = await optedOutAtNight();
      const sid = messageSid();
      await text(world, CEILING, TOM.phone, { messageSid: sid });
      const turns = world.sms.history(world.business.id, TOM.phone);
      const last = turns.slice(-2);
      assert.deepEqual(
        last.map((t) => [t.speaker, t.messageId]),
        [
          ["customer", sid],
          ["owner-forward", `emergency-alert-sms-${sid}`],
        ],
      );
      assert.ok(!turns.some((t) => t.speaker === "receptionist"), "no reply is recorded as sent");
      const step = world.sms.steps.get(`${world.business.id}/${TOM.phone}`)?.[sid];
      assert.equal(step?.emergency?.kind, "water-through-ceiling");
      assert.equal(step?.emergency?.words, CEILING);
      assert.equal(step?.customerName, "Tom Okafor");
      assert.ok(
        world.logger.lines.some((e) => e.event === "call.emergency"),
        "logged as every emergency is",
      );
    });

    it("alerts once when Twilio delivers the same text again", async () => {
      const world = await optedOutAtNight();
      const sid = messageSid();
      const first = await text(world, CEILING, TOM.phone, { messageSid: sid });
      const enqueued = world.outbox.enqueueCalls;
      const again = await text(world, CEILING, TOM.phone, { messageSid: sid });
      assert.equal(again.duplicate, true);
      assert.equal(again.reply, null);
      assert.equal(again.outcome, first.outcome);
      assert.equal(world.outbox.enqueueCalls, enqueued, "the redelivery queues nothing");
      assert.equal(world.outbox.byPurpose("owner-emergency-alert").length, 1);
      assert.equal(
        world.logger.lines.filter((e) => e.event === "call.emergency").length,
        1,
        "handled once",
      );
    });

    it("leaves the text to be handled afresh when the alert cannot be saved, and the retry alerts", async () => {
      const world = await optedOutAtNight();
      const sid = messageSid();
      const writer = world.smsDeps.writer as InMemoryCallWriter;
      writer.failWith = new Error("firestore unavailable");
      await assert.rejects(text(world, CEILING, TOM.phone, { messageSid: sid }), /unavailable/);
      assert.equal(world.outbox.byPurpose("owner-emergency-alert").length, 0);
      writer.failWith = null;
      const retried = await text(world, CEILING, TOM.phone, { messageSid: sid });
      assert.equal(retried.duplicate, false, "the failed delivery let go of the text");
      assert.equal(retried.outcome, "emergency-opted-out");
      assert.equal(world.outbox.byPurpose("owner-emergency-alert").length, 1);
      assert.deepEqual(toCustomer(world), []);
    });

    it("still holds an ordinary text for the owner until the quiet hours end, as before", async () => {
      const world = await optedOutAtNight();
      const answer = await text(world, "can you come and look at my dripping tap next week");
      assert.equal(answer.reply, null);
      assert.equal(answer.outcome, "forwarded-opted-out");
      assert.equal(world.outbox.byPurpose("owner-emergency-alert").length, 0);
      assert.equal(world.outbox.byPurpose("owner-message").length, 0);
      const [held] = [...world.scheduled.items.values()];
      assert.equal(held?.purpose, "owner-message");
      assert.equal(held?.dueAt.toISOString(), "2026-11-26T07:00:00.000Z");
      assert.match(held?.body ?? "", /dripping tap.+opted out of texts: call them/);
      assert.deepEqual(toCustomer(world), []);
    });

    it("forwards a text the engine would ask its safety question about at once, asking nothing", async () => {
      const world = await optedOutAtNight();
      const answer = await text(world, "I can smell something odd near the boiler");
      assert.equal(answer.reply, null);
      assert.equal(answer.outcome, "forwarded-opted-out");
      assert.equal(world.outbox.byPurpose("owner-emergency-alert").length, 0);
      const [forward] = world.outbox.byPurpose("owner-message");
      assert.match(forward?.body ?? "", /smell something odd near the boiler/);
      assert.equal(world.scheduled.items.size, 0, "not held for the morning");
      assert.deepEqual(toCustomer(world), []);
    });

    it("leaves STOP and START as they were: no alert, and START opts back in", async () => {
      const world = await optedOutAtNight();
      assert.equal((await text(world, "STOP")).outcome, "opted-out");
      const back = await text(world, "START");
      assert.equal(back.outcome, "opted-in");
      assert.match(back.reply ?? "", /you'll get texts from us again/);
      assert.equal(world.outbox.byPurpose("owner-emergency-alert").length, 0);
      assert.equal(world.scheduled.items.size, 0);
    });

    it("answers an emergency from a customer who opted back in, as any customer's", async () => {
      const world = await optedOutAtNight();
      await text(world, "START");
      const answer = await text(world, CEILING);
      assert.equal(answer.outcome, "emergency");
      assert.match(answer.reply ?? "", /sounds like an emergency/);
      assert.doesNotMatch(world.outbox.byPurpose("owner-emergency-alert")[0].body, /opted out/);
    });
  });

  describe("when an opted-out customer texts YES or START", () => {
    it("opts them back in and says so, without confirming an appointment", async () => {
      const world = aWorld();
      world.appointments.add(tomsVisit({ confirmation: "requested" }));
      await text(world, "STOP");
      const answer = await text(world, "YES");
      assert.equal(answer.outcome, "opted-in");
      assert.match(answer.reply ?? "", /you'll get texts from us again/);
      const customer = await world.customers.findByPhone(world.business.id, TOM.phone);
      assert.equal(customer?.smsOptedOut, false);
      const stored = await world.appointments.get(world.business.id, tomsVisit().id);
      assert.equal(stored?.confirmation, "requested");
    });

    it("opts back in on START", async () => {
      const world = aWorld();
      await text(world, "STOP");
      assert.equal((await text(world, "start")).outcome, "opted-in");
    });
  });

  describe("when the customer texts a lone CANCEL", () => {
    it("records the opt-out and tells the owner they may want to cancel, leaving the visit booked", async () => {
      const world = aWorld();
      world.appointments.add(tomsVisit());
      const answer = await text(world, "CANCEL");
      assert.equal(answer.reply, null);
      const customer = await world.customers.findByPhone(world.business.id, TOM.phone);
      assert.equal(customer?.smsOptedOut, true);
      const [owner] = world.outbox.byPurpose("owner-message");
      assert.equal(owner.to, world.business.ownerMobile);
      assert.match(owner.body, /Tom Okafor \+447700900222 texted CANCEL/);
      assert.match(owner.body, /boiler service on Thu 26 Nov at 9 am/);
      const stored = await world.appointments.get(world.business.id, tomsVisit().id);
      assert.equal(stored?.status, "booked");
    });
  });

  describe("when the customer texts HELP", () => {
    it("answers with the business's name and number and how to opt out", async () => {
      const world = aWorld();
      const answer = await text(world, "HELP");
      assert.equal(
        answer.reply,
        "Bristol Plumbing: texts about your bookings. For help call us on 0117 496 0000. Reply STOP to opt out.",
      );
    });
  });

  describe("when the customer asks to move their appointment", () => {
    it("offers three times, and a reply with a number moves it there", async () => {
      const world = aWorld();
      world.appointments.add(tomsVisit());
      const offer = await text(world, "3");
      assert.equal(offer.outcome, "reschedule-offered");
      assert.match(
        offer.reply ?? "",
        /we can move your boiler service on Thu 26 Nov at 9 am to 1\) .+, 2\) .+, 3\) .+\. Reply 1, 2 or 3/,
      );
      const pending = world.sms.pending.get(`${world.business.id}/${TOM.phone}`);
      assert.equal(pending?.state.stage, "change-choosing-time");
      const offers = pending?.state.offers ?? [];
      assert.equal(offers.length, 3);

      const moved = await text(world, "2");
      assert.equal(moved.outcome, "rescheduled");
      const stored = await world.appointments.get(world.business.id, tomsVisit().id);
      assert.equal(stored?.start.toISOString(), offers[1].start);
      assert.equal(stored?.end.getTime() - (stored?.start.getTime() ?? 0), 90 * 60_000);
      assert.match(
        moved.reply ?? "",
        /^Bristol Plumbing: done, your boiler service on .+ is booked/,
      );
      assert.equal(world.sms.pending.get(`${world.business.id}/${TOM.phone}`), null);
      assert.equal(
        world.outbox.messages.length,
        0,
        "the appointment-change trigger texts about moves",
      );
    });

    it("never offers time busy in the owner's calendar or held by another caller", async () => {
      const offersIn = (w: SmsWorld) => {
        const p = w.sms.pending.get(`${w.business.id}/${TOM.phone}`);
        return p?.state.offers ?? [];
      };
      const plain = aWorld();
      plain.appointments.add(tomsVisit());
      await text(plain, "3");
      const [first, second] = offersIn(plain);

      const world = aWorld();
      world.appointments.add(tomsVisit());
      // The owner's calendar is busy over the first time a plain search offers...
      world.smsDeps.calendarBusy = {
        busyBetween: async () => ({
          status: "ok" as const,
          busy: [{ start: new Date(first.start), end: new Date(first.end) }],
        }),
      };
      // ...and a caller on the phone right now holds the second.
      const holds = new InMemoryHoldStore();
      world.deps.holds = holds;
      world.smsDeps.holds = holds;
      holds.apply(world.business.id, {
        holder: "CA-someone-on-the-phone",
        hold: [{ start: new Date(second.start), end: new Date(second.end) }],
        release: [],
        expiresAt: new Date(NOW.getTime() + 5 * 60_000),
        at: NOW,
      });
      const offer = await text(world, "3");
      assert.equal(offer.outcome, "reschedule-offered");
      const offered = offersIn(world);
      assert.equal(offered.length, 3);
      for (const o of offered) {
        for (const blocked of [first, second]) {
          const overlaps = o.start < blocked.end && blocked.start < o.end;
          assert.ok(!overlaps, `${o.start} overlaps ${blocked.start}`);
        }
      }
      // And the customer's new offers are held for them, as a caller's are.
      assert.equal(
        holds.holderOf(world.business.id, offered[0].start.slice(0, 16) + "Z"),
        `sms-${TOM.phone}`,
      );
    });

    it("offers the day they asked for", async () => {
      const world = aWorld();
      world.appointments.add(tomsVisit());
      const offer = await text(world, "can we do Friday instead");
      assert.match(offer.reply ?? "", /1\) Fri 27 Nov/);
      const pending = world.sms.pending.get(`${world.business.id}/${TOM.phone}`);
      const offers = pending?.state.offers ?? [];
      assert.ok(offers.length > 0);
      for (const o of offers) assert.equal(new Date(o.start).getUTCDay(), 5, o.start);
    });

    it("offers further times when they say none of those suit", async () => {
      const world = aWorld();
      world.appointments.add(tomsVisit());
      await text(world, "different time please");
      const first = world.sms.pending.get(`${world.business.id}/${TOM.phone}`);
      const again = await text(world, "none of those, sorry");
      assert.equal(again.outcome, "reschedule-offered");
      const second = world.sms.pending.get(`${world.business.id}/${TOM.phone}`);
      const starts = (p: typeof first) => (p?.state.offers ?? []).map((o) => o.start);
      assert.equal(starts(second).filter((s) => starts(first).includes(s)).length, 0);
    });

    it("offers other times when the chosen one was taken meanwhile", async () => {
      const world = aWorld();
      world.appointments.add(tomsVisit());
      await text(world, "3");
      const pending = world.sms.pending.get(`${world.business.id}/${TOM.phone}`);
      const taken = pending?.state.offers[0];
      assert.ok(taken);
      world.appointments.add(
        tomsVisit({
          id: "someone-else",
          customerId: "+447700900555",
          start: new Date(taken.start),
          end: new Date(taken.end),
        }),
      );
      const answer = await text(world, "1");
      assert.equal(answer.outcome, "reschedule-offered");
      assert.match(answer.reply ?? "", /that time has just been taken/);
      const stored = await world.appointments.get(world.business.id, tomsVisit().id);
      assert.equal(stored?.start.toISOString(), "2026-11-26T09:00:00.000Z");
    });
  });

  describe("when the text is not something we can act on", () => {
    it("forwards it to the owner and tells the customer so", async () => {
      const world = aWorld();
      world.appointments.add(tomsVisit());
      const answer = await text(world, "Can you bring a washer for the bathroom tap too?");
      assert.equal(answer.outcome, "forwarded");
      assert.equal(
        answer.reply,
        "Bristol Plumbing: thanks, I've passed that to Dave, who'll get back to you.",
      );
      const [owner] = world.outbox.byPurpose("owner-message");
      assert.equal(owner.to, world.business.ownerMobile);
      assert.match(
        owner.body,
        /^Text from Tom Okafor \+447700900222 \(visit Thu 26 Nov at 9 am\): "Can you bring a washer/,
      );
      const speakers = world.sms.history(world.business.id, TOM.phone).map((t) => t.speaker);
      assert.deepEqual(speakers, ["customer", "owner-forward", "receptionist"]);
    });
  });

  describe("when the customer has no upcoming appointment", () => {
    it("says so kindly and offers a call", async () => {
      const world = aWorld();
      const answer = await text(world, "YES");
      assert.equal(answer.outcome, "no-appointment");
      assert.match(answer.reply ?? "", /can't find an upcoming visit .+ call us on 0117 496 0000/);
    });
  });

  describe("when the text describes an emergency", () => {
    it("alerts the owner at once and tells the customer to call", async () => {
      const world = aWorld();
      const answer = await text(world, "help my pipe has burst and water is everywhere");
      assert.equal(answer.outcome, "emergency");
      assert.match(answer.reply ?? "", /emergency .+ call 0117 496 0000 now/i);
      const [alert] = world.outbox.byPurpose("owner-emergency-alert");
      assert.ok(alert, "the owner is alerted");
      assert.match(alert.body, /Texted: ".+". By text: call them now\.$/);
    });
  });

  describe("when the number texted belongs to no business", () => {
    it("replies nothing", async () => {
      const world = aWorld();
      const answer = await handleInboundSms(
        {
          messageSid: messageSid(),
          from: TOM.phone,
          to: "+441179999999",
          body: "YES",
          numMedia: 0,
        },
        world.smsDeps,
      );
      assert.equal(answer.reply, null);
      assert.equal(answer.outcome, "unknown-number");
    });
  });
});

describe("a call that drops mid-booking", () => {
  const CALLER = "+447700900999";
  const CALL = `CA${"a".repeat(32)}`;

  async function dropAfter(world: SmsWorld, lines: string[], from: string | null = CALLER) {
    await startCall({ callSid: CALL, from, to: world.business.phoneNumber }, world.deps);
    let step = 1;
    for (const speech of lines) {
      await handleCallTurn(
        { businessId: world.business.id, callSid: CALL, step, speech, confidence: 0.9 },
        world.deps,
      );
      step += 1;
    }
    await recordCallEnded(
      { businessId: world.business.id, callSid: CALL, callStatus: "completed" },
      world.deps,
    );
  }

  it("texts the caller the times on offer, and their replies finish the same booking", async () => {
    const world = anSmsWorld({ now: NOW });
    await dropAfter(world, [
      "Hi, this is Sarah Jones at 22 Park Street, Bristol BS1 5JA, my kitchen tap keeps dripping",
    ]);
    const [followUp] = world.outbox.byPurpose("booking-follow-up");
    assert.equal(followUp.id, followUpMessageId(CALL));
    assert.equal(followUp.to, CALLER);
    assert.match(
      followUp.body,
      /^Bristol Plumbing: sorry we were cut off\. Reply to finish booking your dripping tap repair: we can do 1\) .+, 2\) .+, 3\) .+\. Reply 1, 2 or 3\.$/,
    );

    world.clock.advance(10 * 60_000);
    const chose = await text(world, "2", CALLER);
    assert.equal(chose.outcome, "booking-continued");
    assert.match(
      chose.reply ?? "",
      /So that's a dripping tap repair, .+ at 22 Park Street.+for Sarah Jones.+Shall I book it\?/,
    );

    const booked = await text(world, "yes", CALLER);
    assert.equal(booked.outcome, "booked-by-sms");
    assert.match(booked.reply ?? "", /^You're booked in for /);
    assert.doesNotMatch(booked.reply ?? "", /anything else/);
    const appointments = [...world.appointments.appointments.values()];
    assert.equal(appointments.length, 1);
    assert.equal(appointments[0].customerName, "Sarah Jones");
    assert.equal(appointments[0].serviceId, "dripping-tap");
    assert.match(appointments[0].id, new RegExp(`^call-${CALL}-`));
    assert.equal(world.outbox.byPurpose("booking-confirmation").length, 1);
    assert.equal(world.sms.pending.get(`${world.business.id}/${CALLER}`), null);
    assert.equal(world.conversations.stored(world.business.id, CALL).outcome, "booked");
  });

  it("asks by text for the detail the call was waiting for, keeping what was said", async () => {
    const world = anSmsWorld({ now: NOW });
    await dropAfter(world, ["I need my boiler serviced"]);
    const [followUp] = world.outbox.byPurpose("booking-follow-up");
    assert.match(
      followUp.body,
      /finish booking your boiler service: what name should we put it under\?$/,
    );
    const named = await text(world, "Sarah Jones", CALLER);
    assert.match(named.reply ?? "", /address/);
    const addressed = await text(world, "22 Park Street, Bristol BS1 5JA", CALLER);
    assert.match(addressed.reply ?? "", /1\) .+ Reply 1, 2 or 3/);
  });

  it("sends nothing when the call ended with a booking, a goodbye or no number", async () => {
    const world = anSmsWorld({ now: NOW });
    await dropAfter(world, ["Can I ask what your opening hours are"]);
    await dropAfter(anSmsWorld({ now: NOW }), ["I need my boiler serviced"], null);
    assert.equal(world.outbox.byPurpose("booking-follow-up").length, 0);
  });

  it("sends nothing to a landline", async () => {
    const world = anSmsWorld({ now: NOW });
    await dropAfter(world, ["I need my boiler serviced"], "+441179460999");
    assert.equal(world.outbox.byPurpose("booking-follow-up").length, 0);
  });

  it("offers fresh times when the ones offered on the call have gone", async () => {
    const world = anSmsWorld({ now: NOW });
    await dropAfter(world, [
      "Hi, this is Sarah Jones at 22 Park Street, Bristol BS1 5JA, my kitchen tap keeps dripping",
    ]);
    world.clock.advance(2 * 86_400_000);
    const answer = await text(world, "1", CALLER);
    assert.match(answer.reply ?? "", /times I offered have gone now/);
    assert.equal(world.appointments.appointments.size, 0);
  });
});
