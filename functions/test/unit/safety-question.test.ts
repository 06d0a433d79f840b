import { strict as assert } from "node:assert";
import { handleCallTurn, startCall } from "../../src/app/handle-call";
import {
  greet,
  MAX_UNCLEAR_SAFETY_ANSWERS,
  TurnContext,
  TurnDecision,
} from "../../src/domain/dialogue/conversation-engine";
import { decideTurn } from "../support/engine-driver";
import type { DialogueState } from "../../src/domain/dialogue/dialogue-state";
import type { CallInstruction } from "../../src/domain/dialogue/call-instruction";
import { aBusiness, aCallWorld, CallWorld } from "../support/call-fixtures";

const NOW = new Date("2026-11-25T10:00:00Z");
const CALLER = "+447700900999";
const WATER_QUESTION = "Is water coming out right now that you can't stop?";
const CO_QUESTION = "Is a carbon monoxide alarm going off?";

/** The dialogue engine alone, turn by turn. */
class Dialogue {
  readonly ctx: TurnContext = {
    business: aBusiness(),
    customer: null,
    callerPhone: CALLER,
    now: NOW,
  };
  state: DialogueState = greet(this.ctx).state;

  say(speech: string | null, confidence: number | null = 0.9): TurnDecision {
    const d = decideTurn(this.state, { speech, confidence }, this.ctx);
    this.state = d.state;
    return d;
  }
}

const said = (d: TurnDecision): string => ("say" in d.outcome ? d.outcome.say.join(" ") : "");

describe("the safety question on a call", () => {
  describe("when the caller's words are a partial signal", () => {
    it("asks one short question before anything else, and raises no alarm yet", () => {
      const call = new Dialogue();
      const d = call.say("there's water on the landing carpet");
      assert.equal(d.outcome.type, "listen");
      assert.equal(said(d), WATER_QUESTION);
      assert.equal(d.emergency, null);
      assert.equal(call.state.stage, "safety-check");
      assert.equal(call.state.safetyCheck?.words, "there's water on the landing carpet");
    });

    it("asks about an alarm beeping whether it is carbon monoxide", () => {
      const call = new Dialogue();
      assert.equal(said(call.say("some alarm keeps beeping upstairs")), CO_QUESTION);
    });

    it("asks even when the recogniser was unsure of the words", () => {
      const call = new Dialogue();
      assert.equal(said(call.say("the boiler's leaking", 0.2)), WATER_QUESTION);
    });
  });

  describe("when the caller answers yes", () => {
    it("takes the emergency path with the advice for that kind and the caller's words", () => {
      const call = new Dialogue();
      call.say("the boiler's leaking");
      const d = call.say("yes it's all over the floor");
      assert.equal(d.outcome.type, "escalate-emergency");
      assert.equal(d.emergency?.kind, "burst-pipe");
      assert.match(said(d), /stopcock/);
      assert.equal(call.state.stage, "transferring");
      assert.match(call.state.emergency?.words ?? "", /the boiler's leaking/);
    });

    it("takes a plain yes for the carbon monoxide question to the gas emergency advice", () => {
      const call = new Dialogue();
      call.say("there's a detector beeping in the hall");
      const d = call.say("yeah");
      assert.equal(d.emergency?.kind, "carbon-monoxide");
      assert.match(said(d), /0800 111 999/);
    });
  });

  describe("when the caller answers no", () => {
    it("carries on with what the caller wanted, as if no question had been asked", () => {
      const call = new Dialogue();
      call.say("the boiler's leaking can someone come and look at it");
      const d = call.say("no");
      assert.equal(d.outcome.type, "listen");
      assert.equal(d.emergency, null);
      assert.match(said(d), /^Thanks, that's good to know\. Can I take your name/);
      assert.equal(call.state.stage, "collecting");
      assert.equal(call.state.safetyCheck, undefined);
      assert.match(call.state.draft.problem ?? "", /boiler/);
    });

    it("reads a small amount as a no", () => {
      const call = new Dialogue();
      call.say("there's water on the kitchen floor");
      const d = call.say("it's only a small drip really");
      assert.notEqual(d.outcome.type, "escalate-emergency");
      assert.notEqual(call.state.stage, "safety-check");
    });

    it("does not ask the same question twice on one call", () => {
      const call = new Dialogue();
      call.say("the boiler's leaking");
      call.say("no");
      const d = call.say("and there's water on the floor by the cylinder");
      assert.notEqual(said(d), WATER_QUESTION);
      assert.notEqual(call.state.stage, "safety-check");
    });

    it("goes back to the step the call was at when the question came mid-booking", () => {
      const call = new Dialogue();
      call.say("I'd like to book a plumber");
      assert.equal(call.state.stage, "collecting");
      assert.equal(said(call.say("the cylinder is leaking")), WATER_QUESTION);
      call.say("no it's fine");
      assert.equal(call.state.stage, "collecting");
      assert.match(call.state.draft.problem ?? "", /cylinder is leaking/);
    });
  });

  describe("when the answer names another emergency", () => {
    it("escalates that emergency at once", () => {
      const call = new Dialogue();
      call.say("the boiler smells funny");
      const d = call.say("no but now the carbon monoxide alarm is going off");
      assert.equal(d.outcome.type, "escalate-emergency");
      assert.equal(d.emergency?.kind, "carbon-monoxide");
    });

    it("escalates a clear water emergency said instead of yes", () => {
      const call = new Dialogue();
      call.say("there's water on the landing");
      const d = call.say("it's pouring through the ceiling now");
      assert.equal(d.emergency?.kind, "water-through-ceiling");
      assert.match(call.state.emergency?.words ?? "", /landing.*pouring through the ceiling/);
    });
  });

  describe("when the caller says nothing usable", () => {
    it("asks again once, then treats the doubt as a yes", () => {
      const call = new Dialogue();
      call.say("the boiler's leaking");
      const again = call.say(null);
      assert.equal(again.outcome.type, "listen");
      assert.match(said(again), /didn't hear you.*Is water coming out right now.*yes or no/);
      assert.equal(MAX_UNCLEAR_SAFETY_ANSWERS, 2);
      const d = call.say("");
      assert.equal(d.outcome.type, "escalate-emergency");
      assert.equal(d.emergency?.kind, "burst-pipe");
    });

    it("repeats the question for a 'what?' without counting it as unclear", () => {
      const call = new Dialogue();
      call.say("the boiler's leaking");
      assert.equal(said(call.say("sorry what")), WATER_QUESTION);
      assert.equal(said(call.say("pardon?")), WATER_QUESTION);
      assert.equal(call.state.safetyCheck?.unclearAnswers, 0);
    });

    it("counts an answer that is neither yes nor no as unclear", () => {
      const call = new Dialogue();
      call.say("the boiler's leaking");
      const d = call.say("the dog is barking at me");
      assert.match(said(d), /^Sorry, Is water coming out/i);
      assert.equal(call.state.safetyCheck?.unclearAnswers, 1);
    });
  });

  describe("a clear emergency", () => {
    it("is never delayed by a question", () => {
      const call = new Dialogue();
      const d = call.say("the boiler's leaking like mad and the carpet's sodden");
      assert.equal(d.outcome.type, "escalate-emergency");
      assert.equal(call.state.safetyCheck, undefined);
    });
  });
});

describe("greetings, 'what?' and call backs on a call", () => {
  it("answers a bare greeting without counting a failed turn", () => {
    const call = new Dialogue();
    const d = call.say("hello is that bristol plumbing");
    assert.match(said(d), /^Hello! How can I help/);
    assert.equal(call.state.failedTurns, 0);
  });

  it("says the last question again for 'what?'", () => {
    const call = new Dialogue();
    call.say("I'd like to book a plumber for my dripping tap");
    const d = call.say("sorry, what?");
    assert.equal(said(d), "Can I take your name, please?");
    assert.equal(call.state.failedTurns, 0);
  });

  it("takes a message when the caller asks to be rung back", () => {
    const call = new Dialogue();
    const d = call.say("can Dave ring me back this afternoon");
    assert.equal(call.state.stage, "taking-message");
    assert.equal(call.state.messageReason, "callback");
    assert.match(said(d), /Dave will call you back on the number ending 0 9 9 9/);
    const left = call.say("it's about the quote for the bathroom");
    assert.equal(left.outcome.type, "leave-message");
    assert.equal(left.outcome.type === "leave-message" && left.outcome.reason, "callback");
  });
});

describe("the safety question through the call use case", () => {
  let world: CallWorld;
  let step = 1;
  const callSid = `CA${"7".repeat(32)}`;

  async function say(speech: string | null): Promise<CallInstruction> {
    const answer = await handleCallTurn(
      { businessId: world.business.id, callSid, step, speech, confidence: speech ? 0.9 : null },
      world.deps,
    );
    if (answer.instruction.kind === "gather") step = answer.instruction.step;
    return answer.instruction;
  }

  beforeEach(async () => {
    world = aCallWorld({ now: NOW });
    step = 1;
    await startCall({ callSid, from: CALLER, to: world.business.phoneNumber }, world.deps);
  });

  it("asks the question without texting the owner", async () => {
    const instruction = await say("there's water coming out of the boiler");
    assert.equal(instruction.kind, "gather");
    assert.deepEqual(instruction.kind === "gather" && instruction.say, [WATER_QUESTION]);
    assert.equal(world.outbox.byPurpose("owner-emergency-alert").length, 0);
  });

  it("on a yes, texts the owner and rings them, exactly as a clear emergency does", async () => {
    await say("there's water coming out of the boiler");
    const instruction = await say("yes");
    assert.equal(instruction.kind, "dial");
    assert.equal(instruction.kind === "dial" && instruction.to, world.business.ownerMobile);
    const [alert] = world.outbox.byPurpose("owner-emergency-alert");
    assert.equal(alert.to, world.business.ownerMobile);
    assert.match(alert.body, /there's water coming out of the boiler/);
  });

  it("on a no, texts nobody and carries on booking", async () => {
    await say("there's water coming out of the boiler");
    const instruction = await say("no");
    assert.equal(instruction.kind, "gather");
    assert.equal(world.outbox.byPurpose("owner-emergency-alert").length, 0);
  });
});
