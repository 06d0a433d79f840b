import { onSchedule } from "firebase-functions/v2/scheduler";
import { summariseIdleSmsThreads } from "../../app/summarise-conversation";
import { FUNCTION_OPTIONS } from "../../function-options";
import { anthropicApiKey } from "../../params";
import { summaryDeps } from "../../summary.bootstrap";

/**
 * Every 15 minutes: each text thread that has been idle for
 * SMS_SUMMARY_IDLE_MINUTES gets its summary (app/summarise-conversation.ts).
 * Overlapping runs write each summary once: it is written only while the
 * thread is still due as it was read.
 */
export const smsSummarySweep = onSchedule(
  {
    ...FUNCTION_OPTIONS.smsSummarySweep,
    schedule: "every 15 minutes",
    timeZone: "Etc/UTC",
    secrets: [anthropicApiKey],
  },
  async () => {
    await summariseIdleSmsThreads(summaryDeps());
  },
);
