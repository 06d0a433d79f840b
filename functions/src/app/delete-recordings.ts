import { errorText, logInfo, logWarn, redactPhones } from "../logs";
import type { Clock } from "../ports/clock.port";
import type { Logger } from "../ports/logger.port";
import type {
  RecordingDeletion,
  RecordingDeletionQueue,
  RecordingRemover,
} from "../ports/recording-deletion.port";

/** What deletes callers' recordings at the provider (docs/privacy.md, "Recordings"). */
export interface RecordingDeletionDeps {
  remover: RecordingRemover;
  queue: RecordingDeletionQueue;
  clock: Clock;
  logger: Logger;
}

export type RecordingDeleted = "deleted" | "gone" | "failed";

/** Recordings deleted per sweep; the rest are due on the next run. */
export const RECORDINGS_PER_RUN = 500;

/**
 * Deletes one recording at the provider and forgets it. A failure (after the
 * remover's own tries) is logged and recorded; the recording stays due, and
 * the next retention sweep tries again. Safe to run twice: a recording
 * already deleted is "gone".
 */
export async function deleteRecording(
  deletion: Omit<RecordingDeletion, "deleteAt">,
  deps: RecordingDeletionDeps,
): Promise<RecordingDeleted> {
  const { businessId, callSid, recordingSid } = deletion;
  try {
    const result = await deps.remover.remove(recordingSid);
    await deps.queue.recordingDeleted(deletion, deps.clock.now());
    logInfo(deps.logger, "recording.deleted", { businessId, callSid, recordingSid, result });
    return result;
  } catch (error) {
    const reason = redactPhones(errorText(error)).slice(0, 300);
    logWarn(deps.logger, "recording.delete-failed", {
      businessId,
      callSid,
      recordingSid,
      error: reason,
    });
    await deps.queue.recordingDeletionFailed(deletion, reason).catch(() => undefined);
    return "failed";
  }
}

/**
 * Deletes every recording whose time has come (the retention sweep): those
 * that could not be transcribed, after the business's recordingDays, and
 * any whose deletion after transcription failed.
 */
export async function deleteDueRecordings(
  deps: RecordingDeletionDeps,
  limit = RECORDINGS_PER_RUN,
): Promise<{ deleted: number; failed: number }> {
  const due = await deps.queue.dueRecordings(deps.clock.now(), limit);
  let deleted = 0;
  let failed = 0;
  for (const deletion of due) {
    if ((await deleteRecording(deletion, deps)) === "failed") failed += 1;
    else deleted += 1;
  }
  return { deleted, failed };
}
