import type { OutboxPurpose } from "../delivery/outbox-message";

/**
 * A text that waits for its time: a reminder, or an alert or confirmation
 * held back by quiet hours or the customer's night. Kept in the top-level
 * scheduledSms collection, indexed by (status, dueAt), and sent by the
 * send-due-sms job.
 */
export type ScheduledSmsStatus = "waiting" | "sent" | "skipped";

export type ScheduledSmsKind =
  /** Rendered from the business's reminder template when it is sent. */
  | "reminder"
  /** A moved or cancelled confirmation, rendered when it was scheduled. */
  | "customer-confirmation"
  /** A non-emergency owner alert, rendered when it was scheduled. */
  | "owner-alert";

export interface NewScheduledSms {
  /** The outbox id the text will be queued under; unique within the business. */
  outboxId: string;
  businessId: string;
  dueAt: Date;
  kind: ScheduledSmsKind;
  purpose: OutboxPurpose;
  to: string;
  appointmentId: string;
  /** The appointment start this text was planned for: a different start now makes it stale. */
  appointmentStartMillis: number;
  /** The text itself, for alerts and confirmations; reminders are rendered when sent. */
  body?: string;
  /** Reminders: which window, and its lead time when it was planned. */
  windowId?: string;
  minutesBefore?: number;
}

export interface ScheduledSms extends NewScheduledSms {
  /** Top-level document id: the business and the outbox id. */
  id: string;
  status: ScheduledSmsStatus;
}

/** The queue document id: outbox ids are unique per business, the queue is shared. */
export function scheduledSmsId(businessId: string, outboxId: string): string {
  return `${businessId}__${outboxId}`;
}

/**
 * Deterministic outbox ids, one per change, so a redelivered event or a
 * second run of the job queues the same id and the outbox stores it once.
 * A move is named by its new start and the time it was made, so moving
 * there, away and back again still tells the customer each time.
 */
export const notificationIds = {
  ownerNewBooking: (appointmentId: string) => `owner-new-booking-${appointmentId}`,
  ownerCancelled: (appointmentId: string) => `owner-cancelled-${appointmentId}`,
  ownerMoved: (appointmentId: string, startMillis: number, changeMillis: number) =>
    `owner-moved-${appointmentId}-${startMillis}-${changeMillis}`,
  customerCancelled: (appointmentId: string) => `cancelled-${appointmentId}`,
  customerMoved: (appointmentId: string, startMillis: number, changeMillis: number) =>
    `moved-${appointmentId}-${startMillis}-${changeMillis}`,
  reminder: (appointmentId: string, windowId: string, startMillis: number) =>
    `reminder-${appointmentId}-${windowId}-${startMillis}`,
} as const;

/**
 * Of the reminders of one visit that fall due in the same run (the job was
 * down, or both windows passed meanwhile), only the latest window is sent:
 * the others would say the same words at the same moment. The ids of the
 * ones to skip.
 */
export function supersededReminders(due: readonly ScheduledSms[]): Set<string> {
  const visit = (item: ScheduledSms) =>
    `${item.businessId}/${item.appointmentId}/${item.appointmentStartMillis}`;
  const latest = new Map<string, ScheduledSms>();
  for (const item of due) {
    if (item.kind !== "reminder") continue;
    const held = latest.get(visit(item));
    if (!held || (item.minutesBefore ?? 0) < (held.minutesBefore ?? 0))
      latest.set(visit(item), item);
  }
  return new Set(
    due
      .filter((item) => item.kind === "reminder" && latest.get(visit(item)) !== item)
      .map((item) => item.id),
  );
}
