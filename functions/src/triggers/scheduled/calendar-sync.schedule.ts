import { onSchedule } from "firebase-functions/v2/scheduler";
import { runCalendarSweep } from "../../app/calendar-sweep";
import { CALENDAR_SECRETS, calendarRuntime } from "../../calendar.bootstrap";
import { CALENDAR_SWEEP_INTERVAL_MINUTES } from "../../domain/calendar/calendar-sync.rules";
import { FUNCTION_OPTIONS } from "../../function-options";

/**
 * Every 15 minutes: retries appointment syncs the trigger could not finish
 * (calendarSyncQueue, by dueAt), then pulls each connected calendar's changes
 * to our events (events.list with a sync token) into the appointments.
 */
export const calendarSyncSweep = onSchedule(
  {
    ...FUNCTION_OPTIONS.calendarSyncSweep,
    schedule: `every ${CALENDAR_SWEEP_INTERVAL_MINUTES} minutes`,
    secrets: CALENDAR_SECRETS,
  },
  async () => {
    const runtime = calendarRuntime();
    // Nothing to sync with when the integration is not configured.
    if (!runtime.oauth) return;
    await runCalendarSweep(runtime.deps);
  },
);
