import { strict as assert } from "node:assert";
import {
  assessEmergency,
  confirmedEmergency,
  detectEmergency,
} from "../../src/domain/emergency/emergency.classifier";
import { EmergencyKind, SAFETY_QUESTIONS } from "../../src/domain/emergency/emergency-rules";
import { classifyUtterance } from "../../src/domain/nlu/intent.classifier";

/** Phrasings written for these tests, not taken from the corpus, to show the rules generalise. */
const FAILURE_KINDS: Readonly<Record<string, readonly [string, EmergencyKind][]>> = {
  "water reaching electrics, with any preposition": [
    ["water is running onto the plug socket by the fridge", "water-on-electrics"],
    ["it's leaking into the consumer unit", "water-on-electrics"],
    ["the leak's dripping over the light switch on the landing", "water-on-electrics"],
    ["there's water trickling down the wall behind the sockets", "water-on-electrics"],
    ["water's getting in the downlights in the kitchen", "water-on-electrics"],
  ],
  "heavy leaks from a boiler, cylinder or water heater": [
    ["the boiler's pissing water out the bottom like mad", "burst-pipe"],
    ["the cylinder is leaking badly all over the airing cupboard", "burst-pipe"],
    ["our water heater is leaking loads", "burst-pipe"],
    ["the combi is dumping water everywhere", "burst-pipe"],
  ],
  "vague active escapes": [
    ["it's spurting out from behind the toilet", "burst-pipe"],
    ["it just keeps gushing and i can't get it to stop", "burst-pipe"],
    ["it's pumping out under the kitchen units", "burst-pipe"],
  ],
  "drains, toilets and the loo backing up": [
    ["the drains have backed up and it's coming up the plughole", "sewage-backup"],
    ["the downstairs loo's overflowing", "sewage-backup"],
    ["filthy water is coming up out of the shower", "sewage-backup"],
  ],
  "a burst main outside": [
    ["the main outside our house has burst", "burst-pipe"],
    ["water is gushing up from the pavement by our gate", "burst-pipe"],
  ],
  "speech-recognition slips and UK words": [
    ["the sealing's caving in", "water-through-ceiling"],
    ["water's poring through the kitchen sealing", "water-through-ceiling"],
    ["pipe's bust in the airing cupboard", "burst-pipe"],
    ["the stop tap won't turn and it's pouring out", "burst-pipe"],
  ],
};

const NOT_EMERGENCIES: readonly string[] = [
  "the pipe burst in march but the plumber fixed it",
  "my neighbour's sorted the leak so you can cancel friday",
  "no it's not pouring it's just a drip",
  "what should i do if water gets into the fuse box",
  "how much is it to move a consumer unit",
  "i need sealing around the bath redone",
  "the council are digging up the road outside",
  "my car tyre's burst so i'll be late",
  "we were flooded with calls this morning",
  "the co alarm keeps chirping, i think it's the battery",
  "the boiler had a leak last year and it's been fine since",
  "do you fix leaking cylinders",
  "it's pouring with rain and the gutter's overflowing",
  "the water softener's leaking a little bit",
];

describe("understanding emergencies as callers describe them", () => {
  for (const [failureKind, cases] of Object.entries(FAILURE_KINDS)) {
    describe(failureKind, () => {
      for (const [utterance, kind] of cases) {
        it(`raises "${utterance}" as ${kind}`, () => {
          assert.equal(detectEmergency(utterance)?.kind, kind);
        });
      }
    });
  }

  describe("hard negatives", () => {
    for (const utterance of NOT_EMERGENCIES) {
      it(`raises no alarm for "${utterance}"`, () => {
        assert.equal(detectEmergency(utterance), null);
      });
    }
  });

  describe("a problem already fixed", () => {
    it("raises no alarm and keeps the cancellation the caller wanted", () => {
      const result = classifyUtterance(
        "the ceiling was pouring on sunday but the roofer's fixed it, so please scrap tuesday's visit",
      );
      assert.equal(result.emergency, null);
      assert.equal(result.intent, "cancel");
    });

    it("still alarms when the caller says it is happening again", () => {
      assert.equal(
        detectEmergency("the plumber fixed it last week but the pipe has burst again")?.kind,
        "burst-pipe",
      );
      assert.equal(
        detectEmergency("they sorted the leak but water's still pouring through the ceiling")?.kind,
        "water-through-ceiling",
      );
    });

    it("does not read a request to fix something as a fix", () => {
      assert.equal(
        detectEmergency("my pipe has burst can you get it fixed today")?.kind,
        "burst-pipe",
      );
    });
  });
});

describe("the safety question when the signals are partial", () => {
  const question = (kind: EmergencyKind): string =>
    SAFETY_QUESTIONS.find((q) => q.kind === kind)?.question ?? "";

  const PARTIAL: readonly [string, EmergencyKind][] = [
    ["there's water on the landing carpet", "burst-pipe"],
    ["the boiler's leaking", "burst-pipe"],
    ["the cylinder in the airing cupboard is leaking", "burst-pipe"],
    ["there's a weird smell near the cooker", "gas-smell"],
    ["the boiler smells funny", "gas-smell"],
    ["some alarm is beeping in the hallway", "carbon-monoxide"],
    ["something keeps beeping by the boiler", "carbon-monoxide"],
  ];
  for (const [utterance, kind] of PARTIAL) {
    it(`asks about "${utterance}" and names what a yes means`, () => {
      const { detection, safetyCheck } = assessEmergency(utterance);
      assert.equal(detection, null);
      assert.equal(safetyCheck?.kind, kind);
      assert.equal(safetyCheck?.question, question(kind));
    });
  }

  // Partial signals said without the key words: each kind asks its own question.
  const PARTIAL_IN_OTHER_WORDS: readonly [string, EmergencyKind][] = [
    ["it's blasting out by the toilet", "burst-pipe"],
    ["the kitchen floor is all water", "burst-pipe"],
    ["the wet patch is getting bigger by the door", "burst-pipe"],
    ["water's trickling along the coving", "burst-pipe"],
    ["there's a bit of a jet coming out of the joint and it's getting worse", "burst-pipe"],
    ["the meter cupboard reeks", "gas-smell"],
    ["the detector in the hall won't shut up it's going mental", "carbon-monoxide"],
    ["we all feel sick and the flame on the boiler's gone orange", "carbon-monoxide"],
    ["there's filthy water in the shower tray and it's not ours", "sewage-backup"],
    ["the loo keeps bringing stuff back up", "sewage-backup"],
    ["the taps are bone dry all of them", "no-water"],
    ["not the battery one it's the full alarm going continuous", "carbon-monoxide"],
    ["the combi's locked out and i'm eight months pregnant", "no-heating-vulnerable"],
  ];
  for (const [utterance, kind] of PARTIAL_IN_OTHER_WORDS) {
    it(`asks the ${kind} question for "${utterance}"`, () => {
      const { detection, safetyCheck } = assessEmergency(utterance);
      assert.equal(detection, null);
      assert.equal(safetyCheck?.kind, kind);
      assert.equal(safetyCheck?.question, question(kind));
    });
  }

  it("asks nothing for those kinds when they are denied, past, a spill of tap water or the rain", () => {
    for (const utterance of [
      "the floor isn't wet any more it's all sorted",
      "the rain's pouring down the wall from the gutter",
      "brown water's coming out of the cold tap",
      "the outside tap has stopped working",
      "should i have a carbon monoxide alarm",
      "i'm sick of the boiler breaking down",
      "i've got a headache can you ring me back about the boiler quote",
      "the boiler's broken can you come and look",
    ]) {
      const { detection, safetyCheck } = assessEmergency(utterance);
      assert.equal(detection, null, utterance);
      assert.equal(safetyCheck, null, utterance);
    }
  });

  it("raises no alarm for an emergency named only as paperwork, a booking, a road or a spill", () => {
    for (const utterance of [
      "get me the owner please it's about the burst pipe invoice",
      "the flood damage survey on the tenth can we move it",
      "can someone ring me about the flood insurance report",
      "the dog's knocked his water bowl all over the floor",
      "i'm ringing about the flooding on the main road",
      "the lady across the road has had a burst pipe",
      "we had a burst pipe last winter please lag the loft before it turns cold again",
    ]) {
      assert.equal(detectEmergency(utterance), null, utterance);
    }
    // ...but the same words with the problem going on now still alarm.
    assert.equal(
      detectEmergency("the burst pipe job you did is leaking again and pouring through the ceiling")
        ?.kind !== undefined,
      true,
    );
  });

  it("asks the two questions the receptionist is known for", () => {
    assert.equal(question("burst-pipe"), "Is water coming out right now that you can't stop?");
    assert.equal(question("carbon-monoxide"), "Is a carbon monoxide alarm going off?");
  });

  it("never delays a clear emergency with a question", () => {
    for (const utterance of [
      "the boiler's leaking like mad",
      "I can smell gas by the cooker",
      "the carbon monoxide alarm is beeping",
    ]) {
      const { detection, safetyCheck } = assessEmergency(utterance);
      assert.ok(detection, utterance);
      assert.equal(safetyCheck, null, utterance);
    }
  });

  it("does not ask about small, named or denied signals", () => {
    for (const utterance of [
      "there's a slow drip from the boiler",
      "the radiator is weeping a little bit",
      "the smoke alarm is beeping",
      "the co alarm is beeping because the battery's low",
      "there's no smell near the cooker",
      "my kitchen tap is dripping",
      "there's a smell from the drains",
      "the boiler leaked last year",
    ]) {
      assert.equal(assessEmergency(utterance).safetyCheck, null, utterance);
    }
  });

  it("keeps the caller's request alongside the question", () => {
    const result = classifyUtterance("the boiler's leaking can someone come and look at it");
    assert.equal(result.emergency, null);
    assert.equal(result.intent, "book");
    assert.equal(result.safetyCheck?.kind, "burst-pipe");
  });

  it("turns a yes into the emergency the question was about, in the caller's words", () => {
    const check = assessEmergency("the boiler's leaking").safetyCheck;
    assert.ok(check);
    const emergency = confirmedEmergency(check.kind, "the boiler's leaking");
    assert.equal(emergency.kind, "burst-pipe");
    assert.equal(emergency.label, "Burst pipe or uncontrolled water");
    assert.match(emergency.safetyAdvice, /stopcock/);
    assert.equal(emergency.matched, "the boiler's leaking");
  });

  it("still escalates a yes whose kind it no longer knows, with the general water advice", () => {
    const emergency = confirmedEmergency("retired-kind", "the tank's leaking");
    assert.equal(emergency.kind, "custom");
    assert.match(emergency.safetyAdvice, /stopcock/);
  });
});
