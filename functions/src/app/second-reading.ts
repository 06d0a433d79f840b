import type { Business } from "../domain/business/business";
import type { Stage } from "../domain/dialogue/dialogue-state";
import {
  type MergedReading,
  mergeModelReading,
  type RulesReading,
} from "../domain/nlu/model-reading";
import { isModelDegraded } from "../domain/health/degradation";
import type { DegradationReporter } from "../ports/attention.port";
import type { LanguageModel } from "../ports/language-model.port";
import type { Logger } from "../ports/logger.port";
import { logInfo } from "../logs";

/** A turn this long may carry more than the rules read from it. */
export const LONG_TURN_WORDS = 25;

/**
 * Stages where the caller is answering one plain question (a name, an address,
 * a yes or no) that the flow reads itself: a short answer there has no intent
 * by nature, and asking the model would add its latency to nearly every turn.
 */
const DETAIL_STAGES: ReadonlySet<Stage> = new Set<Stage>([
  "collecting",
  "confirming-address",
  "confirming-booking",
  "safety-check",
  "taking-message",
  "change-verifying-name",
  "change-verifying-postcode",
  "change-confirming-cancel",
  "change-confirming-move",
]);

/**
 * Whether a turn is worth a second reading: never when the rules found an
 * emergency; always when it is long; when the rules found no intent, unless it
 * is a short answer to a detail question.
 */
export function wantsSecondReading(
  utterance: string,
  rules: RulesReading,
  stage: Stage = "awaiting-request",
): boolean {
  if (rules.emergencyKind !== null) return false; // A clear emergency is never delayed.
  if (utterance.trim().split(/\s+/).length >= LONG_TURN_WORDS) return true;
  return rules.intent === "unknown" && !DETAIL_STAGES.has(stage);
}

/**
 * The rules' reading of a turn, with the model's second opinion merged in
 * when the rules were unsure (no intent) or the turn was long. Any failure of
 * the model leaves the rules' reading exactly as it was. Called for every
 * caller turn, call or text, by the interpreter (callerWords in converse.ts),
 * which hands the merged reading to the engine's step as data.
 */
export async function secondReading(
  input: { business: Business; stage: Stage; utterance: string; rules: RulesReading },
  deps: { model: LanguageModel; logger: Logger; degradation?: DegradationReporter },
): Promise<MergedReading> {
  const { business, rules } = input;
  if (!wantsSecondReading(input.utterance, rules, input.stage))
    return mergeModelReading(rules, null);
  const answer = await deps.model.read({
    utterance: input.utterance,
    stage: input.stage,
    offeredSlotIds: rules.offeredSlotIds,
    serviceIds: business.services.map((s) => s.id),
    settings: business.languageModel,
  });
  if (answer.status === "unavailable") {
    logInfo(deps.logger, "model.unavailable", {
      businessId: business.id,
      reason: answer.reason,
      latencyMs: answer.latencyMs,
    });
    if (deps.degradation && isModelDegraded(answer.reason)) {
      await deps.degradation.report(business.id, "model-fallback", answer.reason);
    }
    return mergeModelReading(rules, null);
  }
  const merged = mergeModelReading(rules, answer.reading);
  logInfo(deps.logger, "model.read", {
    businessId: business.id,
    latencyMs: answer.latencyMs,
    added: merged.modelAdded.join(","),
  });
  return merged;
}
