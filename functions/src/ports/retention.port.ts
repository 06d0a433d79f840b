/** How many days a business keeps its transcripts (the tenant's retention settings). */
export interface TranscriptRetention {
  transcriptDays(businessId: string): Promise<number>;
  /** For a caller's recorded message (a turn holding the recording's link). */
  recordingDays(businessId: string): Promise<number>;
}

/** What one retention sweep deleted. */
export interface SweepCounts {
  /** Documents whose `expireAt` had passed (turns, recorded messages among them, the TTL had not reached yet). */
  expired: number;
  /** Turns written without `expireAt` and texts as received, older than the business keeps them. */
  aged: number;
  /** Callers' recordings deleted at Twilio (or found gone), and those that failed (tried next run). */
  recordings: { deleted: number; failed: number };
}

/** The stored data the retention sweep reads and deletes. */
export interface RetentionStore {
  /** Deletes up to `limit` documents in the collection groups whose `expireAt` is before `now`. */
  deleteExpired(now: Date, limit: number): Promise<number>;
  businessIds(): Promise<string[]>;
  /**
   * For conversations last updated in [from, before): deletes their turns
   * said before `before`, and the business's texts as received before it.
   */
  deleteAged(businessId: string, from: Date, before: Date, limit: number): Promise<number>;
}
