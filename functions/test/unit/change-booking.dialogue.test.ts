import { strict as assert } from "node:assert";
import { defaultService, serviceById } from "../../src/domain/business/business";
import type { Customer } from "../../src/domain/customers/customer";
import { namesMatch, postcodeKey } from "../../src/domain/customers/customer-identity";
import {
  greet,
  MAX_FAILED_TURNS,
  TurnContext,
  TurnDecision,
} from "../../src/domain/dialogue/conversation-engine";
import { PHONE_CANCEL_REASON } from "../../src/app/handle-call";
import {
  bookingCancelled,
  bookingGone,
  bookingMoved,
  decideTurn,
  moveSlotLost,
  presentOffers,
  upcomingFound,
} from "../support/engine-driver";
import type { DialogueState } from "../../src/domain/dialogue/dialogue-state";
import type { Appointment } from "../../src/domain/scheduling/appointment";
import { availableSlots, spreadOffers } from "../../src/domain/scheduling/availability";
import { aBusiness, aCustomer, anAppointment } from "../support/call-fixtures";
import { NOW, TOM, tomsVisit } from "../support/scripted-conversations";

const OTHER_PHONE = "+447700900555";

const MARGARET = aCustomer();
const DRAIN = anAppointment();
const BOILER = anAppointment({
  id: "apt-boiler",
  serviceId: "boiler-service",
  serviceName: "Boiler service",
  start: new Date("2026-11-27T14:00:00Z"),
  end: new Date("2026-11-27T15:30:00Z"),
});
const TOMS_VISIT = tomsVisit({
  id: "apt-tom",
  problem: "Kitchen sink slow to drain",
  start: new Date("2026-11-30T09:00:00Z"),
  end: new Date("2026-11-30T10:30:00Z"),
});

/**
 * Plays a call through the dialogue engine alone, answering its side
 * effects the way the use case does, from a diary and a customer list.
 */
class Call {
  readonly ctx: TurnContext;
  state: DialogueState;
  last: TurnDecision | undefined;
  readonly heard: string[] = [];
  readonly cancelled: Array<{ id: string; reason: string }> = [];
  readonly moved: Array<{ id: string; start: string }> = [];
  readonly lookups: string[] = [];
  /** Starts another caller books just before ours is claimed. */
  takenBeforeMove = new Set<string>();

  constructor(
    readonly diary: Appointment[],
    options: {
      customer?: Customer | null;
      callerPhone?: string | null;
      customers?: Customer[];
    } = {},
    readonly customers: Customer[] = options.customers ?? [MARGARET, TOM],
  ) {
    const customer = options.customer === undefined ? MARGARET : options.customer;
    this.ctx = {
      business: aBusiness(),
      customer,
      callerPhone:
        options.callerPhone === undefined ? (customer?.phone ?? OTHER_PHONE) : options.callerPhone,
      now: NOW,
    };
    const { state, say } = greet(this.ctx);
    this.state = state;
    this.heard.push(...say);
  }

  say(speech: string | null): TurnDecision {
    let d = decideTurn(this.state, { speech, confidence: 0.9 }, this.ctx);
    for (let round = 0; round < 4; round++) {
      const outcome = d.outcome;
      if (outcome.type === "find-upcoming") {
        this.lookups.push(outcome.lookup.by);
        d = upcomingFound(d.state, this.upcoming(outcome.lookup), this.ctx);
      } else if (outcome.type === "find-slots") {
        d = presentOffers(d.state, this.freeSlots(d.state), this.ctx, outcome.say);
      } else if (outcome.type === "cancel-appointment") {
        const found = this.diary.find((a) => a.id === outcome.appointmentId) ?? null;
        if (found) this.cancelled.push({ id: found.id, reason: PHONE_CANCEL_REASON });
        d = bookingCancelled(d.state, found && { ...found, status: "cancelled" }, this.ctx);
      } else if (outcome.type === "reschedule-appointment") {
        const found = this.diary.find((a) => a.id === outcome.appointmentId);
        if (!found) {
          d = bookingGone(d.state, this.ctx);
        } else if (this.takenBeforeMove.has(outcome.slot.start)) {
          this.takenBeforeMove.delete(outcome.slot.start);
          d = moveSlotLost(d.state, this.ctx);
        } else {
          this.moved.push({ id: found.id, start: outcome.slot.start });
          const start = new Date(outcome.slot.start);
          d = bookingMoved(d.state, { ...found, start, end: new Date(outcome.slot.end) }, this.ctx);
        }
      } else {
        break;
      }
    }
    this.state = d.state;
    this.last = d;
    this.heard.push(this.spoken);
    return d;
  }

  get spoken(): string {
    const outcome = this.last?.outcome;
    return outcome && "say" in outcome ? outcome.say.join(" ") : "";
  }

  private upcoming(
    lookup:
      | { by: "caller-id"; customerId: string }
      | { by: "name-and-postcode"; name: string; postcode: string },
  ): Appointment[] {
    const ids =
      lookup.by === "caller-id"
        ? [lookup.customerId]
        : this.customers
            .filter(
              (c) =>
                postcodeKey(c.address ?? "") === postcodeKey(lookup.postcode) &&
                namesMatch(lookup.name, c.name),
            )
            .map((c) => c.id);
    return this.diary
      .filter((a) => ids.includes(a.customerId) && a.start >= NOW && a.status === "booked")
      .sort((a, b) => a.start.getTime() - b.start.getTime());
  }

  private freeSlots(state: DialogueState) {
    const business = this.ctx.business;
    const service =
      (state.draft.serviceId && serviceById(business, state.draft.serviceId)) ||
      defaultService(business);
    const exclude = [...state.declinedStarts, ...(state.lostStarts ?? [])].map((s) => new Date(s));
    return spreadOffers(
      availableSlots({ business, service, now: NOW, busy: this.diary, exclude }),
      business.booking.offerCount,
      business.timeZone,
      state.declinedStarts.map((s) => new Date(s)),
    );
  }
}

describe("moving or cancelling a booking by phone", () => {
  describe("when a known caller with one upcoming visit asks to cancel", () => {
    it("reads the visit back and asks whether it is the one", () => {
      const call = new Call([DRAIN]);
      call.say("I need to cancel my appointment");
      assert.deepEqual(call.lookups, ["caller-id"]);
      assert.equal(
        call.spoken,
        "Your drain unblock on Thursday 26 November at 10:30 am — is that the one?",
      );
      assert.equal(call.state.stage, "change-picking");
    });

    it("asks to confirm, then cancels it and says a text will follow", () => {
      const call = new Call([DRAIN]);
      call.say("I need to cancel my appointment");
      call.say("yes");
      assert.equal(call.spoken, "Shall I cancel it?");
      assert.deepEqual(call.cancelled, []);
      call.say("yes please");
      assert.deepEqual(call.cancelled, [{ id: "apt-drain", reason: "customer by phone" }]);
      assert.match(call.spoken, /^That's cancelled\. You'll get a text to confirm\./);
      assert.equal(call.state.stage, "anything-else");
      assert.equal(call.state.change, undefined);
    });

    it("leaves it booked when the caller says no at the confirmation", () => {
      const call = new Call([DRAIN]);
      call.say("I need to cancel my appointment");
      call.say("yes");
      call.say("no, actually leave it");
      assert.deepEqual(call.cancelled, []);
      assert.match(call.spoken, /left it booked/);
      assert.equal(call.state.stage, "anything-else");
    });

    it("offers a message or a new booking when that is not the visit they meant", () => {
      const call = new Call([DRAIN]);
      call.say("I need to cancel my appointment");
      call.say("no");
      assert.match(call.spoken, /only upcoming booking/);
      assert.match(call.spoken, /book a new visit, or take a message/);
      assert.equal(call.state.stage, "change-nothing-found");
    });
  });

  describe("when a known caller has several upcoming visits", () => {
    it("reads them briefly and lets the caller pick one by position", () => {
      const call = new Call([DRAIN, BOILER]);
      call.say("I want to cancel my booking");
      assert.equal(
        call.spoken,
        "I can see 2 upcoming visits: the first, a drain unblock on Thursday 26 November at 10:30 am; the second, a boiler service on Friday 27 November at 2 pm. Which one would you like to cancel?",
      );
      call.say("the second one");
      assert.match(
        call.spoken,
        /That's the boiler service on Friday 27 November at 2 pm\. Shall I cancel it\?/,
      );
      call.say("yes");
      assert.deepEqual(
        call.cancelled.map((c) => c.id),
        ["apt-boiler"],
      );
    });

    it("lets the caller pick by day", () => {
      const call = new Call([DRAIN, BOILER]);
      call.say("I want to cancel my booking");
      call.say("the Thursday one");
      call.say("yes");
      assert.deepEqual(
        call.cancelled.map((c) => c.id),
        ["apt-drain"],
      );
    });

    it("asks again when the answer names no single visit", () => {
      const call = new Call([DRAIN, BOILER]);
      call.say("I want to cancel my booking");
      const d = call.say("hmm let me think");
      assert.equal(d.state.stage, "change-picking");
      assert.equal(d.state.failedTurns, 1);
      assert.match(call.spoken, /Which one would you like to cancel\?/);
    });
  });

  describe("when a known caller has no upcoming visit", () => {
    it("says so kindly and offers to book or take a message", () => {
      const call = new Call([]);
      call.say("I need to cancel my appointment");
      assert.equal(
        call.spoken,
        "I can't see any upcoming visits booked for you. I can book a new visit, or take a message for Dave to call you back. Which would you like?",
      );
    });

    it("takes a message for the owner when asked", () => {
      const call = new Call([]);
      call.say("I need to cancel my appointment");
      call.say("take a message please");
      assert.equal(call.state.stage, "taking-message");
      assert.equal(call.state.messageReason, "cancel");
      const d = call.say("I think Dave booked me in for next week, please cancel it");
      assert.equal(d.outcome.type, "leave-message");
      assert.equal(d.outcome.type === "leave-message" && d.outcome.reason, "cancel");
    });

    it("starts a new booking when asked", () => {
      const call = new Call([]);
      call.say("I need to cancel my appointment");
      call.say("book a new visit for my dripping tap");
      assert.equal(call.state.draft.serviceId, "dripping-tap");
      assert.notEqual(call.state.stage, "change-nothing-found");
    });
  });

  describe("when a known caller moves a visit", () => {
    it("offers new times for that visit's job, then moves it after a yes", () => {
      const call = new Call([DRAIN]);
      call.say("can I move my appointment");
      call.say("yes that's the one");
      assert.equal(call.state.stage, "change-choosing-time");
      assert.equal(call.state.draft.serviceId, "drain-unblock");
      assert.match(call.spoken, /Let me find you a new time\. I can offer/);
      const offered = call.state.offers;
      assert.ok(offered.length > 1);
      assert.ok(!offered.some((o) => o.start === DRAIN.start.toISOString()));
      // A drain unblock is an hour long: so are the new times.
      for (const o of offered) {
        assert.equal(new Date(o.end).getTime() - new Date(o.start).getTime(), 60 * 60_000);
      }

      call.say("the second one");
      assert.equal(call.state.stage, "change-confirming-move");
      assert.match(
        call.spoken,
        /^So that's your drain unblock moved from Thursday 26 November at 10:30 am to .+\. Shall I move it\?$/,
      );
      assert.deepEqual(call.moved, []);
      call.say("yes");
      assert.deepEqual(call.moved, [{ id: "apt-drain", start: offered[1].start }]);
      assert.match(
        call.spoken,
        /^Done\. Your drain unblock is now on .+\. You'll get a text to confirm\./,
      );
      assert.equal(call.state.stage, "anything-else");
      assert.equal(
        call.state.draft.serviceId,
        undefined,
        "the moved job does not leak into a new booking",
      );
    });

    it("looks further ahead when none of the new times suit", () => {
      const call = new Call([DRAIN]);
      call.say("can I move my appointment");
      call.say("yes");
      const first = call.state.offers.map((o) => o.start);
      call.say("none of those");
      assert.equal(call.state.stage, "change-choosing-time");
      assert.ok(call.state.offers.every((o) => !first.includes(o.start)));
      assert.match(call.spoken, /look further ahead/);
    });

    it("apologises and offers again when someone takes the new time first", () => {
      const call = new Call([DRAIN]);
      call.say("can I move my appointment");
      call.say("yes");
      call.say("the first one");
      const wanted = call.state.chosen?.start ?? "";
      call.takenBeforeMove.add(wanted);
      call.say("yes");
      assert.equal(call.moved.length, 0);
      assert.match(call.spoken, /^I'm sorry, that time has just been taken\. I can offer/);
      assert.equal(call.state.stage, "change-choosing-time");
      assert.ok(!call.state.offers.some((o) => o.start === wanted));
      call.say("the first one");
      call.say("yes");
      assert.equal(call.moved.length, 1);
      assert.notEqual(call.moved[0].start, wanted);
    });

    it("keeps the visit as it was when the caller says no to the new time", () => {
      const call = new Call([DRAIN]);
      call.say("can I move my appointment");
      call.say("yes");
      call.say("the first one");
      call.say("no");
      assert.deepEqual(call.moved, []);
      assert.match(call.spoken, /left your booking as it was/);
    });

    it("switches to cancelling when the caller decides to cancel instead", () => {
      const call = new Call([DRAIN]);
      call.say("can I move my appointment");
      call.say("yes");
      call.say("actually just cancel it");
      assert.equal(call.state.stage, "change-confirming-cancel");
      call.say("yes");
      assert.deepEqual(
        call.cancelled.map((c) => c.id),
        ["apt-drain"],
      );
    });
  });

  describe("when someone rings from a number that is not a customer's", () => {
    function fromOtherNumber(diary: Appointment[] = [DRAIN, TOMS_VISIT]): Call {
      return new Call(diary, { customer: null, callerPhone: OTHER_PHONE });
    }

    it("asks for the name and postcode before looking anything up", () => {
      const call = fromOtherNumber();
      call.say("I need to cancel my appointment");
      assert.match(call.spoken, /What name is the booking under\?/);
      call.say("Margaret Holloway");
      assert.match(call.spoken, /postcode/);
      assert.deepEqual(call.lookups, []);
    });

    it("finds the visit when both the name and the postcode match", () => {
      const call = fromOtherNumber();
      call.say("I need to cancel my appointment");
      call.say("Margaret Holloway");
      call.say("BS6 6DR");
      assert.deepEqual(call.lookups, ["name-and-postcode"]);
      assert.equal(
        call.spoken,
        "Your drain unblock on Thursday 26 November at 10:30 am — is that the one?",
      );
      call.say("yes");
      call.say("yes");
      assert.deepEqual(
        call.cancelled.map((c) => c.id),
        ["apt-drain"],
      );
    });

    it("takes a spelled-out postcode and a title with the surname", () => {
      const call = fromOtherNumber();
      call.say("I need to move my booking");
      call.say("Mrs Holloway");
      call.say("b s six six d r");
      assert.equal(call.state.stage, "change-picking");
    });

    it("takes the name and postcode given with the request", () => {
      const call = fromOtherNumber();
      call.say(
        "Hi, my name is Margaret Holloway, postcode BS6 6DR, I need to cancel my appointment",
      );
      assert.equal(call.state.stage, "change-picking");
    });

    const WRONG_DETAILS: Array<[string, string, string]> = [
      ["the right name at another customer's postcode", "Margaret Holloway", "BS7 8AA"],
      ["another name at the right postcode", "Sarah Holloway", "BS6 6DR"],
      ["a name and postcode nobody has", "John Smith", "BS1 5JA"],
    ];
    for (const [what, name, postcode] of WRONG_DETAILS) {
      it(`gives the same neutral answer for ${what}, and reads out nothing`, () => {
        const call = fromOtherNumber();
        call.say("I need to cancel my appointment");
        call.say(name);
        call.say(postcode);
        assert.equal(
          call.spoken,
          "I'm sorry, I can't find an upcoming booking under those details. I can book a new visit, or take a message for Dave to call you back. Which would you like?",
        );
        assert.deepEqual(call.state.change?.visits, []);
        const everything = call.heard.join(" ");
        for (const secret of [
          "Cotham",
          "Gloucester",
          "26 November",
          "30 November",
          "Thursday",
          "Monday",
          "drain",
          "boiler",
          "Okafor",
        ]) {
          assert.ok(!everything.includes(secret), `said "${secret}" to an unverified caller`);
        }
      });
    }

    it("answers a matching customer with nothing booked the same way as a mismatch", () => {
      const call = fromOtherNumber([TOMS_VISIT]);
      call.say("I need to cancel my appointment");
      call.say("Margaret Holloway");
      call.say("BS6 6DR");
      assert.match(
        call.spoken,
        /^I'm sorry, I can't find an upcoming booking under those details\./,
      );
    });

    it("offers a call back by message after a mismatch", () => {
      const call = fromOtherNumber();
      call.say("I need to cancel my appointment");
      call.say("John Smith");
      call.say("BS1 5JA");
      call.say("can Dave call me back");
      assert.equal(call.state.stage, "taking-message");
      assert.equal(call.state.messageReason, "cancel");
    });

    it("asks again for a postcode that is only the first half", () => {
      const call = fromOtherNumber();
      call.say("I need to cancel my appointment");
      call.say("Margaret Holloway");
      const d = call.say("BS6");
      assert.equal(d.state.stage, "change-verifying-postcode");
      assert.deepEqual(call.lookups, []);
      assert.match(call.spoken, /full postcode/);
    });

    it("lets the caller give up, and says goodbye", () => {
      const call = fromOtherNumber();
      call.say("I need to cancel my appointment");
      const d = call.say("no that's all");
      assert.equal(d.outcome.type, "hang-up");
    });

    it("puts the caller through after repeated unusable answers, like any stage", () => {
      const call = fromOtherNumber();
      call.say("I need to cancel my appointment");
      call.say("Margaret Holloway");
      let d: TurnDecision | undefined;
      for (let i = 0; i < MAX_FAILED_TURNS; i++) d = call.say("erm");
      assert.equal(d?.outcome.type, "transfer-to-owner");
    });
  });

  describe("when the visit has gone by the time the caller confirms", () => {
    it("says it cannot find it any more and offers a message", () => {
      const call = new Call([DRAIN]);
      call.say("I need to cancel my appointment");
      call.say("yes");
      call.diary.splice(0, 1);
      call.say("yes");
      assert.match(call.spoken, /can't find that booking any more/);
      assert.equal(call.state.stage, "change-nothing-found");
    });
  });

  describe("when the caller has an emergency in the middle of a change", () => {
    it("escalates the emergency first", () => {
      const call = new Call([DRAIN]);
      call.say("I need to cancel my appointment");
      const d = call.say("oh no, a pipe has just burst");
      assert.equal(d.outcome.type, "escalate-emergency");
    });
  });
});

describe("proving a booking is yours by name and postcode", () => {
  it("normalises a postcode from an address or from speech", () => {
    assert.equal(postcodeKey("14 Cotham Road, Bristol BS6 6DR"), "BS66DR");
    assert.equal(postcodeKey("bs6 6dr"), "BS66DR");
    assert.equal(postcodeKey("BS6"), null);
  });

  it("matches a full name, a title with the surname, or an initial", () => {
    assert.ok(namesMatch("Margaret Holloway", "Margaret Holloway"));
    assert.ok(namesMatch("mrs holloway", "Margaret Holloway"));
    assert.ok(namesMatch("M. Holloway", "Margaret Holloway"));
  });

  it("refuses a different first name, a first name alone, or a bare surname", () => {
    assert.ok(!namesMatch("Sarah Holloway", "Margaret Holloway"));
    assert.ok(!namesMatch("Margaret", "Margaret Holloway"));
    assert.ok(!namesMatch("Holloway", "Margaret Holloway"));
    assert.ok(!namesMatch("", "Margaret Holloway"));
  });
});
