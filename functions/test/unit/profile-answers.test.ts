import { strict as assert } from "node:assert";
import { answerFromProfile } from "../../src/domain/dialogue/profile-answers";
import { spoken } from "../../src/domain/dialogue/wording";
import { EMPTY_PROFILE } from "../../src/domain/business/business-profile";
import { aBusiness } from "../support/call-fixtures";

const seeded = aBusiness();
const say = (question: string, business = seeded) => answerFromProfile(question, business)?.say;

describe("answering from the business profile", () => {
  describe("with Bristol Plumbing's profile as seeded", () => {
    it("gives the call-out fee, and the out-of-hours one beside it", () => {
      assert.equal(say("how much is your call-out fee?"), spoken.callOutFee("£85", "£150"));
    });

    it("gives the out-of-hours fee when that is what is asked", () => {
      assert.equal(say("what do you charge out of hours"), spoken.callOutFeeOutOfHours("£150"));
    });

    it("gives a price range as stored, by the words a caller uses for the job", () => {
      assert.equal(
        say("how much to fix a dripping tap"),
        spoken.priceRange("A dripping tap repair", "£65", "£95"),
      );
      assert.equal(say("how much for a boiler service"), spoken.price("A boiler service", "£90"));
      assert.equal(say("how much is a bathroom quote"), spoken.priceFree("A bathroom quote"));
    });

    it("never prices a job it holds no price for, even one a service is booked for", () => {
      // "radiator" books a boiler visit, but the boiler service's price is not a radiator's.
      const answer = answerFromProfile("how much is a new radiator", seeded);
      assert.deepEqual(answer, { topic: "prices", say: null });
    });

    it("says the areas, the ways to pay and the accreditations", () => {
      assert.equal(
        say("do you cover bath?"),
        spoken.areasCovered("Bristol, Bath, Keynsham, Portishead and Clevedon"),
      );
      assert.equal(say("can I pay by card"), spoken.payBy("card, cash or bank transfer"));
      assert.equal(
        say("are you gas safe registered"),
        spoken.accreditations("Gas Safe registered and WaterSafe approved"),
      );
    });

    it("says so when asked for work the business does not do", () => {
      assert.equal(say("do you do electrical work"), spoken.notDone("electrical work"));
    });

    it("leaves questions about anything else to the rest of the dialogue", () => {
      assert.equal(answerFromProfile("what time do you open", seeded), null);
    });
  });

  describe("with nothing in the profile", () => {
    const bare = aBusiness({ profile: EMPTY_PROFILE });
    for (const question of [
      "how much is your call-out fee?",
      "how much to fix a dripping tap",
      "do you cover bath?",
      "can I pay by card",
      "are you gas safe registered",
    ]) {
      it(`invents nothing for "${question}"`, () => {
        const answer = answerFromProfile(question, bare);
        assert.ok(answer, "it knows what the question is about");
        assert.equal(answer.say, null);
      });
    }
  });
});
