import { FirestoreAppointmentRepository } from "../adapters/firestore/appointment.repository";
import { FirestoreBusinessRepository } from "../adapters/firestore/business.repository";
import { appFirestore } from "../adapters/firestore/firestore-client";
import { FirestoreOutboxRepository } from "../adapters/firestore/outbox.repository";
import { FirestoreScheduledSmsRepository } from "../adapters/firestore/scheduled-sms.repository";
import { sendDueSms, type DueResult } from "../app/send-due-sms";
import { maskPhone } from "../logs";
import type { Clock } from "../ports/clock.port";
import type { Logger } from "../ports/logger.port";
import { LOCAL_STACK_DEADLINE_MS, withinLocalStackDeadline } from "./local-stack-deadline";

/**
 * Runs the reminder job once against the local Firestore, as the scheduled
 * function would, and prints what it did:
 *   npm run reminders -- --now 2026-11-26T08:00:00Z [--json]
 * --now pretends it is that moment (the job's clock only; queued texts are
 * delivered by the stack's outbox trigger as usual).
 */

export const DEFAULT_EMULATOR_HOST = "127.0.0.1:8080";
export const DEFAULT_PROJECT = "demo-bristol-plumbing";

export interface ToolOptions {
  now?: Date;
  json: boolean;
}

export function parseArgs(argv: readonly string[]): ToolOptions | { error: string } {
  const options: ToolOptions = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") options.json = true;
    else if (arg === "--now" || arg.startsWith("--now=")) {
      const value = arg === "--now" ? argv[++i] : arg.slice("--now=".length);
      const now = new Date(value ?? "");
      if (!value || Number.isNaN(now.getTime())) {
        return {
          error: `--now needs an ISO time such as 2026-11-26T08:00:00Z, got "${value ?? ""}"`,
        };
      }
      options.now = now;
    } else return { error: `unknown option ${arg}` };
  }
  return options;
}

/** One line per text, for people: what went out, what waits, what was dropped and why. */
export function describe(results: readonly DueResult[], now: Date): string[] {
  const lines = [`send-due-sms at ${now.toISOString()}: ${results.length} due`];
  for (const { item, result } of results) {
    const name = `${item.businessId}/${item.outboxId}`;
    switch (result.outcome) {
      case "queued":
        lines.push(`  queued    ${name} to ${maskPhone(result.to)}: ${result.body}`);
        break;
      case "already-queued":
        lines.push(`  already   ${name} (queued before)`);
        break;
      case "skipped":
        lines.push(`  skipped   ${name} (${result.reason})`);
        break;
      case "deferred":
        lines.push(`  deferred  ${name} until ${result.until.toISOString()}`);
        break;
      case "failed":
        lines.push(`  FAILED    ${name}: ${result.error}`);
        break;
    }
  }
  return lines;
}

const quietLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export async function main(argv: readonly string[]): Promise<number> {
  const options = parseArgs(argv);
  if ("error" in options) {
    console.error(`send-due-sms: ${options.error}`);
    return 2;
  }
  process.env.FIRESTORE_EMULATOR_HOST ??= DEFAULT_EMULATOR_HOST;
  process.env.GCLOUD_PROJECT ??= DEFAULT_PROJECT;
  const now = options.now ?? new Date();
  const clock: Clock = { now: () => now };
  const db = appFirestore();
  const outbox = new FirestoreOutboxRepository(db);
  const run = sendDueSms({
    scheduled: new FirestoreScheduledSmsRepository(db, () => now),
    businesses: new FirestoreBusinessRepository(db),
    appointments: new FirestoreAppointmentRepository(db),
    recipients: outbox,
    outbox,
    clock,
    logger: quietLogger,
  });
  try {
    const results = await withinLocalStackDeadline(run);
    if (results === "timeout") {
      console.error(
        `send-due-sms: no answer from Firestore at ${process.env.FIRESTORE_EMULATOR_HOST} ` +
          `within ${LOCAL_STACK_DEADLINE_MS / 1000}s. Is the local stack running (npm start)?`,
      );
      return 2;
    }
    if (options.json) {
      console.log(JSON.stringify({ now: now.toISOString(), results }));
    } else {
      for (const line of describe(results, now)) console.log(line);
    }
    return results.some((r) => r.result.outcome === "failed") ? 1 : 0;
  } catch (error) {
    console.error(`send-due-sms: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(2);
    },
  );
}
