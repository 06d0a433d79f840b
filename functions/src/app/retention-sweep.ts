/**
 * The daily retention sweep (docs/privacy.md). Transcripts carry a TTL field,
 * `expireAt`, that Firestore deletes by itself, but TTL deletion runs when
 * Firestore gets to it (typically within a day of expiry, not at once). This
 * deletes what has expired and is still there, and what was written before
 * transcripts carried `expireAt` (turns and texts as received older than
 * the business keeps them). Summaries, appointments and customers are kept.
 * Callers' recordings due for deletion at Twilio (not transcribed, after the
 * business's recordingDays; or a deletion that failed) are deleted there.
 */
import { defaultRetentionPolicy } from "../domain/privacy/retention";
import type { BusinessDirectory } from "../ports/business-directory.port";
import type { Clock } from "../ports/clock.port";
import type { Logger } from "../ports/logger.port";
import type { RetentionStore, SweepCounts } from "../ports/retention.port";
import { deleteDueRecordings, type RecordingDeletionDeps } from "./delete-recordings";
import { errorText, logError, logInfo } from "../logs";

export interface RetentionSweepDeps {
  store: RetentionStore;
  businesses: BusinessDirectory;
  clock: Clock;
  logger: Logger;
  /** Deletes callers' recordings at Twilio when due; absent without Twilio credentials. */
  recordings?: Pick<RecordingDeletionDeps, "remover" | "queue">;
}

const DAY_MS = 86_400_000;
/**
 * Conversations whose last update fell this many days before the business's
 * cut-off are looked at again: a week of missed runs is caught up. A first
 * run over old data passes `backfill` to look at every conversation.
 */
export const CATCH_UP_DAYS = 7;
/** Deletes per run, so one run stays well inside its timeout; the next run carries on. */
export const EXPIRED_PER_RUN = 5_000;
export const AGED_PER_BUSINESS = 2_000;

export async function sweepRetention(
  deps: RetentionSweepDeps,
  options: { backfill?: boolean } = {},
): Promise<SweepCounts> {
  const now = deps.clock.now();
  const expired = await deps.store.deleteExpired(now, EXPIRED_PER_RUN);
  let aged = 0;
  for (const businessId of await deps.store.businessIds()) {
    try {
      const business = await deps.businesses.getById(businessId);
      const days = business?.retention.transcriptDays ?? defaultRetentionPolicy.transcriptDays;
      const before = new Date(now.getTime() - days * DAY_MS);
      const from = options.backfill
        ? new Date(0)
        : new Date(before.getTime() - CATCH_UP_DAYS * DAY_MS);
      aged += await deps.store.deleteAged(businessId, from, before, AGED_PER_BUSINESS);
    } catch (error) {
      logError(deps.logger, "retention.business-failed", {
        businessId,
        error: errorText(error),
      });
    }
  }
  const recordings = deps.recordings
    ? await deleteDueRecordings({ ...deps.recordings, clock: deps.clock, logger: deps.logger })
    : { deleted: 0, failed: 0 };
  logInfo(deps.logger, "retention.swept", {
    expired,
    aged,
    recordingsDeleted: recordings.deleted,
    recordingsFailed: recordings.failed,
  });
  return { expired, aged, recordings };
}
