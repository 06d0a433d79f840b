import {
  movedOntoClashNote,
  movedOntoClashSmsId,
  movedOntoClashSmsText,
} from "../domain/calendar/calendar-sync.rules";
import type { AppointmentStore } from "../ports/appointment-store.port";
import type { BusinessDirectory } from "../ports/business-directory.port";
import type { CalendarChangeFeed, CalendarEventChange } from "../ports/calendar-sync.port";
import type { Clock } from "../ports/clock.port";
import type { Logger } from "../ports/logger.port";
import type { OutboxQueue } from "../ports/outbox.port";
import { logInfo, logWarn } from "../logs";

/**
 * Google Calendar -> appointments: what the owner did to our events there.
 * A moved event moves its appointment (unless that would double-book), a
 * deleted one cancels it. Personal events are not read here; they reach
 * availability as busy time through freebusy.
 */
export interface PullCalendarDeps {
  feed: CalendarChangeFeed;
  appointments: AppointmentStore;
  businesses: BusinessDirectory;
  outbox: OutboxQueue;
  clock: Clock;
  logger: Logger;
}

export const DELETED_IN_GOOGLE_REASON = "deleted in Google Calendar";

export type AppliedChange = "moved" | "cancelled" | "clash" | "unchanged" | "skipped";

export interface PullSummary {
  status: "ok" | "not-connected" | "transient";
  applied: Record<AppliedChange, number>;
  fullResync: boolean;
}

export async function pullCalendarChanges(
  businessId: string,
  deps: PullCalendarDeps,
): Promise<PullSummary> {
  const applied: Record<AppliedChange, number> = {
    moved: 0,
    cancelled: 0,
    clash: 0,
    unchanged: 0,
    skipped: 0,
  };
  const feed = await deps.feed.changesSince(businessId);
  if (feed.status !== "ok") return { status: feed.status, applied, fullResync: false };
  for (const change of feed.changes) {
    // An event of ours in this calendar naming another business is not ours to act on.
    if (change.ref.businessId !== businessId) {
      applied.skipped += 1;
      continue;
    }
    applied[await applyChange(businessId, change, deps)] += 1;
  }
  // Only after every change is applied: a crash above re-reads them next time.
  await deps.feed.commitChanges(businessId, feed.checkpoint);
  if (applied.moved + applied.cancelled + applied.clash > 0 || feed.fullResync) {
    logInfo(deps.logger, "calendar.changes-pulled", {
      businessId,
      ...applied,
      fullResync: feed.fullResync,
    });
  }
  return { status: "ok", applied, fullResync: feed.fullResync };
}

async function applyChange(
  businessId: string,
  change: CalendarEventChange,
  deps: PullCalendarDeps,
): Promise<AppliedChange> {
  const { appointmentId } = change.ref;
  const appointment = await deps.appointments.get(businessId, appointmentId);
  if (!appointment || appointment.status === "cancelled") return "skipped";
  // A write of ours still on its way to Google: the event shows the past, and ours wins.
  if (appointment.calendar?.state === "pending" || !appointment.calendar) return "skipped";
  const now = deps.clock.now();

  if (change.cancelled) {
    await deps.appointments.cancel(businessId, appointmentId, DELETED_IN_GOOGLE_REASON, now);
    logInfo(deps.logger, "calendar.appointment-cancelled", { businessId, appointmentId });
    return "cancelled";
  }
  if (!change.start || !change.end) return "skipped";
  if (
    change.start.getTime() === appointment.start.getTime() &&
    change.end.getTime() === appointment.end.getTime()
  ) {
    return "unchanged";
  }
  const moved = await deps.appointments.reschedule(
    businessId,
    appointmentId,
    change.start,
    change.end,
    now,
  );
  if (moved.outcome === "rescheduled") {
    logInfo(deps.logger, "calendar.appointment-moved", { businessId, appointmentId });
    return "moved";
  }
  if (moved.outcome === "not-found") return "skipped";

  // Never double-book: keep the booked time and ask the owner to choose another.
  const business = await deps.businesses.getById(businessId);
  const timeZone = business?.timeZone ?? "UTC";
  await deps.appointments.annotate(businessId, appointmentId, {
    calendar: {
      state: "error",
      eventId: change.eventId,
      attempts: 0,
      lastError: movedOntoClashNote(change.start, timeZone),
      updatedAt: now,
    },
  });
  if (business) {
    await deps.outbox.enqueue({
      id: movedOntoClashSmsId(appointmentId, change.start),
      businessId,
      to: business.ownerMobile,
      body: movedOntoClashSmsText(business.name, appointment, change.start, timeZone),
      purpose: "owner-calendar-clash",
      relatedId: appointmentId,
    });
  }
  logWarn(deps.logger, "calendar.move-clashes", { businessId, appointmentId });
  return "clash";
}
