import { strict as assert } from "node:assert";
import { initialDialogueState } from "../../src/domain/dialogue/dialogue-state";
import {
  type ConversationFacts,
  summariseConversation,
} from "../../src/domain/summaries/conversation-summary";
import { checkModelSummary } from "../../src/domain/summaries/model-summary";

/** A call where the caller asked for a visit and hung up before booking. */
const unbooked: ConversationFacts = {
  channel: "call",
  callerPhone: "+447700900444",
  state: {
    ...initialDialogueState(),
    draft: { name: "Sam Price", problem: "leaking radiator valve" },
  },
  turns: [
    { speaker: "receptionist", text: "I can do Tuesday at 10am or Thursday at 2pm." },
    { speaker: "caller", text: "my radiator valve is leaking, after 3pm on friday is best" },
  ],
};

const booked: ConversationFacts = {
  ...unbooked,
  state: {
    ...unbooked.state,
    done: [{ action: "booked", appointmentId: "apt-1", job: "Radiator: leaking valve" }],
  },
};

const emergency: ConversationFacts = {
  ...unbooked,
  state: {
    ...unbooked.state,
    emergency: { kind: "gas", label: "Gas smell", words: "i can smell gas" },
  },
};

function check(text: string, facts: ConversationFacts) {
  return checkModelSummary(text, summariseConversation(facts), facts.turns);
}

describe("checking a model's summary against what the conversation recorded", () => {
  it("accepts a faithful summary, times the caller said included", () => {
    const result = check(
      "Sam Price called about a leaking radiator valve and hung up before booking; " +
        "they would like a visit after 3pm on Friday. Call them back.",
      unbooked,
    );
    assert.deepEqual(result, { ok: true });
  });

  it("accepts a booking when one was booked", () => {
    assert.deepEqual(check("Sam Price booked a visit for the leaking valve.", booked), {
      ok: true,
    });
  });

  it("rejects a time nobody said, even one the receptionist offered", () => {
    const invented = check("Sam wants a plumber at 4:30pm about the valve.", unbooked);
    assert.equal(invented.ok, false);
    assert.equal(invented.ok === false && invented.problem, "invented-time");
    assert.equal(invented.ok === false && invented.detail, "16:30");
    const offered = check("Sam was offered 10am; call them back.", unbooked);
    assert.equal(offered.ok === false && offered.problem, "invented-time");
  });

  it("reads the same time in either form: 3pm said, 15:00 written", () => {
    assert.deepEqual(check("Wants a visit after 15:00 on Friday; call back.", unbooked), {
      ok: true,
    });
  });

  it("rejects a day the caller did not name", () => {
    const result = check("Sam would like someone round on Tuesday.", unbooked);
    assert.equal(result.ok === false && result.problem, "invented-date");
    assert.equal(result.ok === false && result.detail, "tuesday");
  });

  it("does not take 'may' in a sentence for the month", () => {
    assert.deepEqual(check("Sam may need a new valve; call them back.", unbooked), { ok: true });
  });

  it("rejects a price or amount", () => {
    const pounds = check("Sam was quoted £80 for the valve; call them back.", unbooked);
    assert.equal(pounds.ok === false && pounds.problem, "invented-price");
    assert.equal(pounds.ok === false && pounds.detail, "£80");
    const words = check("Sam will pay 120 quid for the valve.", unbooked);
    assert.equal(words.ok === false && words.detail, "£120");
    const promise = check("Sam's valve will be fixed free of charge.", unbooked);
    assert.equal(promise.ok === false && promise.problem, "invented-price");
  });

  it("rejects a booking when nothing was booked", () => {
    const result = check("Sam Price booked a visit for the leaking radiator valve.", unbooked);
    assert.equal(result.ok === false && result.problem, "invented-outcome");
    assert.match(result.ok === false ? result.detail : "", /booked.*a booking/);
  });

  it("rejects a cancellation or a move that did not happen", () => {
    assert.equal(check("Sam cancelled the visit.", booked).ok, false);
    assert.equal(check("Sam's visit was rescheduled.", booked).ok, false);
  });

  it("rejects a transfer that did not happen", () => {
    const result = check("Sam was put through to you about the valve.", unbooked);
    assert.equal(result.ok === false && result.problem, "invented-outcome");
  });

  it("rejects an emergency summary that leaves the emergency out", () => {
    const result = check("Sam Price rang about a smell; call them back now.", emergency);
    assert.equal(result.ok === false && result.problem, "emergency-left-out");
    assert.deepEqual(check("Gas emergency: Sam Price smells gas. Call back now.", emergency), {
      ok: true,
    });
  });

  it("lists every problem it found", () => {
    const result = check("Booked for Monday at 9am, £60.", unbooked);
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok === false && result.problems, [
      "invented-time: 9:00",
      "invented-date: monday",
      "invented-price: £60",
      'invented-outcome: says "Booked" but nothing records a booking',
    ]);
  });
});
