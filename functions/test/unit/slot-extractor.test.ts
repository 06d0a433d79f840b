import { strict as assert } from "node:assert";
import type { Service } from "../../src/domain/business/business";
import {
  ExtractedSlots,
  extractSlots,
  parseOrdinalChoice,
  parseYesNo,
} from "../../src/domain/nlu/slot-extractor";

/** The demo tenant's services, as in emulator-data/seed/bristol-plumbing.json. */
const SERVICES: readonly Service[] = [
  {
    id: "dripping-tap",
    name: "Dripping tap repair",
    durationMinutes: 60,
    keywords: ["tap", "dripping", "drip", "faucet", "mixer"],
  },
  {
    id: "boiler-service",
    name: "Boiler service",
    durationMinutes: 90,
    keywords: ["boiler", "annual service", "heating", "radiator", "combi"],
  },
  {
    id: "drain-unblock",
    name: "Drain unblock",
    durationMinutes: 60,
    keywords: [
      "drain",
      "blocked",
      "blockage",
      "unblock",
      "sink won't drain",
      "clogged",
      "toilet blocked",
    ],
  },
  {
    id: "bathroom-quote",
    name: "Bathroom quote",
    durationMinutes: 45,
    keywords: ["bathroom", "quote", "estimate", "refit", "new suite", "shower install"],
  },
  {
    id: "assessment",
    name: "Plumbing assessment",
    durationMinutes: 60,
    keywords: ["leak", "pipe", "toilet", "cistern", "pressure", "noise"],
  },
];

const slots = (utterance: string): ExtractedSlots => extractSlots(utterance, SERVICES);

describe("slot extraction", () => {
  describe("when the caller gives several details in one breath", () => {
    it("extracts the name, address, postcode, service and problem together", () => {
      assert.deepEqual(
        slots("Hi, this is Sarah Jones at 14 Cotham Road BS6 6DR, my kitchen tap is dripping"),
        {
          name: "Sarah Jones",
          address: "14 Cotham Road BS6 6DR",
          postcode: "BS6 6DR",
          serviceId: "dripping-tap",
          problem: "my kitchen tap is dripping",
        },
      );
    });

    it("extracts an address with a town, a phone number and a name", () => {
      const result = slots(
        "my name is john smith, I live at 12 Acacia Avenue, Bristol BS6 5AB and my number is 07700 900123",
      );
      assert.equal(result.name, "John Smith");
      assert.equal(result.address, "12 Acacia Avenue, Bristol BS6 5AB");
      assert.equal(result.postcode, "BS6 5AB");
      assert.equal(result.phone, "07700900123");
    });

    it("keeps a flat number in the address", () => {
      const result = slots(
        "the address is Flat 2, 41 Whiteladies Road, Bristol BS8 2LS and my phone is +44 (0)7700-900123",
      );
      assert.equal(result.address, "Flat 2, 41 Whiteladies Road, Bristol BS8 2LS");
      assert.equal(result.phone, "+447700900123");
      assert.equal(result.postcode, "BS8 2LS");
    });
  });

  describe("names", () => {
    const NAMES: ReadonlyArray<readonly [string, string | undefined]> = [
      ["my name is Sarah Jones", "Sarah Jones"],
      ["my name's dave", "Dave"],
      ["it's Dave here, the sink's blocked", "Dave"],
      ["this is Priya Shah speaking", "Priya Shah"],
      ["I'm Tom Okafor", "Tom Okafor"],
      ["Hi I'm Margaret, I'm calling about my boiler", "Margaret"],
      ["my name is Siobhan O'Brien-Kelly", "Siobhan O'Brien-Kelly"],
      ["I'm calling about my boiler", undefined],
      ["I'm ringing because the tap is dripping", undefined],
      ["this is urgent, my toilet is blocked", undefined],
      ["it's the kitchen tap", undefined],
      ["I'm not sure what's wrong", undefined],
    ];
    for (const [utterance, name] of NAMES) {
      it(`reads ${name ?? "no name"} from "${utterance}"`, () => {
        assert.equal(slots(utterance).name, name);
      });
    }
  });

  describe("addresses and postcodes", () => {
    it("reads an address given after 'I live at'", () => {
      assert.equal(
        slots("I live at Rose Cottage, Church Lane, Long Ashton. The toilet keeps running").address,
        "Rose Cottage, Church Lane, Long Ashton",
      );
    });

    it("reads a lower-case transcribed address with its town and postcode", () => {
      const result = slots("14 cotham road bristol bs6 6dr");
      assert.equal(result.address, "14 cotham road bristol bs6 6dr");
      assert.equal(result.postcode, "BS6 6DR");
    });

    it("reads a postcode without its space", () => {
      assert.equal(slots("it's BS66DR").postcode, "BS6 6DR");
    });

    it("reads a postcode spelled out after 'postcode'", () => {
      assert.equal(slots("my postcode is b s six six d r").postcode, "BS6 6DR");
    });

    it("reads an outward code on its own or after 'in'", () => {
      assert.equal(slots("BS6").postcode, "BS6");
      assert.equal(slots("I'm in BS7").postcode, "BS7");
      assert.equal(slots("the postcode is SW1A").postcode, "SW1A");
    });

    it("does not read ordinary words and times as postcodes", () => {
      assert.equal(slots("come at 5 pm please").postcode, undefined);
      assert.equal(slots("my tap has been dripping for 2 weeks").postcode, undefined);
      assert.equal(slots("flat 4 QQ1 1AA").postcode, undefined);
    });

    it("does not invent an address from a bare number", () => {
      assert.equal(slots("I've had it for 3 years").address, undefined);
    });
  });

  describe("phone numbers", () => {
    const PHONES: ReadonlyArray<readonly [string, string | undefined]> = [
      ["my number is 07700 900123", "07700900123"],
      ["it's 0117-946-0123", "01179460123"],
      ["+44 7700 900 123", "+447700900123"],
      ["oh seven seven oh oh nine oh oh one two three", "07700900123"],
      ["you can reach me on oh seven seven double oh nine double oh one two three", "07700900123"],
      ["zero one one seven nine four six zero one two three", "01179460123"],
      ["oh I forgot, the tap drips", undefined],
      ["14 Cotham Road", undefined],
      ["I'm free 2 till 4", undefined],
    ];
    for (const [utterance, phone] of PHONES) {
      it(`reads ${phone ?? "no number"} from "${utterance}"`, () => {
        assert.equal(slots(utterance).phone, phone);
      });
    }
  });

  describe("services", () => {
    const SERVICE_CASES: ReadonlyArray<readonly [string, string | undefined]> = [
      ["my tap keeps dripping", "dripping-tap"],
      ["the kitchen mixer tap drips", "dripping-tap"],
      ["boiler needs its annual service", "boiler-service"],
      ["can you service my combi", "boiler-service"],
      ["sink's blocked", "drain-unblock"],
      ["drain blocked", "drain-unblock"],
      ["the toilet's blocked", "drain-unblock"],
      ["my sink won't drain", "drain-unblock"],
      ["I'd like a quote for a new bathroom", "bathroom-quote"],
      ["there's a leak from a pipe under the floor", "assessment"],
      ["what are your opening hours", undefined],
      ["", undefined],
    ];
    for (const [utterance, serviceId] of SERVICE_CASES) {
      it(`maps "${utterance}" to ${serviceId ?? "no service"}`, () => {
        assert.equal(slots(utterance).serviceId, serviceId);
      });
    }

    it("finds nothing when the business has no services to match", () => {
      assert.equal(extractSlots("my tap keeps dripping", []).serviceId, undefined);
    });
  });

  describe("problem description", () => {
    it("keeps the caller's words for the problem, without greetings", () => {
      assert.equal(
        slots("Hello, yeah, the bathroom sink is blocked").problem,
        "the bathroom sink is blocked",
      );
    });

    it("joins several problems", () => {
      assert.equal(
        slots("the tap drips and the toilet won't flush").problem,
        "the tap drips; the toilet won't flush",
      );
    });

    it("leaves the problem out when none is described", () => {
      assert.equal(slots("my name is Sarah Jones").problem, undefined);
      assert.equal(slots("can I speak to Dave").problem, undefined);
    });

    it("keeps long descriptions short", () => {
      const problem = slots(`the tap is dripping ${"very ".repeat(60)}badly`).problem ?? "";
      assert.ok(problem.length <= 160, `${problem.length} characters`);
    });
  });

  it("returns nothing for silence", () => {
    assert.deepEqual(slots("   "), {});
  });
});

describe("yes/no answers", () => {
  const ANSWERS: ReadonlyArray<readonly [string, "yes" | "no" | null]> = [
    ["yes", "yes"],
    ["Yeah.", "yes"],
    ["yep", "yes"],
    ["that's right", "yes"],
    ["correct", "yes"],
    ["sounds good", "yes"],
    ["perfect", "yes"],
    ["please do", "yes"],
    ["yes please", "yes"],
    ["no problem", "yes"],
    ["yeah no worries", "yes"],
    ["no", "no"],
    ["nope", "no"],
    ["that's wrong", "no"],
    ["not quite", "no"],
    ["that's not right", "no"],
    ["no that's fine", "no"],
    ["No, that's fine, thanks", "no"],
    ["no thanks", "no"],
    ["I don't know", null],
    ["hmm", null],
    ["", null],
    ["what was the date again", null],
  ];
  for (const [utterance, answer] of ANSWERS) {
    it(`reads "${utterance}" as ${answer ?? "neither"}`, () => {
      assert.equal(parseYesNo(utterance), answer);
    });
  }
});

describe("choosing one of the offered options", () => {
  const CHOICES: ReadonlyArray<readonly [string, number | null]> = [
    ["the first one", 0],
    ["First.", 0],
    ["second", 1],
    ["the 2nd one please", 1],
    ["number 3", 2],
    ["number three", 2],
    ["option two", 1],
    ["the last one", 2],
    ["the middle one", 1],
    ["two", 1],
    ["3", 2],
    ["the first, no actually the second", 1],
    ["the fourth one", null],
    ["number 0", null],
    ["none of them", null],
    ["", null],
  ];
  for (const [utterance, index] of CHOICES) {
    it(`reads "${utterance}" as ${index === null ? "no choice" : `option ${index}`} of three`, () => {
      assert.equal(parseOrdinalChoice(utterance, 3), index);
    });
  }

  it("has no middle when the count is even and no choice when nothing was offered", () => {
    assert.equal(parseOrdinalChoice("the middle one", 4), null);
    assert.equal(parseOrdinalChoice("the first one", 0), null);
  });

  it("maps 'the last one' to the final offer whatever the count", () => {
    assert.equal(parseOrdinalChoice("the last one", 5), 4);
  });
});
