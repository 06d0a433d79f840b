import { FirestoreConversationSummaryRepository } from "../adapters/firestore/conversation-summary.repository";
import { appFirestore } from "../adapters/firestore/firestore-client";
import { summariseIdleSmsThreads } from "../app/summarise-conversation";
import type { DueSmsThread } from "../ports/conversation-summary.port";
import type { Logger } from "../ports/logger.port";
import { DEFAULT_EMULATOR_HOST, DEFAULT_PROJECT, parseArgs } from "./send-due-sms";
import { LOCAL_STACK_DEADLINE_MS, withinLocalStackDeadline } from "./local-stack-deadline";

/**
 * Runs the idle text-thread summaries once against the local Firestore, as the
 * scheduled smsSummarySweep would (the emulators run no schedules), and
 * prints what it did:
 *   npm run summaries -- [--now 2026-11-26T12:00:00Z] [--json]
 * --now pretends it is that moment: threads quiet for two hours by then are summarised.
 * Deterministic summaries only: the local stack has no model key.
 */

const quietLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** One line per thread, for people. */
export function describe(
  results: ReadonlyArray<{ thread: DueSmsThread; result: string }>,
  now: Date,
): string[] {
  return [
    `summarise-sms-threads at ${now.toISOString()}: ${results.length} due`,
    ...results.map(
      ({ thread, result }) => `  ${result.padEnd(10)}${thread.businessId}/${thread.conversationId}`,
    ),
  ];
}

export async function main(
  argv: readonly string[],
  print: (line: string) => void = console.log,
): Promise<number> {
  const options = parseArgs(argv);
  if ("error" in options) {
    console.error(`summarise-sms-threads: ${options.error}`);
    return 2;
  }
  process.env.FIRESTORE_EMULATOR_HOST ??= DEFAULT_EMULATOR_HOST;
  process.env.GCLOUD_PROJECT ??= DEFAULT_PROJECT;
  const now = options.now ?? new Date();
  const store = new FirestoreConversationSummaryRepository(appFirestore());
  const run = summariseIdleSmsThreads({
    threads: store,
    clock: { now: () => now },
    logger: quietLogger,
  });
  try {
    const results = await withinLocalStackDeadline(run);
    if (results === "timeout") {
      console.error(
        `summarise-sms-threads: no answer from Firestore at ${process.env.FIRESTORE_EMULATOR_HOST} ` +
          `within ${LOCAL_STACK_DEADLINE_MS / 1000}s. Is the local stack running (npm start)?`,
      );
      return 2;
    }
    if (options.json) print(JSON.stringify({ now: now.toISOString(), results }));
    else for (const line of describe(results, now)) print(line);
    return results.some((r) => r.result === "failed") ? 1 : 0;
  } catch (error) {
    console.error(
      `summarise-sms-threads: ${error instanceof Error ? error.message : String(error)}`,
    );
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
