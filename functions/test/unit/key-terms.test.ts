import { strict as assert } from "node:assert";
import {
  canonicaliseKeyTerms,
  KEY_TERMS,
  nearMissOf,
  soundKey,
} from "../../src/domain/nlu/key-terms";

describe("key terms as a speech recogniser mishears them", () => {
  describe("word families and UK words", () => {
    const cases: readonly [string, string][] = [
      ["the loo is blocked", "the toilet is blocked"],
      ["the loo's overflowing", "the toilet's overflowing"],
      ["i can't find the stop tap", "i can't find the stopcock"],
      ["the combi's leaking", "the boiler's leaking"],
      ["the hot water tank is leaking", "the cylinder is leaking"],
      ["the sewerage is coming up", "the sewage is coming up"],
      ["we've got a bursted pipe", "we've got a burst pipe"],
      ["i can smell gass", "i can smell gas"],
      ["can i re schedule", "can i reschedule"],
    ];
    for (const [heard, meant] of cases) {
      it(`reads "${heard}" as "${meant}"`, () => {
        assert.equal(canonicaliseKeyTerms(heard), meant);
      });
    }
  });

  describe("homophones that are real words too", () => {
    it("reads sealing as ceiling where a ceiling is meant", () => {
      assert.equal(canonicaliseKeyTerms("water through the sealing"), "water through the ceiling");
      assert.equal(canonicaliseKeyTerms("the sealing is dripping"), "the ceiling is dripping");
      assert.equal(
        canonicaliseKeyTerms("the kitchen sealing's leaking"),
        "the kitchen ceiling's leaking",
      );
    });

    it("leaves sealing alone where sealing is meant", () => {
      for (const text of [
        "i need sealing around the bath",
        "can you do the sealing round the shower",
        "the sealing strip has come off",
        "sealing the bath",
      ]) {
        assert.equal(canonicaliseKeyTerms(text), text);
      }
    });

    it("reads council as cancel before what is being cancelled, never the council itself", () => {
      assert.equal(
        canonicaliseKeyTerms("can you council my appointment"),
        "can you cancel my appointment",
      );
      assert.equal(canonicaliseKeyTerms("i want to council it"), "i want to cancel it");
      assert.equal(
        canonicaliseKeyTerms("the council are digging up the road"),
        "the council are digging up the road",
      );
      assert.equal(canonicaliseKeyTerms("the council my landlord"), "the council my landlord");
    });
  });

  describe("near-misses", () => {
    it("corrects a word one edit from a key term that sounds the same", () => {
      assert.equal(nearMissOf("cancell"), "cancel");
      assert.equal(nearMissOf("reschedul"), "reschedule");
      assert.equal(nearMissOf("floding"), "flooding");
      assert.equal(nearMissOf("leakng"), "leaking");
      assert.equal(nearMissOf("ceilling"), "ceiling");
    });

    it("leaves real words that are near a key term but sound different", () => {
      for (const word of [
        "flooring",
        "floored",
        "looking",
        "boring",
        "licking",
        "pushing",
        "praying",
        "cancer",
      ]) {
        assert.equal(nearMissOf(word), null, word);
      }
    });

    it("hears a consonant the recogniser dropped, a dropped g and a misheard past tense", () => {
      assert.equal(nearMissOf("burse"), "burst");
      assert.equal(nearMissOf("porin"), "pouring");
      assert.equal(nearMissOf("leakin"), "leaking");
      assert.equal(nearMissOf("birsted"), "burst");
    });

    it("never swaps one consonant for another, or turns a base form's past tense into it", () => {
      assert.equal(nearMissOf("leaving"), null);
      assert.equal(nearMissOf("purring"), null);
      assert.equal(nearMissOf("flooded"), null);
    });

    it("leaves short words alone, where one edit is too much", () => {
      assert.equal(nearMissOf("bust"), null);
      assert.equal(nearMissOf("gap"), null);
    });

    it("hears a key term with a letter doubled or undoubled, however short", () => {
      assert.equal(nearMissOf("gass"), "gas");
      assert.equal(nearMissOf("smel"), "smell");
      assert.equal(nearMissOf("goes"), null);
    });

    it("hears the same consonants in the same places with the vowels misheard, and -id for -ed", () => {
      assert.equal(nearMissOf("berstid"), "burst");
      assert.equal(nearMissOf("fludded"), "flooded");
      assert.equal(nearMissOf("floodid"), "flooded");
      for (const word of ["folded", "filled", "spring", "purring", "peering"]) {
        assert.equal(nearMissOf(word), null, word);
      }
    });

    it("hears a short key term one letter off with the same sound, but leaves its longer forms", () => {
      assert.equal(nearMissOf("gaz"), "gas");
      assert.equal(nearMissOf("leek"), "leak");
      assert.equal(nearMissOf("pip"), "pipe");
      for (const word of ["goes", "guess", "lock", "look", "pope", "leaks", "pipes", "leaked"]) {
        assert.equal(nearMissOf(word), null, word);
      }
    });

    it("joins a key term written in two pieces, never a key term and a small word", () => {
      assert.equal(canonicaliseKeyTerms("the pipe has burs did"), "the pipe has burst");
      assert.equal(canonicaliseKeyTerms("the toy let is blocked"), "the toilet is blocked");
      assert.equal(
        canonicaliseKeyTerms("there's a leak in the ceiling"),
        "there's a leak in the ceiling",
      );
      assert.equal(
        canonicaliseKeyTerms("you can sell the old boiler"),
        "you can sell the old boiler",
      );
    });

    it("hears a spelling further off that sounds exactly the same, for terms checked against a word list", () => {
      assert.equal(nearMissOf("seeling"), "ceiling");
      assert.equal(nearMissOf("cealing"), "ceiling");
      assert.equal(nearMissOf("kansal"), "cancel");
      assert.equal(nearMissOf("cancil"), "cancel");
    });

    it("never turns an English word that sounds like a key term into it", () => {
      for (const word of [
        "selling",
        "sailing",
        "swelling",
        "conceal",
        "leaning",
        "lagging",
        "slender",
      ]) {
        assert.equal(nearMissOf(word), null, word);
      }
      // Terms with many same-sounding English words get no such reading: "boring" is not pouring.
      assert.equal(nearMissOf("bearing"), null);
    });
  });

  describe("homophones heard in context", () => {
    it("reads selling as ceiling through or from the ceiling, never the house for sale", () => {
      assert.equal(
        canonicaliseKeyTerms("water's pouring through the selling"),
        "water's pouring through the ceiling",
      );
      assert.equal(canonicaliseKeyTerms("we're selling the house"), "we're selling the house");
    });

    it("reads can sell as cancel before what is being cancelled", () => {
      assert.equal(canonicaliseKeyTerms("can sell my appointment"), "cancel my appointment");
      assert.equal(
        canonicaliseKeyTerms("you can sell the old boiler for scrap"),
        "you can sell the old boiler for scrap",
      );
    });
  });

  describe("the sound key", () => {
    it("hears soft c as s and drops vowels after the first letter", () => {
      assert.equal(soundKey("ceiling"), soundKey("sealing"));
      assert.equal(soundKey("cancel"), soundKey("council"));
      assert.equal(soundKey("pouring"), soundKey("poring"));
    });

    it("tells apart words whose consonants differ", () => {
      assert.notEqual(soundKey("flooding"), soundKey("flooring"));
      assert.notEqual(soundKey("burst"), soundKey("bust"));
      assert.notEqual(soundKey("gushing"), soundKey("pushing"));
    });

    it("gives every near-miss key term a key", () => {
      for (const term of KEY_TERMS.filter((t) => t.fuzzy)) {
        assert.ok(soundKey(term.canonical).length >= 2, term.canonical);
      }
    });
  });

  it("keeps punctuation and every other word, so clauses and negations still work", () => {
    assert.equal(
      canonicaliseKeyTerms("no, the loo's fine. but the sealing is dripping!"),
      "no, the toilet's fine. but the ceiling is dripping!",
    );
    assert.equal(canonicaliseKeyTerms(""), "");
  });
});
