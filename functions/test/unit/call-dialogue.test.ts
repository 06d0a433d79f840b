import { strict as assert } from "node:assert";
import { DateTime } from "luxon";
import type { Business } from "../../src/domain/business/business";
import { defaultService, serviceById } from "../../src/domain/business/business";
import type { Customer } from "../../src/domain/customers/customer";
import {
  greet,
  MAX_FAILED_TURNS,
  TurnContext,
  TurnDecision,
} from "../../src/domain/dialogue/conversation-engine";
import {
  bookingConfirmed,
  decideTurn,
  emergencyUnanswered,
  ownerUnavailable,
  presentOffers,
  slotLost,
} from "../support/engine-driver";
import type { DialogueState } from "../../src/domain/dialogue/dialogue-state";
import { NATIONAL_GAS_EMERGENCY_NUMBER } from "../../src/domain/emergency/emergency-rules";
import { availableSlots, spreadOffers } from "../../src/domain/scheduling/availability";
import { aBusiness, aCustomer } from "../support/call-fixtures";

/** Wednesday 25 November 2026, 10:00 in Bristol. */
const NOW = new Date("2026-11-25T10:00:00Z");
const NEW_CALLER = "+447700900999";

/**
 * Plays a call through the dialogue engine alone. Side effects are answered
 * the way the use case would: free slots from the real availability rules,
 * and every booking succeeds.
 */
class Call {
  readonly ctx: TurnContext;
  state: DialogueState;
  last: TurnDecision | undefined;
  readonly greeting: string[];

  constructor(
    options: { business?: Business; customer?: Customer | null; callerPhone?: string | null } = {},
  ) {
    this.ctx = {
      business: options.business ?? aBusiness(),
      customer: options.customer ?? null,
      callerPhone:
        options.callerPhone === undefined
          ? (options.customer?.phone ?? NEW_CALLER)
          : options.callerPhone,
      now: NOW,
    };
    const { state, say } = greet(this.ctx);
    this.state = state;
    this.greeting = say;
  }

  /** The caller says something (null: silence); returns the settled decision. */
  say(speech: string | null, confidence: number | null = 0.9): TurnDecision {
    let d = decideTurn(this.state, { speech, confidence }, this.ctx);
    if (d.outcome.type === "find-slots") d = this.offer(d);
    else if (d.outcome.type === "book") d = bookingConfirmed(d.state, "apt-1", this.ctx);
    this.state = d.state;
    this.last = d;
    return d;
  }

  offer(d: TurnDecision): TurnDecision {
    const business = this.ctx.business;
    const service =
      (d.state.draft.serviceId && serviceById(business, d.state.draft.serviceId)) ||
      defaultService(business);
    const declined = d.state.declinedStarts.map((s) => new Date(s));
    const slots = spreadOffers(
      availableSlots({ business, service, now: NOW, busy: [], exclude: declined }),
      business.booking.offerCount,
      business.timeZone,
      declined,
    );
    const say = d.outcome.type === "find-slots" ? d.outcome.say : [];
    return presentOffers(d.state, slots, this.ctx, say);
  }

  /** Everything spoken in the last answer, as one string. */
  get spoken(): string {
    const outcome = this.last?.outcome;
    return outcome && "say" in outcome ? outcome.say.join(" ") : "";
  }
}

function localStart(iso: string): string {
  return DateTime.fromISO(iso, { zone: "Europe/London" }).toFormat("ccc HH:mm");
}

const ONE_BREATH =
  "Hi, this is Sarah Jones at 12 Park Street, Bristol BS1 5HX, my kitchen tap is dripping";

describe("the call dialogue", () => {
  describe("when a new caller gives everything in one breath", () => {
    it("offers times without asking again", () => {
      const call = new Call();
      const d = call.say(ONE_BREATH);
      assert.equal(d.state.stage, "choosing-slot");
      assert.equal(d.state.offers.length, 3);
      assert.match(call.spoken, /^I can offer today at 1:15 pm/);
      assert.doesNotMatch(call.spoken, /name|address|number/i);
    });

    it("keeps the name, address, job and the caller's own number for the booking", () => {
      const call = new Call();
      call.say(ONE_BREATH);
      assert.deepEqual(call.state.draft, {
        name: "Sarah Jones",
        address: "12 Park Street, Bristol BS1 5HX",
        serviceId: "dripping-tap",
        problem: "my kitchen tap is dripping",
        callbackNumber: NEW_CALLER,
      });
    });
  });

  describe("when a new caller gives one detail at a time", () => {
    it("asks for each missing detail in turn, then offers times", () => {
      const call = new Call();
      call.say("my kitchen tap is dripping");
      assert.equal(call.spoken, "Can I take your name, please?");
      call.say("Sarah Jones");
      assert.match(call.spoken, /address/);
      call.say("12 Park Street, Bristol BS1 5HX");
      assert.equal(call.state.stage, "choosing-slot");
    });

    it("asks for a number when the caller's is withheld, and stores a spoken one in E.164", () => {
      const call = new Call({ callerPhone: null });
      call.say(ONE_BREATH);
      assert.equal(call.spoken, "What's the best phone number to reach you on?");
      call.say("it's 07700 900 555");
      assert.equal(call.state.draft.callbackNumber, "+447700900555");
      assert.equal(call.state.stage, "choosing-slot");
    });
  });

  describe("when a known customer rings", () => {
    const margaret = aCustomer();

    it("greets them by first name", () => {
      const call = new Call({ customer: margaret });
      assert.match(call.greeting.join(" "), /Hello Margaret, good to hear from you again/);
      assert.doesNotMatch(call.greeting.join(" "), /Holloway/);
    });

    it("only asks them to confirm the address on file, then offers times", () => {
      const call = new Call({ customer: margaret });
      call.say("my kitchen tap is dripping");
      assert.equal(call.state.stage, "confirming-address");
      assert.equal(
        call.spoken,
        "Is the visit at 14 Cotham Road, Bristol BS6 6DR, and shall I put it under Margaret Holloway?",
      );
      call.say("yes that's right");
      assert.equal(call.state.stage, "choosing-slot");
      assert.equal(call.state.draft.callbackNumber, margaret.phone);
    });

    it("asks for the address when they say it has changed", () => {
      const call = new Call({ customer: margaret });
      call.say("my kitchen tap is dripping");
      call.say("no");
      assert.equal(call.state.asking, "address");
      call.say("7 Elm Grove, Bristol BS7 9AB");
      assert.equal(call.state.draft.address, "7 Elm Grove, Bristol BS7 9AB");
      assert.equal(call.state.stage, "choosing-slot");
    });
  });

  describe("when the caller reports a burst pipe in the middle of a booking", () => {
    const call = new Call({ customer: aCustomer() });
    call.say("I'd like to book a boiler service");
    const d = call.say("oh no, a pipe has just burst and water is everywhere");

    it("escalates at once, whatever it was asking", () => {
      assert.equal(d.outcome.type, "escalate-emergency");
      assert.equal(d.state.stage, "transferring");
      assert.equal(d.emergency?.kind, "burst-pipe");
    });

    it("tells the caller how to turn the water off, with the notes on their property", () => {
      assert.match(call.spoken, /stopcock/);
      assert.match(call.spoken, /Your stopcock is under the kitchen sink, behind the bleach\./);
      assert.match(call.spoken, /I'm alerting Dave right now/);
    });

    it("remembers what the caller said for the owner's alert", () => {
      assert.equal(
        d.state.emergency?.words,
        "oh no, a pipe has just burst and water is everywhere",
      );
    });
  });

  describe("when the caller smells gas", () => {
    const call = new Call({ customer: aCustomer() });
    const d = call.say("I can smell gas in the kitchen");

    it("tells them to leave and call the national gas emergency line", () => {
      assert.equal(d.outcome.type, "escalate-emergency");
      assert.match(call.spoken, /leave the building now/);
      assert.ok(call.spoken.includes(NATIONAL_GAS_EMERGENCY_NUMBER));
      assert.equal(NATIONAL_GAS_EMERGENCY_NUMBER, "0800 111 999");
    });

    it("does not read out the water stopcock notes", () => {
      assert.doesNotMatch(call.spoken, /behind the bleach|From our records/);
    });
  });

  describe("when the caller says it is not an emergency", () => {
    it("books a visit instead of escalating", () => {
      const call = new Call();
      const d = call.say("it's not urgent, just a drip from the kitchen tap");
      assert.notEqual(d.outcome.type, "escalate-emergency");
      assert.equal(d.emergency, null);
      assert.equal(d.state.draft.serviceId, "dripping-tap");
      assert.equal(call.spoken, "Can I take your name, please?");
    });
  });

  describe("when the caller just says hello back", () => {
    it("greets them and asks how to help, without counting a failed turn", () => {
      const call = new Call();
      call.say("Hello?");
      assert.match(call.spoken, /^Hello! How can I help\?/);
      assert.equal(call.state.failedTurns, 0);
      call.say("yes hi there");
      assert.equal(call.state.failedTurns, 0);
    });
  });

  describe("when the caller cannot be heard or understood", () => {
    it("says it heard nothing, and asks again", () => {
      const call = new Call();
      call.say(null);
      assert.match(call.spoken, /^Sorry, I didn't hear anything\./);
      assert.equal(call.state.failedTurns, 1);
    });

    it("asks again rather than guess from low-confidence speech", () => {
      const call = new Call();
      const d = call.say("my kitchen tap is dripping", 0.1);
      assert.match(call.spoken, /^Sorry, I didn't quite catch that\./);
      assert.equal(d.state.draft.serviceId, undefined);
    });

    it("still hears an emergency in low-confidence speech", () => {
      const call = new Call();
      assert.equal(call.say("I can smell gas", 0.1).outcome.type, "escalate-emergency");
    });

    it(`offers the owner after ${MAX_FAILED_TURNS} unusable turns in a row, never another prompt`, () => {
      const call = new Call();
      call.say(null);
      call.say("mumble", 0.05);
      const d = call.say(null);
      assert.equal(d.outcome.type, "transfer-to-owner");
      assert.match(call.spoken, /Let me try Dave for you/);
    });

    it("starts counting again after a turn it could use", () => {
      const call = new Call();
      call.say(null);
      call.say(null);
      call.say("my kitchen tap is dripping");
      assert.equal(call.state.failedTurns, 0);
      assert.equal(call.say(null).outcome.type, "listen");
    });

    it("ends with a message for the owner, rather than ringing them again, when silence continues after they were unreachable", () => {
      const call = new Call();
      call.say("I want to speak to a person");
      call.state = ownerUnavailable(call.state, call.ctx).state;
      call.say(null);
      call.say(null);
      const d = call.say(null);
      assert.equal(d.outcome.type, "leave-message");
      assert.equal(d.state.stage, "ended");
      assert.match(
        call.spoken,
        /I'll ask Dave to call you back on the number ending 0 9 9 9\. Goodbye\./,
      );
    });
  });

  describe("when the caller asks for a person", () => {
    const stages: Array<[string, string[]]> = [
      ["at the start", []],
      ["while giving details", ["my kitchen tap is dripping"]],
      ["while choosing a time", [ONE_BREATH]],
      ["while confirming", [ONE_BREATH, "the first one"]],
    ];
    for (const [when, before] of stages) {
      it(`transfers to the owner ${when}`, () => {
        const call = new Call();
        for (const line of before) call.say(line);
        const d = call.say("I want to speak to a person");
        assert.equal(d.outcome.type, "transfer-to-owner");
        assert.equal(d.state.stage, "transferring");
      });
    }

    it("takes the message when the owner does not answer", () => {
      const call = new Call();
      call.say("can I talk to a real person");
      const fallback = ownerUnavailable(call.state, call.ctx);
      assert.equal(fallback.state.stage, "taking-message");
      call.state = fallback.state;
      const d = call.say("please ask Dave to ring me about the quote");
      assert.equal(d.outcome.type, "leave-message");
      assert.equal(d.outcome.type === "leave-message" && d.outcome.reason, "owner-unavailable");
      assert.equal(d.state.stage, "ended");
    });
  });

  describe("when the caller picks one of the offered times", () => {
    // Offers: today 1:15 pm, tomorrow (Thursday) 8 am, tomorrow 1:15 pm.
    const picks: Array<[string, string]> = [
      ["the second one", "Thu 08:00"],
      ["the last one please", "Thu 13:15"],
      ["Wednesday please", "Wed 13:15"],
      ["today", "Wed 13:15"],
      ["the 8 am one", "Thu 08:00"],
      ["8 o'clock", "Thu 08:00"],
      ["Thursday afternoon", "Thu 13:15"],
      ["tomorrow morning", "Thu 08:00"],
    ];
    for (const [words, expected] of picks) {
      it(`takes "${words}" as ${expected}`, () => {
        const call = new Call();
        call.say(ONE_BREATH);
        const d = call.say(words);
        assert.equal(d.state.stage, "confirming-booking");
        assert.equal(localStart(d.state.chosen?.start ?? ""), expected);
        assert.match(call.spoken, /Shall I book it\?$/);
      });
    }

    it("asks again when the choice fits more than one offer", () => {
      const call = new Call();
      call.say(ONE_BREATH);
      const d = call.say("Thursday");
      assert.equal(d.state.stage, "choosing-slot");
      assert.equal(d.state.chosen, undefined);
      assert.match(call.spoken, /^Sorry, which time would suit you\?/);
    });

    it("reads back the job, time, address, name and number before booking", () => {
      const call = new Call();
      call.say(ONE_BREATH);
      call.say("the second one");
      assert.equal(
        call.spoken,
        "So that's a dripping tap repair, tomorrow, Thursday, at 8 am, at 12 Park Street, Bristol BS1 5HX, for Sarah Jones, and we'll text the number ending 0 9 9 9. Shall I book it?",
      );
    });

    it("books on yes", () => {
      const call = new Call();
      call.say(ONE_BREATH);
      call.say("the second one");
      const d = decideTurn(call.state, { speech: "yes please", confidence: 0.9 }, call.ctx);
      assert.deepEqual(d.outcome, { type: "book", slot: call.state.chosen });
    });
  });

  describe("when none of the offered times suit", () => {
    it("looks again without the times already offered, on other half-days", () => {
      const call = new Call();
      call.say(ONE_BREATH);
      const first = call.state.offers.map((o) => o.start);
      const d = decideTurn(call.state, { speech: "none of those", confidence: 0.9 }, call.ctx);
      assert.equal(d.outcome.type, "find-slots");
      assert.deepEqual(d.state.declinedStarts, first);

      call.say("none of those work for me");
      const again = call.state.offers.map((o) => localStart(o.start));
      assert.deepEqual(again, ["Fri 08:00", "Fri 13:15", "Sat 09:00"]);
      assert.match(call.spoken, /^No problem, let me look further ahead\./);
    });
  });

  describe("when the caller says no to the read-back", () => {
    it("asks what to change, and a different time brings new offers without the old one", () => {
      const call = new Call();
      call.say(ONE_BREATH);
      const chosen = call.say("the second one").state.chosen?.start;
      call.say("no");
      assert.equal(call.state.stage, "amending");
      assert.match(call.spoken, /the time, the name, or the address/);
      call.say("a different time please");
      assert.equal(call.state.stage, "choosing-slot");
      assert.ok(chosen && call.state.declinedStarts.includes(chosen));
      assert.ok(!call.state.offers.some((o) => o.start === chosen));
    });

    it("keeps the chosen time when only the name changes", () => {
      const call = new Call();
      call.say(ONE_BREATH);
      const chosen = call.say("the second one").state.chosen;
      call.say("no");
      call.say("the name");
      assert.equal(call.spoken, "What name should I put it under?");
      call.say("Sarah Smith");
      assert.equal(call.state.stage, "confirming-booking");
      assert.deepEqual(call.state.chosen, chosen);
      assert.match(call.spoken, /for Sarah Smith/);
    });
  });

  describe("when the time is taken by someone else before the yes", () => {
    it("apologises and looks again, skipping that time", () => {
      const call = new Call();
      call.say(ONE_BREATH);
      call.say("the second one");
      const lost = slotLost(call.state, call.ctx);
      assert.equal(lost.outcome.type, "find-slots");
      assert.deepEqual(lost.outcome.type === "find-slots" && lost.outcome.say, [
        "I'm sorry, that time has just been taken.",
      ]);
      assert.deepEqual(lost.state.lostStarts, [call.state.chosen?.start]);
      assert.equal(lost.state.chosen, undefined);
    });
  });

  describe("when the caller wants to move, cancel or ask something", () => {
    it("looks up a known caller's bookings to move one (change-booking.dialogue.test.ts, through the same engine)", () => {
      const call = new Call({ customer: aCustomer() });
      const d = decideTurn(
        call.state,
        { speech: "I need to reschedule my appointment on Friday", confidence: 0.9 },
        call.ctx,
      );
      assert.equal(d.intent, "reschedule");
      assert.deepEqual(d.outcome, {
        type: "find-upcoming",
        lookup: { by: "caller-id", customerId: aCustomer().phone },
      });
    });

    it("asks an unknown caller what name a booking to cancel is under", () => {
      const call = new Call();
      const d = call.say("I need to cancel my appointment");
      assert.equal(d.state.stage, "change-verifying-name");
      assert.match(call.spoken, /What name is the booking under\?/);
    });

    it("answers an opening-hours question from the tenant's own hours", () => {
      const call = new Call();
      call.say("what are your opening hours");
      assert.match(
        call.spoken,
        /Monday to Thursday, 8 am to 5:30 pm; Friday, 8 am to 4 pm; Saturday, 9 am to 12 pm; closed Sunday/,
      );
    });

    it("answers hours differently for a tenant with different hours", () => {
      const business = aBusiness({
        hours: {
          "1": [{ open: "07:30", close: "19:00" }],
          "2": [{ open: "07:30", close: "19:00" }],
          "3": [{ open: "07:30", close: "19:00" }],
          "4": [{ open: "07:30", close: "19:00" }],
          "5": [{ open: "07:30", close: "19:00" }],
          "6": [],
          "7": [],
        },
      });
      const call = new Call({ business });
      call.say("when are you open");
      assert.match(call.spoken, /Monday to Friday, 7:30 am to 7 pm; closed Saturday and Sunday/);
    });

    it("answers from the business profile what it holds", () => {
      const call = new Call();
      const d = call.say("do you take payment by card?");
      assert.equal(d.outcome.type, "listen");
      assert.match(
        d.outcome.type === "listen" ? d.outcome.say[0] : "",
        /card, cash or bank transfer/,
      );
    });

    it("passes other questions to the owner rather than making up an answer", () => {
      const call = new Call();
      const d = call.say("can you recommend a good electrician?");
      assert.equal(d.outcome.type, "leave-message");
      assert.equal(d.outcome.type === "leave-message" && d.outcome.reason, "question");
    });
  });

  describe("when the caller has nothing else", () => {
    it("ends politely after a booking", () => {
      const call = new Call();
      call.say(ONE_BREATH);
      call.say("the second one");
      call.say("yes");
      assert.equal(call.state.stage, "anything-else");
      const d = call.say("no thanks");
      assert.equal(d.outcome.type, "hang-up");
      assert.equal(call.spoken, "Thanks for calling Bristol Plumbing. Goodbye.");
    });

    it("starts a second job afresh, keeping only who and where", () => {
      const call = new Call();
      call.say(ONE_BREATH);
      call.say("the second one");
      call.say("yes");
      call.say("yes, my boiler needs a service too");
      assert.equal(call.state.draft.serviceId, "boiler-service");
      assert.notEqual(call.state.draft.problem, "my kitchen tap is dripping");
      assert.equal(call.state.stage, "choosing-slot");
    });
  });

  describe("when nobody can take an emergency", () => {
    it("promises the tenant's call-back time and points to 999", () => {
      const call = new Call();
      call.say("I can smell gas");
      const d = emergencyUnanswered(call.state, call.ctx);
      assert.equal(d.outcome.type, "hang-up");
      const said = d.outcome.type === "hang-up" ? d.outcome.say.join(" ") : "";
      assert.match(said, /will call you back within 30 minutes/);
      assert.match(said, /call 999/);
    });
  });

  describe("when the diary is full", () => {
    it("says so honestly and offers to take a message", () => {
      const call = new Call();
      const d = presentOffers(call.state, [], call.ctx);
      assert.equal(d.state.stage, "taking-message");
      assert.match(
        d.outcome.type === "listen" ? d.outcome.say.join(" ") : "",
        /can't see a free time in the next 14 days/,
      );
    });
  });
});
