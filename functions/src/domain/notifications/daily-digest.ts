import { DateTime } from "luxon";
import type { ConversationSummary } from "../summaries/conversation-summary";
import { needingOwner } from "../summaries/conversation-summary";
import { smsLength } from "./sms-length";

/**
 * The owner's daily digest: once a day, at the business's `digestTime` on its
 * own wall clock, one text listing the conversations of the past day that
 * still need the owner, most urgent first. Built only from stored summaries,
 * so it says nothing the conversations did not record.
 */

/** The digest never costs more than this many SMS; what does not fit is counted, not dropped silently. */
export const DIGEST_MAX_SEGMENTS = 4;

/**
 * How late a digest may still go when the scheduler missed its time (an outage,
 * a deploy). Past this, that day's digest is skipped rather than sent at night.
 */
export const DIGEST_CATCH_UP_MINUTES = 3 * 60;

export interface DigestDue {
  /** The business's local day the digest is for, "2026-11-29": part of its outbox id. */
  localDay: string;
  /** The conversations it covers ended in [from, to): the day up to the digest time. */
  from: Date;
  to: Date;
}

/**
 * Whether a digest is due at `now`, and for which local day. Due from the
 * digest time until DIGEST_CATCH_UP_MINUTES after it, so every run in that span
 * names the same day and the same window (the outbox then stores it once).
 * The window is the 24 wall-clock hours before the digest time (23 or 25 on a
 * clock change), so no conversation falls between two digests.
 */
export function digestDue(
  now: Date,
  digestTime: string | null,
  timeZone: string,
): DigestDue | null {
  if (digestTime === null) return null;
  const [hour, minute] = digestTime.split(":").map(Number);
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  if (!local.isValid) return null;
  // The digest time on today's local date (on a spring-forward gap luxon moves it on an hour).
  const at = local.set({ hour, minute, second: 0, millisecond: 0 });
  const sinceMinutes = local.diff(at, "minutes").minutes;
  if (sinceMinutes < 0 || sinceMinutes >= DIGEST_CATCH_UP_MINUTES) return null;
  const previous = at.minus({ days: 1 });
  return { localDay: at.toISODate() as string, from: previous.toJSDate(), to: at.toJSDate() };
}

/** Deterministic per business and local day, so overlapping runs queue one text. */
export function digestOutboxId(businessId: string, localDay: string): string {
  return `owner-daily-digest-${businessId}-${localDay}`;
}

const URGENCY_TAG: Record<ConversationSummary["urgency"], string> = {
  emergency: "EMERGENCY ",
  high: "URGENT ",
  normal: "",
};

/** One line per conversation: who, the job when known, and what to do. */
function line(index: number, summary: ConversationSummary): string {
  const job = summary.job ? ` - ${summary.job}` : "";
  return `${index}) ${URGENCY_TAG[summary.urgency]}${summary.who}${job}. ${summary.ownerAction}`;
}

/**
 * The digest text, or null when nothing needs the owner (no text at all).
 * Lines are added most urgent first while the text fits DIGEST_MAX_SEGMENTS;
 * the rest are counted in a closing "+N more" line pointing at the inbox.
 */
export function digestText(
  business: { name: string },
  localDay: string,
  summaries: readonly ConversationSummary[],
): string | null {
  const needing = needingOwner(summaries.map((summary) => ({ summary }))).map((i) => i.summary);
  if (needing.length === 0) return null;
  const day = DateTime.fromISO(localDay).toFormat("ccc d LLL");
  const head = `${business.name}: ${needing.length} ${needing.length === 1 ? "conversation needs" : "conversations need"} you (${day}).`;
  const fits = (text: string) => smsLength(text).segments <= DIGEST_MAX_SEGMENTS;
  const more = (n: number) => `+${n} more in the inbox.`;
  let text = head;
  let shown = 0;
  for (const summary of needing) {
    const next = `${text}\n${line(shown + 1, summary)}`;
    const left = needing.length - shown - 1;
    // Keep room for the "+N more" line whenever something would still be left out.
    if (!fits(left > 0 ? `${next}\n${more(left)}` : next)) break;
    text = next;
    shown += 1;
  }
  if (shown < needing.length) text = `${text}\n${more(needing.length - shown)}`;
  return text;
}
