import { strict as assert } from "node:assert";
import {
  callerSpeechForModel,
  defaultLanguageModelSettings,
  languageModelSettingsSchema,
  MAX_UTTERANCE_CHARS,
  mergeModelReading,
  type ModelReading,
  modelReadingSchema,
  type RulesReading,
} from "../../src/domain/nlu/model-reading";
import { businessSchema } from "../../src/domain/business/business";
import { aBusiness } from "../support/call-fixtures";

const OFFERS = ["2026-11-30T09:00:00.000Z", "2026-11-30T13:00:00.000Z"];

function rules(overrides: Partial<RulesReading> = {}): RulesReading {
  return {
    intent: "unknown",
    emergencyKind: null,
    slots: {},
    offeredSlotIds: OFFERS,
    ...overrides,
  };
}

function model(
  overrides: Partial<ModelReading> = {},
  slots: Partial<ModelReading["slots"]> = {},
): ModelReading {
  return {
    intent: "book",
    emergencyKind: null,
    slots: {
      name: null,
      address: null,
      postcode: null,
      serviceId: null,
      timeWish: null,
      chosenSlotId: null,
      ...slots,
    },
    ...overrides,
  };
}

describe("merging the model's reading with the rules'", () => {
  describe("emergencies", () => {
    it("keeps the rules' emergency when the model says there is none", () => {
      const merged = mergeModelReading(
        rules({ intent: "emergency", emergencyKind: "burst-pipe" }),
        model({ intent: "book" }, { chosenSlotId: OFFERS[0] }),
      );
      assert.equal(merged.intent, "emergency");
      assert.equal(merged.emergencyKind, "burst-pipe");
      assert.equal(merged.slots.chosenSlotId, undefined);
      assert.deepEqual(merged.modelAdded, []);
    });

    it("keeps the rules' kind when the model names another", () => {
      const merged = mergeModelReading(
        rules({ intent: "emergency", emergencyKind: "gas-smell" }),
        model({ intent: "emergency", emergencyKind: "flooding" }),
      );
      assert.equal(merged.emergencyKind, "gas-smell");
    });

    it("adds an emergency the rules missed", () => {
      const merged = mergeModelReading(
        rules({ intent: "book" }),
        model({ intent: "emergency", emergencyKind: "water-on-electrics" }),
      );
      assert.equal(merged.intent, "emergency");
      assert.equal(merged.emergencyKind, "water-on-electrics");
      assert.deepEqual(merged.modelAdded, ["emergency"]);
    });

    it("adds nothing when the model says emergency without naming a kind", () => {
      const merged = mergeModelReading(rules({ intent: "book" }), model({ intent: "emergency" }));
      assert.equal(merged.intent, "book");
      assert.equal(merged.emergencyKind, null);
    });
  });

  describe("intents", () => {
    it("takes the model's intent only when the rules had none", () => {
      assert.equal(mergeModelReading(rules(), model({ intent: "cancel" })).intent, "cancel");
      assert.equal(
        mergeModelReading(rules({ intent: "book" }), model({ intent: "cancel" })).intent,
        "book",
      );
    });
  });

  describe("slots", () => {
    it("fills an offered time, and never one that was not offered", () => {
      assert.equal(
        mergeModelReading(rules(), model({}, { chosenSlotId: OFFERS[1] })).slots.chosenSlotId,
        OFFERS[1],
      );
      const invented = mergeModelReading(
        rules(),
        model({}, { chosenSlotId: "2026-11-30T03:00:00.000Z" }),
      );
      assert.equal(invented.slots.chosenSlotId, undefined);
      const none = mergeModelReading(
        rules({ offeredSlotIds: [] }),
        model({}, { chosenSlotId: OFFERS[0] }),
      );
      assert.equal(none.slots.chosenSlotId, undefined);
    });

    it("fills only what the rules left empty", () => {
      const merged = mergeModelReading(
        rules({ intent: "book", slots: { name: "Sarah Jones" } }),
        model({}, { name: "Sara Jonas", postcode: "BS6 5AB" }),
      );
      assert.deepEqual(merged.slots, { name: "Sarah Jones", postcode: "BS6 5AB" });
      assert.deepEqual(merged.modelAdded, ["postcode"]);
    });

    it("is the rules' reading unchanged when there is no model answer", () => {
      const before = rules({ intent: "book", slots: { name: "Sarah Jones" } });
      const merged = mergeModelReading(before, null);
      assert.deepEqual(merged, {
        intent: "book",
        emergencyKind: null,
        slots: { name: "Sarah Jones" },
        modelAdded: [],
      });
    });
  });

  describe("the answer's schema", () => {
    const schema = modelReadingSchema(OFFERS, ["boiler-service"]);
    it("accepts a well-formed answer", () => {
      assert.equal(
        schema.safeParse(model({}, { chosenSlotId: OFFERS[0], serviceId: "boiler-service" }))
          .success,
        true,
      );
    });
    it("refuses an id that was not offered, an unknown service and extra fields", () => {
      assert.equal(schema.safeParse(model({}, { chosenSlotId: "3am" })).success, false);
      assert.equal(schema.safeParse(model({}, { serviceId: "free-boiler" })).success, false);
      assert.equal(schema.safeParse({ ...model(), price: 0 }).success, false);
    });
    it("allows no time at all when nothing was offered", () => {
      const noOffers = modelReadingSchema([], []);
      assert.equal(noOffers.safeParse(model()).success, true);
      assert.equal(noOffers.safeParse(model({}, { chosenSlotId: OFFERS[0] })).success, false);
    });
  });
});

describe("caller speech handed to a model", () => {
  it("loses invisible and control characters and keeps the words", () => {
    assert.equal(
      callerSpeechForModel("book\u200b me\u202e in\u{E0041}\u{E0042} \n\tplease\u0000"),
      "book me in please",
    );
  });
  it("is bounded", () => {
    assert.equal(callerSpeechForModel("a ".repeat(2000)).length, MAX_UTTERANCE_CHARS);
  });
});

describe("the model settings of a business", () => {
  it("default to a small model within the 2.5 s budget", () => {
    assert.deepEqual(defaultLanguageModelSettings(), {
      enabled: true,
      model: "claude-haiku-4-5",
      budgetMs: 2500,
      maxTokens: 300,
    });
    assert.deepEqual(aBusiness().languageModel, defaultLanguageModelSettings());
  });
  it("refuse a budget above 2.5 s", () => {
    assert.equal(languageModelSettingsSchema.safeParse({ budgetMs: 5000 }).success, false);
    const bad = { ...aBusiness(), languageModel: { budgetMs: 10_000 } };
    assert.equal(businessSchema.safeParse(bad).success, false);
  });
});
