import { strict as assert } from "node:assert";
import {
  accuracyOf,
  CorpusError,
  CorpusItem,
  falseAlarmRateOf,
  formatFigures,
  loadCorpus,
  parseCorpus,
  Prediction,
  recallOf,
  ruleClassifier,
  runEvaluation,
  splitOf,
  TARGETS,
} from "../../src/tools/nlu-eval";
import { FALLBACK_DEMO_TENANT, loadDemoTenant } from "../../src/tools/nlu-cli";

const HEADER = "text\tintent\temergency\tnotes\n";

/** A corpus where every line lands on the split asked for. */
function corpusOn(split: "development" | "held-out", rows: string[][]): CorpusItem[] {
  return parseCorpus(HEADER + rows.map((r) => r.join("\t")).join("\n")).map((item) => ({
    ...item,
    split,
  }));
}

describe("npm run eval", () => {
  describe("the development corpus", () => {
    const items = loadCorpus();

    it("holds at least 500 labelled utterances, about one in five held out by hash", () => {
      assert.ok(items.length >= 500, `only ${items.length} utterances`);
      const heldOut = items.filter((i) => i.split === "held-out").length;
      // Batches written with the rules keep only their development lines, so a little under one in five.
      assert.ok(
        heldOut / items.length > 0.12 && heldOut / items.length < 0.3,
        `${heldOut} held out`,
      );
    });

    it("covers every intent and every built-in emergency kind", () => {
      const intents = new Set(items.map((i) => i.intent));
      for (const intent of [
        "book",
        "reschedule",
        "cancel",
        "question",
        "emergency",
        "human",
        "callback",
        "greeting",
        "repeat",
        "unknown",
      ]) {
        assert.ok(intents.has(intent as CorpusItem["intent"]), intent);
      }
      const kinds = new Set(items.map((i) => i.emergency));
      for (const kind of [
        "gas-smell",
        "carbon-monoxide",
        "water-on-electrics",
        "sewage-backup",
        "water-through-ceiling",
        "burst-pipe",
        "flooding",
        "no-water",
      ]) {
        assert.ok(kinds.has(kind), kind);
      }
    });

    it("meets the targets on the development split, so a regression fails the build", () => {
      const run = runEvaluation(items, ruleClassifier(loadDemoTenant()));
      assert.deepEqual(run.misses, [], formatFigures(run.development));
      assert.equal(recallOf(run.development), TARGETS.emergencyRecall);
      assert.ok(falseAlarmRateOf(run.development) <= TARGETS.maxFalseAlarmRate);
      assert.ok(accuracyOf(run.development) >= TARGETS.minIntentAccuracy);
    });

    it("reports the held-out split too, with the same figures", () => {
      const run = runEvaluation(items, ruleClassifier(FALLBACK_DEMO_TENANT));
      assert.ok(run.heldOut.total > 0);
      assert.equal(run.heldOut.total + run.development.total, items.length);
      assert.match(formatFigures(run.heldOut), /^== held-out split: \d+ utterances ==/);
    });

    it("lists the development split's confusions and never a held-out sentence", () => {
      const run = runEvaluation(items, () => ({
        intent: "unknown",
        emergencyKind: null,
        askKind: null,
      }));
      const heldOutText = items.find((i) => i.split === "held-out")?.text ?? "";
      const developmentText = items.find((i) => i.split === "development")?.text ?? "";
      assert.match(formatFigures(run.heldOut), /confusions: \d+, not listed \(held out\)/);
      assert.ok(!formatFigures(run.heldOut).includes(heldOutText));
      assert.ok(formatFigures(run.development).includes(developmentText));
    });
  });

  describe("the arithmetic", () => {
    const rows = [
      ["my pipe has burst", "emergency", "burst-pipe"],
      ["the boiler is leaking", "emergency", "burst-pipe"],
      ["there's no water", "emergency", "no-water"],
      ["book a plumber", "book", "none"],
      ["cancel it", "cancel", "none"],
      ["hello", "greeting", "none"],
    ];
    const answers: Record<string, Prediction> = {
      "my pipe has burst": { intent: "emergency", emergencyKind: "burst-pipe", askKind: null },
      "the boiler is leaking": { intent: "book", emergencyKind: null, askKind: "burst-pipe" },
      "there's no water": { intent: "unknown", emergencyKind: null, askKind: null },
      "book a plumber": { intent: "book", emergencyKind: "flooding", askKind: null },
      "cancel it": { intent: "cancel", emergencyKind: null, askKind: "gas-smell" },
      hello: { intent: "unknown", emergencyKind: null, askKind: null },
    };
    const run = runEvaluation(corpusOn("development", rows), (text) => answers[text]);
    const f = run.development;

    it("counts an emergency caught outright or by the safety question, and a miss", () => {
      assert.deepEqual([f.caughtOutright, f.caughtByQuestion, f.missed], [1, 1, 1]);
      assert.equal(recallOf(f), 2 / 3);
    });

    it("counts a false alarm only when a non-emergency is flagged outright", () => {
      assert.equal(f.falseAlarms, 1);
      assert.equal(f.questionsAsked, 1);
      assert.equal(falseAlarmRateOf(f), 1 / 3);
    });

    it("scores intents per label and lists every confusion", () => {
      assert.equal(f.intentCorrect, 3);
      assert.deepEqual(f.perIntent.greeting, { correct: 0, total: 1 });
      assert.deepEqual(
        f.confusions.map((c) => [c.text, c.expected, c.got]),
        [
          ["there's no water", "emergency no-water", "unknown (missed)"],
          ["book a plumber", "book", "emergency flooding (false alarm)"],
          ["hello", "greeting", "unknown"],
        ],
      );
    });

    it("names every missed target", () => {
      assert.equal(run.misses.length, 3);
      assert.match(run.misses.join("; "), /recall.*false alarms.*intent accuracy/);
    });

    it("leaves the other split out of the figures", () => {
      assert.equal(run.heldOut.total, 0);
    });
  });

  describe("reading the corpus", () => {
    it("rejects unknown labels, bad columns and duplicates, naming each line", () => {
      const source =
        HEADER +
        "burst pipe\temergency\tbust-pipe\n" +
        "hello\tgreet\tnone\n" +
        "only two\tbook\n" +
        "hi\tgreeting\tnone\n" +
        "hi\tgreeting\tnone\n" +
        "pipe burst\tbook\tburst-pipe\n";
      assert.throws(
        () => parseCorpus(source),
        (err: unknown) =>
          err instanceof CorpusError &&
          /line 2: unknown emergency kind "bust-pipe"/.test(err.message) &&
          /line 3: unknown intent "greet"/.test(err.message) &&
          /line 4: expected 3 or 4/.test(err.message) &&
          /line 6: duplicate of line 5/.test(err.message) &&
          /line 7: intent "emergency" and an emergency kind go together/.test(err.message),
      );
    });

    it("skips comments and blank lines and keeps the split stable", () => {
      const items = parseCorpus("# a comment\n\n" + HEADER + "hello there\tgreeting\tnone\tn\n");
      assert.equal(items.length, 1);
      assert.equal(items[0].split, splitOf("hello there"));
      assert.equal(splitOf("hello there"), splitOf("hello there"));
    });
  });
});
