import { onSchedule } from "firebase-functions/v2/scheduler";
import { FirestoreBusinessRepository } from "../../adapters/firestore/business.repository";
import { appFirestore } from "../../adapters/firestore/firestore-client";
import { FirestoreRetentionStore } from "../../adapters/firestore/retention.repository";
import { functionsLoggerAdapter } from "../../adapters/logging/functions.logger";
import { sweepRetention } from "../../app/retention-sweep";
import { FUNCTION_OPTIONS } from "../../function-options";
import { systemClock } from "../../ports/clock.port";

/**
 * Every night: deletes the transcripts each business's retention has
 * expired that Firestore's TTL has not deleted yet (app/retention-sweep.ts).
 */
export const retentionSweep = onSchedule(
  { ...FUNCTION_OPTIONS.retentionSweep, schedule: "every day 03:30", timeZone: "Europe/London" },
  async () => {
    const db = appFirestore();
    await sweepRetention({
      store: new FirestoreRetentionStore(db),
      businesses: new FirestoreBusinessRepository(db),
      clock: systemClock,
      logger: functionsLoggerAdapter,
    });
  },
);
