/** Deletes a call recording where the telephony provider keeps it. */
export interface RecordingRemover {
  /**
   * "deleted", or "gone" when the provider no longer has it (deleted
   * already). Throws when it could not be deleted (tried again first when
   * the failure may pass).
   */
  remove(recordingSid: string): Promise<"deleted" | "gone">;
}

/** A recording still kept at the provider, and when it is to be deleted there. */
export interface RecordingDeletion {
  businessId: string;
  callSid: string;
  recordingSid: string;
  deleteAt: Date;
}

/**
 * The recordings waiting to be deleted at the provider. Each is queued with
 * its message (RecordedMessage.deleteRecordingAt, in the same write), so a
 * recording is never forgotten between its message being stored and its deletion.
 */
export interface RecordingDeletionQueue {
  /** Recordings due by `now` across every business, the longest due first. */
  dueRecordings(now: Date, limit: number): Promise<RecordingDeletion[]>;
  /** Deleted at the provider (or gone): forgotten, and the message's turn marked (if still there). */
  recordingDeleted(deletion: Omit<RecordingDeletion, "deleteAt">, at: Date): Promise<void>;
  /** A try that failed: kept due, with the reason, for the next run. */
  recordingDeletionFailed(
    deletion: Omit<RecordingDeletion, "deleteAt">,
    error: string,
  ): Promise<void>;
}
