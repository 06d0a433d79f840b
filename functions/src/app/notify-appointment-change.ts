import type { Business } from "../domain/business/business";
import type { OutboxPurpose } from "../domain/delivery/outbox-message";
import {
  cancellationAlertText,
  newBookingAlertText,
  scheduleChangeAlertText,
} from "../domain/notifications/alert-texts";
import {
  classifyAppointmentChange,
  type AppointmentChange,
} from "../domain/notifications/appointment-change";
import { renderTemplate, templateValues } from "../domain/notifications/notification-policy";
import { notificationIds } from "../domain/notifications/scheduled-sms";
import {
  deferPastWindow,
  isTodayOrTomorrow,
  planReminder,
} from "../domain/notifications/send-windows";
import type { Appointment } from "../domain/scheduling/appointment";
import type { BusinessDirectory } from "../ports/business-directory.port";
import { alertOwner as alertOwnerRespectingQuietHours } from "./alert-owner";
import { SMS_CANCEL_REASON, SMS_RESCHEDULE_REASON } from "./handle-inbound-sms";
import { OWNER_DASHBOARD_REASON } from "./dashboard-actions";
import type { Clock } from "../ports/clock.port";
import type { Logger } from "../ports/logger.port";
import type { OutboxQueue } from "../ports/outbox.port";
import type { RecipientStatus } from "../ports/recipient-status.port";
import type { ScheduledSmsQueue } from "../ports/scheduled-sms.port";
import { logInfo, logWarn } from "../logs";

export interface NotifyDeps {
  businesses: BusinessDirectory;
  outbox: OutboxQueue;
  scheduled: ScheduledSmsQueue;
  recipients: RecipientStatus;
  clock: Clock;
  logger: Logger;
}

/** One write to an appointment document, as the trigger saw it. */
export interface AppointmentWrite {
  businessId: string;
  appointmentId: string;
  before: Appointment | null;
  after: Appointment | null;
}

/** What was done, one line each ("queued owner-new-booking-apt1"), for logs and tests. */
export interface NotifyResult {
  change: AppointmentChange["kind"];
  actions: string[];
}

interface Run {
  business: Business;
  deps: NotifyDeps;
  now: Date;
  actions: string[];
}

/**
 * Texts about a booking that was made, cancelled or moved: the owner's alerts
 * (as the business configured them, held back by quiet hours), the
 * customer's confirmations (held back by their night), and reminders.
 *
 * Safe to run again for the same write: every text has a deterministic
 * outbox id (see notificationIds) and every scheduled text a deterministic
 * queue id, so a redelivered event stores nothing twice.
 */
export async function notifyAppointmentChange(
  write: AppointmentWrite,
  deps: NotifyDeps,
): Promise<NotifyResult> {
  const change = classifyAppointmentChange(write.before, write.after);
  const result: NotifyResult = { change: change.kind, actions: [] };
  if (change.kind === "other" || !write.after) return result;
  const business = await deps.businesses.getById(write.businessId);
  if (!business) {
    logWarn(deps.logger, "notifications.unknown-business", { businessId: write.businessId });
    return result;
  }
  const run: Run = { business, deps, now: deps.clock.now(), actions: result.actions };
  const appointment = write.after;
  // Changes to the past (tidying up the diary) concern nobody.
  if (appointment.start.getTime() <= run.now.getTime()) {
    result.actions.push("nothing: appointment is in the past");
    return result;
  }
  switch (change.kind) {
    case "created":
      await onCreated(appointment, run);
      break;
    case "cancelled":
      await onCancelled(appointment, run);
      break;
    case "moved":
      await onMoved(appointment, change.from, run);
      break;
  }
  logInfo(deps.logger, "notifications.appointment-change", {
    businessId: business.id,
    appointmentId: appointment.id,
    change: change.kind,
    actions: result.actions.length,
  });
  return result;
}

async function onCreated(appointment: Appointment, run: Run): Promise<void> {
  const { business, now } = run;
  if (business.notifications.ownerAlerts.newBooking) {
    await alertOwner(
      notificationIds.ownerNewBooking(appointment.id),
      "owner-new-booking",
      newBookingAlertText(appointment, business.timeZone, now),
      appointment,
      run,
    );
  }
  await scheduleReminders(appointment, run);
}

async function onCancelled(appointment: Appointment, run: Run): Promise<void> {
  const { business, now } = run;
  // The owner who cancelled it on the dashboard needs no text about it.
  const byOwner = appointment.cancelReason?.startsWith(OWNER_DASHBOARD_REASON) === true;
  if (business.notifications.ownerAlerts.cancellation && !byOwner) {
    await alertOwner(
      notificationIds.ownerCancelled(appointment.id),
      "owner-cancellation",
      cancellationAlertText(appointment, business.timeZone, now),
      appointment,
      run,
    );
  }
  // A customer who cancelled by text has had the inbound SMS flow's reply; one ack is enough.
  if (appointment.cancelReason === SMS_CANCEL_REASON) {
    run.actions.push("no cancellation text: the customer's own SMS was answered");
  } else {
    await textCustomer(
      notificationIds.customerCancelled(appointment.id),
      "appointment-cancelled",
      renderTemplate(
        business.notifications.templates.cancelled,
        templateValues(business, appointment),
      ),
      appointment,
      run,
    );
  }
  await dropReminders(appointment, appointment.start, "cancelled", run);
}

async function onMoved(appointment: Appointment, from: Date, run: Run): Promise<void> {
  const { business, now } = run;
  // Names this move; a move always stamps updatedAt, the old start is the fallback.
  const changeMillis = (appointment.updatedAt ?? from).getTime();
  const startMillis = appointment.start.getTime();
  // A customer who moved it by text has had the inbound SMS flow's reply; one ack is enough.
  if (appointment.rescheduleReason === SMS_RESCHEDULE_REASON) {
    run.actions.push("no moved text: the customer's own SMS was answered");
  } else {
    await textCustomer(
      notificationIds.customerMoved(appointment.id, startMillis, changeMillis),
      "appointment-moved",
      renderTemplate(business.notifications.templates.moved, templateValues(business, appointment)),
      appointment,
      run,
    );
  }
  const touchesSoon =
    isTodayOrTomorrow(from, now, business.timeZone) ||
    isTodayOrTomorrow(appointment.start, now, business.timeZone);
  const byOwner = appointment.rescheduleReason === OWNER_DASHBOARD_REASON;
  if (business.notifications.ownerAlerts.scheduleChange && touchesSoon && !byOwner) {
    await alertOwner(
      notificationIds.ownerMoved(appointment.id, startMillis, changeMillis),
      "owner-schedule-change",
      scheduleChangeAlertText(appointment, from, business.timeZone, now),
      appointment,
      run,
    );
  }
  await dropReminders(appointment, from, "moved", run);
  await scheduleReminders(appointment, run);
}

/** Now, or at the end of the owner's quiet hours. Emergencies never come this way. */
async function alertOwner(
  outboxId: string,
  purpose: OutboxPurpose,
  body: string,
  appointment: Appointment,
  run: Run,
): Promise<void> {
  const { business, deps, now } = run;
  const { outcome, dueAt } = await alertOwnerRespectingQuietHours(
    business,
    {
      outboxId,
      purpose,
      body,
      relatedId: appointment.id,
      appointmentId: appointment.id,
      appointmentStartMillis: appointment.start.getTime(),
    },
    now,
    deps,
  );
  run.actions.push(
    dueAt.getTime() > now.getTime()
      ? `${outcome} ${outboxId} for ${dueAt.toISOString()}`
      : `${outcome} ${outboxId}`,
  );
}

/** Now, or when the customer's night ends; never to a customer who opted out. */
async function textCustomer(
  outboxId: string,
  purpose: OutboxPurpose,
  body: string,
  appointment: Appointment,
  run: Run,
): Promise<void> {
  const { business, deps, now } = run;
  const recipient = await deps.recipients.recipient(business.id, appointment.customerPhone);
  if (recipient.optedOut) {
    run.actions.push(`not sent ${outboxId}: customer opted out`);
    return;
  }
  const dueAt = deferPastWindow(now, business.notifications.customerNight, business.timeZone);
  await sendOrSchedule(
    {
      outboxId,
      purpose,
      body,
      to: appointment.customerPhone,
      kind: "customer-confirmation",
      dueAt,
    },
    appointment,
    run,
  );
}

async function sendOrSchedule(
  text: {
    outboxId: string;
    purpose: OutboxPurpose;
    body: string;
    to: string;
    kind: "owner-alert" | "customer-confirmation";
    dueAt: Date;
  },
  appointment: Appointment,
  run: Run,
): Promise<void> {
  const { business, deps, now } = run;
  if (text.dueAt.getTime() <= now.getTime()) {
    const outcome = await deps.outbox.enqueue({
      id: text.outboxId,
      businessId: business.id,
      to: text.to,
      body: text.body,
      purpose: text.purpose,
      relatedId: appointment.id,
    });
    run.actions.push(`${outcome} ${text.outboxId}`);
    return;
  }
  const outcome = await deps.scheduled.schedule({
    outboxId: text.outboxId,
    businessId: business.id,
    dueAt: text.dueAt,
    kind: text.kind,
    purpose: text.purpose,
    to: text.to,
    body: text.body,
    appointmentId: appointment.id,
    appointmentStartMillis: appointment.start.getTime(),
  });
  run.actions.push(`${outcome} ${text.outboxId} for ${text.dueAt.toISOString()}`);
}

/** One queue entry per reminder window that still has a sensible time; see planReminder. */
async function scheduleReminders(appointment: Appointment, run: Run): Promise<void> {
  const { business, deps, now } = run;
  for (const window of business.notifications.reminders) {
    const outboxId = notificationIds.reminder(
      appointment.id,
      window.id,
      appointment.start.getTime(),
    );
    const plan = planReminder({
      start: appointment.start,
      minutesBefore: window.minutesBefore,
      night: business.notifications.customerNight,
      zone: business.timeZone,
      now,
    });
    if (!plan.send) {
      run.actions.push(`no reminder ${window.id}: ${plan.reason}`);
      continue;
    }
    const outcome = await deps.scheduled.schedule({
      outboxId,
      businessId: business.id,
      dueAt: plan.at,
      kind: "reminder",
      purpose: "appointment-reminder",
      to: appointment.customerPhone,
      appointmentId: appointment.id,
      appointmentStartMillis: appointment.start.getTime(),
      windowId: window.id,
      minutesBefore: window.minutesBefore,
    });
    run.actions.push(`${outcome} ${outboxId} for ${plan.at.toISOString()} (${plan.placement})`);
  }
}

/**
 * Marks the reminders planned for `start` as skipped. The job would skip them
 * anyway (it re-reads the appointment); this keeps the queue honest.
 */
async function dropReminders(
  appointment: Appointment,
  start: Date,
  reason: string,
  run: Run,
): Promise<void> {
  const { business, deps, now } = run;
  for (const window of business.notifications.reminders) {
    const outboxId = notificationIds.reminder(appointment.id, window.id, start.getTime());
    const outcome = await deps.scheduled.finish(business.id, outboxId, {
      status: "skipped",
      reason,
      at: now,
    });
    if (outcome === "finished") run.actions.push(`dropped ${outboxId}`);
  }
}
