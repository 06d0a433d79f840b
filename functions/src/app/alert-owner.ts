import type { Business } from "../domain/business/business";
import type { NewOutboxMessage, OutboxPurpose } from "../domain/delivery/outbox-message";
import type { NewScheduledSms } from "../domain/notifications/scheduled-sms";
import { deferPastWindow } from "../domain/notifications/send-windows";
import type { OutboxQueue } from "../ports/outbox.port";
import type { ScheduledSmsQueue } from "../ports/scheduled-sms.port";

export interface OwnerAlert {
  /** Deterministic, so a retried event or request alerts once. */
  outboxId: string;
  purpose: OutboxPurpose;
  body: string;
  /** The appointment, call or text it is about. */
  relatedId?: string;
  /** The appointment it is about, for the queue; alerts without one leave it empty. */
  appointmentId?: string;
  appointmentStartMillis?: number;
}

export interface AlertOwnerDeps {
  outbox: OutboxQueue;
  /** Without a queue (tests of other flows), alerts go at once. */
  scheduled?: ScheduledSmsQueue;
}

/**
 * Where a non-emergency owner alert goes: the outbox now, or the queue until
 * the business's quiet hours end (the send-due-sms job sends it then).
 * Emergencies never come through here: they are texted at once, whatever the hour.
 */
export function ownerAlertDelivery(
  business: Business,
  alert: OwnerAlert,
  now: Date,
  canWait = true,
): { outbox: NewOutboxMessage; dueAt: Date } | { scheduled: NewScheduledSms; dueAt: Date } {
  const dueAt = deferPastWindow(now, business.notifications.ownerQuietHours, business.timeZone);
  if (dueAt.getTime() <= now.getTime() || !canWait) {
    return {
      dueAt: now,
      outbox: {
        id: alert.outboxId,
        businessId: business.id,
        to: business.ownerMobile,
        body: alert.body,
        purpose: alert.purpose,
        ...(alert.relatedId ? { relatedId: alert.relatedId } : {}),
      },
    };
  }
  return {
    dueAt,
    scheduled: {
      outboxId: alert.outboxId,
      businessId: business.id,
      dueAt,
      kind: "owner-alert",
      purpose: alert.purpose,
      to: business.ownerMobile,
      body: alert.body,
      appointmentId: alert.appointmentId ?? "",
      appointmentStartMillis: alert.appointmentStartMillis ?? 0,
    },
  };
}

/**
 * A non-emergency alert to the owner, queued now or held past quiet hours
 * (ownerAlertDelivery); with `canWait` false, queued now whatever the hour.
 */
export async function alertOwner(
  business: Business,
  alert: OwnerAlert,
  now: Date,
  deps: AlertOwnerDeps,
  canWait = true,
): Promise<{ outcome: string; dueAt: Date }> {
  const delivery = ownerAlertDelivery(business, alert, now, canWait && Boolean(deps.scheduled));
  if ("scheduled" in delivery) {
    if (!deps.scheduled) throw new Error("an alert to hold needs the scheduled-SMS queue");
    return { outcome: await deps.scheduled.schedule(delivery.scheduled), dueAt: delivery.dueAt };
  }
  return { outcome: await deps.outbox.enqueue(delivery.outbox), dueAt: delivery.dueAt };
}
