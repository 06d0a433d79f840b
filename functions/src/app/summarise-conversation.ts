import { isModelDegraded } from "../domain/health/degradation";
import {
  type ConversationFacts,
  type ConversationSummary,
  renderSummary,
  summariseConversation,
} from "../domain/summaries/conversation-summary";
import {
  checkModelSummary,
  conversationToSummarise,
  MODEL_SUMMARY_BUDGET_MS,
} from "../domain/summaries/model-summary";
import type { DegradationReporter } from "../ports/attention.port";
import type { BusinessDirectory } from "../ports/business-directory.port";
import type { Clock } from "../ports/clock.port";
import type {
  ConversationSummaryStore,
  DueSmsThread,
  ModelSummaryCheck,
  SmsSummaryStore,
  StoredSummary,
  SummarySaved,
} from "../ports/conversation-summary.port";
import type { SummaryWriter } from "../ports/language-model.port";
import type { Logger } from "../ports/logger.port";
import { pool } from "./worker-pool";
import { logError, logInfo, logWarn } from "../logs";

/** What a Claude-written paragraph needs: the writer, and the tenant's model settings. */
export interface ModelSummaryDeps {
  writer: SummaryWriter;
  businesses: Pick<BusinessDirectory, "getById">;
  /** Told when the model falls back for a reason the owner should know (outage, overload...). */
  degradation?: DegradationReporter;
  /** The model's time; MODEL_SUMMARY_BUDGET_MS unless a test sets less. */
  budgetMs?: number;
}

export interface SummariseDeps {
  summaries: ConversationSummaryStore;
  clock: Clock;
  logger: Logger;
  /** Absent: the deterministic summary only. */
  model?: ModelSummaryDeps;
}

export type SummariseResult = SummarySaved | "missing";

/**
 * Writes the summary of a call that has ended, from what it has recorded so
 * far, and again when the message the caller recorded is transcribed (or
 * could not be): the stored summary moves forward only (messageProgress),
 * so redelivered or out-of-order events store nothing twice or older.
 */
export async function summariseEndedConversation(
  input: { businessId: string; conversationId: string },
  deps: SummariseDeps,
): Promise<SummariseResult> {
  const { businessId, conversationId } = input;
  const facts = await deps.summaries.facts(businessId, conversationId);
  if (!facts) {
    logWarn(deps.logger, "summary.conversation-unreadable", { businessId, conversationId });
    return "missing";
  }
  const record = await composeSummary(businessId, conversationId, facts, deps);
  const result = await deps.summaries.save(businessId, record);
  logWritten(deps.logger, businessId, record, result);
  return result;
}

/**
 * The one way a summary is made, for calls and texts alike: the deterministic
 * summary always; with a model configured for the tenant, the model's
 * paragraph too, kept only when it passes the check against the facts
 * (domain/summaries/model-summary). A model that is slow, failing or
 * unfaithful leaves the deterministic summary exactly as it would be.
 */
export async function composeSummary(
  businessId: string,
  conversationId: string,
  facts: ConversationFacts,
  deps: Pick<SummariseDeps, "clock" | "logger" | "model">,
): Promise<StoredSummary> {
  const summary = summariseConversation(facts);
  const record: StoredSummary = {
    conversationId,
    channel: facts.channel,
    summary,
    text: renderSummary(summary, facts.channel),
    createdAt: deps.clock.now(),
  };
  const written = deps.model ? await modelParagraph(businessId, facts, summary, deps.model) : null;
  if (written === null) return record;
  const { check, text } = written;
  const fields = { businessId, conversationId, latencyMs: check.latencyMs };
  if (check.status === "accepted") {
    logInfo(deps.logger, "summary.model-accepted", fields);
    return { ...record, modelText: text, modelCheck: check };
  }
  if (check.status === "rejected") {
    logWarn(deps.logger, "summary.model-rejected", {
      ...fields,
      problem: check.problem,
      detail: check.detail,
    });
  } else {
    logInfo(deps.logger, "summary.model-unavailable", { ...fields, reason: check.reason });
  }
  return { ...record, modelCheck: check };
}

/** The model's paragraph and its check; null when no model is configured for the tenant. */
async function modelParagraph(
  businessId: string,
  facts: ConversationFacts,
  summary: ConversationSummary,
  model: ModelSummaryDeps,
): Promise<{ check: ModelSummaryCheck; text?: string } | null> {
  const business = await model.businesses.getById(businessId).catch(() => null);
  if (!business) return null;
  const answer = await model.writer.summarise({
    conversation: conversationToSummarise(summary, facts.channel, facts.turns),
    settings: business.languageModel,
    budgetMs: model.budgetMs ?? MODEL_SUMMARY_BUDGET_MS,
  });
  if (answer.status === "unavailable") {
    // No key, or the tenant turned the model off: nothing changes, nothing is recorded.
    if (answer.reason === "no-key" || answer.reason === "disabled") return null;
    if (model.degradation && isModelDegraded(answer.reason)) {
      await model.degradation.report(businessId, "model-fallback", answer.reason);
    }
    return {
      check: { status: "unavailable", reason: answer.reason, latencyMs: answer.latencyMs },
    };
  }
  const check = checkModelSummary(answer.text, summary, facts.turns);
  if (!check.ok) {
    return {
      check: {
        status: "rejected",
        problem: check.problem,
        detail: check.detail,
        latencyMs: answer.latencyMs,
      },
    };
  }
  return { check: { status: "accepted", latencyMs: answer.latencyMs }, text: answer.text };
}

function logWritten(
  logger: Logger,
  businessId: string,
  record: StoredSummary,
  result: string,
): void {
  logInfo(logger, "summary.written", {
    businessId,
    conversationId: record.conversationId,
    channel: record.channel,
    outcome: record.summary.outcome,
    urgency: record.summary.urgency,
    needsOwner: record.summary.needsOwner,
    model: record.modelCheck?.status ?? "off",
    result,
  });
}

export interface SmsSweepDeps extends Omit<SummariseDeps, "summaries"> {
  threads: SmsSummaryStore;
  /** Threads handled at once. */
  concurrency?: number;
  /** Threads per run; the rest are due on the next run. */
  limit?: number;
}

export type SmsSummaryResult = "written" | "cleared" | "superseded" | "not-due" | "missing";

/**
 * Summarises every text thread that has been idle SMS_SUMMARY_IDLE_MINUTES
 * (domain/summaries/sms-episode). Safe to run as often as wanted and two runs
 * at once: a thread's summary is written in one transaction only while the
 * thread is still due as it was read, so a run that loses the race, or a
 * thread that got a new text meanwhile (due again later, with it), writes
 * nothing. One thread failing does not stop the others.
 */
export async function summariseIdleSmsThreads(
  deps: SmsSweepDeps,
): Promise<Array<{ thread: DueSmsThread; result: SmsSummaryResult | "failed" }>> {
  const now = deps.clock.now();
  // 100 threads, 4 at once, each within the model's 8 s: well inside the sweep's 300 s.
  const due = await deps.threads.dueSmsThreads(now, deps.limit ?? 100);
  const settled = await pool(due, deps.concurrency ?? 4, (thread) =>
    summariseSmsThread(thread, now, deps),
  );
  const results = settled.map((s, i) => {
    const thread = due[i];
    if (s.status === "fulfilled") return { thread, result: s.value };
    logError(deps.logger, "summary.sms-thread-failed", {
      businessId: thread.businessId,
      conversationId: thread.conversationId,
      error: s.reason instanceof Error ? s.reason.message : String(s.reason),
    });
    return { thread, result: "failed" as const };
  });
  logInfo(deps.logger, "summary.sms-sweep", {
    due: due.length,
    written: results.filter((r) => r.result === "written").length,
    failed: results.filter((r) => r.result === "failed").length,
  });
  return results;
}

async function summariseSmsThread(
  thread: DueSmsThread,
  now: Date,
  deps: SmsSweepDeps,
): Promise<SmsSummaryResult> {
  const { businessId, conversationId } = thread;
  const episode = await deps.threads.smsEpisode(businessId, conversationId);
  if (!episode) {
    logWarn(deps.logger, "summary.conversation-unreadable", { businessId, conversationId });
    return "missing";
  }
  if (episode.dueAt === null || episode.dueAt.getTime() > now.getTime()) return "not-due";
  const dueAt = episode.dueAt;
  // A thread with nothing from the customer since its last summary has nothing to say.
  const record = episode.facts.turns.some((t) => t.speaker === "caller")
    ? await composeSummary(businessId, conversationId, episode.facts, deps)
    : null;
  const result = await deps.threads.finishSmsEpisode(
    businessId,
    conversationId,
    dueAt,
    record,
    episode.coveredThrough,
  );
  if (record) logWritten(deps.logger, businessId, record, result);
  return result;
}

type StoredConversation = Record<string, unknown> | undefined;

function ended(d: StoredConversation): boolean {
  return d !== undefined && (isSet(d.endedAt) || isSet(d.endStatus));
}

/**
 * Whether a write to a conversation is the one that ended it: a call's end
 * is recorded once (`endedAt`, or the carrier's `endStatus`). SMS threads do
 * not end this way and are not summarised here.
 */
export function conversationJustEnded(before: StoredConversation, after: StoredConversation) {
  if (!after || after.channel === "sms") return false;
  return ended(after) && !ended(before);
}

/** The recordings whose transcription has landed, as marked on the conversation. */
function landedRecordings(d: StoredConversation): string[] {
  const marks = d?.recordedMessages;
  return marks && typeof marks === "object" ? Object.keys(marks).sort() : [];
}

/**
 * Whether a write to an ended call is the mark of a recorded message's
 * transcription landing (`recordedMessages.{RecordingSid}`, set with the
 * message's turn): its summary is written again with the words. A mark on a
 * call not yet ended waits for the end, whose summary reads the words.
 */
export function recordedMessageJustLanded(before: StoredConversation, after: StoredConversation) {
  if (!after || after.channel === "sms" || !ended(after)) return false;
  const now = landedRecordings(after);
  const then = new Set(landedRecordings(before));
  return now.some((sid) => !then.has(sid));
}

/** Whether a write to a conversation calls for its summary to be written (again). */
export function summaryDue(before: StoredConversation, after: StoredConversation): boolean {
  return conversationJustEnded(before, after) || recordedMessageJustLanded(before, after);
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}
