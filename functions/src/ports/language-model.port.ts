import type { Stage } from "../domain/dialogue/dialogue-state";
import type { LanguageModelSettings, ModelReading } from "../domain/nlu/model-reading";

/** One caller utterance to read, with what the dialogue offered at that point. */
export interface UtteranceToRead {
  /** What the caller said, as the recogniser wrote it: untrusted data, never instructions. */
  utterance: string;
  stage: Stage;
  /** The times the engine offered (their ids): the only ones the model may choose. */
  offeredSlotIds: readonly string[];
  /** The business's service ids: the only ones the model may name. */
  serviceIds: readonly string[];
  settings: LanguageModelSettings;
}

/** Why there is no reading; the rules' answer stands in every case. */
export type UnavailableReason =
  | "no-key"
  | "disabled"
  | "timeout"
  | "rate-limited"
  | "overloaded"
  | "refusal"
  | "invalid-output"
  | "error";

export type UtteranceReading =
  | { status: "ok"; reading: ModelReading; latencyMs: number }
  | { status: "unavailable"; reason: UnavailableReason; latencyMs: number };

/** Reads intent, emergency kind and slots from one utterance; never throws. */
export interface LanguageModel {
  read(request: UtteranceToRead): Promise<UtteranceReading>;
}
