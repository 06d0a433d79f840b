import { Slot, spreadOffers } from "./availability";
import { fitsPreference, preferenceAnchor, TimePreference } from "./time-preference";

/**
 * The times to offer, and how they relate to what the caller asked for:
 * "any" (they asked nothing), "preferred" (all fit their wish) or
 * "nearest" (nothing fits, so the free times closest to it).
 */
export interface OfferChoice {
  slots: Slot[];
  fit: "any" | "preferred" | "nearest";
}

/** Within a wish, a second time in the same half-day is at least this far from the others. */
const MIN_GAP_MS = 60 * 60_000;

/**
 * Picks `count` well-spread offers from free slots (in time order). Without
 * a wish: the earliest, then the first of each later half-day. With one:
 * the same among the slots that fit it, topped up with other times in the
 * same half-days an hour or more apart ("tomorrow morning" is one half-day);
 * if none fit, the free times nearest the wish, spread the same way.
 * `avoid` are starts the caller turned down: their half-days are skipped.
 */
export function chooseOffers(slots: Iterable<Slot>, options: OfferOptions): OfferChoice {
  const ranked = rankOffers(slots, options);
  return { ...ranked, slots: byTime(ranked.slots) };
}

export interface OfferOptions {
  count: number;
  timeZone: string;
  now: Date;
  avoid?: readonly Date[];
  preference?: TimePreference;
}

/**
 * The same choice, best first rather than in time order, so a caller who
 * loses some of them to another caller's hold can take the next best.
 */
export function rankOffers(slots: Iterable<Slot>, options: OfferOptions): OfferChoice {
  const { count, timeZone, preference } = options;
  const avoid = options.avoid ?? [];
  if (!preference || isOnlySoonest(preference)) {
    return { slots: spreadOffers(slots, count, timeZone, avoid), fit: "any" };
  }
  const all = [...slots];
  const fitting = all.filter((s) => fitsPreference(s.start, preference, timeZone));
  if (fitting.length > 0) {
    return { slots: spreadWithin(fitting, count, timeZone, avoid), fit: "preferred" };
  }
  const anchor = preferenceAnchor(preference, options.now, timeZone).getTime();
  const byDistance = [...all].sort(
    (a, b) =>
      Math.abs(a.start.getTime() - anchor) - Math.abs(b.start.getTime() - anchor) ||
      a.start.getTime() - b.start.getTime(),
  );
  return { slots: spreadOffers(byDistance, count, timeZone, avoid), fit: "nearest" };
}

/** Offers are spoken in time order. */
export function byTime(slots: readonly Slot[]): Slot[] {
  return [...slots].sort((a, b) => a.start.getTime() - b.start.getTime());
}

function isOnlySoonest(pref: TimePreference): boolean {
  return !pref.days && !pref.notWeekdays && pref.after === undefined && pref.before === undefined;
}

/** One per half-day first; then more within those half-days, an hour or more apart. */
function spreadWithin(
  slots: readonly Slot[],
  count: number,
  timeZone: string,
  avoid: readonly Date[],
): Slot[] {
  const chosen = spreadOffers(slots, count, timeZone, avoid);
  const avoided = new Set(avoid.map((d) => d.getTime()));
  for (const slot of slots) {
    if (chosen.length >= count) break;
    const t = slot.start.getTime();
    if (avoided.has(t)) continue;
    if (chosen.every((c) => Math.abs(c.start.getTime() - t) >= MIN_GAP_MS)) chosen.push(slot);
  }
  return chosen;
}

/**
 * For a caller who lost their offers to others ringing at the same moment:
 * `count` of the ranked candidates, starting at a place that differs from
 * caller to caller (a hash of `seed`), so simultaneous callers stop reaching
 * for the same times in the same order. Still among the best free times.
 */
export function spreadAmongCallers(ranked: readonly Slot[], count: number, seed: string): Slot[] {
  const room = Math.max(1, ranked.length - count + 1);
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const start = hash % room;
  return ranked.slice(start, start + count);
}
