import type { LiveData } from "./data";
import type { Conversation } from "./model";

/**
 * The "Needs you" queue: what the owner should act on, most urgent first.
 * Emergencies nobody has marked handled, callbacks and messages, callers
 * who hung up before booking, customers' texts, texts that failed, and a
 * calendar that needs reconnecting, and the receptionist itself degraded
 * (calendar unreachable, texts failing, the language model not answering).
 * Once a call has ended, or a text thread has gone quiet, its summary's
 * needs-owner flag (domain/summaries, the same rule as the daily digest)
 * decides; before that, and for texts that came after a thread's summary,
 * what the conversation shows so far.
 */
export type NeedKind =
  "emergency" | "callback" | "lead" | "text" | "failed-text" | "calendar" | "degraded";

export interface Need {
  id: string;
  kind: NeedKind;
  title: string;
  detail: string;
  at: Date;
  phone?: string;
  conversationId?: string;
  attentionId?: string;
}

const ORDER: NeedKind[] = [
  "emergency",
  "degraded",
  "calendar",
  "callback",
  "lead",
  "text",
  "failed-text",
];

export function conversationNeed(c: Conversation): NeedKind | null {
  if (c.channel === "sms") {
    if (c.needsOwner !== undefined && summaryIsLatest(c)) {
      if (c.urgency === "emergency") return "emergency";
      return c.needsOwner ? "text" : null;
    }
    // Not summarised since the customer's last text: it needs the owner if they had the last word.
    return c.lastTurn?.speaker === "customer" ? "text" : null;
  }
  // An emergency stays until someone marks it handled, even one the owner took.
  if (c.emergency || c.urgency === "emergency") return "emergency";
  if (c.needsOwner !== undefined) {
    if (!c.needsOwner) return null;
    return c.summaryOutcome === "dropped" ? "lead" : "callback";
  }
  if (c.outcome === "message-taken") return "callback";
  if (
    (c.outcome === "caller-hung-up" || c.outcome === "completed") &&
    c.appointmentIds.length === 0 &&
    c.problem
  )
    return "lead";
  return null;
}

/** A text thread's summary covers its latest turn (the summary is written after it). */
function summaryIsLatest(c: Conversation): boolean {
  if (!c.summarisedAt) return false;
  return !c.lastTurn || c.lastTurn.at.getTime() <= c.summarisedAt.getTime();
}

export function needsYou(
  data: LiveData,
  nameOf: (phone: string) => string,
  calendarStatus?: string,
): Need[] {
  const needs: Need[] = [];
  for (const c of data.conversations) {
    if (data.handled[c.id]) continue;
    const kind = conversationNeed(c);
    if (!kind) continue;
    const who = nameOf(c.phone);
    const what = c.ownerAction ?? c.summary ?? c.problem ?? c.lastTurn?.text ?? "";
    const titles: Record<string, string> = {
      emergency: `Emergency: ${who}`,
      callback: `Call back ${who}`,
      lead: `${who} didn't book`,
      text: `Text from ${who}`,
    };
    needs.push({
      id: c.id,
      kind,
      title: titles[kind],
      detail: what,
      at: c.updatedAt,
      phone: c.phone,
      conversationId: c.id,
    });
  }
  for (const a of data.attention) {
    if (a.acknowledged) continue;
    if (a.kind === "receptionist-degraded") {
      needs.push({
        id: a.id,
        kind: "degraded",
        title: a.title ?? "Receptionist degraded",
        detail: a.reason,
        at: a.at,
        attentionId: a.id,
      });
      continue;
    }
    if (a.kind !== "sms-failed") continue;
    needs.push({
      id: a.id,
      kind: "failed-text",
      title: `Text to ${a.to} failed`,
      detail: a.reason,
      at: a.at,
      attentionId: a.id,
    });
  }
  if (calendarStatus === "needs-reconnect") {
    needs.push({
      id: "calendar",
      kind: "calendar",
      title: "Reconnect Google Calendar",
      detail: "Bookings aren't reaching your calendar until you reconnect it in Settings.",
      at: new Date(),
    });
  }
  return needs.sort(
    (x, y) => ORDER.indexOf(x.kind) - ORDER.indexOf(y.kind) || y.at.getTime() - x.at.getTime(),
  );
}
