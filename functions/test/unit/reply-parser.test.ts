import { strict as assert } from "node:assert";
import { parseReply, SmsReply } from "../../src/domain/sms/reply-parser";

const plain = { optedOut: false, offerCount: 0 };

function kinds(table: readonly string[], context = plain): Record<string, SmsReply["kind"]> {
  return Object.fromEntries(table.map((text) => [text, parseReply(text, context).kind]));
}

function expectAll(table: readonly string[], kind: SmsReply["kind"], context = plain): void {
  const got = kinds(table, context);
  const wrong = Object.entries(got).filter(([, k]) => k !== kind);
  assert.deepEqual(wrong, [], `expected ${kind} for every one of these`);
}

describe("reading a customer's text", () => {
  describe("when it is a carrier keyword on its own", () => {
    it("is an opt-out for STOP, CANCEL and the other opt-out words, however written", () => {
      expectAll(
        ["STOP", "stop", "Stop.", " STOPALL ", "unsubscribe", "CANCEL", "end", "Quit!"],
        "opt-out",
      );
    });

    it("keeps the word, so a lone CANCEL can be told apart", () => {
      assert.deepEqual(parseReply("cancel", plain), { kind: "opt-out", word: "CANCEL" });
    });

    it("is an opt-in for START and UNSTOP", () => {
      expectAll(["START", "start", "Unstop"], "opt-in");
    });

    it("is help for HELP and INFO", () => {
      expectAll(["HELP", "help?", "info"], "help");
    });

    it("reads YES as opting back in when the customer had opted out", () => {
      assert.deepEqual(parseReply("YES", { optedOut: true, offerCount: 0 }), {
        kind: "opt-in",
        word: "YES",
      });
    });

    it("reads YES as a confirmation when the customer gets our texts", () => {
      assert.deepEqual(parseReply("YES", plain), { kind: "confirm" });
    });
  });

  describe("when the customer confirms", () => {
    it("understands the many ways people say yes", () => {
      expectAll(
        [
          "yes please",
          "Y",
          "y",
          "yep",
          "Yeah that's fine",
          "👍",
          "👍🏽",
          "✅",
          "confirm",
          "Confirmed",
          "ok see you then",
          "OK",
          "ok thanks",
          "Sounds good",
          "Perfect, see you Thursday",
          "no problem, see you then",
          "No worries see you tomorrow",
          "1",
          "I'll be in",
          "Will be there",
          "lovely thank you",
        ],
        "confirm",
      );
    });
  });

  describe("when the customer cannot make it", () => {
    it("reads a cancellation", () => {
      expectAll(
        [
          "NO",
          "no",
          "n",
          "Nope",
          "no can't make it",
          "2",
          "cancel the appointment",
          "Please cancel",
          "can you cancel it please",
          "I can't make it sorry",
          "won't be home, sorry",
          "don't need it any more, it's sorted",
          "No thanks",
          "We fixed it ourselves, don't come",
        ],
        "cancel",
      );
    });
  });

  describe("when the customer wants another time", () => {
    it("reads a reschedule", () => {
      expectAll(
        [
          "3",
          "can we do Friday instead",
          "different time please",
          "Could we make it next week?",
          "Can I reschedule?",
          "Yes but can we move it to the afternoon",
          "no, how about Thursday",
          "Is there anything later in the week",
          "that day doesn't work for me",
          "any chance of an earlier slot?",
          "none of those, sorry",
        ],
        "reschedule",
      );
    });

    it("keeps the day they asked for", () => {
      assert.deepEqual(parseReply("can we do Friday instead", plain), {
        kind: "reschedule",
        preference: "friday",
      });
      assert.deepEqual(parseReply("how about Thursday afternoon?", plain), {
        kind: "reschedule",
        preference: "thursday afternoon",
      });
    });
  });

  describe("when times are on offer", () => {
    const offering = { optedOut: false, offerCount: 3 };

    it("reads a number or an ordinal as the time chosen", () => {
      assert.deepEqual(parseReply("2", offering), { kind: "choose", index: 1 });
      assert.deepEqual(parseReply("1", offering), { kind: "choose", index: 0 });
      assert.deepEqual(parseReply("the third one please", offering), { kind: "choose", index: 2 });
      assert.deepEqual(parseReply("Option 3", offering), { kind: "choose", index: 2 });
    });

    it("does not read a number beyond the offers as a choice", () => {
      assert.notEqual(parseReply("5", offering).kind, "choose");
    });

    it("still reads STOP as an opt-out", () => {
      assert.equal(parseReply("STOP", offering).kind, "opt-out");
    });
  });

  describe("when the text is thanks or something else", () => {
    it("reads thanks as nothing to do", () => {
      expectAll(["Thanks", "thank you", "Cheers", "ta", "Thanks very much"], "thanks");
    });

    it("leaves anything else unclear, for the owner", () => {
      expectAll(
        [
          "What time will you arrive?",
          "Is it Dave coming?",
          "Can you bring a new washer for the tap",
          "the gate code is 1234",
          "",
          "   ",
          "🙂🙂🙂 hello",
          "4",
        ],
        "unclear",
      );
    });

    it("does not take a sentence containing STOP for the keyword", () => {
      assert.equal(parseReply("please stop the tap dripping", plain).kind, "unclear");
    });
  });
});
