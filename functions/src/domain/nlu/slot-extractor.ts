import type { Service } from "../business/business";
import { CARDINAL_WORDS, DIGIT_WORDS, ORDINAL_WORDS, PROBLEM_WORDS } from "./plumbing-vocabulary";
import { normaliseUtterance, words } from "./text-normaliser";

export interface ExtractedSlots {
  name?: string;
  address?: string;
  /** Upper case with a single space before the inward code ("BS6 6DR"), or an outward code alone ("BS6"). */
  postcode?: string;
  /** Digits as spoken, with a leading "+" if one was said; normalise with normalisePhoneNumber. */
  phone?: string;
  serviceId?: string;
  problem?: string;
}

interface Span {
  start: number;
  end: number;
}

// ---------------------------------------------------------------- postcodes

/** Every UK postcode area, so "at 5 pm" or "A1 road" style noise is not read as a postcode. */
const POSTCODE_AREAS = new Set(
  (
    "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX " +
    "FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE " +
    "NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ " +
    "TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE"
  ).split(" "),
);
const FULL_POSTCODE = /\b([A-Z]{1,2})(\d[A-Z\d]?) ?(\d[A-Z]{2})\b/gi;
const OUTWARD_CODE = /\b([A-Z]{1,2})(\d[A-Z\d]?)\b/gi;
const POSTCODE_CUE = /\b(?:post ?code(?: is|'s)?|postal code(?: is)?|in|near|around|area)\s*$/i;
const SPOKEN_POSTCODE_LEAD = /\bpost ?code(?: is|'s)?\s+((?:[a-z0-9]{1,4}\s*){2,8})/i;

interface FoundPostcode extends Span {
  postcode: string;
}

function isArea(letters: string): boolean {
  return POSTCODE_AREAS.has(letters.toUpperCase());
}

function findPostcode(text: string): FoundPostcode | undefined {
  for (const m of text.matchAll(FULL_POSTCODE)) {
    if (!isArea(m[1])) continue;
    const start = m.index ?? 0;
    return { postcode: `${m[1]}${m[2]} ${m[3]}`.toUpperCase(), start, end: start + m[0].length };
  }
  // Spelled out after "postcode": "b s six six d r".
  const spoken = SPOKEN_POSTCODE_LEAD.exec(text);
  if (spoken) {
    const joined = spoken[1]
      .split(/\s+/)
      .map((w) => DIGIT_WORDS[w.toLowerCase()] ?? w)
      .join("");
    const m = /^([A-Z]{1,2})(\d[A-Z\d]?)(\d[A-Z]{2})/i.exec(joined);
    if (m && isArea(m[1])) {
      const start = spoken.index + spoken[0].length - spoken[1].length;
      return {
        postcode: `${m[1]}${m[2]} ${m[3]}`.toUpperCase(),
        start,
        end: start + spoken[1].trimEnd().length,
      };
    }
  }
  for (const m of text.matchAll(OUTWARD_CODE)) {
    const start = m.index ?? 0;
    const standalone = text.trim().length === m[0].length;
    if (!isArea(m[1]) || !(standalone || POSTCODE_CUE.test(text.slice(0, start)))) continue;
    return { postcode: `${m[1]}${m[2]}`.toUpperCase(), start, end: start + m[0].length };
  }
  return undefined;
}

// ------------------------------------------------------------------ phones

const PHONE_TOKEN = /\+?\d+|\(0\)|[a-z]+/gi;
const PHONE_JOINERS = /^[\s\-.()]*$/;
const MIN_PHONE_DIGITS = 10;
const MAX_PHONE_DIGITS = 15;

interface FoundPhone extends Span {
  phone: string;
}

/**
 * Finds a phone number said as digits ("07700 900123", "+44 (0)7700-900123")
 * or as words ("oh seven seven double oh nine..."), by collecting runs of
 * digit tokens that are only separated by spaces or punctuation.
 */
function findPhone(text: string): FoundPhone | undefined {
  let digits = "";
  let start = -1;
  let end = -1;
  let repeat = 1;
  let plus = false;
  const flush = (): FoundPhone | undefined => {
    const found =
      digits.length >= MIN_PHONE_DIGITS && digits.length <= MAX_PHONE_DIGITS
        ? { phone: `${plus ? "+" : ""}${digits}`, start, end }
        : undefined;
    digits = "";
    start = -1;
    repeat = 1;
    plus = false;
    return found;
  };
  for (const m of text.matchAll(PHONE_TOKEN)) {
    const token = m[0].toLowerCase();
    const at = m.index ?? 0;
    const adjacent = start < 0 || PHONE_JOINERS.test(text.slice(end, at));
    if (!adjacent) {
      const found = flush();
      if (found) return found;
    }
    let value: string | undefined;
    if (/^\+?\d+$/.test(token)) {
      value = token.replace("+", "");
      if (token.startsWith("+") && digits.length === 0) plus = true;
    } else if (token === "(0)") {
      value = digits.length > 0 ? "" : "0"; // "+44 (0)" is a written quirk: the 0 is not dialled.
    } else if (token === "double" || token === "triple") {
      repeat = token === "double" ? 2 : 3;
      if (start < 0) start = at;
      end = at + token.length;
      continue;
    } else {
      value = DIGIT_WORDS[token];
      // A lone "o"/"oh" is an interjection unless it sits inside a number.
      if ((token === "oh" || token === "o") && digits.length === 0) {
        const next = text.slice(at + token.length).trimStart();
        if (
          !/^(?:\d|zero|oh|o\b|one|two|three|four|five|six|seven|eight|nine|double|triple)/i.test(
            next,
          )
        )
          value = undefined;
      }
    }
    if (value === undefined) {
      const found = flush();
      if (found) return found;
      continue;
    }
    if (start < 0) start = at;
    digits += value.repeat(value.length === 1 ? repeat : 1);
    repeat = 1;
    end = at + m[0].length;
  }
  return flush();
}

// ------------------------------------------------------------------- names

const NAME_STOPWORDS = new Set(
  (
    "a an and at about after afraid again also am are as back because but by calling cos could from getting going " +
    "good had has have having hello here hi home how i i'm i've im in is it it's its just looking me my no not now " +
    "number of ok okay on our out phone phoning please really ringing so sorry speaking still sure thanks thank " +
    "that the their then there this to trying um uh er erm we we're well what wondering worried with yeah yes you " +
    "your calling live living address postcode ringing the problem need needing wanting after currently having " +
    "new old interested hoping"
  ).split(" "),
);
const NAME_WORD = /^[A-Za-z][A-Za-z'\u2019-]*$/;

interface NameLead {
  pattern: RegExp;
  /** Speech-to-text capitalises names: require it where the lead-in is ambiguous ("I'm Sarah" vs "I'm calling"). */
  requireCapital: boolean;
  /** A word that must follow the name ("it's Dave here"). */
  requireFollower?: RegExp;
}

const NAME_LEADS: readonly NameLead[] = [
  { pattern: /\b(?:my |the )?name(?:'s|\u2019s| is)\s+/gi, requireCapital: false },
  { pattern: /\bcall me\s+/gi, requireCapital: false },
  {
    pattern: /\b(?:it's|it\u2019s|it is)\s+/gi,
    requireCapital: false,
    requireFollower: /^\s+(?:here|speaking|calling)\b/i,
  },
  { pattern: /\bthis is\s+/gi, requireCapital: true },
  { pattern: /\b(?:i'm|i\u2019m|i am)\s+/gi, requireCapital: true },
];

function titleCase(word: string): string {
  if (/[A-Z]/.test(word)) return word;
  return word.replace(
    /(^|[-'\u2019])([a-z])/g,
    (_m, sep: string, c: string) => sep + c.toUpperCase(),
  );
}

interface FoundName extends Span {
  name: string;
}

function findName(text: string): FoundName | undefined {
  for (const lead of NAME_LEADS) {
    lead.pattern.lastIndex = 0;
    for (const m of text.matchAll(lead.pattern)) {
      const from = (m.index ?? 0) + m[0].length;
      const taken: string[] = [];
      let end = from;
      const tokenPattern = /([^\s,.;:!?]+)/g;
      tokenPattern.lastIndex = from;
      let t: RegExpExecArray | null;
      while (taken.length < 3 && (t = tokenPattern.exec(text)) !== null) {
        const gap = text.slice(end, t.index);
        if (taken.length > 0 && gap.trim().length > 0) break; // punctuation ends a name
        const word = t[1];
        if (!NAME_WORD.test(word) || NAME_STOPWORDS.has(word.toLowerCase().replace("\u2019", "'")))
          break;
        if (lead.requireCapital && !/^[A-Z]/.test(word)) break;
        if (lead.requireCapital && word === word.toUpperCase() && word.length > 1) break; // "I'm OK"
        taken.push(word);
        end = t.index + word.length;
      }
      if (taken.length === 0) continue;
      if (lead.requireFollower && !lead.requireFollower.test(text.slice(end))) continue;
      return { name: taken.map(titleCase).join(" "), start: m.index ?? 0, end };
    }
  }
  return undefined;
}

// --------------------------------------------------------------- addresses

const STREET_TYPES =
  "road|street|avenue|lane|close|drive|way|crescent|place|terrace|gardens|grove|hill|park|court|square|mews|row|walk|parade|rise|vale|green|view|mead|gate|wharf|quay|parkway|boulevard|hollow|heights|fields|meadows";
const STREET = new RegExp(
  String.raw`\b(?:(?:flat|apartment|unit) \d+[a-z]?,? )?\d{1,4}[a-z]?,? (?:[A-Za-z'\u2019-]+ ){1,3}?(?:${STREET_TYPES})\b`,
  "gi",
);
const TOWN_AFTER_STREET = /^,?\s+([A-Z][a-zA-Z'-]+(?:\s[A-Z][a-zA-Z'-]+)?)\b/;
const WORD_BEFORE_POSTCODE = /^,?\s+([a-zA-Z'-]+)(?=,?\s+[a-z]{1,2}\d)/i;
const POSTCODE_NEXT = /^,?\s*$/;
const EXPLICIT_ADDRESS_LEAD =
  /\b(?:i live at|we live at|i'm at|we're at|live at|(?:my|the|our) address is|address is|address's|the property is at|(?:my|our|the) house is at|it's at)\s+/gi;
const EXPLICIT_ADDRESS_END =
  /[.;!?]|\s(?:and|but|so|because|cos)\s|,\s*(?=(?:and|my|i|i'm|i've|it|it's|its|we|we've|the problem|can|could|would|please|so|but|because|there|there's|this|which|who|phone|number|call)\b)|\s(?=(?:my|i'm|i've|it's|can you|could you|please)\b)/i;
const MAX_ADDRESS_LENGTH = 120;

interface FoundAddress extends Span {
  address: string;
}

function trimAddress(raw: string): string {
  return raw.replace(/^[\s,]+|[\s,.]+$/g, "").replace(/\s+/g, " ");
}

function findAddress(text: string, postcode: FoundPostcode | undefined): FoundAddress | undefined {
  // Extend a span to take in a postcode that follows it directly.
  const withPostcode = (start: number, end: number): number =>
    postcode && postcode.start >= end && POSTCODE_NEXT.test(text.slice(end, postcode.start))
      ? postcode.end
      : end;

  EXPLICIT_ADDRESS_LEAD.lastIndex = 0;
  const lead = EXPLICIT_ADDRESS_LEAD.exec(text);
  if (lead) {
    const start = lead.index + lead[0].length;
    const rest = text.slice(start, start + MAX_ADDRESS_LENGTH);
    let end = start + (EXPLICIT_ADDRESS_END.exec(rest)?.index ?? rest.length);
    if (postcode && postcode.start >= start && postcode.start < end)
      end = Math.max(end, postcode.end);
    if (postcode && postcode.start >= start && postcode.start <= end + 2)
      end = Math.max(end, postcode.end);
    end = withPostcode(start, end);
    const address = trimAddress(text.slice(start, end));
    if (/[a-z]{2,}/i.test(address)) return { address, start: lead.index, end };
  }

  STREET.lastIndex = 0;
  const street = STREET.exec(text);
  if (!street) return undefined;
  const start = street.index;
  let end = start + street[0].length;
  const afterStreet = text.slice(end);
  const town = TOWN_AFTER_STREET.exec(afterStreet) ?? WORD_BEFORE_POSTCODE.exec(afterStreet);
  if (town && !NAME_STOPWORDS.has(town[1].toLowerCase()) && !/^[A-Z]{1,2}\d/i.test(town[1])) {
    end += town[0].length;
  }
  end = withPostcode(start, end);
  return { address: trimAddress(text.slice(start, end)), start, end };
}

// ----------------------------------------------------------------- services

/** A crude stemmer: enough for "dripping"/"drip", "blocked"/"block", "servicing"/"service". */
function stem(word: string): string {
  let w = word.toLowerCase().replace(/'s$|\u2019s$|'$/, "");
  if (w.length > 4 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith("ed")) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("ies")) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith("y")) w = w.slice(0, -1);
  if (w.length > 3 && /([b-df-hj-np-tv-z])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}

function stems(text: string): string[] {
  return words(normaliseUtterance(text)).map(stem);
}

/** Whether all of a phrase's stems occur within a short window of the utterance (any order). */
function phraseOccurs(utterance: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0) return false;
  const windowSize = phrase.length + 2;
  for (let i = 0; i < utterance.length; i++) {
    if (utterance[i] !== phrase[0] && !phrase.includes(utterance[i])) continue;
    const window = utterance.slice(i, i + windowSize);
    if (phrase.every((p) => window.includes(p))) return true;
  }
  return false;
}

/**
 * Scores each service by the keywords (and name) the caller used; longer
 * phrases count for more. The best score wins; ties go to the service listed
 * first, so a business orders its services from most to least specific.
 */
function matchService(text: string, services: readonly Service[]): string | undefined {
  const utterance = stems(text);
  let best: { id: string; score: number } | undefined;
  for (const service of services) {
    let score = 0;
    const seen = new Set<string>();
    for (const phrase of [...service.keywords, service.name]) {
      const phraseStems = stems(phrase);
      const key = phraseStems.join(" ");
      if (seen.has(key)) continue;
      seen.add(key);
      if (phraseOccurs(utterance, phraseStems)) score += phraseStems.length;
    }
    if (score > 0 && (best === undefined || score > best.score)) best = { id: service.id, score };
  }
  return best?.id;
}

// ------------------------------------------------------------------ problem

const CLAUSE_SPLIT = /[.;!?,]+|\s(?:and|but|so|also)\s/i;
const LEADING_FILLER =
  /^(?:(?:hi|hello|hiya|morning|afternoon|evening|yeah|yes|um|uh|er|erm|so|well|and|but|right|ok|okay|basically|look|listen|just)\b[\s,]*)+/i;
const LEADING_REQUEST =
  /^(?:i'm (?:calling|ringing|phoning) (?:because|about|as|since)|(?:i'm )?(?:calling|ringing|phoning) (?:because|about)|the (?:problem|issue) is(?: that)?|i(?:'d| would) like (?:to book|someone to (?:look at|fix|come (?:and|to) (?:look at|fix)))|i need (?:someone|a plumber|an engineer) to (?:look at|fix|come (?:and|to) (?:look at|fix))|can (?:you|someone) (?:come (?:and|to) )?(?:look at|fix))\s+/i;
const MAX_PROBLEM_LENGTH = 160;

function findProblem(text: string, consumed: readonly Span[]): string | undefined {
  let remaining = text;
  // Blank out what other slots used; same length, so overlapping spans keep their offsets.
  for (const span of consumed) {
    const blank = `,${" ".repeat(Math.max(0, span.end - span.start - 1))}`;
    remaining = remaining.slice(0, span.start) + blank + remaining.slice(span.end);
  }
  const parts = remaining
    .split(CLAUSE_SPLIT)
    .map((c) => c.trim().replace(LEADING_FILLER, "").replace(LEADING_REQUEST, "").trim())
    .filter((c) => c.length > 2 && PROBLEM_WORDS.test(normaliseUtterance(c)));
  if (parts.length === 0) return undefined;
  const problem = parts.join("; ");
  return problem.length > MAX_PROBLEM_LENGTH
    ? `${problem.slice(0, MAX_PROBLEM_LENGTH - 1).trimEnd()}\u2026`
    : problem;
}

/**
 * Pulls every detail a caller gave in one breath: "Hi, this is Sarah Jones at
 * 14 Cotham Road BS6 6DR, my kitchen tap is dripping" yields a name, an
 * address, a postcode, a service and the problem. Missing details are absent.
 */
export function extractSlots(utterance: string, services: readonly Service[]): ExtractedSlots {
  const text = utterance.replace(/\s+/g, " ").trim();
  const slots: ExtractedSlots = {};
  if (text.length === 0) return slots;
  const consumed: Span[] = [];

  const phone = findPhone(text);
  if (phone) {
    slots.phone = phone.phone;
    consumed.push(phone);
  }
  const postcode = findPostcode(text);
  if (postcode) {
    slots.postcode = postcode.postcode;
    consumed.push(postcode);
  }
  const address = findAddress(text, postcode);
  if (address) {
    slots.address = address.address;
    consumed.push(address);
  }
  const name = findName(text);
  if (name && !(address && name.start >= address.start && name.start < address.end)) {
    slots.name = name.name;
    consumed.push(name);
  }
  const serviceId = matchService(text, services);
  if (serviceId) slots.serviceId = serviceId;
  const problem = findProblem(text, consumed);
  if (problem) slots.problem = problem;
  return slots;
}

// --------------------------------------------------------------- yes and no

/** Affirmatives that contain a negative word, checked before the plain "no". */
const YES_WITH_NEGATIVE_WORD = /\b(?:no problem|no worries|not a problem|no bother|why not)\b/;
const NEGATED_YES =
  /\b(?:not|isn't|that's not|thats not|is not) (?:right|correct|quite right|it|good|ok|okay)\b/;
const YES =
  /\b(?:yes|yeah|yeh|yep|yup|ya|aye|sure|correct|right|that's right|that is right|that's it|spot on|exactly|ok|okay|sounds good|sounds great|perfect|lovely|great|brilliant|fine|please do|go ahead|go on then|absolutely|definitely|of course|do it|book it|that works|that'll do|that would be great|yes please)\b/;
const NO =
  /\b(?:no|nope|nah|not quite|not really|that's wrong|thats wrong|wrong|incorrect|negative|no thanks|no thank you|(?:don't|do not) (?:want|need|think so|bother|book)|neither|none of them|not that one|not that)\b/;

/**
 * Reads a yes or no answer to a confirmation question; null when the answer
 * is neither. When both appear, whichever comes first wins, so "no, that's
 * fine" is a NO: callers use it to decline ("anything else?" - "no that's
 * fine"), and a wrongly read "no" only costs one more question while a wrongly
 * read "yes" would book the wrong slot.
 */
export function parseYesNo(utterance: string): "yes" | "no" | null {
  let text = normaliseUtterance(utterance).replace(/[.,;:!?]+/g, " ");
  let firstYes = Number.POSITIVE_INFINITY;
  let firstNo = Number.POSITIVE_INFINITY;
  const affirmativeNegative = YES_WITH_NEGATIVE_WORD.exec(text);
  if (affirmativeNegative) {
    firstYes = affirmativeNegative.index;
    text = text.replace(YES_WITH_NEGATIVE_WORD, (m) => " ".repeat(m.length));
  }
  const negatedYes = NEGATED_YES.exec(text);
  if (negatedYes) {
    firstNo = Math.min(firstNo, negatedYes.index);
    text = text.replace(NEGATED_YES, (m) => " ".repeat(m.length));
  }
  const yes = YES.exec(text);
  if (yes) firstYes = Math.min(firstYes, yes.index);
  const no = NO.exec(text);
  if (no) firstNo = Math.min(firstNo, no.index);
  if (firstYes === Number.POSITIVE_INFINITY && firstNo === Number.POSITIVE_INFINITY) return null;
  return firstYes < firstNo ? "yes" : "no";
}

// ------------------------------------------------------------ ordinal picks

const CHOICE_TOKEN = new RegExp(
  String.raw`\b(?:(?:number|option|choice|slot|no) (\d{1,2}|${Object.keys(CARDINAL_WORDS).join("|")})|(${Object.keys(ORDINAL_WORDS).join("|")})|(last|final|latest|middle))\b`,
  "g",
);
const BARE_NUMBER = new RegExp(
  String.raw`^(?:the )?(\d{1,2}|${Object.keys(CARDINAL_WORDS).join("|")})(?: one)?(?: please)?$`,
);

function numberFrom(token: string): number {
  return /^\d+$/.test(token) ? Number(token) : (CARDINAL_WORDS[token] ?? 0);
}

/**
 * Reads which of `count` offered options the caller picked ("the first one",
 * "number 3", "option two", "the last one") as a 0-based index. If the caller
 * corrects themselves ("the first, no actually the second"), the last choice
 * said wins. Out of range or no choice: null.
 */
export function parseOrdinalChoice(utterance: string, count: number): number | null {
  if (count <= 0) return null;
  const text = normaliseUtterance(utterance)
    .replace(/[.,;:!?]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  let choice: number | null = null;
  for (const m of text.matchAll(CHOICE_TOKEN)) {
    if (m[1] !== undefined) choice = numberFrom(m[1]);
    else if (m[2] !== undefined) choice = ORDINAL_WORDS[m[2]];
    else if (m[3] === "middle") choice = count % 2 === 1 ? (count + 1) / 2 : null;
    else if (m[3] !== undefined) choice = count;
  }
  if (choice === null) {
    const bare = BARE_NUMBER.exec(text);
    if (bare) choice = numberFrom(bare[1]);
  }
  if (choice === null || choice < 1 || choice > count) return null;
  return choice - 1;
}
