import { strict as assert } from "node:assert";
import {
  answerWhisper,
  CallAnswer,
  handleCallTurn,
  handleDialResult,
  handleRecordedMessage,
  recordCallEnded,
  startCall,
  whisperToCallee,
} from "../../src/app/handle-call";
import type { CallInstruction } from "../../src/domain/dialogue/call-instruction";
import { spoken as catalogue } from "../../src/domain/dialogue/wording";
import type { CallWrites, CallWritesResult } from "../../src/ports/call-writes.port";
import type { CallConversation } from "../../src/ports/conversation-store.port";
import { aCallWorld, aCustomer, CallWorld, InMemoryCallWriter } from "../support/call-fixtures";

const NOW = new Date("2026-11-25T10:00:00Z");
const CALLER = "+447700900999";
const ONE_BREATH =
  "Hi, this is Sarah Jones at 12 Park Street, Bristol BS1 5HX, my kitchen tap is dripping";

function sid(n: number): string {
  return `CA${String(n).padStart(32, "0")}`;
}

function spoken(instruction: CallInstruction): string {
  return instruction.kind === "whisper" ? instruction.say : instruction.say.join(" ");
}

/** One caller on the line: keeps the turn number the way Twilio's action URLs do. */
class Caller {
  step = 1;
  constructor(
    readonly world: CallWorld,
    readonly callSid: string,
    readonly from: string | null = CALLER,
  ) {}

  async ring(): Promise<CallAnswer> {
    return startCall(
      { callSid: this.callSid, from: this.from, to: this.world.business.phoneNumber },
      this.world.deps,
    );
  }

  async say(speech: string | null, step = this.step): Promise<CallInstruction> {
    const answer = await handleCallTurn(
      {
        businessId: this.world.business.id,
        callSid: this.callSid,
        step,
        speech,
        confidence: speech === null ? null : 0.92,
      },
      this.world.deps,
    );
    if (answer.instruction.kind === "gather" || answer.instruction.kind === "record")
      this.step = answer.instruction.step;
    return answer.instruction;
  }

  /** The end of a <Record>: `seconds` of message, 0 when nothing was recorded. */
  async recorded(seconds: number, step = this.step): Promise<CallInstruction> {
    const answer = await handleRecordedMessage(
      { businessId: this.world.business.id, callSid: this.callSid, step, seconds },
      this.world.deps,
    );
    if (answer.instruction.kind === "gather" || answer.instruction.kind === "record")
      this.step = answer.instruction.step;
    return answer.instruction;
  }

  async dialEnded(leg: number, dialStatus: string): Promise<CallInstruction> {
    const answer = await handleDialResult(
      { businessId: this.world.business.id, callSid: this.callSid, leg, dialStatus },
      this.world.deps,
    );
    if (answer.instruction.kind === "gather" || answer.instruction.kind === "record")
      this.step = answer.instruction.step;
    return answer.instruction;
  }

  conversation(): CallConversation {
    return this.world.conversations.stored(this.world.business.id, this.callSid);
  }
}

/** Notes what each commit carried: the texts it queued, and whether it saved the conversation. */
class JournalingWriter extends InMemoryCallWriter {
  readonly commitsSeen: { purposes: string[]; savesConversation: boolean }[] = [];
  override async commit(writes: CallWrites): Promise<CallWritesResult> {
    this.commitsSeen.push({
      purposes: writes.outbox.map((m) => m.purpose),
      savesConversation: writes.conversation !== undefined,
    });
    return super.commit(writes);
  }
}

describe("handling a call", () => {
  describe("when a new caller books a dripping tap repair", () => {
    let world: CallWorld;
    let caller: Caller;
    before(async () => {
      world = aCallWorld({ now: NOW });
      caller = new Caller(world, sid(1));
      await caller.ring();
      await caller.say(ONE_BREATH);
      await caller.say("the second one");
      await caller.say("yes please");
    });

    it("books exactly one appointment, an hour long, at the chosen time", () => {
      const booked = [...world.appointments.appointments.values()];
      assert.equal(booked.length, 1);
      assert.equal(booked[0].start.toISOString(), "2026-11-26T08:00:00.000Z");
      assert.equal(booked[0].end.getTime() - booked[0].start.getTime(), 60 * 60_000);
      assert.equal(booked[0].serviceId, "dripping-tap");
      assert.equal(booked[0].customerPhone, CALLER);
      assert.equal(booked[0].source, sid(1));
    });

    it("remembers the caller as a customer", async () => {
      const customer = await world.customers.findByPhone(world.business.id, CALLER);
      assert.equal(customer?.name, "Sarah Jones");
      assert.equal(customer?.address, "12 Park Street, Bristol BS1 5HX");
    });

    it("queues one confirmation SMS to the caller", () => {
      assert.equal(world.outbox.messages.length, 1);
      const [sms] = world.outbox.messages;
      assert.equal(sms.purpose, "booking-confirmation");
      assert.equal(sms.to, CALLER);
      assert.match(sms.body, /dripping tap repair on Thu 26 Nov at 8 am, 12 Park Street/);
    });

    it("records the outcome on the conversation", () => {
      const conversation = caller.conversation();
      assert.equal(conversation.outcome, "booked");
      assert.equal(conversation.appointmentIds.length, 1);
      assert.equal(conversation.turnCount, 3);
      assert.equal(conversation.state.stage, "anything-else");
    });
  });

  describe("when Twilio retries a turn", () => {
    it("answers the same again without booking or texting twice", async () => {
      const world = aCallWorld({ now: NOW });
      const caller = new Caller(world, sid(2));
      await caller.ring();
      await caller.say(ONE_BREATH);
      await caller.say("the second one");
      const step = caller.step;
      const first = await caller.say("yes", step);
      const retried = await caller.say("yes", step);
      assert.deepEqual(retried, first);
      assert.equal(world.appointments.bookCalls, 1);
      assert.equal(world.outbox.enqueueCalls, 1);
      assert.equal(world.appointments.appointments.size, 1);
    });

    it("greets a retried incoming call the same way and creates the conversation once", async () => {
      const world = aCallWorld({ now: NOW });
      const caller = new Caller(world, sid(3));
      const first = await caller.ring();
      const second = await caller.ring();
      assert.deepEqual(second.instruction, first.instruction);
      assert.equal(world.conversations.conversations.size, 1);
    });
  });

  describe("when two callers race for the same slot", () => {
    it("books one, and tells the other it has just been taken, with new offers", async () => {
      const world = aCallWorld({ now: NOW });
      const alice = new Caller(world, sid(4), "+447700900111");
      const bob = new Caller(world, sid(5), "+447700900222");
      for (const caller of [alice, bob]) {
        await caller.ring();
        await caller.say(ONE_BREATH);
        await caller.say("the first one");
      }
      const [a, b] = await Promise.all([alice.say("yes"), bob.say("yes")]);

      assert.equal(world.appointments.appointments.size, 1);
      const [winner] = [...world.appointments.appointments.values()];
      assert.equal(winner.customerPhone, "+447700900111");
      assert.match(spoken(a), /^You're booked in for today/);
      assert.match(spoken(b), /^I'm sorry, that time has just been taken\. I can offer /);
      assert.ok(!spoken(b).includes("today at 1:15 pm"));
      assert.equal(bob.conversation().state.stage, "choosing-slot");
      assert.deepEqual(
        world.outbox.messages.map((m) => m.to),
        ["+447700900111"],
      );
    });
  });

  describe("when the caller reports an emergency", () => {
    let world: CallWorld;
    let writer: JournalingWriter;
    let caller: Caller;
    let instruction: CallInstruction;
    before(async () => {
      world = aCallWorld({ now: NOW, customers: [aCustomer()] });
      writer = new JournalingWriter(() => world.deps);
      world.deps.writer = writer;
      caller = new Caller(world, sid(6), aCustomer().phone);
      await caller.ring();
      instruction = await caller.say("water is pouring through the ceiling");
    });

    it("queues the owner alert with the turn's one commit, before the dial instruction is answered", () => {
      assert.deepEqual(writer.commitsSeen, [
        { purposes: ["owner-emergency-alert"], savesConversation: true },
      ]);
      const [alert] = world.outbox.messages;
      assert.equal(alert.purpose, "owner-emergency-alert");
      assert.equal(alert.to, world.business.ownerMobile);
    });

    it("tells the owner who, where and what they said", () => {
      const body = world.outbox.messages[0].body;
      assert.ok(body.includes(aCustomer().phone), body);
      assert.ok(body.includes("14 Cotham Road, Bristol BS6 6DR"), body);
      assert.ok(body.includes('"water is pouring through the ceiling"'), body);
      assert.ok(body.includes("Margaret Holloway"), body);
    });

    it("rings the owner's mobile first", () => {
      assert.equal(instruction.kind, "dial");
      assert.equal(instruction.kind === "dial" && instruction.to, world.business.ownerMobile);
      assert.equal(instruction.kind === "dial" && instruction.leg, 0);
      assert.equal(instruction.kind === "dial" && instruction.ringSeconds, 20);
      assert.equal(caller.conversation().emergency, true);
    });
  });

  describe("when the turn cannot be saved during an emergency", () => {
    it("still puts the caller through to the owner, and logs the failure", async () => {
      const world = aCallWorld({ now: NOW });
      const caller = new Caller(world, sid(60), CALLER);
      await caller.ring();
      (world.deps.writer as InMemoryCallWriter).failWith = new Error("Firestore unavailable");
      const instruction = await caller.say("my pipe has burst and water is everywhere");
      assert.equal(instruction.kind, "dial");
      assert.equal(instruction.kind === "dial" && instruction.to, world.business.ownerMobile);
      assert.ok(
        world.logger.lines.some((e) => e.event === "call.emergency-not-saved"),
        "the lost alert is logged",
      );
    });

    it("answers a non-emergency turn that cannot be saved with an error, not a false promise", async () => {
      const world = aCallWorld({ now: NOW });
      const caller = new Caller(world, sid(61), CALLER);
      await caller.ring();
      (world.deps.writer as InMemoryCallWriter).failWith = new Error("Firestore unavailable");
      await assert.rejects(caller.say(ONE_BREATH), /Firestore unavailable/);
    });
  });

  describe("when the owner does not answer an emergency", () => {
    let world: CallWorld;
    let caller: Caller;
    let legOne: CallInstruction;
    let last: CallInstruction;
    before(async () => {
      world = aCallWorld({ now: NOW });
      caller = new Caller(world, sid(7));
      await caller.ring();
      await caller.say("I can smell gas in the hall");
      legOne = await caller.dialEnded(0, "no-answer");
      last = await caller.dialEnded(1, "busy");
    });

    it("rings the backup number next", () => {
      assert.equal(legOne.kind, "dial");
      assert.equal(legOne.kind === "dial" && legOne.to, world.business.backupNumbers[0]);
      assert.equal(legOne.kind === "dial" && legOne.leg, 1);
    });

    it("tells the caller when they will be called back once nobody answers", () => {
      assert.equal(last.kind, "hang-up");
      assert.match(spoken(last), /will call you back within 30 minutes/);
    });

    it("texts the owner that the emergency was missed", () => {
      const missed = world.outbox.byPurpose("owner-emergency-unanswered");
      assert.equal(missed.length, 1);
      assert.equal(missed[0].to, world.business.ownerMobile);
      assert.ok(missed[0].body.includes(CALLER));
      assert.equal(caller.conversation().outcome, "emergency-unanswered");
    });

    it("answers a retried dial result the same, without a second SMS", async () => {
      const again = await caller.dialEnded(1, "busy");
      assert.deepEqual(again, last);
      assert.equal(world.outbox.byPurpose("owner-emergency-unanswered").length, 1);
    });
  });

  describe("when the owner accepts the transfer", () => {
    it("whispers the emergency, connects on 1 and ends as transferred", async () => {
      const world = aCallWorld({ now: NOW });
      const caller = new Caller(world, sid(8));
      await caller.ring();
      await caller.say("a pipe has burst in the kitchen");
      const ids = { businessId: world.business.id, callSid: sid(8), leg: 0 };

      const whisper = await whisperToCallee(ids, world.deps);
      assert.equal(whisper.instruction.kind, "whisper");
      assert.equal(
        spoken(whisper.instruction),
        catalogue.whisperEmergency(
          catalogue.callerNumber(CALLER),
          world.conversations.stored(world.business.id, sid(8)).state.emergency?.label ?? "",
          "a pipe has burst in the kitchen",
        ),
      );

      const accepted = await answerWhisper({ ...ids, digits: "1" }, world.deps);
      assert.equal(accepted.instruction.kind, "connect");
      assert.equal(caller.conversation().escalation?.acceptedLeg, 0);

      const end = await caller.dialEnded(0, "completed");
      assert.deepEqual(end, { kind: "hang-up", say: [] });
      assert.equal(caller.conversation().outcome, "transferred");
    });

    it("treats any other key as declined and moves down the ladder", async () => {
      const world = aCallWorld({ now: NOW });
      const caller = new Caller(world, sid(9));
      await caller.ring();
      await caller.say("a pipe has burst in the kitchen");
      const ids = { businessId: world.business.id, callSid: sid(9), leg: 0 };
      const declined = await answerWhisper({ ...ids, digits: "2" }, world.deps);
      assert.equal(declined.instruction.kind, "hang-up");
      assert.equal(caller.conversation().escalation?.acceptedLeg, undefined);
      const next = await caller.dialEnded(0, "completed");
      assert.equal(next.kind === "dial" && next.leg, 1);
    });
  });

  describe("when a transfer to a person is not answered", () => {
    it("records a message for the owner, and thanks the caller once it is left", async () => {
      const world = aCallWorld({ now: NOW });
      const caller = new Caller(world, sid(10));
      await caller.ring();
      const dial = await caller.say("can I speak to a real person");
      assert.equal(dial.kind === "dial" && dial.to, world.business.ownerMobile);

      const fallback = await caller.dialEnded(0, "no-answer");
      assert.equal(fallback.kind, "record");
      assert.match(spoken(fallback), /Dave can't come to the phone right now.*after the tone/);

      const bye = await caller.recorded(12);
      assert.equal(bye.kind, "hang-up");
      assert.match(spoken(bye), /passed that on to Dave/);
      assert.equal(caller.conversation().outcome, "message-taken");
      assert.deepEqual(caller.conversation().state.done?.at(-1), {
        action: "message",
        reason: "owner-unavailable",
        seconds: 12,
      });
      // Its words reach the owner with the recording (transcribe-recorded-message), not from here.
      assert.deepEqual(world.outbox.byPurpose("owner-message"), []);
    });
  });

  describe("when the called number belongs to no business", () => {
    it("answers politely, hangs up and stores nothing", async () => {
      const world = aCallWorld({ now: NOW });
      const answer = await startCall(
        { callSid: sid(11), from: CALLER, to: "+441170000000" },
        world.deps,
      );
      assert.equal(answer.business, null);
      assert.equal(answer.instruction.kind, "hang-up");
      assert.equal(spoken(answer.instruction), catalogue.notSetUp());
      assert.equal(world.conversations.conversations.size, 0);
    });
  });

  describe("when a turn arrives for a call we have no record of", () => {
    it("apologises and hangs up instead of failing", async () => {
      const world = aCallWorld({ now: NOW });
      const instruction = await new Caller(world, sid(12)).say("hello?");
      assert.equal(instruction.kind, "hang-up");
      assert.equal(spoken(instruction), catalogue.lostCall());
    });
  });

  describe("when Twilio reports the call has ended", () => {
    it("marks the conversation ended, as a hang-up when nothing else happened", async () => {
      const world = aCallWorld({ now: NOW });
      const caller = new Caller(world, sid(13));
      await caller.ring();
      world.clock.advance(45_000);
      await recordCallEnded(
        { businessId: world.business.id, callSid: sid(13), callStatus: "completed" },
        world.deps,
      );
      const conversation = caller.conversation();
      assert.equal(conversation.endedAt?.toISOString(), "2026-11-25T10:00:45.000Z");
      assert.equal(conversation.outcome, "caller-hung-up");
      assert.equal(conversation.endStatus, "completed");
      assert.match(
        world.conversations.transcript(world.business.id, sid(13)).at(-1)?.text ?? "",
        /^Call ended \(completed\)/,
      );
    });

    it("writes only that the call ended, so a turn saved at the same moment keeps its changes", async () => {
      const world = aCallWorld({ now: NOW });
      const caller = new Caller(world, sid(15));
      await caller.ring();
      await caller.say(ONE_BREATH);
      await caller.say("the first one");
      // The status callback read the conversation before the last turn booked, and writes after it.
      const stale = await world.deps.conversations.get(world.business.id, sid(15));
      await caller.say("yes please");
      const conversations = Object.create(world.conversations) as typeof world.conversations;
      conversations.get = async () => structuredClone(stale);
      await recordCallEnded(
        { businessId: world.business.id, callSid: sid(15), callStatus: "completed" },
        { ...world.deps, conversations },
      );
      const conversation = caller.conversation();
      assert.equal(conversation.outcome, "booked", "the hang-up did not overwrite the booking");
      assert.equal(conversation.turnCount, 3);
      assert.ok(conversation.endedAt);
    });

    it("keeps the outcome and end time of a call that ended already", async () => {
      const world = aCallWorld({ now: NOW });
      const caller = new Caller(world, sid(14));
      await caller.ring();
      await caller.say("how much do you charge for a new boiler?");
      await caller.say("no that's all");
      const ended = caller.conversation();
      world.clock.advance(60_000);
      await recordCallEnded(
        { businessId: world.business.id, callSid: sid(14), callStatus: "completed" },
        world.deps,
      );
      assert.deepEqual(caller.conversation(), ended);
      assert.equal(ended.outcome, "message-taken");
    });
  });

  describe("when a known customer rings", () => {
    it("recognises them from their caller ID", async () => {
      const world = aCallWorld({ now: NOW, customers: [aCustomer()] });
      const answer = await new Caller(world, sid(15), aCustomer().phone).ring();
      assert.match(spoken(answer.instruction), /Hello Margaret/);
    });
  });
});
