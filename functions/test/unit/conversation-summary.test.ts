import { strict as assert } from "node:assert";
import { defaultService, serviceById } from "../../src/domain/business/business";
import { greet, TurnContext, TurnDecision } from "../../src/domain/dialogue/conversation-engine";
import {
  bookingCancelled,
  bookingConfirmed,
  decideTurn,
  messageRecorded,
  presentOffers,
} from "../support/engine-driver";
import type { DialogueState } from "../../src/domain/dialogue/dialogue-state";
import type { Appointment } from "../../src/domain/scheduling/appointment";
import { availableSlots, spreadOffers } from "../../src/domain/scheduling/availability";
import {
  ConversationFacts,
  ConversationSummary,
  messageProgress,
  needingOwner,
  renderSummary,
  summariseConversation,
  SummaryTurn,
} from "../../src/domain/summaries/conversation-summary";
import { aBusiness, aCustomer } from "../support/call-fixtures";

const NOW = new Date("2026-11-25T10:00:00Z");
const CALLER = "+447700900999";

/** A call played through the dialogue engine, keeping the transcript the way the use case does. */
class RecordedCall {
  readonly ctx: TurnContext;
  state: DialogueState;
  readonly turns: SummaryTurn[] = [];
  escalation: ConversationFacts["escalation"];

  constructor(options: { callerPhone?: string | null; known?: boolean } = {}) {
    this.ctx = {
      business: aBusiness(),
      customer: options.known ? aCustomer() : null,
      callerPhone: options.callerPhone === undefined ? CALLER : options.callerPhone,
      now: NOW,
    };
    const { state, say } = greet(this.ctx);
    this.state = state;
    this.turns.push({ speaker: "receptionist", text: say.join(" ") });
  }

  say(speech: string | null): TurnDecision {
    this.turns.push({ speaker: "caller", text: speech ?? "" });
    let d = decideTurn(this.state, { speech, confidence: 0.9 }, this.ctx);
    if (d.outcome.type === "find-slots") {
      const business = this.ctx.business;
      const service =
        (d.state.draft.serviceId && serviceById(business, d.state.draft.serviceId)) ||
        defaultService(business);
      const slots = spreadOffers(
        availableSlots({ business, service, now: NOW, busy: [], exclude: [] }),
        business.booking.offerCount,
        business.timeZone,
        [],
      );
      d = presentOffers(d.state, slots, this.ctx, d.outcome.say);
    } else if (d.outcome.type === "book") {
      d = bookingConfirmed(d.state, "apt-1", this.ctx);
    } else if (d.outcome.type === "escalate-emergency") {
      this.escalation = { reason: "emergency" };
    } else if (d.outcome.type === "transfer-to-owner") {
      this.escalation = { reason: "human" };
    }
    this.state = d.state;
    if ("say" in d.outcome)
      this.turns.push({ speaker: "receptionist", text: d.outcome.say.join(" ") });
    return d;
  }

  summary(extra: Partial<ConversationFacts> = {}): ConversationSummary {
    return summariseConversation({
      channel: "call",
      callerPhone: this.ctx.callerPhone,
      customerName: this.ctx.customer?.name,
      state: this.state,
      turns: this.turns,
      escalation: this.escalation,
      ...extra,
    });
  }
}

describe("the deterministic conversation summary", () => {
  describe("when a caller books a job", () => {
    const call = new RecordedCall();
    call.say(
      "hi this is Sarah Jones at 22 Park Street, Bristol BS1 5JA, my kitchen tap keeps dripping",
    );
    call.say("the first one");
    call.say("yes");
    const summary = call.summary();

    it("says who, that it was booked, the job and where, with nothing for the owner to do", () => {
      assert.equal(summary.who, "Sarah Jones (0770 090 0999)");
      assert.equal(summary.outcome, "booked");
      assert.deepEqual(summary.actions, ["booked"]);
      assert.match(summary.job ?? "", /^Dripping tap repair: .*kitchen tap keeps dripping/);
      assert.equal(summary.address, "22 Park Street, Bristol BS1 5JA");
      assert.equal(summary.urgency, "normal");
      assert.equal(summary.needsOwner, false);
      assert.match(summary.ownerAction, /Nothing to do/);
    });

    it("keeps the caller's first words verbatim", () => {
      assert.equal(
        summary.firstWords,
        "hi this is Sarah Jones at 22 Park Street, Bristol BS1 5JA, my kitchen tap keeps dripping",
      );
    });

    it("never invents a time or a price", () => {
      const text = renderSummary(summary);
      assert.doesNotMatch(text, /£|\d{1,2}(?::\d\d)? ?(?:am|pm)/i);
    });
  });

  describe("when a caller reports an emergency nobody answers", () => {
    const call = new RecordedCall({ known: true });
    call.say("water is pouring through the ceiling");
    const summary = call.summary({ outcome: "emergency-unanswered" });

    it("is an emergency the owner must call back now", () => {
      assert.equal(summary.outcome, "emergency-unanswered");
      assert.equal(summary.urgency, "emergency");
      assert.equal(summary.job, "Water coming through the ceiling");
      assert.equal(summary.address, aCustomer().address);
      assert.equal(summary.needsOwner, true);
      assert.match(
        summary.ownerAction,
        /^Call back on 0770 090 0999: water coming through the ceiling, now\.$/,
      );
    });
  });

  describe("when the owner took the emergency call", () => {
    it("asks only that the job is in hand", () => {
      const call = new RecordedCall({ known: true });
      call.say("my pipe has burst");
      const summary = call.summary({ escalation: { reason: "emergency", acceptedLeg: 0 } });
      assert.equal(summary.outcome, "emergency-transferred");
      assert.equal(summary.needsOwner, false);
      assert.match(summary.ownerAction, /burst pipe or uncontrolled water at 14 Cotham Road/);
    });
  });

  describe("when the caller said no to the safety question and booked", () => {
    it("marks it as worth a look first", () => {
      const call = new RecordedCall();
      call.say("the boiler's leaking");
      call.say("no");
      assert.equal(call.summary().urgency, "high");
    });
  });

  describe("when a caller asks to be rung back", () => {
    it("is a message the owner must act on, with the reason", () => {
      const call = new RecordedCall();
      call.say("can Dave ring me back");
      call.say("it's about the bathroom quote");
      const summary = call.summary();
      assert.equal(summary.outcome, "message-taken");
      assert.equal(summary.needsOwner, true);
      assert.equal(summary.ownerAction, "Call back on 0770 090 0999: they asked you to call.");
    });
  });

  describe("when a caller records their message on the call", () => {
    function recorded(): RecordedCall {
      const call = new RecordedCall();
      call.say("can Dave ring me back");
      call.state = messageRecorded(call.state, 14, call.ctx).state;
      return call;
    }

    it("says a message was left, not transcribed, until its words land", () => {
      const summary = recorded().summary();
      assert.equal(summary.outcome, "message-taken");
      assert.deepEqual(summary.message, { seconds: 14, words: null });
      assert.match(
        renderSummary(summary),
        /they asked you to call\. First words: "can Dave ring me back" Message \(14 s\): not transcribed; listen to the recording\.$/,
      );
    });

    it("carries the message's words once transcribed, or says none could be made out", () => {
      const words = "it's Sue, the bathroom tap is dripping, any day next week";
      const summary = recorded().summary({ recordings: [{ seconds: 14, words }] });
      assert.deepEqual(summary.message, { seconds: 14, words });
      assert.ok(renderSummary(summary).endsWith(`Message (14 s): "${words}"`));
      const silent = recorded().summary({ recordings: [{ seconds: 14, words: "" }] });
      assert.match(renderSummary(silent), /Message \(14 s\): no words could be made out\.$/);
    });

    it("moves forward only: no message, then a message without words, then its words", () => {
      const none = new RecordedCall();
      none.say("can Dave ring me back");
      none.say("it's about the quote");
      const progress = [
        none.summary(),
        recorded().summary(),
        recorded().summary({ recordings: [{ seconds: 14, words: null }] }),
        recorded().summary({ recordings: [{ seconds: 14, words: "hello" }] }),
      ].map(messageProgress);
      assert.deepEqual(progress, [0, 1, 1, 2]);
    });
  });

  describe("when a caller hangs up part-way through booking", () => {
    it("is a lost job to call back", () => {
      const call = new RecordedCall();
      call.say("my radiators are cold");
      const summary = call.summary();
      assert.equal(summary.outcome, "dropped");
      assert.equal(summary.needsOwner, true);
      assert.match(summary.ownerAction, /hung up before booking \(.*radiators are cold\)/);
    });

    it("says so honestly when the number was withheld", () => {
      const call = new RecordedCall({ callerPhone: null });
      call.say("my radiators are cold");
      const summary = call.summary();
      assert.equal(summary.who, "Unknown caller (withheld number)");
      assert.match(summary.ownerAction, /^No number to call back \(withheld\)/);
    });

    it("needs nothing when they never said what they wanted", () => {
      const call = new RecordedCall();
      call.say("hello");
      call.say(null);
      const summary = call.summary();
      assert.equal(summary.outcome, "dropped");
      assert.equal(summary.needsOwner, false);
      assert.equal(summary.firstWords, "hello");
    });
  });

  describe("when a question is answered", () => {
    it("needs nothing", () => {
      const call = new RecordedCall();
      call.say("what are your opening hours");
      const summary = call.summary();
      assert.equal(summary.outcome, "question-answered");
      assert.equal(summary.needsOwner, false);
    });
  });

  describe("when a booking is cancelled on the call", () => {
    it("records the cancellation and the job it was", () => {
      const call = new RecordedCall({ known: true });
      const apt = { id: "apt-9", serviceName: "Boiler service" } as Appointment;
      call.state = bookingCancelled(call.state, apt, { ...call.ctx }).state;
      const summary = call.summary();
      assert.equal(summary.outcome, "cancelled");
      assert.equal(summary.job, "Boiler service");
      assert.equal(summary.needsOwner, false);
    });
  });

  describe("rendered for the owner", () => {
    it("reads as one paragraph with the outcome, job, urgency, next step and first words", () => {
      const call = new RecordedCall({ known: true });
      call.say("water is pouring through the ceiling");
      const text = renderSummary(call.summary({ outcome: "emergency-unanswered" }));
      assert.equal(
        text,
        "Margaret Holloway (0770 090 0999): emergency, nobody took the transfer. Job: Water coming through the ceiling. " +
          `At: ${aCustomer().address}. Urgency: emergency. Next: Call back on 0770 090 0999: water coming through the ceiling, now. ` +
          'First words: "water is pouring through the ceiling"',
      );
    });
  });

  describe("the conversations that need the owner", () => {
    it("lists only those, most urgent first, in order otherwise", () => {
      const of = (id: string, urgency: ConversationSummary["urgency"], needsOwner: boolean) => ({
        id,
        summary: { urgency, needsOwner } as ConversationSummary,
      });
      const ordered = needingOwner([
        of("a", "normal", true),
        of("b", "normal", false),
        of("c", "emergency", true),
        of("d", "high", true),
        of("e", "normal", true),
      ]);
      assert.deepEqual(
        ordered.map((o) => o.id),
        ["c", "d", "a", "e"],
      );
    });
  });
});
