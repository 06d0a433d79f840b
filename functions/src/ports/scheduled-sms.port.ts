import type { NewScheduledSms, ScheduledSms } from "../domain/notifications/scheduled-sms";

/** Texts waiting for their time (see domain/notifications/scheduled-sms.ts). */
export interface ScheduledSmsQueue {
  /**
   * Stores it as waiting. The same outbox id again is "already-scheduled",
   * except that one skipped earlier (its appointment moved away and back) waits again.
   */
  schedule(item: NewScheduledSms): Promise<"scheduled" | "already-scheduled">;
  /** Waiting texts due at or before `now`, earliest first, at most `limit`. */
  due(now: Date, limit: number): Promise<ScheduledSms[]>;
  /** Moves a waiting text to a later time (the job found it inside the night). */
  defer(businessId: string, outboxId: string, dueAt: Date, at: Date): Promise<void>;
  /** Marks a waiting text done; one that is done already keeps its first outcome. */
  finish(
    businessId: string,
    outboxId: string,
    outcome: { status: "sent" | "skipped"; reason: string; at: Date },
  ): Promise<"finished" | "not-waiting">;
}
