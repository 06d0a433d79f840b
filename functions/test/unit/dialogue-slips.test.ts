import { strict as assert } from "node:assert";
import { DateTime } from "luxon";
import { handleCallTurn, startCall } from "../../src/app/handle-call";
import type { CallInstruction } from "../../src/domain/dialogue/call-instruction";
import { aCallWorld, CallWorld } from "../support/call-fixtures";

// Wednesday 25 November 2026, 10:00 in Bristol.
const NOW = new Date("2026-11-25T10:00:00Z");
const CALL_SID = `CA${"7".repeat(32)}`;
const SARAH =
  "Hi, this is Sarah Jones at 22 Park Street, Bristol BS1 5JA, my kitchen tap keeps dripping";

/** A caller on a call through the real use case, with in-memory ports. */
class Caller {
  private step = 1;
  readonly heard: string[] = [];
  constructor(readonly world: CallWorld) {}

  async ring(): Promise<void> {
    await startCall(
      { callSid: CALL_SID, from: "+447700900999", to: this.world.business.phoneNumber },
      this.world.deps,
    );
  }

  async say(speech: string): Promise<string> {
    const answer = await handleCallTurn(
      {
        businessId: this.world.business.id,
        callSid: CALL_SID,
        step: this.step,
        speech,
        confidence: 0.9,
      },
      this.world.deps,
    );
    const instruction: CallInstruction = answer.instruction;
    if (instruction.kind === "gather") this.step = instruction.step;
    const said = instruction.kind === "whisper" ? instruction.say : instruction.say.join(" ");
    this.heard.push(said);
    return said;
  }

  offers(): string[] {
    const state = this.world.conversations.stored(this.world.business.id, CALL_SID).state;
    return state.offers.map((o) => local(o.start));
  }

  booked(): string[] {
    return [...this.world.appointments.appointments.values()].map(
      (a) => `${local(a.start.toISOString())} ${a.customerName}`,
    );
  }
}

function local(iso: string): string {
  return DateTime.fromISO(iso, { zone: "Europe/London" }).toFormat("ccc HH:mm");
}

async function aCall(): Promise<Caller> {
  const caller = new Caller(aCallWorld({ now: NOW }));
  await caller.ring();
  return caller;
}

describe("the slips a caller heard, fixed", () => {
  describe("when the name question is answered with the name and the address together", () => {
    it("takes both, asks for neither again, and books under that name", async () => {
      const caller = await aCall();
      await caller.say("my kitchen tap is dripping");
      const next = await caller.say("Sam Patel, 12 Oak Road, Bristol BS6 5AB");
      assert.match(next, /^I can offer/);
      await caller.say("the first one");
      await caller.say("yes");
      assert.deepEqual(caller.booked(), ["Wed 13:15 Sam Patel"]);
      const appointment = [...caller.world.appointments.appointments.values()][0];
      assert.equal(appointment.address, "12 Oak Road, Bristol BS6 5AB");
    });
  });

  describe("when an answer to the name question is plainly not a name", () => {
    for (const notAName of ["the first one", "yes please", "tomorrow morning", "what"]) {
      it(`never stores "${notAName}" as the name`, async () => {
        const caller = await aCall();
        await caller.say("my kitchen tap is dripping");
        const next = await caller.say(notAName);
        assert.match(next, /name/i);
        const draft = caller.world.conversations.stored(caller.world.business.id, CALL_SID).state
          .draft;
        assert.equal(draft.name, undefined);
      });
    }
  });

  describe("when a caller offered three times asks for another day and part of the day", () => {
    it("offers new times that fit it, instead of reading back an offer", async () => {
      const caller = await aCall();
      await caller.say(SARAH);
      const first = caller.offers();
      assert.deepEqual(first, ["Wed 13:15", "Thu 08:00", "Thu 13:15"]);
      const answer = await caller.say("anything on thursday morning instead?");
      assert.doesNotMatch(answer, /Shall I book it/);
      const next = caller.offers();
      assert.equal(next.length, 3);
      for (const offer of next) {
        assert.match(offer, /^Thu (0[7-9]|1[01]):/, `${offer} is Thursday morning`);
        assert.ok(!first.includes(offer), `${offer} was offered already`);
      }
      assert.deepEqual(caller.booked(), []);
    });
  });

  describe("when the caller chooses another offered time at the read-back", () => {
    it("reads back the one they chose now, and books that one", async () => {
      const caller = await aCall();
      await caller.say(SARAH);
      await caller.say("the second one");
      const readBack = await caller.say("actually the earlier one");
      assert.match(readBack, /^So that's a dripping tap repair, today at 1:15 pm/);
      await caller.say("yes");
      assert.deepEqual(caller.booked(), ["Wed 13:15 Sarah Jones"]);
    });

    it("takes a yes that names another day as a wish for that day, not a yes", async () => {
      const caller = await aCall();
      await caller.say(SARAH);
      await caller.say("the second one");
      await caller.say("yes but can it be friday");
      assert.deepEqual(caller.booked(), [], "nothing booked on a yes to another day");
      for (const offer of caller.offers()) assert.match(offer, /^Fri /);
    });
  });
});
