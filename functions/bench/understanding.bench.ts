/**
 * Time to understand one caller turn: every utterance of the labelled corpora
 * (functions/test/corpus) through the deterministic classifier (emergency
 * rules, safety question, intent), as each call turn runs it. The target is
 * under 1 ms at the 95th percentile on an idle machine, beside the time of
 * the text clean-up alone, measured in the same run.
 * Run alone: node lib/bench/understanding.bench.js (also part of npm run bench).
 */
import { performance } from "node:perf_hooks";
import { classifyUtterance } from "../src/domain/nlu/intent.classifier";
import { canonicaliseKeyTerms } from "../src/domain/nlu/key-terms";
import { normaliseUtterance } from "../src/domain/nlu/text-normaliser";
import { loadAllCorpora } from "../src/tools/nlu-eval";
import { target, type Target, verdict } from "./targets";

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export function benchUnderstanding(rounds = 5): { lines: string[]; targets: Target[] } {
  const texts = loadAllCorpora().map((i) => i.text);
  const options = { extraEmergencyPhrases: ["water tank overflowing"], ownerName: "Dave" };
  for (const text of texts) classifyUtterance(text, options);
  const perTurn: number[] = [];
  const cleanUp: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const text of texts) {
      let started = performance.now();
      classifyUtterance(text, options);
      perTurn.push(performance.now() - started);
      started = performance.now();
      canonicaliseKeyTerms(normaliseUtterance(text));
      cleanUp.push(performance.now() - started);
    }
  }
  perTurn.sort((a, b) => a - b);
  cleanUp.sort((a, b) => a - b);
  const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
  const targets = [target("understanding one turn: p95", percentile(perTurn, 0.95), 1, " ms")];
  const lines = [
    `Understanding one turn: ${texts.length} corpus utterances x ${rounds} (target: p95 under 1 ms):`,
    `  classify (emergency, question, intent)  median ${fmt(percentile(perTurn, 0.5))}, p95 ${fmt(percentile(perTurn, 0.95))}, max ${fmt(perTurn[perTurn.length - 1])}`,
    `Baseline, same run: text clean-up and key terms alone: median ${fmt(percentile(cleanUp, 0.5))}, p95 ${fmt(percentile(cleanUp, 0.95))}`,
  ];
  return { lines, targets };
}

if (require.main === module) {
  const { lines, targets } = benchUnderstanding();
  const result = verdict(targets);
  for (const line of [...lines, ...result.lines]) console.log(line);
  process.exitCode = result.exitCode;
}
