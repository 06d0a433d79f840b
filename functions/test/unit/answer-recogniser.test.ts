import { strict as assert } from "node:assert";
import {
  asksForAnotherBooking,
  asksForMessage,
  fullPostcode,
  isGreetingOnly,
  looksLikeAddress,
  mentionsExistingBooking,
  namesDay,
  soundsSafe,
  wantsToStop,
  wordsBeforeDetails,
} from "../../src/domain/nlu/answer-recogniser";

describe("reading answers inside a conversation (domain/nlu/answer-recogniser.ts)", () => {
  it("tells a bare hello from a hello with a reason", () => {
    for (const t of ["hello?", "Hi there.", "yeah, hiya", "good morning!"])
      assert.ok(isGreetingOnly(t), t);
    for (const t of ["hello, my tap is leaking", "hi I need a plumber"])
      assert.ok(!isGreetingOnly(t), t);
  });

  it("hears a visit already booked, and a second job on top of it", () => {
    assert.ok(mentionsExistingBooking("can I move my appointment"));
    assert.ok(!mentionsExistingBooking("can I book an appointment"));
    assert.ok(asksForAnotherBooking("I'd like to book another visit"));
    assert.ok(!asksForAnotherBooking("what time are you coming"));
  });

  it("hears giving up and asking for a message apart", () => {
    assert.ok(wantsToStop("oh never mind"));
    assert.ok(!wantsToStop("the second one"));
    assert.ok(asksForMessage("can he call me back"));
    assert.ok(!asksForMessage("friday please"));
  });

  it("reads a safety answer with no yes or no in it", () => {
    assert.ok(soundsSafe("it's only a small drip"));
    assert.ok(!soundsSafe("water everywhere"));
  });

  it("finds the words where a name stands before the details, not a postcode's letters", () => {
    assert.equal(wordsBeforeDetails("it's Sam Patel, 12 Oak Road"), "Sam Patel");
    assert.equal(wordsBeforeDetails("BS6 5AB"), null);
    assert.equal(wordsBeforeDetails("Sam Patel"), null);
    assert.ok(looksLikeAddress("12 Oak Road"));
    assert.ok(looksLikeAddress("Oak Road"));
    assert.ok(!looksLikeAddress("Sam Patel"));
  });

  it("knows a day by its weekday, its date, or today and tomorrow, but not a clock time", () => {
    const friday3rd = { weekday: "friday", dayOfMonth: 3, daysFromToday: 1 };
    assert.ok(namesDay("the friday one", friday3rd));
    assert.ok(namesDay("the one on the 3rd", friday3rd));
    assert.ok(namesDay("tomorrow's", friday3rd));
    assert.ok(!namesDay("the one at 3:00", friday3rd));
    assert.ok(!namesDay("today's", friday3rd));
  });

  it("takes a full postcode only, typed or spelled", () => {
    assert.equal(fullPostcode("BS6 5AB"), "BS6 5AB");
    assert.equal(fullPostcode("BS6"), undefined);
  });
});
