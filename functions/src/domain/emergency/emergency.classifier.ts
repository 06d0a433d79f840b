import { standardiseEverydayWords } from "../nlu/everyday-spellings";
import { canonicaliseKeyTerms } from "../nlu/key-terms";
import { escapeRegex, normaliseUtterance, splitClauses } from "../nlu/text-normaliser";
import {
  CUSTOM_PHRASE_LABEL,
  CUSTOM_PHRASE_SAFETY_ADVICE,
  EMERGENCY_CONTEXT_RULES,
  EMERGENCY_RULES,
  EMERGENCY_VOCABULARY,
  EmergencyKind,
  SAFETY_QUESTIONS,
} from "./emergency-rules";

export interface EmergencyDetection {
  kind: EmergencyKind;
  label: string;
  /** The caller's words that triggered the detection (normalised). */
  matched: string;
  safetyAdvice: string;
}

/** Partial signals: ask `question`; a yes is the emergency `kind`. */
export interface SafetyCheck {
  kind: EmergencyKind;
  question: string;
  /** The words that raised the question (normalised). */
  matched: string;
}

export interface EmergencyAssessment {
  /** A clear emergency: act now, never delayed by a question. */
  detection: EmergencyDetection | null;
  /** Set only when there is no clear emergency but the signals are partial. */
  safetyCheck: SafetyCheck | null;
}

interface CompiledRule {
  kind: EmergencyKind;
  label: string;
  safetyAdvice: string;
  negativeByNature: boolean;
  othersTroubleCounts: boolean;
  diminishable: boolean;
  patterns: RegExp[];
  onlyWith: RegExp | null;
}

// Compiled once at module load: this runs on every call turn.
const COMPILED_RULES: readonly CompiledRule[] = EMERGENCY_RULES.map((rule) => ({
  kind: rule.kind,
  label: rule.label,
  safetyAdvice: rule.safetyAdvice,
  negativeByNature: rule.negativeByNature === true,
  othersTroubleCounts: rule.othersTroubleCounts === true,
  diminishable: rule.diminishable === true,
  patterns: rule.phrases.map((p) => new RegExp(p.pattern, "g")),
  onlyWith: rule.onlyWith ? new RegExp(rule.onlyWith.pattern, "g") : null,
}));

const COMPILED_QUESTIONS = SAFETY_QUESTIONS.map((q) => ({
  kind: q.kind,
  question: q.question,
  negativeByNature: q.negativeByNature === true,
  othersTroubleCounts: q.othersTroubleCounts === true,
  unless: q.unless ? new RegExp(q.unless.pattern) : null,
  patterns: q.cues.map((c) => new RegExp(c.pattern, "g")),
}));

const anyOf = (sources: readonly string[]): RegExp => new RegExp(sources.join("|"));

const C = EMERGENCY_CONTEXT_RULES;
const NEGATION_CUES = new Set<string>(C.negationCues);
const NEGATION_EXEMPT_NEXT = new Set<string>(C.negationExemptNextWords);
const INTERJECTION_NO_NEXT = new Set<string>(C.interjectionNoNextWords);
const CONDITIONAL = anyOf(C.conditionalMarkers);
const MODAL = anyOf(C.modalMarkers);
const UNCERTAIN_IF = anyOf(C.uncertainIfMarkers);
const SERVICE_QUESTION = anyOf(C.serviceQuestionMarkers);
const SPECIFIC_REFERENCE = anyOf(C.specificReferenceMarkers);
const HISTORIC = anyOf(C.historicMarkers);
const RECENT = anyOf(C.recentMarkers);
const COMPARISON = new RegExp(C.comparisonMarkers.join("|"), "g");
const OTHER_PARTY = anyOf(C.otherPartyMarkers);
/** "friend's" in "my friend's kitchen": the "my" is the friend's, not the caller's place. */
const OTHER_PARTY_WORD = /^(?:friend|mate|pal|colleague|workmate|neighbou?r)(?:s|'s|s')?$/;
const OWN_PLACE = anyOf(C.ownPlaceMarkers);
const OWNER_WORDS = new Set<string>(C.ownerWords);
const RESOLVED = new RegExp(`(?:${C.resolvedMarkers.join("|")})${C.resolvedRunOn}`, "g");
const STILL = anyOf(C.stillMarkers);
const NOT_PLUMBING = anyOf(C.notPlumbingMarkers);
const ELSEWHERE = anyOf(C.elsewhereMarkers);
const DEVICE_FAULT = anyOf(C.deviceFaultMarkers);
const PAPERWORK = anyOf(C.paperworkMarkers);
const DIMINISHER = anyOf(C.diminishers);
const INTENSITY = new RegExp(String.raw`\b${EMERGENCY_VOCABULARY.intensity}\b`);
/** A small amount that is growing still asks: "a bit of a jet ... and it's getting worse". */
const WORSENING = /\bgetting (?:worse|bigger|faster|heavier|wider|deeper)\b/;
/** The question a water report in small amounts gets instead of an alarm. */
const WATER_QUESTION = COMPILED_QUESTIONS.find((q) => q.kind === "burst-pipe");

/** "a tiny bit", "slowly", and no word saying how bad: a small amount. */
function isDiminished(clause: string): boolean {
  return DIMINISHER.test(clause) && !INTENSITY.test(clause);
}

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

const NEGATION_STOPS = new Set<string>(C.negationStopWords);
const NO_STOPS = new Set<string>(C.noStopWords);

/**
 * Whether a negation in tokens[from, to) reaches the match starting at `matchStart`: one
 * before the match is cut off by a joining word in between ("the people upstairs aren't
 * in and water's pouring through").
 */
function hasNegation(
  tokens: readonly string[],
  from: number,
  to: number,
  matchStart: number,
): boolean {
  for (let i = Math.max(0, from); i < to; i++) {
    if (!isNegation(tokens[i], tokens[i + 1])) continue;
    const between = tokens.slice(i + 1, matchStart);
    if (i < matchStart && between.some((w) => NEGATION_STOPS.has(w))) continue;
    const upToMatch = tokens.slice(i + 1, matchStart + 1);
    const namesOne = tokens[i] === "no" || tokens[i] === "nothing";
    if (namesOne && i < matchStart && upToMatch.some((w) => NO_STOPS.has(w))) continue;
    return true;
  }
  return false;
}

/**
 * Whether the problem matched in clause `index` is over: a resolution marker
 * in that clause or the two after it, and nothing in the matched clause
 * (outside the resolution itself) saying it is still going on.
 */
function isResolved(clauses: readonly string[], index: number): boolean {
  for (let j = index; j < Math.min(clauses.length, index + 3); j++) {
    RESOLVED.lastIndex = 0;
    if (!RESOLVED.test(clauses[j])) continue;
    const rest = clauses[index].replace(RESOLVED, " ");
    RESOLVED.lastIndex = 0;
    return !STILL.test(rest);
  }
  return false;
}

/**
 * Whether the clause tells of a friend's, a neighbour's or a programme's trouble rather than the
 * caller's: an other party named, nothing reaching the caller's own place, and no word for the
 * caller or their household just before the match ("my" in "my friend's" does not count).
 */
function isSomeoneElses(clause: string, beforeTokens: readonly string[]): boolean {
  if (!OTHER_PARTY.test(clause) || OWN_PLACE.test(clause)) return false;
  const from = Math.max(0, beforeTokens.length - C.ownerWindowWords);
  for (let i = from; i < beforeTokens.length; i++) {
    const next = beforeTokens[i + 1];
    const ownersParty = next !== undefined && OTHER_PARTY_WORD.test(next);
    if (OWNER_WORDS.has(beforeTokens[i]) && !ownersParty) return false;
  }
  return true;
}

/**
 * Whether a phrase found in a clause is a live report, rather than a denial
 * ("there's no gas smell"), a hypothetical ("what should I do if a pipe
 * bursts"), a question about the business ("do you deal with burst pipes?"),
 * history ("last year I had a burst pipe"), a problem already fixed, or
 * something that is not plumbing ("my tyre's burst").
 */
function isLiveReport(
  clauses: readonly string[],
  index: number,
  start: number,
  end: number,
  negativeByNature: boolean,
  othersTroubleCounts = false,
): boolean {
  const clause = clauses[index];
  const before = clause.slice(0, start);
  const beforeTokens = before.split(" ").filter((w) => w.length > 0);
  const matchTokens = clause
    .slice(start, end)
    .split(" ")
    .filter((w) => w.length > 0);
  const tokens = [...beforeTokens, ...matchTokens];
  const windowStart = beforeTokens.length - C.negationWindowWords;
  const negationEnd = negativeByNature ? beforeTokens.length : tokens.length;
  if (hasNegation(tokens, windowStart, negationEnd, beforeTokens.length)) return false;

  if (CONDITIONAL.test(before) && !UNCERTAIN_IF.test(before)) return false;
  if (MODAL.test(clause.slice(Math.max(0, start - 30), end))) return false;
  if (SERVICE_QUESTION.test(clause) && !SPECIFIC_REFERENCE.test(clause)) return false;
  if (HISTORIC.test(clause.replace(COMPARISON, " ")) && !RECENT.test(clause)) return false;
  if (!othersTroubleCounts && isSomeoneElses(clause, beforeTokens)) return false;
  if (NOT_PLUMBING.test(clause)) return false;
  if (ELSEWHERE.test(clause)) return false;
  if (DEVICE_FAULT.test(clause)) return false;
  if (PAPERWORK.test(clause) && !STILL.test(clause)) return false;
  return !isResolved(clauses, index);
}

function firstLiveMatch(
  clauses: readonly string[],
  patterns: readonly RegExp[],
  negativeByNature: boolean,
  othersTroubleCounts = false,
): string | null {
  for (let index = 0; index < clauses.length; index++) {
    const clause = clauses[index];
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      for (const m of clause.matchAll(pattern)) {
        const start = m.index ?? 0;
        const end = start + m[0].length;
        if (isLiveReport(clauses, index, start, end, negativeByNature, othersTroubleCounts)) {
          return m[0];
        }
      }
    }
  }
  return null;
}

/** A clause that only says where: "..., in the kitchen, onto the lights". */
const PLACE_FRAGMENT =
  /^(?:(?:and|like|right|all) )?(?:onto|on to|into|in|on|through|from|over|down|under|behind|near|round|around|across|out of|all over|everywhere)\b/;
/** A clause that only names a thing, said before what happens to it: "the fuse box, it's wet". */
const NAMED_THING =
  /^(?:the|my|our|a|this|that|your)(?: (?!(?:is|are|has|have|was|were|burst|bust|split|gone)\b)[a-z]+(?<!ing|ed)){1,3}$/;

/**
 * A recogniser's punctuation breaks one thought into pieces; a piece that only
 * says where, or only names the thing, belongs with its neighbour.
 */
function joinFragments(clauses: readonly string[]): string[] {
  const joined: string[] = [];
  let pendingThing = "";
  for (const clause of clauses) {
    if (joined.length > 0 && PLACE_FRAGMENT.test(clause)) {
      joined[joined.length - 1] = `${joined[joined.length - 1]} ${clause}`;
      continue;
    }
    // "Last year, we had a burst pipe": a time said on its own belongs with what follows.
    if (NAMED_THING.test(clause) || (HISTORIC.test(clause) && clause.split(" ").length <= 4)) {
      pendingThing = `${pendingThing}${clause} `;
      continue;
    }
    joined.push(`${pendingThing}${clause}`);
    pendingThing = "";
  }
  if (pendingThing !== "") joined.push(pendingThing.trim());
  return joined;
}

/**
 * Normalised clauses, everyday words in standard English ("oot" -> out) and key terms in their
 * canonical spelling ("sealing" -> ceiling), read the same way as the intent rules read them.
 */
function clausesOf(utterance: string): string[] {
  const everyday = standardiseEverydayWords(normaliseUtterance(utterance));
  return joinFragments(splitClauses(canonicaliseKeyTerms(everyday)));
}

/** Whether the utterance says, in any clause and not negated, what the rule also needs. */
function saysAnywhere(clauses: readonly string[], pattern: RegExp): boolean {
  return firstLiveMatch(clauses, [pattern], false) !== null;
}

function detectIn(
  clauses: readonly string[],
  extraPhrases: readonly string[],
): EmergencyDetection | null {
  for (const rule of COMPILED_RULES) {
    if (rule.onlyWith !== null && !saysAnywhere(clauses, rule.onlyWith)) continue;
    // Blanked rather than dropped, so "fixed" two clauses on still finds its clause.
    const live = rule.diminishable ? clauses.map((c) => (isDiminished(c) ? "" : c)) : clauses;
    const matched = firstLiveMatch(
      live,
      rule.patterns,
      rule.negativeByNature,
      rule.othersTroubleCounts,
    );
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

function safetyCheckIn(clauses: readonly string[]): SafetyCheck | null {
  // A small amount asks nothing, unless a word says how bad ("a bit of a jet ... getting worse").
  const live = clauses.filter((c) => !isDiminished(c) || WORSENING.test(c));
  for (const q of COMPILED_QUESTIONS) {
    const asked = q.unless === null ? live : live.filter((c) => !q.unless?.test(c));
    const matched = firstLiveMatch(asked, q.patterns, q.negativeByNature, q.othersTroubleCounts);
    if (matched !== null) return { kind: q.kind, question: q.question, matched };
  }
  // A water emergency said in small amounts ("leaking into the ceiling a tiny
  // bit"): not an alarm, but worth the one question.
  const diminished = clauses.map((c) => (isDiminished(c) ? c : ""));
  for (const rule of COMPILED_RULES) {
    if (!rule.diminishable || WATER_QUESTION === undefined) continue;
    const matched = firstLiveMatch(diminished, rule.patterns, rule.negativeByNature);
    if (matched !== null) {
      return { kind: WATER_QUESTION.kind, question: WATER_QUESTION.question, matched };
    }
  }
  return null;
}

/**
 * Decides, deterministically, whether the caller is reporting an emergency
 * (built-in rules in priority order, gas first, then the business's own
 * `extraPhrases` as kind "custom"), and, when not, whether the signals are
 * partial enough to ask a safety question.
 */
export function assessEmergency(
  utterance: string,
  extraPhrases: readonly string[] = [],
): EmergencyAssessment {
  const clauses = clausesOf(utterance);
  if (clauses.length === 0) return { detection: null, safetyCheck: null };
  const detection = detectIn(clauses, extraPhrases);
  if (detection !== null) return { detection, safetyCheck: null };
  return { detection: null, safetyCheck: safetyCheckIn(clauses) };
}

export function detectEmergency(
  utterance: string,
  extraPhrases: readonly string[] = [],
): EmergencyDetection | null {
  return assessEmergency(utterance, extraPhrases).detection;
}

/**
 * The detection a "yes" to a safety question stands for, in the caller's own
 * words. `kind` comes back from stored call state, so an unknown one still
 * escalates, with the general water advice.
 */
export function confirmedEmergency(kind: string, words: string): EmergencyDetection {
  const rule = EMERGENCY_RULES.find((r) => r.kind === kind);
  if (!rule) {
    return {
      kind: "custom",
      label: CUSTOM_PHRASE_LABEL,
      matched: words,
      safetyAdvice: CUSTOM_PHRASE_SAFETY_ADVICE,
    };
  }
  return { kind: rule.kind, label: rule.label, matched: words, safetyAdvice: rule.safetyAdvice };
}
