import { renderSummary, summariseConversation } from "../domain/summaries/conversation-summary";
import type { Clock } from "../ports/clock.port";
import type { ConversationSummaryStore } from "../ports/conversation-summary.port";
import type { Logger } from "../ports/logger.port";

export interface SummariseDeps {
  summaries: ConversationSummaryStore;
  clock: Clock;
  logger: Logger;
}

export type SummariseResult = "created" | "exists" | "missing";

/**
 * Writes the deterministic summary of a conversation that has ended. Safe to
 * run again for the same conversation: the summary is created once.
 */
export async function summariseEndedConversation(
  input: { businessId: string; conversationId: string },
  deps: SummariseDeps,
): Promise<SummariseResult> {
  const { businessId, conversationId } = input;
  const facts = await deps.summaries.facts(businessId, conversationId);
  if (!facts) {
    deps.logger.warn("summary.conversation-unreadable", { businessId, conversationId });
    return "missing";
  }
  const summary = summariseConversation(facts);
  const result = await deps.summaries.create(businessId, {
    conversationId,
    channel: facts.channel,
    summary,
    text: renderSummary(summary),
    createdAt: deps.clock.now(),
  });
  deps.logger.info("summary.written", {
    businessId,
    conversationId,
    outcome: summary.outcome,
    urgency: summary.urgency,
    needsOwner: summary.needsOwner,
    result,
  });
  return result;
}

/**
 * Whether a write to a conversation is the one that ended it: a call's end
 * is recorded once (`endedAt`, or the carrier's `endStatus`). SMS threads do
 * not end this way and are not summarised here.
 */
export function conversationJustEnded(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): boolean {
  if (!after || after.channel === "sms") return false;
  const ended = (d: Record<string, unknown> | undefined): boolean =>
    d !== undefined && (isSet(d.endedAt) || isSet(d.endStatus));
  return ended(after) && !ended(before);
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}
