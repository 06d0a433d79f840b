import type {
  ConversationFacts,
  ConversationSummary,
} from "../domain/summaries/conversation-summary";

/** A summary as stored beside its conversation. */
export interface StoredSummary {
  conversationId: string;
  channel: ConversationFacts["channel"];
  summary: ConversationSummary;
  /** The summary as one paragraph, for the dashboard and the owner's digest. */
  text: string;
  createdAt: Date;
}

export interface ConversationSummaryStore {
  /** What the conversation recorded; null when it is gone or cannot be read. */
  facts(businessId: string, conversationId: string): Promise<ConversationFacts | null>;
  /** Stores the summary once: "exists" when a redelivered event wrote it already. */
  create(businessId: string, record: StoredSummary): Promise<"created" | "exists">;
}
