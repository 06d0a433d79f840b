import { z } from "zod";
import type { ConversationSummary, SummaryTurn } from "./conversation-summary";
import { MONTHS, WEEKDAYS } from "../scheduling/calendar-words";

/**
 * A Claude-written summary: a short paragraph for the owner, asked for only
 * when a model key is configured, and kept only when it says nothing the
 * conversation did not record. The deterministic summary is always written
 * first and stands alone whenever the model is off, slow, failing, or its
 * paragraph is rejected here.
 */

/** The longest paragraph kept: a glance on a phone. */
export const MODEL_SUMMARY_MAX_CHARS = 400;
/** Tokens for that paragraph in its JSON answer; a truncated answer is rejected. */
export const MODEL_SUMMARY_MAX_TOKENS = 400;
/** Off the caller's path, but a trigger should not hang on the model: past this, deterministic only. */
export const MODEL_SUMMARY_BUDGET_MS = 8000;
/** The most recent turns handed to the model; older ones add little to a summary. */
export const MODEL_SUMMARY_MAX_TURNS = 40;

/** The answer's shape, sent to the model as its output format and checked on the way back. */
export const modelSummarySchema = z
  .object({ summary: z.string().trim().min(1).max(MODEL_SUMMARY_MAX_CHARS) })
  .strict();
export type ModelSummaryAnswer = z.infer<typeof modelSummarySchema>;

/** What the model is given: the deterministic facts, and the transcript as untrusted data. */
export interface ConversationToSummarise {
  /** The caller's first words are in the transcript, as data, not here among the facts. */
  facts: Pick<
    ConversationSummary,
    "who" | "outcome" | "actions" | "job" | "address" | "urgency" | "ownerAction"
  >;
  channel: "call" | "sms";
  turns: readonly SummaryTurn[];
}

export function conversationToSummarise(
  summary: ConversationSummary,
  channel: "call" | "sms",
  turns: readonly SummaryTurn[],
): ConversationToSummarise {
  const { who, outcome, actions, job, address, urgency, ownerAction } = summary;
  return {
    facts: { who, outcome, actions, job, address, urgency, ownerAction },
    channel,
    turns: turns.filter((t) => t.text.trim() !== "").slice(-MODEL_SUMMARY_MAX_TURNS),
  };
}

export type SummaryProblem =
  "invented-time" | "invented-date" | "invented-price" | "invented-outcome" | "emergency-left-out";

export type SummaryCheck =
  { ok: true } | { ok: false; problem: SummaryProblem; detail: string; problems: string[] };

// "May" is read only beside a number, in dates() below.
const MONTHS_BUT_MAY = MONTHS.filter((m) => m !== "may");
const RELATIVE_DAYS = ["today", "tomorrow", "tonight", "yesterday", "weekend"];
const DAY_PARTS = ["morning", "afternoon", "evening"];

/** "3pm", "3:30 pm", "15:30", "noon" as one form ("15:00"), so "3pm" and "15:00" agree. */
function times(text: string): Set<string> {
  const found = new Set<string>();
  const clock = (h: number, m: number) => `${h}:${String(m).padStart(2, "0")}`;
  for (const m of text.matchAll(/\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s?m\b\.?/gi)) {
    const hour = Number(m[1]) % 12;
    found.add(clock(m[3].toLowerCase() === "p" ? hour + 12 : hour, Number(m[2] ?? 0)));
  }
  for (const m of text.matchAll(/\b(\d{1,2}):(\d{2})\b(?!\s*[ap]\.?\s?m)/gi)) {
    const hour = Number(m[1]);
    // "3:30" with no am or pm: either half of the day.
    found.add(clock(hour, Number(m[2])));
    if (hour < 12) found.add(clock(hour + 12, Number(m[2])));
  }
  for (const m of text.matchAll(/\b(\d{1,2})\s*o'?clock\b/gi)) {
    const hour = Number(m[1]) % 12;
    found.add(clock(hour, 0));
    found.add(clock(hour + 12, 0));
  }
  if (/\b(noon|midday)\b/i.test(text)) found.add("12:00");
  if (/\bmidnight\b/i.test(text)) found.add("0:00");
  return found;
}

/** Day names, months, "tomorrow" and the like, and dates such as "3rd" or "3/12". */
function dates(text: string): Set<string> {
  const found = new Set<string>();
  const lower = text.toLowerCase();
  for (const word of [...WEEKDAYS, ...MONTHS_BUT_MAY, ...RELATIVE_DAYS, ...DAY_PARTS]) {
    if (new RegExp(`\\b${word}s?\\b`).test(lower)) found.add(word);
  }
  // "May" only beside a number: "they may need" is not a date.
  if (/\b\d{1,2}(st|nd|rd|th)? may\b|\bmay \d{1,2}(st|nd|rd|th)?\b/.test(lower)) found.add("may");
  for (const m of lower.matchAll(/\b(\d{1,2})(st|nd|rd|th)\b/g)) found.add(`day ${Number(m[1])}`);
  for (const m of lower.matchAll(/\b(\d{1,2})\/(\d{1,2})(?:\/\d{2,4})?\b/g)) {
    found.add(`${Number(m[1])}/${Number(m[2])}`);
  }
  return found;
}

/** Money: "£80", "£80.00", "80 pounds", "80 quid"; and price words that promise something. */
function prices(text: string): Set<string> {
  const found = new Set<string>();
  const amount = (raw: string) => `£${Number(raw.replace(/,/g, ""))}`;
  for (const m of text.matchAll(/£\s?(\d[\d,]*(?:\.\d{1,2})?)/g)) found.add(amount(m[1]));
  for (const m of text.matchAll(/\b(\d[\d,]*(?:\.\d{1,2})?)\s*(pounds?|quid|gbp)\b/gi)) {
    found.add(amount(m[1]));
  }
  for (const m of text.toLowerCase().matchAll(/\b(free of charge|no charge|discount|refund)/g)) {
    found.add(m[1]);
  }
  return found;
}

/** Words that claim an outcome, and which of the recorded outcomes each needs. */
const OUTCOME_CLAIMS: Array<{
  words: RegExp;
  claim: string;
  holds: (s: ConversationSummary) => boolean;
}> = [
  {
    words:
      /\b(booked|scheduled|rebooked|appointment (?:is |was |has been )?(?:made|set|confirmed)|booking (?:is |was |has been )?(?:made|confirmed))\b/i,
    claim: "a booking",
    holds: (s) => s.actions.includes("booked") || s.actions.includes("moved"),
  },
  {
    words: /\b(cancell?ed|cancell?ation)\b/i,
    claim: "a cancellation",
    holds: (s) => s.actions.includes("cancelled"),
  },
  {
    words: /\b(moved|rescheduled|re-scheduled|rearranged)\b/i,
    claim: "a move",
    holds: (s) => s.actions.includes("moved"),
  },
  {
    words: /\b(put through|transferred|connected to you|you spoke)\b/i,
    claim: "a transfer",
    holds: (s) => s.outcome === "emergency-transferred" || s.outcome === "transferred",
  },
];

/**
 * Whether a model's paragraph is faithful to the deterministic summary: every
 * time, date and amount it names must appear in the facts or in the caller's
 * own words (never only in the receptionist's offers), every outcome it claims
 * must be one the conversation recorded, and an emergency must not be left out.
 */
export function checkModelSummary(
  text: string,
  summary: ConversationSummary,
  turns: readonly SummaryTurn[],
): SummaryCheck {
  const sources = [
    summary.who,
    summary.job ?? "",
    summary.address ?? "",
    summary.ownerAction,
    summary.firstWords ?? "",
    ...turns.filter((t) => t.speaker === "caller").map((t) => t.text),
  ].join("\n");
  const problems: Array<{ problem: SummaryProblem; detail: string }> = [];
  const knownTimes = times(sources);
  for (const time of times(text)) {
    if (!knownTimes.has(time)) problems.push({ problem: "invented-time", detail: time });
  }
  const knownDates = dates(sources);
  for (const date of dates(text)) {
    if (!knownDates.has(date)) problems.push({ problem: "invented-date", detail: date });
  }
  const knownPrices = prices(sources);
  for (const price of prices(text)) {
    if (!knownPrices.has(price)) problems.push({ problem: "invented-price", detail: price });
  }
  for (const claim of OUTCOME_CLAIMS) {
    const said = claim.words.exec(text);
    if (said && !claim.holds(summary)) {
      problems.push({
        problem: "invented-outcome",
        detail: `says "${said[0]}" but nothing records ${claim.claim}`,
      });
    }
  }
  if (summary.urgency === "emergency" && !/\b(emergenc|urgent)/i.test(text)) {
    problems.push({ problem: "emergency-left-out", detail: "an emergency not called one" });
  }
  if (problems.length === 0) return { ok: true };
  return {
    ok: false,
    problem: problems[0].problem,
    detail: problems[0].detail,
    problems: problems.map((p) => `${p.problem}: ${p.detail}`),
  };
}
