import { strict as assert } from "node:assert";
import { secondReading, wantsSecondReading } from "../../src/app/second-reading";
import type { ModelReading, RulesReading } from "../../src/domain/nlu/model-reading";
import type {
  LanguageModel,
  UtteranceReading,
  UtteranceToRead,
} from "../../src/ports/language-model.port";
import { aBusiness } from "../support/call-fixtures";
import { RecordingLogger } from "../support/in-memory-outbox.store";

const OFFERS = ["2026-11-30T09:00:00.000Z"];

/** A model that answers as scripted and remembers what it was asked. */
class ScriptedModel implements LanguageModel {
  readonly asked: UtteranceToRead[] = [];
  constructor(private readonly answer: UtteranceReading) {}
  async read(request: UtteranceToRead): Promise<UtteranceReading> {
    this.asked.push(request);
    return this.answer;
  }
}

function reading(
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

function rules(overrides: Partial<RulesReading> = {}): RulesReading {
  return {
    intent: "unknown",
    emergencyKind: null,
    slots: {},
    offeredSlotIds: OFFERS,
    ...overrides,
  };
}

const ok = (r: ModelReading): UtteranceReading => ({ status: "ok", reading: r, latencyMs: 400 });

describe("a second reading of an unclear turn", () => {
  const business = aBusiness();
  const run = (utterance: string, rulesReading: RulesReading, model: LanguageModel) =>
    secondReading(
      { business, stage: "choosing-slot", utterance, rules: rulesReading },
      { model, logger: new RecordingLogger() },
    );

  it("never asks the model when the rules found an emergency", async () => {
    const model = new ScriptedModel(ok(reading({ intent: "book" })));
    const merged = await run(
      "pipe's burst",
      rules({ intent: "emergency", emergencyKind: "burst-pipe" }),
      model,
    );
    assert.equal(model.asked.length, 0);
    assert.equal(merged.emergencyKind, "burst-pipe");
  });

  it("does not ask about a short turn the rules understood", () => {
    assert.equal(
      wantsSecondReading("cancel my booking please", rules({ intent: "cancel" })),
      false,
    );
    assert.equal(wantsSecondReading("erm", rules()), true);
    assert.equal(wantsSecondReading("word ".repeat(25), rules({ intent: "book" })), true);
  });

  it("leaves a short answer to a detail question to the flow, but still reads a long one or an open one", () => {
    assert.equal(wantsSecondReading("sam patel", rules(), "collecting"), false);
    assert.equal(wantsSecondReading("yeah go on", rules(), "confirming-booking"), false);
    assert.equal(wantsSecondReading("sam patel", rules(), "awaiting-request"), true);
    assert.equal(wantsSecondReading("the one after lunch", rules(), "choosing-slot"), true);
    assert.equal(wantsSecondReading("word ".repeat(25), rules(), "collecting"), true);
  });

  it("asks with the business's settings, services and the offered ids, and merges the answer", async () => {
    const model = new ScriptedModel(ok(reading({ intent: "book" }, { chosenSlotId: OFFERS[0] })));
    const merged = await run("go on then the early one", rules(), model);
    assert.equal(model.asked.length, 1);
    assert.deepEqual(model.asked[0].offeredSlotIds, OFFERS);
    assert.deepEqual(
      model.asked[0].serviceIds,
      business.services.map((s) => s.id),
    );
    assert.deepEqual(model.asked[0].settings, business.languageModel);
    assert.equal(merged.intent, "book");
    assert.equal(merged.slots.chosenSlotId, OFFERS[0]);
  });

  it("keeps the rules' reading exactly when the model is unavailable", async () => {
    for (const reason of [
      "no-key",
      "timeout",
      "rate-limited",
      "overloaded",
      "refusal",
      "invalid-output",
    ] as const) {
      const model = new ScriptedModel({ status: "unavailable", reason, latencyMs: 2500 });
      const before = rules({ slots: { name: "Sarah Jones" } });
      const merged = await run("erm the thing", before, model);
      assert.deepEqual(
        merged,
        { intent: "unknown", emergencyKind: null, slots: { name: "Sarah Jones" }, modelAdded: [] },
        reason,
      );
    }
  });

  it("lets the model add an emergency the rules missed", async () => {
    const model = new ScriptedModel(
      ok(reading({ intent: "emergency", emergencyKind: "flooding" })),
    );
    const merged = await run("the kitchen's like a swimming pool", rules(), model);
    assert.equal(merged.intent, "emergency");
    assert.equal(merged.emergencyKind, "flooding");
  });
});
