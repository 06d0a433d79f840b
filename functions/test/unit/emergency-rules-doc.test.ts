import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { EMERGENCY_RULES } from "../../src/domain/emergency/emergency-rules";
import {
  EMERGENCY_RULES_DOC_PATH,
  REGENERATE_COMMAND,
  renderEmergencyRulesDoc,
} from "../../src/tools/emergency-rules-doc";

describe("docs/emergency-rules.md", () => {
  it("is exactly what the rules render, so the doc cannot drift from the code", () => {
    const committed = fs.existsSync(EMERGENCY_RULES_DOC_PATH)
      ? fs.readFileSync(EMERGENCY_RULES_DOC_PATH, "utf8")
      : "";
    assert.ok(
      committed === renderEmergencyRulesDoc(),
      `docs/emergency-rules.md is out of date with emergency-rules.ts. Regenerate it: ${REGENERATE_COMMAND}`,
    );
  });

  describe("the rendered document", () => {
    const doc = renderEmergencyRulesDoc();

    it("lists every kind with its label, phrasings and the advice read to the caller", () => {
      for (const rule of EMERGENCY_RULES) {
        assert.ok(doc.includes(`(\`${rule.kind}\`)`), rule.kind);
        assert.ok(doc.includes(rule.label), rule.label);
        assert.ok(doc.includes(`> ${rule.safetyAdvice}`), `${rule.kind} advice`);
        for (const example of rule.phrases.flatMap((p) => p.examples)) {
          assert.ok(doc.includes(`"${example}"`), example);
        }
      }
    });

    it("states the order, determinism and that the model can only add emergencies", () => {
      assert.match(doc, /before anything else/);
      assert.match(doc, /deterministic/);
      assert.match(doc, /may add an emergency, never remove one/);
      assert.match(doc, /extraPhrases/);
      assert.match(doc, /Negation/);
      assert.match(doc, /Last year I had a burst pipe/);
      assert.match(doc, /0800 111 999/);
    });

    it("says how to regenerate it", () => {
      assert.ok(doc.includes(REGENERATE_COMMAND));
    });
  });
});
