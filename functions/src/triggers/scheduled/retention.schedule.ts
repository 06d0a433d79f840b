import { onSchedule } from "firebase-functions/v2/scheduler";
import { sweepRetention } from "../../app/retention-sweep";
import { retentionSweepDeps } from "../../bootstrap";
import { FUNCTION_OPTIONS } from "../../function-options";
import { twilioAuthToken } from "../../params";

/**
 * Every night: deletes the transcripts each business's retention has
 * expired that Firestore's TTL has not deleted yet, and the callers'
 * recordings at Twilio whose time has come (app/retention-sweep.ts).
 */
export const retentionSweep = onSchedule(
  {
    ...FUNCTION_OPTIONS.retentionSweep,
    schedule: "every day 03:30",
    timeZone: "Europe/London",
    secrets: [twilioAuthToken],
  },
  async () => {
    await sweepRetention(retentionSweepDeps());
  },
);
