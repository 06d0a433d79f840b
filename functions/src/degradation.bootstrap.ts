import type { Firestore } from "firebase-admin/firestore";
import { FirestoreBusinessRepository } from "./adapters/firestore/business.repository";
import { FirestoreDegradationBoard } from "./adapters/firestore/degradation.repository";
import { FirestoreOutboxRepository } from "./adapters/firestore/outbox.repository";
import { functionsLoggerAdapter } from "./logs";
import { degradationReporter } from "./app/report-degradation";
import type { DegradationReporter } from "./ports/attention.port";
import { systemClock } from "./ports/clock.port";

/** How the functions tell the owner the receptionist is degraded (app/report-degradation.ts). */
export function degradationReporterOn(db: Firestore): DegradationReporter {
  return degradationReporter({
    board: new FirestoreDegradationBoard(db),
    outbox: new FirestoreOutboxRepository(db),
    businesses: new FirestoreBusinessRepository(db),
    clock: systemClock,
    logger: functionsLoggerAdapter,
  });
}
