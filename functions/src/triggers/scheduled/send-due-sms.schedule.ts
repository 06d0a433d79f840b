import { onSchedule } from "firebase-functions/v2/scheduler";
import { FirestoreAppointmentRepository } from "../../adapters/firestore/appointment.repository";
import { FirestoreBusinessRepository } from "../../adapters/firestore/business.repository";
import { appFirestore } from "../../adapters/firestore/firestore-client";
import { FirestoreOutboxRepository } from "../../adapters/firestore/outbox.repository";
import { FirestoreScheduledSmsRepository } from "../../adapters/firestore/scheduled-sms.repository";
import { functionsLoggerAdapter } from "../../logs";
import { sendDueSms as run } from "../../app/send-due-sms";
import { systemClock } from "../../ports/clock.port";
import { FUNCTION_OPTIONS } from "../../function-options";

/**
 * Every five minutes: reminders and held-back texts that are due (see
 * app/send-due-sms.ts). Overlapping runs are harmless: each text is queued
 * under its deterministic outbox id, stored once.
 */
export const sendDueSms = onSchedule(
  { ...FUNCTION_OPTIONS.sendDueSms, schedule: "every 5 minutes", timeZone: "Etc/UTC" },
  async () => {
    const db = appFirestore();
    const outbox = new FirestoreOutboxRepository(db);
    await run({
      scheduled: new FirestoreScheduledSmsRepository(db),
      businesses: new FirestoreBusinessRepository(db),
      appointments: new FirestoreAppointmentRepository(db),
      recipients: outbox,
      outbox,
      clock: systemClock,
      logger: functionsLoggerAdapter,
    });
  },
);
