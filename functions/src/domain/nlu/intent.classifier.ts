import { detectEmergency, EmergencyDetection } from "../emergency/emergency.classifier";
import { PROBLEM_WORDS } from "./plumbing-vocabulary";
import { normaliseUtterance } from "./text-normaliser";

export const INTENTS = [
  "book",
  "reschedule",
  "cancel",
  "question",
  "emergency",
  "human",
  "unknown",
] as const;
export type Intent = (typeof INTENTS)[number];

export interface ClassifiedUtterance {
  intent: Intent;
  emergency: EmergencyDetection | null;
}

export interface ClassifyOptions {
  /** The business's own emergency phrases (Business.emergency.extraPhrases). */
  extraEmergencyPhrases?: readonly string[];
}

const re = (source: string): RegExp => new RegExp(source);

/** "I want a human": the caller must always be able to get out of the machine. */
const HUMAN = [
  re(
    String.raw`\b(?:speak|talk|chat|put me through|transfer me|connect me|through) (?:to|with) (?:a |an |the |someone |somebody )?(?:real |actual |live )?(?:human|person|people|someone|somebody|owner|manager|boss|dave|plumber|engineer|member of staff|staff|receptionist|operator|agent|representative|man|woman|guy|bloke)\b`,
  ),
  re(String.raw`\b(?:real|actual|live) (?:person|human|people|someone)\b|\bsomeone real\b`),
  re(String.raw`\b(?:operator|agent|representative|human being|customer service)\b`),
  re(String.raw`^(?:a )?(?:human|person|someone)(?: please)?$`),
  re(String.raw`\b(?:put me through|transfer me|connect me)\b`),
  re(
    String.raw`\b(?:not|don't want to talk to|hate) (?:a |an )?(?:robot|machine|computer|bot)\b|\bare you a (?:robot|machine|computer|bot)\b`,
  ),
];

const CANCEL = [
  re(String.raw`\bcancel(?:l?ed|l?ing|lation)?\b`),
  re(
    String.raw`\b(?:don't|do not|no longer|won't|will not) (?:need|want|require) (?:you|the (?:plumber|visit|appointment|booking)|anyone|someone|somebody|an engineer)(?: to come)?(?: (?:out|round))?(?: (?:any ?more|after all|now))?\b`,
  ),
  re(String.raw`\bcall (?:it|the (?:visit|appointment|booking)) off\b`),
  re(String.raw`\b(?:sorted|fixed) it (?:myself|ourselves)\b`),
];

const RESCHEDULE = [
  re(
    String.raw`\b(?:re ?schedule|re ?book|re ?arrange|postpone|push (?:it|that|my appointment|the appointment) back|bring (?:it|that|my appointment|the appointment) forward)\b`,
  ),
  re(
    String.raw`\b(?:move|change|switch|swap|shift) (?:my|the|our|that|this) (?:appointment|booking|visit|time|date|day|slot)\b`,
  ),
  re(String.raw`\bchange (?:the |my )?(?:time|date|day)\b`),
  re(
    String.raw`\b(?:can't|cannot|can not|won't be able to|unable to) (?:make|do|be (?:in|there|home|at home|around)) (?:it|that|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|the appointment|then|that time|that day|the morning|the afternoon)\b`,
  ),
  re(String.raw`\b(?:another|a different|a later|an earlier|a new) (?:day|time|date|slot)\b`),
];

/** Questions about the business, answered from its profile rather than by booking. */
const QUESTION = [
  re(
    String.raw`\b(?:opening|office|business|working) hours\b|\bwhat time do you (?:open|close|shut|finish|start)\b|\b(?:are|when are|when're) you open\b`,
  ),
  re(
    String.raw`\bhow much\b|\bwhat (?:do|would|does) (?:you|it) (?:charge|cost)\b|\b(?:price|prices|pricing|cost|costs|rates?|call ?out (?:fee|charge)|charges?|fees?)\b`,
  ),
  re(
    String.raw`\bdo you (?:cover|serve|work in|work around|come to|go to|go out to|do|deal with|fix|offer|take|accept|have|provide|install|fit|repair|service)\b`,
  ),
  re(
    String.raw`\bare you (?:gas safe|registered|qualified|insured|certified|accredited|open|local|based|a real|available|on)\b`,
  ),
  re(String.raw`\bwhere are you\b|\bwhere(?:'s| is) your\b|\bwhat areas?\b|\bwhich areas?\b`),
  re(String.raw`\bcan (?:i|we) pay\b|\b(?:card|cash|bank transfer|invoice)\b.*\?$`),
];

/** An explicit request to book, or for someone to come out. */
const BOOK_REQUEST = [
  re(String.raw`\b(?:book|booking|appointment|make an appointment|arrange a visit)\b`),
  re(
    String.raw`\b(?:need|want|looking for|after|get|send|find) (?:a |an |some )?(?:plumber|engineer|heating engineer|gas engineer|tradesman|someone|somebody|quote|estimate|service|repair|visit|callout|call out)\b`,
  ),
  re(
    String.raw`\b(?:someone|somebody|you|a plumber|an engineer) (?:to )?(?:come|pop|call) (?:out|round|over|and|by|to)\b|\bcome (?:out|round|over) and\b`,
  ),
  re(
    String.raw`\b(?:need|want|like) (?:someone|somebody|you|a plumber|an engineer)? ?(?:to )?(?:fix|repair|unblock|look at|check|service|sort|replace|install|fit|take a look)\b`,
  ),
  re(
    String.raw`\b(?:can|could|would) (?:you|someone|somebody) (?:please )?(?:fix|repair|unblock|look at|check|service|sort out|replace|install|fit|take a look|have a look)\b`,
  ),
];

const QUESTION_OPENER = re(
  String.raw`^(?:what|when|where|which|who|how|why|do you|does|are you|is it|is there|can you tell|could you tell|i was wondering|just wondering|quick question)\b`,
);

/** At least one real word: otherwise it is noise, silence or a cough. */
const HAS_WORD = /[a-z]{2,}/;
const VOWEL = /[aeiouy]/;

function anyMatch(patterns: readonly RegExp[], text: string): boolean {
  return patterns.some((p) => p.test(text));
}

function looksLikeLanguage(text: string): boolean {
  if (!HAS_WORD.test(text)) return false;
  const tokens = text.split(/[^a-z']+/).filter((w) => w.length > 0);
  const wordish = tokens.filter((w) => VOWEL.test(w) && w.length <= 15);
  return wordish.length * 2 >= tokens.length;
}

/**
 * Works out what the caller wants from one utterance. The emergency check
 * comes first and wins outright; after that the order settles the common
 * overlaps: "I don't need you to come anymore" is a cancel (not a booking),
 * "I want to cancel and move it to Friday" is a reschedule, and "how much is
 * a boiler service" is a question (not a booking).
 */
export function classifyUtterance(
  utterance: string,
  options: ClassifyOptions = {},
): ClassifiedUtterance {
  const emergency = detectEmergency(utterance, options.extraEmergencyPhrases ?? []);
  if (emergency !== null) return { intent: "emergency", emergency };

  const text = normaliseUtterance(utterance)
    .replace(/[.,;:!]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!looksLikeLanguage(text)) return { intent: "unknown", emergency: null };

  const intent = ((): Intent => {
    if (anyMatch(HUMAN, text)) return "human";
    const reschedule = anyMatch(RESCHEDULE, text);
    if (reschedule) return "reschedule";
    if (anyMatch(CANCEL, text)) return "cancel";
    const asksQuestion = anyMatch(QUESTION, text);
    const requestsBooking = anyMatch(BOOK_REQUEST, text);
    if (requestsBooking && !(asksQuestion && QUESTION_OPENER.test(text))) return "book";
    if (asksQuestion) return "question";
    // A described, non-emergency problem is a job to book.
    if (PROBLEM_WORDS.test(text)) return "book";
    if (QUESTION_OPENER.test(text) || text.endsWith("?")) return "question";
    return "unknown";
  })();
  return { intent, emergency: null };
}
