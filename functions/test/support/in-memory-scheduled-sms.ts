import {
  scheduledSmsId,
  type NewScheduledSms,
  type ScheduledSms,
} from "../../src/domain/notifications/scheduled-sms";
import type { RecipientInfo, RecipientStatus } from "../../src/ports/recipient-status.port";
import type { ScheduledSmsQueue } from "../../src/ports/scheduled-sms.port";

/** The scheduledSms queue in memory, with the Firestore repository's rules. */
export class InMemoryScheduledSmsQueue implements ScheduledSmsQueue {
  readonly items = new Map<string, ScheduledSms & { reason?: string }>();

  async schedule(item: NewScheduledSms): Promise<"scheduled" | "already-scheduled"> {
    const id = scheduledSmsId(item.businessId, item.outboxId);
    const existing = this.items.get(id);
    if (existing && existing.status !== "skipped") return "already-scheduled";
    this.items.set(id, { ...structuredClone(item), id, status: "waiting" });
    return "scheduled";
  }

  async due(now: Date, limit: number): Promise<ScheduledSms[]> {
    return [...this.items.values()]
      .filter((i) => i.status === "waiting" && i.dueAt.getTime() <= now.getTime())
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
      .slice(0, limit)
      .map((i) => structuredClone(i));
  }

  async defer(businessId: string, outboxId: string, dueAt: Date): Promise<void> {
    const item = this.items.get(scheduledSmsId(businessId, outboxId));
    if (!item) throw new Error(`no scheduled text ${outboxId}`);
    item.dueAt = dueAt;
  }

  async finish(
    businessId: string,
    outboxId: string,
    outcome: { status: "sent" | "skipped"; reason: string },
  ): Promise<"finished" | "not-waiting"> {
    const item = this.items.get(scheduledSmsId(businessId, outboxId));
    if (!item || item.status !== "waiting") return "not-waiting";
    item.status = outcome.status;
    item.reason = outcome.reason;
    return "finished";
  }

  /** The entry for this outbox id; throws when there is none. */
  get(businessId: string, outboxId: string): ScheduledSms & { reason?: string } {
    const item = this.items.get(scheduledSmsId(businessId, outboxId));
    if (!item) throw new Error(`no scheduled text ${outboxId}`);
    return item;
  }

  waiting(): ScheduledSms[] {
    return [...this.items.values()].filter((i) => i.status === "waiting");
  }
}

/** Customers' opt-outs by phone number. */
export class InMemoryRecipients implements RecipientStatus {
  readonly optedOut = new Set<string>();

  async recipient(_businessId: string, e164: string): Promise<RecipientInfo> {
    return { optedOut: this.optedOut.has(e164) };
  }
}
