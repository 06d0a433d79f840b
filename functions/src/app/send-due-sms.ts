import type { Business } from "../domain/business/business";
import { pool } from "./worker-pool";
import { renderTemplate, templateValues } from "../domain/notifications/notification-policy";
import { type ScheduledSms, supersededReminders } from "../domain/notifications/scheduled-sms";
import { deferPastWindow, placeReminder } from "../domain/notifications/send-windows";
import type { Appointment } from "../domain/scheduling/appointment";
import type { AppointmentStore } from "../ports/appointment-store.port";
import type { BusinessDirectory } from "../ports/business-directory.port";
import type { Clock } from "../ports/clock.port";
import type { Logger } from "../ports/logger.port";
import type { OutboxQueue } from "../ports/outbox.port";
import type { RecipientStatus } from "../ports/recipient-status.port";
import type { ScheduledSmsQueue } from "../ports/scheduled-sms.port";
import { logError, logInfo } from "../logs";

export interface SendDueDeps {
  scheduled: ScheduledSmsQueue;
  businesses: BusinessDirectory;
  appointments: AppointmentStore;
  recipients: RecipientStatus;
  outbox: OutboxQueue;
  clock: Clock;
  logger: Logger;
  /** Texts handled at once; the rest wait their turn in the pool. */
  concurrency?: number;
  /** Texts taken per run; more than this are picked up by the next run. */
  batchSize?: number;
}

export type DueOutcome =
  | { outcome: "queued"; to: string; body: string }
  /** Another run (or an earlier try of this one) queued it already. */
  | { outcome: "already-queued" }
  | { outcome: "skipped"; reason: string }
  | { outcome: "deferred"; until: Date };

export interface DueResult {
  item: Pick<ScheduledSms, "id" | "businessId" | "outboxId" | "kind" | "purpose">;
  result: DueOutcome | { outcome: "failed"; error: string };
}

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_BATCH_SIZE = 300;

/**
 * Sends every waiting text that is due: reminders (rendered now, from the
 * business's current template, for the appointment as it is now) and the
 * alerts and confirmations that quiet hours or the night held back.
 *
 * Running it twice, or two runs at once, texts nobody twice: each text is
 * queued under its deterministic outbox id, which the outbox stores once.
 * One text failing does not stop the others; it stays waiting for the next run.
 */
export async function sendDueSms(deps: SendDueDeps): Promise<DueResult[]> {
  const now = deps.clock.now();
  const due = await deps.scheduled.due(now, deps.batchSize ?? DEFAULT_BATCH_SIZE);
  const businesses = new Map<string, Promise<Business | null>>();
  const businessOf = (id: string) => {
    if (!businesses.has(id)) businesses.set(id, deps.businesses.getById(id));
    return businesses.get(id) as Promise<Business | null>;
  };
  const superseded = supersededReminders(due);
  const settled = await pool(due, deps.concurrency ?? DEFAULT_CONCURRENCY, (item) =>
    superseded.has(item.id)
      ? skipItem(item, "a later reminder for the same visit is due now", now, deps)
      : sendOne(item, now, businessOf, deps),
  );
  const results = settled.map((outcome, i): DueResult => {
    const { id, businessId, outboxId, kind, purpose } = due[i];
    const item = { id, businessId, outboxId, kind, purpose };
    if (outcome.status === "fulfilled") return { item, result: outcome.value };
    const error = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
    logError(deps.logger, "scheduled-sms.failed", { businessId, outboxId, error });
    return { item, result: { outcome: "failed", error } };
  });
  // How late the most overdue text was when this run picked it up: reminder punctuality (docs/slos.md).
  const latenessMs = due.reduce((most, d) => Math.max(most, now.getTime() - d.dueAt.getTime()), 0);
  logInfo(deps.logger, "scheduled-sms.run", {
    due: due.length,
    latenessMs,
    queued: results.filter((r) => r.result.outcome === "queued").length,
    failed: results.filter((r) => r.result.outcome === "failed").length,
  });
  return results;
}

async function skipItem(
  item: ScheduledSms,
  reason: string,
  now: Date,
  deps: SendDueDeps,
): Promise<DueOutcome> {
  await deps.scheduled.finish(item.businessId, item.outboxId, {
    status: "skipped",
    reason,
    at: now,
  });
  return { outcome: "skipped", reason };
}

async function sendOne(
  item: ScheduledSms,
  now: Date,
  businessOf: (id: string) => Promise<Business | null>,
  deps: SendDueDeps,
): Promise<DueOutcome> {
  const skip = (reason: string): Promise<DueOutcome> => skipItem(item, reason, now, deps);
  const business = await businessOf(item.businessId);
  if (!business) return skip("unknown business");

  if (item.kind === "owner-alert") {
    return queue(item, item.to, item.body ?? "", now, deps);
  }

  // Customer texts: about the appointment as it is now, never at night, never after opting out.
  const appointment = await deps.appointments.get(item.businessId, item.appointmentId);
  const stale = staleness(item, appointment, now);
  if (stale || !appointment) return skip(stale ?? "appointment not found");
  if ((await deps.recipients.recipient(item.businessId, item.to)).optedOut) {
    return skip("customer opted out");
  }
  const { customerNight } = business.notifications;

  if (item.kind === "customer-confirmation") {
    const until = deferPastWindow(now, customerNight, business.timeZone);
    if (until.getTime() > now.getTime()) return defer(item, until, now, deps);
    return queue(item, item.to, item.body ?? "", now, deps);
  }

  // A reminder: the job may run late into the night, so place it again from now.
  const plan = placeReminder({
    due: item.dueAt,
    start: appointment.start,
    minutesBefore: item.minutesBefore ?? 0,
    night: customerNight,
    zone: business.timeZone,
    now,
  });
  if (!plan.send) return skip(plan.reason);
  if (plan.at.getTime() > now.getTime()) return defer(item, plan.at, now, deps);
  const body = renderTemplate(
    business.notifications.templates.reminder,
    templateValues(business, appointment),
  );
  const outcome = await queue(item, appointment.customerPhone, body, now, deps);
  // Replies (YES, 2, 3) are read against this; a customer who confirmed stays confirmed.
  if (appointment.confirmation !== "confirmed") {
    await deps.appointments.annotate(item.businessId, appointment.id, {
      confirmation: "requested",
    });
  }
  return outcome;
}

/** Why a customer text no longer applies to its appointment, if it does not. */
function staleness(item: ScheduledSms, appointment: Appointment | null, now: Date): string | null {
  if (!appointment) return "appointment not found";
  // A cancellation confirmation is about the cancelled appointment; nothing else applies.
  if (item.purpose === "appointment-cancelled") return null;
  if (appointment.status === "cancelled") return "appointment cancelled";
  if (appointment.start.getTime() !== item.appointmentStartMillis) {
    return "appointment moved since (the new time has its own texts)";
  }
  if (appointment.start.getTime() <= now.getTime()) return "appointment already started";
  return null;
}

async function queue(
  item: ScheduledSms,
  to: string,
  body: string,
  now: Date,
  deps: SendDueDeps,
): Promise<DueOutcome> {
  const outcome = await deps.outbox.enqueue({
    id: item.outboxId,
    businessId: item.businessId,
    to,
    body,
    purpose: item.purpose,
    relatedId: item.appointmentId,
  });
  await deps.scheduled.finish(item.businessId, item.outboxId, {
    status: "sent",
    reason: outcome,
    at: now,
  });
  return outcome === "queued" ? { outcome, to, body } : { outcome };
}

async function defer(
  item: ScheduledSms,
  until: Date,
  now: Date,
  deps: SendDueDeps,
): Promise<DueOutcome> {
  await deps.scheduled.defer(item.businessId, item.outboxId, until, now);
  return { outcome: "deferred", until };
}
