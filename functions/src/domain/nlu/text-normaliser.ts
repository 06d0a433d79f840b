/**
 * Shared text clean-up for everything that reads a caller's words.
 *
 * Speech-to-text output is noisy: curly apostrophes, hyphenated words
 * ("burst-pipe"), stray punctuation, random capitals. Matching rules are
 * written against the normalised form produced here, so they only need to
 * cover lower-case words separated by single spaces.
 */

const CURLY_QUOTES = /[\u2018\u2019\u201B\u0060\u00B4]/g;
const DOTTED_CO = /\bc\.\s?o\.?(?=\s|$|2)/g;
const JOINERS = /(?<=[a-z0-9])[-_/]+(?=[a-z0-9])/g;
const NOT_WORDISH = /[^a-z0-9'.,;:!?]+/g;
const SPACED_PUNCTUATION = /\s*([.,;:!?])\s*/g;
const APOSTROPHE_EDGES = /(^|\s)'+|'+(?=\s|$)/g;
const SPACES = /\s+/g;

/** Lower-cases and tidies an utterance, keeping clause punctuation. */
export function normaliseUtterance(raw: string): string {
  return raw
    .toLowerCase()
    .replace(CURLY_QUOTES, "'")
    .replace(DOTTED_CO, "co")
    .replace(JOINERS, " ")
    .replace(NOT_WORDISH, " ")
    .replace(SPACED_PUNCTUATION, "$1 ")
    .replace(APOSTROPHE_EDGES, "$1")
    .replace(SPACES, " ")
    .trim();
}

/** Words and conjunctions that start a new thought inside one breath. */
const CLAUSE_BREAK = /[.,;:!?]+|\b(?:but|although|though|however|whereas|anyway|so anyway)\b/g;

/**
 * Splits a normalised utterance into clauses. Negations and questions are
 * only allowed to affect the clause they appear in, so "I don't know what to
 * do, water is pouring through the ceiling" still counts as an emergency.
 */
export function splitClauses(normalised: string): string[] {
  return normalised
    .split(CLAUSE_BREAK)
    .map((clause) => clause.trim())
    .filter((clause) => clause.length > 0);
}

/** Normalised words of an utterance, punctuation removed. */
export function words(normalised: string): string[] {
  return normalised
    .replace(/[.,;:!?]+/g, " ")
    .split(" ")
    .filter((w) => w.length > 0);
}

/** Escapes text for literal use inside a regular expression. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
