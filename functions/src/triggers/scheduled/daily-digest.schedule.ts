import { onSchedule } from "firebase-functions/v2/scheduler";
import { FirestoreDigestSource } from "../../adapters/firestore/daily-digest.repository";
import { appFirestore } from "../../adapters/firestore/firestore-client";
import { FirestoreOutboxRepository } from "../../adapters/firestore/outbox.repository";
import { functionsLoggerAdapter } from "../../logs";
import { sendDailyDigests } from "../../app/send-daily-digest";
import { FUNCTION_OPTIONS } from "../../function-options";
import { systemClock } from "../../ports/clock.port";

/**
 * Every 15 minutes: each business whose digest time has come on its own clock
 * gets its daily digest (app/send-daily-digest.ts). Overlapping runs queue it
 * once: its outbox id is fixed per business and local day.
 */
export const dailyDigest = onSchedule(
  { ...FUNCTION_OPTIONS.dailyDigest, schedule: "every 15 minutes", timeZone: "Etc/UTC" },
  async () => {
    const db = appFirestore();
    await sendDailyDigests({
      source: new FirestoreDigestSource(db, functionsLoggerAdapter),
      outbox: new FirestoreOutboxRepository(db),
      clock: systemClock,
      logger: functionsLoggerAdapter,
    });
  },
);
