import { FirestoreBusinessRepository } from "./adapters/firestore/business.repository";
import { FirestoreConversationSummaryRepository } from "./adapters/firestore/conversation-summary.repository";
import { appFirestore } from "./adapters/firestore/firestore-client";
import { ClaudeLanguageModel } from "./adapters/llm/claude-language-model";
import { functionsLoggerAdapter } from "./logs";
import type { SmsSweepDeps, SummariseDeps } from "./app/summarise-conversation";
import { degradationReporterOn } from "./degradation.bootstrap";
import { anthropicApiKey, anthropicBaseUrl } from "./params";
import { systemClock } from "./ports/clock.port";

let built: (SummariseDeps & SmsSweepDeps) | undefined;

/**
 * What writes conversation summaries, for calls and text threads: the
 * summaries' store, and Claude for the owner's paragraph (no key set: the
 * deterministic summary only). Built once per instance.
 */
export function summaryDeps(): SummariseDeps & SmsSweepDeps {
  if (!built) {
    const db = appFirestore();
    const summaries = new FirestoreConversationSummaryRepository(db);
    built = {
      summaries,
      threads: summaries,
      clock: systemClock,
      logger: functionsLoggerAdapter,
      model: {
        writer: new ClaudeLanguageModel({
          apiKey: () => anthropicApiKey.value(),
          baseURL: anthropicBaseUrl.value(),
        }),
        businesses: new FirestoreBusinessRepository(db),
        degradation: degradationReporterOn(db),
      },
    };
  }
  return built;
}
