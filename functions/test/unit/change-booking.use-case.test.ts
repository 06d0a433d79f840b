import { strict as assert } from "node:assert";
import { handleCallTurn, startCall } from "../../src/app/handle-call";
import type { CallInstruction } from "../../src/domain/dialogue/call-instruction";
import { lockGranulesFor } from "../../src/domain/scheduling/appointment";
import { aCallWorld, aCustomer, anAppointment, CallWorld } from "../support/call-fixtures";

/** Wednesday 25 November 2026, 10:00 in Bristol. */
const NOW = new Date("2026-11-25T10:00:00Z");
const MARGARET = aCustomer();
const DRAIN = anAppointment();

function spoken(instruction: CallInstruction): string {
  return instruction.kind === "whisper" ? instruction.say : instruction.say.join(" ");
}

/** One caller on the line, keeping the turn number as Twilio's action URLs do. */
class Caller {
  step = 1;
  constructor(
    readonly world: CallWorld,
    readonly callSid: string,
    readonly from: string,
  ) {}

  async ring(): Promise<string> {
    const answer = await startCall(
      { callSid: this.callSid, from: this.from, to: this.world.business.phoneNumber },
      this.world.deps,
    );
    return spoken(answer.instruction);
  }

  async say(speech: string, step = this.step): Promise<string> {
    const answer = await handleCallTurn(
      { businessId: this.world.business.id, callSid: this.callSid, step, speech, confidence: 0.9 },
      this.world.deps,
    );
    if (answer.instruction.kind === "gather") this.step = answer.instruction.step;
    return spoken(answer.instruction);
  }
}

function worldWithMargaretsDrain(): CallWorld {
  const world = aCallWorld({ now: NOW, customers: [MARGARET] });
  world.appointments.add(DRAIN);
  return world;
}

function holder(world: CallWorld, start: Date, end: Date): Array<string | undefined> {
  return lockGranulesFor(start, end).map((g) =>
    world.appointments.lockHolder(world.business.id, g),
  );
}

describe("the call use case, moving and cancelling bookings", () => {
  describe("when a known caller cancels their visit", () => {
    it("cancels it in the store with the phone reason and frees its time", async () => {
      const world = worldWithMargaretsDrain();
      const caller = new Caller(world, "CA-cancel-1", MARGARET.phone);
      await caller.ring();
      assert.match(
        await caller.say("I need to cancel my appointment"),
        /drain unblock on Thursday/,
      );
      await caller.say("yes");
      const done = await caller.say("yes");
      assert.match(done, /That's cancelled/);
      const stored = await world.appointments.get(world.business.id, DRAIN.id);
      assert.equal(stored?.status, "cancelled");
      assert.equal(stored?.cancelReason, "customer by phone");
      assert.equal(stored?.cancelledAt?.toISOString(), NOW.toISOString());
      assert.deepEqual(holder(world, DRAIN.start, DRAIN.end), [
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
    });

    it("queues no SMS itself: the appointment triggers send the confirmation", async () => {
      const world = worldWithMargaretsDrain();
      const caller = new Caller(world, "CA-cancel-2", MARGARET.phone);
      await caller.ring();
      await caller.say("I need to cancel my appointment");
      await caller.say("yes");
      await caller.say("yes");
      assert.deepEqual(world.outbox.messages, []);
    });

    it("answers a retried confirmation the same, without cancelling twice", async () => {
      const world = worldWithMargaretsDrain();
      const caller = new Caller(world, "CA-cancel-3", MARGARET.phone);
      await caller.ring();
      await caller.say("I need to cancel my appointment");
      await caller.say("yes");
      const step = caller.step;
      const first = await caller.say("yes", step);
      const cancelledAt = (await world.appointments.get(world.business.id, DRAIN.id))?.cancelledAt;
      world.clock.advance(5_000);
      const retried = await caller.say("yes", step);
      assert.equal(retried, first);
      const stored = await world.appointments.get(world.business.id, DRAIN.id);
      assert.equal(stored?.cancelledAt?.toISOString(), cancelledAt?.toISOString());
    });
  });

  describe("when a known caller moves their visit", () => {
    it("moves it to the chosen time, claims the new time and frees the old", async () => {
      const world = worldWithMargaretsDrain();
      const caller = new Caller(world, "CA-move-1", MARGARET.phone);
      await caller.ring();
      await caller.say("can I move my appointment");
      assert.match(await caller.say("yes"), /I can offer/);
      const offers = world.conversations.stored(world.business.id, "CA-move-1").state.offers;
      assert.match(await caller.say("the second one"), /Shall I move it\?/);
      assert.match(await caller.say("yes"), /^Done\. Your drain unblock is now on/);

      const moved = await world.appointments.get(world.business.id, DRAIN.id);
      assert.equal(moved?.start.toISOString(), offers[1].start);
      assert.equal(moved?.previousStart?.toISOString(), DRAIN.start.toISOString());
      assert.equal(moved?.status, "booked");
      const newTime = holder(world, new Date(offers[1].start), new Date(offers[1].end));
      assert.ok(newTime.every((h) => h === DRAIN.id));
      assert.ok(holder(world, DRAIN.start, DRAIN.end).every((h) => h === undefined));
      assert.deepEqual(world.outbox.messages, []);
    });

    it("apologises and offers again when another caller books the time first", async () => {
      const world = worldWithMargaretsDrain();
      const caller = new Caller(world, "CA-move-2", MARGARET.phone);
      await caller.ring();
      await caller.say("can I move my appointment");
      await caller.say("yes");
      await caller.say("the first one");
      const chosen = world.conversations.stored(world.business.id, "CA-move-2").state.chosen;
      assert.ok(chosen);
      world.appointments.add(
        anAppointment({
          id: "someone-else",
          customerId: "+447700900777",
          start: new Date(chosen.start),
          end: new Date(chosen.end),
        }),
      );
      const answer = await caller.say("yes");
      assert.match(answer, /^I'm sorry, that time has just been taken\. I can offer/);
      const state = world.conversations.stored(world.business.id, "CA-move-2").state;
      assert.equal(state.stage, "change-choosing-time");
      assert.ok(!state.offers.some((o) => o.start === chosen.start));
      const still = await world.appointments.get(world.business.id, DRAIN.id);
      assert.equal(still?.start.toISOString(), DRAIN.start.toISOString());
      assert.ok(holder(world, DRAIN.start, DRAIN.end).every((h) => h === DRAIN.id));
    });
  });

  describe("when someone rings from another number", () => {
    it("finds the visit only with a matching name and postcode", async () => {
      const world = worldWithMargaretsDrain();
      const caller = new Caller(world, "CA-other-1", "+447700900555");
      await caller.ring();
      assert.match(await caller.say("I need to cancel my appointment"), /What name/);
      await caller.say("Margaret Holloway");
      assert.match(await caller.say("BS6 6DR"), /drain unblock on Thursday/);
    });

    it("says nothing of the visit when the postcode is wrong", async () => {
      const world = worldWithMargaretsDrain();
      const caller = new Caller(world, "CA-other-2", "+447700900555");
      await caller.ring();
      await caller.say("I need to cancel my appointment");
      await caller.say("Margaret Holloway");
      const answer = await caller.say("BS1 5JA");
      assert.match(answer, /can't find an upcoming booking under those details/);
      const transcript = world.conversations.transcript(world.business.id, "CA-other-2");
      const everything = transcript.map((t) => t.text).join(" ");
      assert.doesNotMatch(everything, /Cotham|drain|Thursday|26 November/);
    });
  });
});
