import { escapeRegex, normaliseUtterance, splitClauses } from "../nlu/text-normaliser";
import {
  CUSTOM_PHRASE_LABEL,
  CUSTOM_PHRASE_SAFETY_ADVICE,
  EMERGENCY_CONTEXT_RULES,
  EMERGENCY_RULES,
  EmergencyKind,
} from "./emergency-rules";

export interface EmergencyDetection {
  kind: EmergencyKind;
  label: string;
  /** The caller's words that triggered the detection (normalised). */
  matched: string;
  safetyAdvice: string;
}

interface CompiledRule {
  kind: EmergencyKind;
  label: string;
  safetyAdvice: string;
  negativeByNature: boolean;
  patterns: RegExp[];
}

// Compiled once at module load: this runs on every call turn.
const COMPILED_RULES: readonly CompiledRule[] = EMERGENCY_RULES.map((rule) => ({
  kind: rule.kind,
  label: rule.label,
  safetyAdvice: rule.safetyAdvice,
  negativeByNature: rule.negativeByNature === true,
  patterns: rule.phrases.map((p) => new RegExp(p.pattern, "g")),
}));

const anyOf = (sources: readonly string[]): RegExp => new RegExp(sources.join("|"));

const NEGATION_CUES = new Set<string>(EMERGENCY_CONTEXT_RULES.negationCues);
const NEGATION_EXEMPT_NEXT = new Set<string>(EMERGENCY_CONTEXT_RULES.negationExemptNextWords);
const INTERJECTION_NO_NEXT = new Set<string>(EMERGENCY_CONTEXT_RULES.interjectionNoNextWords);
const CONDITIONAL = anyOf(EMERGENCY_CONTEXT_RULES.conditionalMarkers);
const UNCERTAIN_IF = anyOf(EMERGENCY_CONTEXT_RULES.uncertainIfMarkers);
const SERVICE_QUESTION = anyOf(EMERGENCY_CONTEXT_RULES.serviceQuestionMarkers);
const SPECIFIC_REFERENCE = anyOf(EMERGENCY_CONTEXT_RULES.specificReferenceMarkers);
const HISTORIC = anyOf(EMERGENCY_CONTEXT_RULES.historicMarkers);
const RECENT = anyOf(EMERGENCY_CONTEXT_RULES.recentMarkers);

/** Filler allowed between the words of a business's own phrase ("boiler [is] leaking"). */
const CUSTOM_FILLER = "(?:(?:is|are|'s|has|have|keeps|been|just|started|really|badly|now) )*";
const MAX_CACHED_CUSTOM = 500;
const customPatternCache = new Map<string, RegExp | null>();

function customPattern(phrase: string): RegExp | null {
  const cached = customPatternCache.get(phrase);
  if (cached !== undefined) return cached;
  const phraseWords = normaliseUtterance(phrase)
    .replace(/[.,;:!?]+/g, " ")
    .split(" ")
    .filter((w) => w.length > 0);
  const compiled =
    phraseWords.length === 0
      ? null
      : new RegExp(`\\b${phraseWords.map(escapeRegex).join(` ${CUSTOM_FILLER}`)}\\b`, "g");
  if (customPatternCache.size >= MAX_CACHED_CUSTOM) customPatternCache.clear();
  customPatternCache.set(phrase, compiled);
  return compiled;
}

function isNegation(word: string, next: string | undefined): boolean {
  if (!NEGATION_CUES.has(word)) return false;
  if (next !== undefined && NEGATION_EXEMPT_NEXT.has(next)) return false;
  if (word === "no" && next !== undefined && INTERJECTION_NO_NEXT.has(next)) return false;
  return true;
}

function hasNegation(tokens: readonly string[], from: number, to: number): boolean {
  for (let i = Math.max(0, from); i < to; i++) {
    if (isNegation(tokens[i], tokens[i + 1])) return true;
  }
  return false;
}

/**
 * Whether a phrase found in a clause is a live report, rather than a denial
 * ("there's no gas smell"), a hypothetical ("what should I do if a pipe
 * bursts"), a question about the business ("do you deal with burst pipes?")
 * or history ("last year I had a burst pipe").
 */
function isLiveReport(
  clause: string,
  start: number,
  end: number,
  negativeByNature: boolean,
): boolean {
  const before = clause.slice(0, start);
  const beforeTokens = before.split(" ").filter((w) => w.length > 0);
  const matchTokens = clause
    .slice(start, end)
    .split(" ")
    .filter((w) => w.length > 0);
  const tokens = [...beforeTokens, ...matchTokens];
  const windowStart = beforeTokens.length - EMERGENCY_CONTEXT_RULES.negationWindowWords;
  const negationEnd = negativeByNature ? beforeTokens.length : tokens.length;
  if (hasNegation(tokens, windowStart, negationEnd)) return false;

  if (CONDITIONAL.test(before) && !UNCERTAIN_IF.test(before)) return false;
  if (SERVICE_QUESTION.test(clause) && !SPECIFIC_REFERENCE.test(clause)) return false;
  if (HISTORIC.test(clause) && !RECENT.test(clause)) return false;
  return true;
}

function firstLiveMatch(
  clauses: readonly string[],
  patterns: readonly RegExp[],
  negativeByNature: boolean,
): string | null {
  for (const clause of clauses) {
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      for (const m of clause.matchAll(pattern)) {
        const start = m.index ?? 0;
        if (isLiveReport(clause, start, start + m[0].length, negativeByNature)) return m[0];
      }
    }
  }
  return null;
}

/**
 * Decides, deterministically, whether the caller is reporting an emergency.
 * Built-in rules are checked in priority order (gas first); a business's own
 * `extraPhrases` come last and are reported as kind "custom".
 */
export function detectEmergency(
  utterance: string,
  extraPhrases: readonly string[] = [],
): EmergencyDetection | null {
  const clauses = splitClauses(normaliseUtterance(utterance));
  if (clauses.length === 0) return null;

  for (const rule of COMPILED_RULES) {
    const matched = firstLiveMatch(clauses, rule.patterns, rule.negativeByNature);
    if (matched !== null) {
      return { kind: rule.kind, label: rule.label, matched, safetyAdvice: rule.safetyAdvice };
    }
  }
  for (const phrase of extraPhrases) {
    const pattern = customPattern(phrase);
    if (pattern === null) continue;
    const matched = firstLiveMatch(clauses, [pattern], false);
    if (matched !== null) {
      return {
        kind: "custom",
        label: `${CUSTOM_PHRASE_LABEL}: "${phrase.trim()}"`,
        matched,
        safetyAdvice: CUSTOM_PHRASE_SAFETY_ADVICE,
      };
    }
  }
  return null;
}
