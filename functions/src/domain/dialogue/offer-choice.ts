import { DateTime } from "luxon";
import { parseOrdinalChoice, parseYesNo } from "../nlu/slot-extractor";
import { WEEKDAYS } from "../scheduling/calendar-words";
import type { OfferedSlot } from "./dialogue-state";

/** Which of the offered times a caller means, by phone or by text. */

/** Which offer the caller means: "the second one", "Thursday", "the 2 o'clock", "yes" to a single offer. */
export function chooseOffer(
  speech: string,
  offers: readonly OfferedSlot[],
  clock: { now: Date; timeZone: string },
): number | null {
  const ordinal = parseOrdinalChoice(speech, offers.length);
  if (ordinal !== null) return ordinal;
  const text = speech.toLowerCase();
  const today = DateTime.fromJSDate(clock.now, { zone: clock.timeZone }).startOf("day");
  const candidates = offers.map((offer, index) => {
    const local = DateTime.fromISO(offer.start, { zone: clock.timeZone });
    const dayDiff = Math.round(local.startOf("day").diff(today, "days").days);
    return {
      index,
      day:
        text.includes(WEEKDAYS[local.weekday - 1]) ||
        (dayDiff === 0 && /\btoday\b/.test(text)) ||
        (dayDiff === 1 && /\btomorrow\b/.test(text)),
      time: mentionsTime(text, local),
      halfDay:
        (local.hour < 12 && /\bmorning\b/.test(text)) ||
        (local.hour >= 12 && /\bafternoon\b/.test(text)),
    };
  });
  // "Thursday afternoon" means the offer that is both, not every Thursday and every afternoon.
  const cues = (["day", "time", "halfDay"] as const).filter((cue) =>
    candidates.some((c) => c[cue]),
  );
  const matches = cues.length ? candidates.filter((c) => cues.every((cue) => c[cue])) : [];
  if (matches.length === 1) return matches[0].index;
  if (offers.length === 1 && parseYesNo(speech) === "yes") return 0;
  return null;
}

/**
 * Whether the caller named this offer's time: "8", "8:30", "1 pm", "one o'clock".
 * A minute they said must agree, and a bare "one" is a pronoun ("the 8 am one").
 */
function mentionsTime(text: string, local: DateTime): boolean {
  const hour12 = local.hour % 12 === 0 ? 12 : local.hour % 12;
  const minute = String(local.minute).padStart(2, "0");
  for (const m of text.matchAll(new RegExp(`\\b${hour12}(?::(\\d{2}))?\\b`, "g"))) {
    if (m[1] === undefined || m[1] === minute) return true;
  }
  return new RegExp(
    `\\b${NUMBER_WORDS[hour12]} ?(?:o'?clock|am|pm|a\\.m|p\\.m|thirty|fifteen|forty)`,
  ).test(text);
}

const NUMBER_WORDS = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
];

/** "None of those", "another day", "later": the caller wants other times. */
export function wantsOtherTimes(speech: string): boolean {
  return (
    parseYesNo(speech) === "no" ||
    /\b(none|neither|other|another|different|later|next week|anything else|not (those|them))\b/i.test(
      speech,
    )
  );
}

/**
 * A question for other times rather than a pick among the offers: "anything
 * on Thursday morning instead?", "have you got Friday?", "what about next week?".
 */
export function asksForOtherTimes(speech: string): boolean {
  return (
    wantsOtherTimes(speech) ||
    /\b(instead|anything|any time|have you got|have you anything|do you have|is there|what about|how about|any chance)\b/i.test(
      speech,
    )
  );
}

/**
 * "The earlier one", "something later": at the read-back, the offer just
 * before or just after the one chosen; null when none is, or nothing relative was said.
 */
export function offerBesideChosen(
  speech: string,
  offers: readonly OfferedSlot[],
  chosen: OfferedSlot,
): number | null {
  const direction = /\b(earlier|sooner|before that)\b/i.test(speech)
    ? -1
    : /\b(later|after that)\b/i.test(speech)
      ? 1
      : 0;
  if (direction === 0) return null;
  const byStart = offers
    .map((offer, index) => ({ offer, index }))
    .sort((a, b) => a.offer.start.localeCompare(b.offer.start));
  const at = byStart.findIndex((o) => o.offer.start === chosen.start);
  return byStart[at + direction]?.index ?? null;
}
