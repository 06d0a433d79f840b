import type { Business } from "../domain/business/business";
import { digestDue, digestOutboxId, digestText } from "../domain/notifications/daily-digest";
import type { Clock } from "../ports/clock.port";
import type { DigestSource } from "../ports/daily-digest.port";
import type { Logger } from "../ports/logger.port";
import type { OutboxQueue } from "../ports/outbox.port";
import { pool } from "./worker-pool";
import { logError, logInfo } from "../logs";

export interface DailyDigestDeps {
  source: DigestSource;
  outbox: OutboxQueue;
  clock: Clock;
  logger: Logger;
  /** Businesses handled at once. */
  concurrency?: number;
}

export type DigestOutcome =
  | { outcome: "not-due" }
  | { outcome: "nothing-to-report"; localDay: string }
  | { outcome: "queued" | "already-queued"; localDay: string; outboxId: string; body: string }
  | { outcome: "failed"; error: string };

/**
 * Texts each business's owner its daily digest when its digest time has come
 * on its own clock. Safe to run as often as wanted, and two runs at once: the
 * digest for a business and local day has one outbox id, stored once, and
 * covers a fixed window, so every run that queues it queues the same text.
 * One business failing does not stop the others.
 */
export async function sendDailyDigests(
  deps: DailyDigestDeps,
): Promise<Array<{ businessId: string; result: DigestOutcome }>> {
  const now = deps.clock.now();
  const businesses = await deps.source.businesses();
  const settled = await pool(businesses, deps.concurrency ?? 8, (business) =>
    digestFor(business, now, deps),
  );
  const results = settled.map((s, i) => {
    const businessId = businesses[i].id;
    if (s.status === "fulfilled") return { businessId, result: s.value };
    const error = s.reason instanceof Error ? s.reason.message : String(s.reason);
    logError(deps.logger, "digest.failed", { businessId, error });
    return { businessId, result: { outcome: "failed", error } as DigestOutcome };
  });
  logInfo(deps.logger, "digest.run", {
    businesses: businesses.length,
    queued: results.filter((r) => r.result.outcome === "queued").length,
    failed: results.filter((r) => r.result.outcome === "failed").length,
  });
  return results;
}

async function digestFor(
  business: Business,
  now: Date,
  deps: DailyDigestDeps,
): Promise<DigestOutcome> {
  const due = digestDue(now, business.notifications.digestTime, business.timeZone);
  if (!due) return { outcome: "not-due" };
  const summaries = await deps.source.summariesBetween(business.id, due.from, due.to);
  const body = digestText(business, due.localDay, summaries);
  if (body === null) return { outcome: "nothing-to-report", localDay: due.localDay };
  const outboxId = digestOutboxId(business.id, due.localDay);
  const outcome = await deps.outbox.enqueue({
    id: outboxId,
    businessId: business.id,
    to: business.ownerMobile,
    body,
    purpose: "owner-daily-digest",
  });
  logInfo(deps.logger, "digest.queued", {
    businessId: business.id,
    localDay: due.localDay,
    outcome,
  });
  return { outcome, localDay: due.localDay, outboxId, body };
}
