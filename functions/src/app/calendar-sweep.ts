import {
  CALENDAR_SWEEP_INTERVAL_MINUTES,
  reconnectSmsId,
  reconnectSmsText,
} from "../domain/calendar/calendar-sync.rules";
import type { BusinessDirectory } from "../ports/business-directory.port";
import type { CalendarConnections } from "../ports/calendar-sync.port";
import type { Clock } from "../ports/clock.port";
import type { Logger } from "../ports/logger.port";
import type { OutboxQueue } from "../ports/outbox.port";
import { pool } from "./worker-pool";
import { pullCalendarChanges, type PullCalendarDeps } from "./pull-calendar-changes";
import { type CalendarSyncDeps, syncAppointmentNow } from "./sync-appointment-to-calendar";
import { logError, logInfo, logWarn } from "../logs";

/**
 * The scheduled sweep: retries appointment syncs that are due (after the
 * trigger's own retries), then pulls the owner's changes from each connected
 * calendar. Each item is independent; one failing never stops the rest.
 */
export type CalendarSweepDeps = CalendarSyncDeps &
  PullCalendarDeps & { connections: CalendarConnections };

const BATCH_SIZE = 100;
const CONCURRENCY = 5;

export interface SweepSummary {
  retried: number;
  pulled: number;
  failures: number;
}

/** Runs `work` over `items` in the shared pool, and counts the failures. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>) {
  const settled = await pool(items, limit, work);
  return settled.filter((outcome) => outcome.status === "rejected").length;
}

export async function runCalendarSweep(deps: CalendarSweepDeps): Promise<SweepSummary> {
  const now = deps.clock.now();
  const due = await deps.queue.due(now, BATCH_SIZE);
  const syncFailures = await inPool(due, CONCURRENCY, (item) =>
    syncAppointmentNow(item, deps, { retryByThrowing: false }),
  );

  const businesses = await deps.connections.duePulls(now, BATCH_SIZE);
  const pullFailures = await inPool(businesses, CONCURRENCY, async (businessId) => {
    try {
      const pulled = await pullCalendarChanges(businessId, deps);
      if (pulled.status === "transient") {
        logWarn(deps.logger, "calendar.pull-deferred", { businessId });
      }
    } finally {
      // Next sweep either way; a little less than the interval so it is due by then.
      const nextMs = (CALENDAR_SWEEP_INTERVAL_MINUTES - 1) * 60_000;
      await deps.connections.schedulePull(businessId, new Date(now.getTime() + nextMs));
    }
  });
  const failures = syncFailures + pullFailures;
  if (failures > 0) logError(deps.logger, "calendar.sweep-failures", { failures });
  // The calendar sync backlog: retries due now, and how long the oldest has waited (docs/slos.md).
  logInfo(deps.logger, "calendar.sweep", {
    retried: due.length,
    pulled: businesses.length,
    failures,
    oldestDueMs: due.reduce((most, d) => Math.max(most, now.getTime() - d.dueAt.getTime()), 0),
    outcome: failures > 0 ? "failures" : "ok",
  });
  return { retried: due.length, pulled: businesses.length, failures };
}

export interface GrantRevokedDeps {
  connections: CalendarConnections;
  businesses: BusinessDirectory;
  outbox: OutboxQueue;
  clock: Clock;
  logger: Logger;
  /** Where the owner reconnects (the dashboard), for the SMS. */
  reconnectUrl: string;
}

/**
 * Google refused the business's refresh token (revoked, expired, password
 * changed): stop using it, so availability runs from Firestore alone, and text
 * the owner to reconnect, at most once a day however often it is noticed.
 */
export async function reportCalendarGrantRevoked(
  businessId: string,
  reason: string,
  deps: GrantRevokedDeps,
): Promise<void> {
  const now = deps.clock.now();
  const marked = await deps.connections.markNeedsReconnect(businessId, now, reason);
  logWarn(deps.logger, "calendar.needs-reconnect", {
    businessId,
    reason,
    firstNotice: marked === "marked",
  });
  const business = await deps.businesses.getById(businessId);
  if (!business) return;
  await deps.outbox.enqueue({
    id: reconnectSmsId(businessId, now, business.timeZone),
    businessId,
    to: business.ownerMobile,
    body: reconnectSmsText(business.name, deps.reconnectUrl),
    purpose: "owner-calendar-reconnect",
  });
}
