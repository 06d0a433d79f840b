import type { SmsPending, SmsThread, SmsTurn } from "../domain/sms/sms-thread";
import type { SmsEpisodeStep } from "../domain/summaries/sms-episode";

/**
 * The SMS history of one customer number: one conversation document,
 * businesses/{b}/conversations/sms-{E164}, channel "sms", with one document
 * per turn under turns/. Anything that texts a customer (replies, reminders,
 * confirmations) may append its turn here; appending the same turn twice
 * stores it once.
 */
export interface SmsHistory {
  /** Adds one turn; creates the conversation on its first text. */
  append(businessId: string, phone: string, turn: SmsTurn): Promise<void>;
}

/** What the customer's next text continues: a dropped call's booking, or times on offer. */
export interface SmsThreadStore {
  getThread(businessId: string, phone: string): Promise<SmsThread | null>;
  /** Replaces what the next text continues; null when nothing is pending. */
  setPending(
    businessId: string,
    phone: string,
    pending: SmsPending | null,
    at: Date,
  ): Promise<void>;
  /**
   * Adds what one inbound text's handling did to the thread's episode, under
   * `key` (its MessageSid, so a retry stores it once), and puts the thread's
   * summary off until it has been idle again (domain/summaries/sms-episode).
   */
  recordStep(businessId: string, phone: string, key: string, step: SmsEpisodeStep): Promise<void>;
}

export type SmsConversations = SmsHistory & SmsThreadStore;
