import {
  type AppointmentRef,
  calendarEventFor,
  calendarEventIdFor,
} from "../domain/calendar/calendar-event";
import {
  type CalendarFacts,
  calendarNeedsSync,
  calendarRetryDelayMs,
  calendarWritePlan,
  MAX_CALENDAR_SYNC_ATTEMPTS,
  TRIGGER_RETRY_ATTEMPTS,
} from "../domain/calendar/calendar-sync.rules";
import type { Appointment, CalendarSync } from "../domain/scheduling/appointment";
import type { AppointmentStore } from "../ports/appointment-store.port";
import type { BusinessDirectory } from "../ports/business-directory.port";
import type {
  CalendarEventWriter,
  CalendarSyncQueue,
  CalendarWriteResult,
} from "../ports/calendar-sync.port";
import type { Clock } from "../ports/clock.port";
import type { Logger } from "../ports/logger.port";

/**
 * Appointments -> the owner's Google Calendar. The appointment is always
 * stored first (this runs from a Firestore trigger on it), so a calendar
 * failure never loses a booking: it is recorded on the appointment's
 * `calendar` field and retried, first by the platform, then by the sweep.
 */
import type { DegradationReporter } from "../ports/attention.port";
import { logError, logInfo, logWarn } from "../logs";

export interface CalendarSyncDeps {
  appointments: AppointmentStore;
  businesses: BusinessDirectory;
  calendar: CalendarEventWriter;
  queue: CalendarSyncQueue;
  clock: Clock;
  logger: Logger;
  /** DASHBOARD_BASE_URL: events link back to the appointment there. */
  dashboardBaseUrl: string;
  /** Told when Google stays unreachable after every retry. */
  degradation?: DegradationReporter;
}

/** Thrown so a retrying trigger gets another go with backoff. */
export class TransientCalendarSyncError extends Error {}

export type CalendarSyncOutcome =
  /** The write changed nothing the event shows (e.g. our own sync-state annotation). */
  | "ignored"
  | "synced"
  | "not-connected"
  | "retry-scheduled"
  /** Gave up: permanent error or too many attempts; the appointment shows state "error". */
  | "failed";

export interface AppointmentChange {
  ref: AppointmentRef;
  /** Undefined when the document did not exist before (created) or after (deleted). */
  before?: CalendarFacts;
  after?: CalendarFacts;
}

/** Entry point of the Firestore trigger: one write to an appointment document. */
export async function syncAppointmentChange(
  change: AppointmentChange,
  deps: CalendarSyncDeps,
): Promise<CalendarSyncOutcome> {
  if (!calendarNeedsSync(change.before, change.after)) return "ignored";
  return syncAppointmentNow(change.ref, deps, { retryByThrowing: true });
}

/**
 * Makes the calendar match the appointment as stored now (not as one event
 * described it), so repeated, late or out-of-order events all converge.
 */
export async function syncAppointmentNow(
  ref: AppointmentRef,
  deps: CalendarSyncDeps,
  options: { retryByThrowing: boolean },
): Promise<CalendarSyncOutcome> {
  // Only the two ids: callers may pass a queue item carrying more.
  ref = { businessId: ref.businessId, appointmentId: ref.appointmentId };
  const current = await deps.appointments.get(ref.businessId, ref.appointmentId);
  const plan = calendarWritePlan(current);
  const previous = current?.calendar;
  let result: CalendarWriteResult;
  if (plan === "delete" || !current) {
    result = await deps.calendar.deleteEvent(
      ref.businessId,
      previous?.eventId ?? calendarEventIdFor(ref),
    );
  } else {
    const business = await deps.businesses.getById(ref.businessId);
    if (!business) {
      logError(deps.logger, "calendar.sync-failed", { ...ref, reason: "unknown business" });
      return "failed";
    }
    const event = calendarEventFor(current, {
      timeZone: business.timeZone,
      dashboardBaseUrl: deps.dashboardBaseUrl,
    });
    result = await deps.calendar.writeEvent(ref.businessId, event, plan);
  }
  return recordResult(ref, current, result, deps, options);
}

/** Tries this change has had so far: counting restarts after each success. */
function priorAttempts(sync: CalendarSync | undefined): number {
  return sync && (sync.state === "pending" || sync.state === "error") ? sync.attempts : 0;
}

async function recordResult(
  ref: AppointmentRef,
  current: Appointment | null,
  result: CalendarWriteResult,
  deps: CalendarSyncDeps,
  options: { retryByThrowing: boolean },
): Promise<CalendarSyncOutcome> {
  const now = deps.clock.now();
  const previous = current?.calendar;
  const attempts = priorAttempts(previous) + 1;
  const annotate = async (calendar: CalendarSync) => {
    if (current) await deps.appointments.annotate(ref.businessId, ref.appointmentId, { calendar });
  };

  switch (result.status) {
    case "done":
      await annotate({ state: "synced", eventId: result.eventId, attempts, updatedAt: now });
      if (previous?.state === "pending" || previous?.state === "error")
        await deps.queue.remove(ref);
      logInfo(deps.logger, "calendar.synced", { ...ref, eventId: result.eventId, attempts });
      return "synced";

    case "not-connected":
      // Nothing to do: bookings run from Firestore alone. A later connect backfills.
      if (previous?.state !== "not-connected") {
        await annotate({ state: "not-connected", attempts: 0, updatedAt: now });
      }
      await deps.queue.remove(ref);
      return "not-connected";

    case "permanent":
      await annotate({
        state: "error",
        eventId: previous?.eventId,
        attempts,
        lastError: result.reason,
        updatedAt: now,
      });
      await deps.queue.remove(ref);
      logError(deps.logger, "calendar.sync-failed", { ...ref, attempts, reason: result.reason });
      return "failed";

    case "transient": {
      if (attempts >= MAX_CALENDAR_SYNC_ATTEMPTS) {
        await annotate({
          state: "error",
          eventId: previous?.eventId,
          attempts,
          lastError: result.reason,
          updatedAt: now,
        });
        await deps.queue.remove(ref);
        logError(deps.logger, "calendar.sync-failed", { ...ref, attempts, reason: result.reason });
        await deps.degradation?.report(ref.businessId, "calendar-unreachable", result.reason);
        return "failed";
      }
      await annotate({
        state: "pending",
        eventId: previous?.eventId,
        attempts,
        lastError: result.reason,
        updatedAt: now,
      });
      // The sweep's copy of the retry, in case the platform's retries run out or never come.
      const dueAt = new Date(now.getTime() + calendarRetryDelayMs(attempts));
      await deps.queue.schedule({ ...ref, attempts, dueAt });
      logWarn(deps.logger, "calendar.sync-retry", { ...ref, attempts, reason: result.reason });
      if (options.retryByThrowing && attempts < TRIGGER_RETRY_ATTEMPTS) {
        throw new TransientCalendarSyncError(result.reason);
      }
      return "retry-scheduled";
    }
  }
}
