import type { Business } from "../domain/business/business";
import type { ConversationSummary } from "../domain/summaries/conversation-summary";

/** What the daily digest reads: the tenants, and the summaries of their conversations. */
export interface DigestSource {
  /** Every business whose settings read; one that does not is reported by the adapter, not thrown. */
  businesses(): Promise<Business[]>;
  /** Summaries written in [from, to), oldest first. */
  summariesBetween(businessId: string, from: Date, to: Date): Promise<ConversationSummary[]>;
}
