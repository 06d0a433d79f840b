import { carrierKeywordOf } from "./carrier-keywords";
import { parseOrdinalChoice, parseYesNo } from "../nlu/slot-extractor";
import { normaliseUtterance } from "../nlu/text-normaliser";

/**
 * What a customer's text means. The carrier keywords come first because
 * Twilio and the carriers act on them whatever we do; everything else is
 * read as an answer about the customer's appointment.
 */
export type SmsReply =
  /** STOP and friends. `word` CANCEL may also mean "cancel my appointment": see docs/sms.md. */
  | { kind: "opt-out"; word: string }
  | { kind: "opt-in"; word: string }
  | { kind: "help"; word: string }
  | { kind: "confirm" }
  | { kind: "cancel" }
  /** `preference` is what they asked for instead, e.g. "Friday", when they said. */
  | { kind: "reschedule"; preference?: string }
  /** The nth offered time (0-based), only while times are on offer. */
  | { kind: "choose"; index: number }
  /** "Thanks", "cheers": nothing to do. */
  | { kind: "thanks" }
  | { kind: "unclear" };

export interface ReplyContext {
  /** The customer texted STOP earlier: YES then opts back in rather than confirming. */
  optedOut: boolean;
  /** How many times are on offer in a reschedule conversation (0 when none). */
  offerCount: number;
}

/**
 * The numbers a reminder may ask for. 1 confirms, 2 cancels, 3 asks for
 * another time. While times are on offer, a number picks a time instead.
 */
export const REPLY_NUMBERS = { confirm: "1", cancel: "2", reschedule: "3" } as const;

const CONFIRM_EMOJI =
  /^(?:\u{1F44D}|\u{1F44C}|\u2705|\u2714\uFE0F?|\u{1F642}|\u{1F60A}|\u263A\uFE0F?)(?:\u{1F3FB}|\u{1F3FC}|\u{1F3FD}|\u{1F3FE}|\u{1F3FF})?$/u;

const RESCHEDULE =
  /\b(?:re ?schedule|re ?arrange|re ?book|none of (?:those|them|these)|neither|move (?:it|this|that|the|my|our)|change (?:it|the|my|our)|different (?:time|day|date|slot)|another (?:time|day|date|slot)|other (?:time|day|date)s?|instead|earlier|later (?:on|time|in the)|postpone|push (?:it )?back|bring (?:it )?forward|(?:can|could|would) (?:we|you|i) (?:do|make it|have|move|change|come)|how about|what about|is there anything (?:on|else)|any (?:other|chance)|not (?:free|available|around|home|in) (?:on|that|then|at)|(?:doesn't|does not|won't|will not) (?:work|suit))\b/;

const CANCEL =
  /\b(?:cancel(?:led|ling)?|call (?:it )?off|can'?t make it|cannot make it|can not make it|won'?t make it|won'?t be (?:there|in|home|able)|not going to make|unable to make|no longer need|don'?t need|do not need|not needed|(?:is|it's|its|got it|all) (?:sorted|fixed)|fixed it|sorted it|don'?t come|do not come|not coming)\b/;

const CONFIRM =
  /\b(?:confirm(?:ed)?|see you|will be (?:there|in|home|around)|i'?ll be (?:there|in|home|around)|we'?ll be (?:there|in|home|around)|that'?s fine|thats fine|fine|sounds good|looking forward|all good|still on|works for me|that works)\b/;

const THANKS =
  /^(?:thanks?|thank you|thankyou|ta|cheers|many thanks|thanks very much|thank you very much|thx|ty)(?: (?:so much|very much|again|mate|dave))?$/;

/** A day or time the customer would like instead, as they wrote it. */
const PREFERENCE =
  /\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|next week|this week|morning|afternoon|evening|weekend)\b(?:\s+(?:morning|afternoon|evening|at \d{1,2}(?::\d{2})?\s*(?:am|pm)?))?/;

/** Classifies one inbound text. Pure: the use case decides what to do with it. */
export function parseReply(raw: string, context: ReplyContext): SmsReply {
  const trimmed = raw.trim();
  const keyword = carrierKeywordOf(trimmed);
  if (keyword) {
    // YES is both a carrier opt-in word and our confirmation: it opts back in only if they had opted out.
    if (keyword.kind === "opt-in" && keyword.word === "YES" && !context.optedOut) {
      return { kind: "confirm" };
    }
    return keyword;
  }
  if (trimmed === "") return { kind: "unclear" };
  if (CONFIRM_EMOJI.test(trimmed)) return { kind: "confirm" };

  const text = normaliseUtterance(trimmed)
    .replace(/[.,;:!?]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (text === "") return { kind: "unclear" };

  if (context.offerCount > 0) {
    const index = parseOrdinalChoice(text, context.offerCount);
    if (index !== null) return { kind: "choose", index };
  } else if (/^[123]$/.test(text)) {
    if (text === REPLY_NUMBERS.confirm) return { kind: "confirm" };
    if (text === REPLY_NUMBERS.cancel) return { kind: "cancel" };
    return { kind: "reschedule" };
  }

  if (RESCHEDULE.test(text)) {
    const preference = PREFERENCE.exec(text)?.[0];
    return preference ? { kind: "reschedule", preference } : { kind: "reschedule" };
  }
  if (CANCEL.test(text)) return { kind: "cancel" };
  if (THANKS.test(text)) return { kind: "thanks" };
  if (/^(?:y|yy|yes+|yess+|k|kk|okk*|okay|ok ?ok)$/.test(text)) return { kind: "confirm" };
  if (/^(?:n|nah|no+|nope)$/.test(text)) return { kind: "cancel" };

  const yesNo = parseYesNo(text);
  if (yesNo === "no") {
    // "No problem, see you then" reads as yes in parseYesNo; a plain "no, ..." declines the visit.
    return { kind: "cancel" };
  }
  if (yesNo === "yes" || CONFIRM.test(text)) return { kind: "confirm" };
  return { kind: "unclear" };
}
