import type { SmsPending, SmsThread, SmsTurn } from "../domain/sms/sms-thread";

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
}

export type SmsConversations = SmsHistory & SmsThreadStore;
