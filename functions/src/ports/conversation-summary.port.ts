import type {
  ConversationFacts,
  ConversationSummary,
} from "../domain/summaries/conversation-summary";
import type { SummaryProblem } from "../domain/summaries/model-summary";

/** What came of asking the model for a paragraph; absent when no model is configured. */
export type ModelSummaryCheck =
  | { status: "accepted"; latencyMs: number }
  | { status: "rejected"; problem: SummaryProblem; detail: string; latencyMs: number }
  | { status: "unavailable"; reason: string; latencyMs: number };

/** A summary as stored beside its conversation. */
export interface StoredSummary {
  conversationId: string;
  channel: ConversationFacts["channel"];
  summary: ConversationSummary;
  /** The summary as one paragraph, for the dashboard and the owner's digest. */
  text: string;
  /** The model's paragraph, only when it passed the check against the facts. */
  modelText?: string;
  /** Whether the model's paragraph was kept, and why not. */
  modelCheck?: ModelSummaryCheck;
  createdAt: Date;
  /** When a later fact (the call's message transcribed) rewrote it. */
  updatedAt?: Date;
}

export type SummarySaved = "created" | "updated" | "exists";

export interface ConversationSummaryStore {
  /** What the conversation recorded; null when it is gone or cannot be read. */
  facts(businessId: string, conversationId: string): Promise<ConversationFacts | null>;
  /**
   * Stores the summary in one transaction: "created" when there was none,
   * "updated" when it replaces one that had got less far with the call's
   * message (messageProgress; the first createdAt is kept), "exists" when
   * the stored one is as far on (a redelivered event, or facts read earlier).
   */
  save(businessId: string, record: StoredSummary): Promise<SummarySaved>;
}

/** A text thread whose customer has been quiet long enough for its summary. */
export interface DueSmsThread {
  businessId: string;
  conversationId: string;
  /** The thread's due time as read: the summary is written only while it still holds. */
  dueAt: Date;
}

/** A text thread's episode since its last summary. */
export interface SmsEpisode {
  facts: ConversationFacts;
  /** Null when nothing is waiting to be summarised. */
  dueAt: Date | null;
  /** The time of the latest turn the facts include; null with no turns. */
  coveredThrough: Date | null;
}

/** Text threads' summaries: due when idle (domain/summaries/sms-episode), replaced each episode. */
export interface SmsSummaryStore {
  /** Threads due at `now` across every business, the longest due first. */
  dueSmsThreads(now: Date, limit: number): Promise<DueSmsThread[]>;
  /** The thread's episode; null when it is gone or cannot be read. */
  smsEpisode(businessId: string, conversationId: string): Promise<SmsEpisode | null>;
  /**
   * In one transaction, only while the thread is still due at `dueAt` (no new
   * text since it was read, and no other run finished it): replaces the
   * thread's summary with `record` (none when null) and starts a new episode.
   */
  finishSmsEpisode(
    businessId: string,
    conversationId: string,
    dueAt: Date,
    record: StoredSummary | null,
    coveredThrough: Date | null,
  ): Promise<"written" | "cleared" | "superseded">;
}
