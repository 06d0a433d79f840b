import { strict as assert } from "node:assert";
import { standardiseEverydayWords } from "../../src/domain/nlu/everyday-spellings";

describe("everyday words in dialect and casual spellings", () => {
  const cases: readonly [string, string][] = [
    ["ah cannae dae the morra", "ah can't do tomorrow"],
    ["divvent bother comin pet it's aal sorted", "don't bother coming pet it's all sorted"],
    ["d'you lot do bathrooms", "do you lot do bathrooms"],
    ["do ya cover bath", "do you cover bath"],
    ["i'm gonna be away", "i'm going to be away"],
    ["can we make it the day efter", "can we make it the day after"],
    ["me boiler's playing up", "my boiler's playing up"],
    ["can u ring me", "can you ring me"],
    ["ow bist", "how are you"],
    ["um do you like do student houses", "um do you do student houses"],
    ["can you come the day", "can you come today"],
  ];
  for (const [heard, meant] of cases) {
    it(`reads "${heard}" as "${meant}"`, () => {
      assert.equal(standardiseEverydayWords(heard), meant);
    });
  }

  it("leaves the same words alone where they mean something else", () => {
    for (const text of [
      "the day after tomorrow",
      "give me a ring",
      "i'd like a plumber",
      "the water's like a river",
      "aw that's a shame",
      "the cabin's cold",
      "u bend is leaking",
    ]) {
      assert.equal(standardiseEverydayWords(text), text);
    }
  });
});
