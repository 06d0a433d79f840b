import type { Stage } from "../domain/dialogue/dialogue-state";
import type { LanguageModelSettings, ModelReading } from "../domain/nlu/model-reading";
import type { ConversationToSummarise } from "../domain/summaries/model-summary";

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

/** A conversation to put in a few words for the owner, with the tenant's model settings. */
export interface SummaryRequest {
  conversation: ConversationToSummarise;
  settings: LanguageModelSettings;
  /** The whole answer must arrive within this, or there is no model summary. */
  budgetMs: number;
}

export type WrittenSummary =
  | { status: "ok"; text: string; latencyMs: number }
  | { status: "unavailable"; reason: UnavailableReason; latencyMs: number };

/** Writes a short owner-facing paragraph from a conversation's facts; never throws. */
export interface SummaryWriter {
  summarise(request: SummaryRequest): Promise<WrittenSummary>;
}
