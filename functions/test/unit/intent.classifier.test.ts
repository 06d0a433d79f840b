import { strict as assert } from "node:assert";
import { classifyUtterance, Intent, INTENTS } from "../../src/domain/nlu/intent.classifier";

const TABLE: Readonly<Record<Intent, readonly string[]>> = {
  book: [
    "I need a plumber",
    "can someone come and look at my boiler",
    "my tap's dripping",
    "I'd like to book a boiler service",
    "need someone to unblock my drain",
    "the toilet won't flush",
    "my radiators are cold",
    "there's a leak under the sink",
    "could you send someone round tomorrow",
    "I want a quote for a new bathroom",
    "the shower's not working",
    "my kitchen sink is blocked",
    "Hi, this is Sarah Jones at 14 Cotham Road BS6 6DR, my kitchen tap is dripping",
    "I'd like to book a boiler service, how much is it",
    "there's a damp patch on the ceiling from an old leak that's dried out",
  ],
  reschedule: [
    "can I move my appointment",
    "change the time",
    "I can't make Tuesday, can we do another day",
    "I need to reschedule",
    "can we push it back to next week",
    "I'd like to cancel and rebook for a different day",
    "is there a later time available",
    "i need to push back my appointment by a week",
    "could you bring the visit forward to tomorrow",
    "could we put it off till next week",
  ],
  cancel: [
    "cancel my appointment",
    "I don't need you to come anymore",
    "please cancel the booking",
    "we sorted it ourselves so you can call it off",
    "I no longer need the plumber",
    "Cancel.",
    "don't come tomorrow",
    "the flooding's sorted now the water company came so no need to come",
  ],
  question: [
    "what are your opening hours",
    "do you cover Clifton",
    "how much do you charge",
    "are you gas safe registered",
    "how much is a boiler service",
    "when are you open on Saturday",
    "do you take card?",
    "what areas do you cover",
    "what's your call out fee",
    "where are you based",
  ],
  human: [
    "can I speak to a person",
    "can I speak to the owner",
    "I want to talk to someone real",
    "operator",
    "Agent!",
    "put me through to Dave",
    "I don't want to talk to a robot",
    "human please",
    "can I talk to an actual human being",
    "is the owner around",
    "can i talk to your boss please",
    "can i speak to whoever's in charge",
  ],
  callback: ["can Dave ring me back", "could someone call me back please"],
  greeting: ["hello", "hi there"],
  repeat: ["what?", "sorry, can you say that again", "what's that", "pardon me"],
  unknown: ["", "   ", "asdf qwrtp zzxv", "hmm", "uh", "banana", "...", "12345"],
  emergency: [
    "my pipe has burst",
    "I can smell gas",
    "can I speak to someone, water is pouring through the ceiling",
    "cancel my appointment, the kitchen is flooding",
  ],
};

describe("intent classifier", () => {
  it("lists every intent it can return", () => {
    assert.deepEqual([...INTENTS].sort(), Object.keys(TABLE).sort());
  });

  for (const intent of INTENTS) {
    describe(`when the caller wants to ${intent}`, () => {
      for (const utterance of TABLE[intent]) {
        it(`reads "${utterance}" as ${intent}`, () => {
          assert.equal(classifyUtterance(utterance).intent, intent);
        });
      }
    });
  }

  describe("when the caller reports an emergency", () => {
    it("returns the detection alongside the intent", () => {
      const result = classifyUtterance("I think I can smell gas");
      assert.equal(result.intent, "emergency");
      assert.equal(result.emergency?.kind, "gas-smell");
    });

    it("checks the business's own phrases", () => {
      const result = classifyUtterance("the water tank overflowing again", {
        extraEmergencyPhrases: ["water tank overflowing"],
      });
      assert.equal(result.intent, "emergency");
      assert.equal(result.emergency?.kind, "custom");
    });

    it("leaves the emergency empty for ordinary requests", () => {
      const result = classifyUtterance("my tap's dripping");
      assert.equal(result.emergency, null);
    });

    it("does not treat a service question about emergencies as one", () => {
      assert.equal(classifyUtterance("do you deal with burst pipes?").intent, "question");
    });
  });

  describe("when the words are ones the rules were not written with", () => {
    const cases: readonly [string, Intent][] = [
      ["you've got me down for the ninth but that's no good any more", "reschedule"],
      ["ah cannae dae the morra can we make it the day efter", "reschedule"],
      ["i'd like to re jewel my appointment please", "reschedule"],
      ["divvent bother comin pet it's aal sorted", "cancel"],
      ["don't come out the insurance are sending their own plumber", "cancel"],
      ["we've found another plumber thanks", "cancel"],
      ["is this a robot i want a human", "human"],
      ["could he telephone me back", "callback"],
      ["is that the plumbers", "greeting"],
      ["sorry you're really quiet", "repeat"],
      ["is there a guarantee on the work", "question"],
      ["ballpark figure for a new combi", "question"],
      ["hi i'm calling from an energy company about your business rates", "unknown"],
      ["hello is that the vets", "unknown"],
      ["do you sell paint", "unknown"],
    ];
    for (const [text, intent] of cases) {
      it(`reads "${text}" as ${intent}`, () => {
        assert.equal(classifyUtterance(text, { ownerName: "Dave" }).intent, intent);
      });
    }

    it("keeps the hard negatives of those kinds apart", () => {
      assert.equal(classifyUtterance("do you sell boiler parts").intent, "question");
      assert.equal(
        classifyUtterance("i'm calling from the flat above about a leak").intent,
        "book",
      );
      assert.equal(classifyUtterance("we're cancelling the boiler service").intent, "cancel");
      assert.equal(classifyUtterance("leave it running while you come round").intent, "book");
    });
  });
});
