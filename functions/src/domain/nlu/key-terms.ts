import { distance } from "fastest-levenshtein";

/**
 * Speech recognisers mishear the very words that matter on a plumbing call:
 * "sealing" for ceiling, "poring" for pouring, "council" for cancel,
 * "berst" for burst. Before the emergency and intent rules run, key terms are
 * put back into one spelling here, so each rule is written once, against the
 * canonical word. Slot extraction keeps the caller's own words.
 *
 * Three kinds of evidence, strongest first:
 * 1. word families and UK words listed explicitly (loo -> toilet);
 * 2. homophones that are real words too, only in a context that makes them
 *    the key term ("the sealing is dripping" but not "sealing the bath");
 * 3. near-misses: a word that sounds like a key term (same sound key) and is
 *    at most one edit away from it ("cancell", "reshedule", "floding"); a key
 *    term with a letter doubled or undoubled ("gass", "smel"); and, for terms
 *    open to near misses, a word with the same consonants in the same places
 *    and only its vowels heard differently ("berstid", "fludded", "floodid").
 */

export interface KeyTerm {
  /** The spelling the rules are written against. */
  readonly canonical: string;
  /** Other words that mean the same here, always replaced. */
  readonly family?: readonly string[];
  /**
   * Real words a recogniser writes for this term. Replaced only when the
   * `when` pattern matches the text around them (regex source; `_` marks the word).
   */
  readonly homophones?: readonly { readonly words: readonly string[]; readonly when: string }[];
  /** Allow near-miss spellings (same sound, one edit away). */
  readonly fuzzy?: boolean;
  /**
   * Also allow spellings further off that sound exactly the same (same sound key,
   * up to three edits: "seeling", "kansal"). Only for terms whose same-sounding
   * English words are all listed in PROTECTED or as homophones, checked against
   * a British English word list.
   */
  readonly phonetic?: boolean;
  /**
   * A short term (three or four letters) heard with one letter off and the same sound
   * ("gaz", "leek", "pip"); its longer forms (leaks, pipes) are left as they are.
   */
  readonly shortFuzzy?: boolean;
}

const DET = String.raw`(?:the|my|our|a|kitchen|bathroom|hall|hallway|landing|lounge|bedroom|living room|whole|their|his|her|your)`;

export const KEY_TERMS: readonly KeyTerm[] = [
  {
    canonical: "ceiling",
    family: ["ceilings", "seiling", "cieling", "celing", "sealin"],
    homophones: [
      {
        words: ["sealing", "sealings"],
        // "through the sealing", "the sealing is dripping"; never "sealing the bath" or "sealing around".
        when: String.raw`(?:${DET}|through|from|in|down|off) _(?! (?:the|it|around|round|up|strip|tape|compound|job|kit|gun)\b)`,
      },
      {
        words: ["seal in", "see ling", "sea ling", "seal ing"],
        // "the seal in is dripping", "through the seal in".
        when: String.raw`(?:through|from|in|out of|off) (?:${DET} )?_\b|\b(?:the|my|our) (?:[a-z]+ )?_(?:'s| is| has)? (?:dripping|leaking|coming down|collapsing|caving|bulging|sagging|wet|soaked)\b`,
      },
      {
        words: ["selling", "sailing", "swelling", "soiling"],
        // "through the selling", "the selling's dripping"; never "we're selling the house".
        when: String.raw`(?:through|from|in|out of|off) (?:${DET} )?_\b|\b(?:the|my|our) (?:[a-z]+ )?_(?:'s| is| has)? (?:dripping|leaking|coming down|collapsing|caving|bulging|sagging)\b`,
      },
    ],
    fuzzy: true,
    phonetic: true,
  },
  {
    canonical: "pouring",
    family: ["poring", "pawing", "powering out", "pourin", "pooring", "paring", "pooing"],
    fuzzy: true,
  },
  {
    canonical: "burst",
    family: ["bursted", "berst", "burts"],
    homophones: [
      {
        words: ["first"],
        // "the pipe in her kitchen's first", "the pipe has first"; never "first thing" or "the first floor".
        when: String.raw`\b(?:pipes?|mains?|tanks?|cylinders?|radiators?|hoses?|joints?)\b(?: [a-z']+){0,4}?(?:'s| has| have| had| just) _\b(?! (?:time|floor|thing|things|one|of|aid|class|place|job|visit|appointment|available|slot|fix|on)\b)`,
      },
    ],
    fuzzy: true,
  },
  { canonical: "flood", fuzzy: true },
  { canonical: "flooding", family: ["fludding"], fuzzy: true },
  { canonical: "flooded", family: ["fluded"], fuzzy: true },
  { canonical: "leaking", family: ["leeking", "leakin", "leacking"], fuzzy: true },
  { canonical: "gushing", family: ["gushin"], fuzzy: true },
  { canonical: "spraying", fuzzy: true },
  {
    canonical: "overflowing",
    family: ["over flowing", "overflowin"],
    fuzzy: true,
    phonetic: true,
  },
  { canonical: "sewage", family: ["sewerage", "sewidge", "sewege"], fuzzy: true },
  {
    canonical: "toilet",
    family: ["loo", "loos", "bog", "wc", "lav", "lavatory", "toilets", "toylet"],
  },
  {
    canonical: "cylinder",
    family: ["cylinders", "cilinder", "silinder", "hot water tank", "hot water cylinder"],
    fuzzy: true,
    phonetic: true,
  },
  {
    canonical: "stopcock",
    family: ["stop cock", "stop tap", "stoptap", "stop valve", "stopcocks"],
  },
  {
    canonical: "boiler",
    family: ["boilers", "boyler", "bowler", "combi", "combi boiler"],
    homophones: [
      {
        words: ["boil her", "boil a", "boy la", "boil la"],
        // "the boil her's dead", "boil her won't fire", "a boil her service"; never "boil a kettle".
        when: String.raw`(?:\b(?:the|my|our|me|her|his|their) _|^_)(?=(?:'s| is| has| won't| keeps| isn't| doesn't| broke| stopped| packed| died| dead| leaking)\b)|\b(?:a|the|my|our|me|new) _(?= (?:service|servicing|pressure|engineer|repair|breakdown|fitted|installed|check|man|replaced|replacement|upgrade|quote)\b)`,
      },
    ],
  },
  { canonical: "electric", family: ["lectric", "lecktric", "elektric"] },
  { canonical: "electricity", family: ["lecky", "leccy", "lekky", "lecci"] },
  {
    canonical: "carbon",
    homophones: [
      {
        words: ["car bun", "car bon", "car born", "carbun", "carbin", "car been"],
        // "the car bun monoxide alarm"; only before monoxide.
        when: String.raw`_ monoxide\b`,
      },
    ],
  },
  {
    canonical: "co",
    homophones: [
      {
        words: ["see oh", "sea oh", "cee oh", "c oh", "see o"],
        // "see oh alarm going off"; only before an alarm.
        when: String.raw`_ (?:alarm|detector|monitor|sensor|thing|box|reader)\b`,
      },
    ],
  },
  // Words the rules are written with, heard with the g dropped ("drippin", "comin").
  { canonical: "dripping" },
  { canonical: "coming" },
  { canonical: "running" },
  { canonical: "spreading" },
  { canonical: "seeping" },
  { canonical: "bubbling" },
  { canonical: "smelling" },
  { canonical: "beeping" },
  { canonical: "collapsing" },
  {
    canonical: "monoxide",
    family: ["monoxyde", "mono oxide", "monoxid"],
    fuzzy: true,
    phonetic: true,
  },
  { canonical: "gas", family: ["gasses"], shortFuzzy: true },
  { canonical: "smell" },
  { canonical: "water", fuzzy: true },
  { canonical: "pipe", shortFuzzy: true },
  { canonical: "leak", shortFuzzy: true },
  {
    canonical: "cancel",
    family: [
      "cancell",
      "cansel",
      "cancle",
      "cancelled",
      "canceled",
      "cancelling",
      "canceling",
      "cancellation",
    ],
    homophones: [
      {
        words: ["council", "counsel", "consul", "cancer"],
        // "can you council my appointment"; never "the council are digging up the road".
        when: String.raw`(?<!(?:the|a|local|city|county|town) )_ (?:my|the|it|that|this|our|tomorrow's|today's|[a-z]+day's|next week's|appointment|booking|visit|please|tomorrow|today|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b`,
      },
      {
        words: ["can sell", "can cell", "can sal", "can't sell"],
        // "can sell my appointment"; never "you can sell the old boiler".
        when: String.raw`_ (?:my|our|tomorrow's|today's|[a-z]+day's|next week's|(?:the|that|this) (?:[a-z]+ )?(?:appointment|booking|visit)|appointment|booking|visit|it please)\b`,
      },
    ],
    fuzzy: true,
    phonetic: true,
  },
  {
    canonical: "reschedule",
    family: ["re schedule", "reshedule", "rescedule", "reschedual", "re shedule"],
    fuzzy: true,
    phonetic: true,
  },
  {
    canonical: "through",
    family: ["thru", "thro"],
    homophones: [
      {
        words: ["threw"],
        // "pouring threw the ceiling"; never "I threw a towel on it".
        when: String.raw`_ (?:the|my|our|a) (?:[a-z]+ )?(?:ceiling|floor|wall|roof|light|lights|kitchen|bathroom|house|door)\b`,
      },
    ],
  },
  // UK speech drops the "of": "coming out the socket", "nothing comes out the taps".
  { canonical: "out of the", family: ["out the", "outta the", "out o the", "out of de"] },
  { canonical: "there's", family: ["theres", "there is"] },
  {
    canonical: "appointment",
    family: ["a point meant", "apointment", "appointmen"],
    fuzzy: true,
    phonetic: true,
  },
];

/** Canonical words never rewritten into one another by near-miss matching. */
const PROTECTED = new Set([
  "boring",
  "looking",
  "licking",
  "lacking",
  "locking",
  "liking",
  "seeing",
  "sealing",
  "council",
  "flooring",
  "floored",
  "floors",
  "pushing",
  "rushing",
  "praying",
  "sewing",
  "cancer",
  // English words that sound like a key term (checked against a British English word list).
  "leaning",
  "gashing",
  "spaying",
  "sprain",
  "chancel",
  "sailing",
  "selling",
  "sling",
  "soiling",
  "soling",
  "swelling",
  "swilling",
  "conceal",
  "consul",
  "counsel",
  "slander",
  "slender",
  // Same consonants in the same places as a key term (checked against the same list).
  "bursa",
  "consoled",
  "counselled",
  "lucking",
  "pairing",
  "parring",
  "parrying",
  "peering",
  "pureeing",
  "purring",
  "sallying",
  "soloing",
  "sullying",
  "sprang",
  "spring",
  "sprung",
  "coo",
  "gus",
  "gags",
  "gays",
  "pope",
  "pie",
  "walter",
  "wader",
  "waiter",
  "waster",
  "wetter",
  "wittier",
  "fled",
  "flied",
  "flayed",
  "floyd",
  "fluid",
]);

/**
 * A rough sound key, in the spirit of Metaphone: the letters English spells
 * one sound with become one letter, vowels after the first letter are
 * dropped, and doubled letters collapse. Enough to tell "flooding" (FLTNK)
 * from "flooring" (FLRNK) and to hear "cancel" in "cancell".
 */
export function soundKey(word: string): string {
  let w = word.toLowerCase().replace(/[^a-z]/g, "");
  if (w === "") return "";
  w = w
    .replace(/^kn|^gn|^pn/, "n")
    .replace(/^wr/, "r")
    .replace(/^x/, "s")
    .replace(/^wh/, "w")
    .replace(/ph/g, "f")
    .replace(/sch/g, "sk")
    .replace(/tch/g, "x")
    .replace(/[cs]h/g, "x")
    .replace(/th/g, "0")
    .replace(/dg(?=[eiy])/g, "j")
    .replace(/ck/g, "k")
    .replace(/c(?=[eiy])/g, "s")
    .replace(/c/g, "k")
    .replace(/q/g, "k")
    .replace(/x/g, "ks")
    .replace(/z/g, "s")
    .replace(/gh(?![aeiou])/g, "")
    .replace(/g(?=[eiy])/g, "j")
    .replace(/i?ng$/, "nk")
    .replace(/d/g, "t")
    .replace(/b/g, "p")
    .replace(/v/g, "f");
  const first = /[aeiou]/.test(w[0]) ? "a" : w[0];
  const rest = w.slice(1).replace(/[aeiouyhw]/g, "");
  return (first + rest).replace(/(.)\1+/g, "$1").toUpperCase();
}

interface CompiledHomophone {
  words: ReadonlySet<string>;
  canonical: string;
  contexts: readonly RegExp[];
}

const FAMILY = new Map<string, string>();
const MULTI_WORD: { pattern: RegExp; canonical: string }[] = [];
const HOMOPHONES: CompiledHomophone[] = [];
/** Homophones heard as two words ("can sell" for cancel), replaced only in their context. */
const MULTI_WORD_HOMOPHONES: { pattern: RegExp; phrase: string; canonical: string }[] = [];
const FUZZY: { canonical: string; key: string; phonetic: boolean }[] = [];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

for (const term of KEY_TERMS) {
  for (const variant of term.family ?? []) {
    if (variant.includes(" ")) {
      MULTI_WORD.push({
        pattern: new RegExp(`\\b${escape(variant)}\\b`, "g"),
        canonical: term.canonical,
      });
    } else {
      FAMILY.set(variant, term.canonical);
    }
  }
  for (const h of term.homophones ?? []) {
    for (const w of h.words.filter((x) => x.includes(" "))) {
      MULTI_WORD_HOMOPHONES.push({
        pattern: new RegExp(h.when.split("_").join(escape(w)), "g"),
        phrase: w,
        canonical: term.canonical,
      });
    }
    HOMOPHONES.push({
      words: new Set(h.words),
      canonical: term.canonical,
      contexts: h.words.map((w) => new RegExp(h.when.split("_").join(escape(w)))),
    });
  }
  if (term.fuzzy) {
    FUZZY.push({
      canonical: term.canonical,
      key: soundKey(term.canonical),
      phonetic: term.phonetic === true,
    });
  }
}
// Longer phrases first, so "hot water cylinder" wins over "hot water tank" style overlaps.
MULTI_WORD.sort((a, b) => b.pattern.source.length - a.pattern.source.length);
const CANONICAL_WORDS = new Set(KEY_TERMS.map((t) => t.canonical));
const FUZZY_WORDS = new Set(FUZZY.map((t) => t.canonical));

/** Whether one sound key is the other with a single letter added (never swapped). */
function oneLetterMore(longer: string, shorter: string): boolean {
  if (longer.length !== shorter.length + 1) return false;
  for (let i = 0; i < longer.length; i++) {
    if (longer.slice(0, i) + longer.slice(i + 1) === shorter) return true;
  }
  return false;
}

/** Whether two sound keys are the same sound, or one has a consonant the other dropped. */
function soundsAlike(a: string, b: string): boolean {
  return a === b || oneLetterMore(a, b) || oneLetterMore(b, a);
}

/** A word with every doubled letter said once: "gass" and "gas", "smel" and "smell". */
const undoubled = (word: string): string => word.replace(/([a-z])\1+/g, "$1");

/**
 * The consonants of a word in their places, each run of vowels one mark, doubled
 * consonants once: "berstid", "bursted" and "burstid" share one, and so do "fludded"
 * and "flooded", while "folded" (a vowel before the l) does not.
 */
export function vowelSkeleton(word: string): string {
  return word
    .toLowerCase()
    .replace(/[^a-z]/g, "")
    .replace(/ph/g, "f")
    .replace(/ck/g, "k")
    .replace(/c(?=[eiy])/g, "s")
    .replace(/[cq]/g, "k")
    .replace(/z/g, "s")
    .replace(/[aeiouy]+/g, "V")
    .replace(/([^V])\1+/g, "$1");
}

const SINGLE_WORD_TERMS = KEY_TERMS.map((t) => t.canonical).filter((c) => !c.includes(" "));
const UNDOUBLED = new Map(SINGLE_WORD_TERMS.map((c) => [undoubled(c), c]));
/** Only for terms of five letters or more: a short word's consonants say too little ("lock", "leak"). */
const SKELETONS = new Map(
  KEY_TERMS.filter((t) => t.fuzzy === true && t.canonical.length >= 5).map((t) => [
    vowelSkeleton(t.canonical),
    t.canonical,
  ]),
);

function nearMissOfStem(word: string): string | null {
  const key = soundKey(word);
  const sameConsonants = SKELETONS.get(vowelSkeleton(word));
  if (sameConsonants !== undefined) return sameConsonants;
  for (const term of FUZZY) {
    const edits = distance(word, term.canonical);
    if (edits <= 1 && soundsAlike(key, term.key)) return term.canonical;
    if (
      term.phonetic &&
      edits <= 3 &&
      key === term.key &&
      Math.abs(word.length - term.canonical.length) <= 2
    ) {
      return term.canonical;
    }
  }
  return null;
}

/**
 * A short word is a near miss only on the strongest evidence: the same consonants in the
 * same places ("flud" for flood), or the same sound and one letter off ("gaz", "leek", "pip").
 */
function shortNearMiss(word: string): string | null {
  if (word.length < 3) return null;
  if (word.length >= 4) {
    const sameConsonants = SKELETONS.get(vowelSkeleton(word));
    if (sameConsonants !== undefined) return sameConsonants;
  }
  const key = soundKey(word);
  for (const term of SHORT_FUZZY) {
    if (term.key === key && distance(word, term.canonical) === 1) return term.canonical;
  }
  return null;
}

const SHORT_FUZZY = KEY_TERMS.filter((t) => t.shortFuzzy === true || t.fuzzy === true)
  .filter((t) => t.canonical.length <= 5)
  .map((t) => ({ canonical: t.canonical, key: soundKey(t.canonical) }));

/** Small words never joined to a neighbour to make a key term ("leak in" is not leaking). */
const NEVER_JOINED = new Set(
  "a an the in on at it its it's to of and or up out off is as by for me my we us he she be so no i our your has have was not this that there".split(
    " ",
  ),
);
/**
 * Key terms a recogniser may write in two pieces ("burs did", "toy let", "flood ing"); never
 * the words of a booking, where "can sell" needs its context (above).
 */
const PIECE_TERMS = new Set(
  KEY_TERMS.map((t) => t.canonical).filter(
    (c) =>
      !c.includes(" ") &&
      !["cancel", "reschedule", "appointment", "through", "there's"].includes(c),
  ),
);

/** Joins two neighbouring words that together are a near miss of a key term. */
function joinPieces(text: string): string {
  const tokens = text.split(" ");
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const a = tokens[i];
    const b = tokens[i + 1];
    if (b !== undefined && /^[a-z]+$/.test(a) && /^[a-z]+$/.test(b)) {
      const both = !NEVER_JOINED.has(a) && !NEVER_JOINED.has(b);
      const alone = CANONICAL_WORDS.has(a) || CANONICAL_WORDS.has(b) || FAMILY.has(a);
      const joined = `${a}${b}`;
      const target = both && !alone ? (FAMILY.get(joined) ?? nearMissOf(joined)) : null;
      if (target !== null && PIECE_TERMS.has(target)) {
        out.push(target);
        i++;
        continue;
      }
    }
    out.push(a);
  }
  return out.join(" ");
}

/**
 * The key term a single word stands for, by near-miss matching; null when none.
 * A near miss is one edit from the key term and sounds the same, or has lost or
 * gained one consonant ("burse" for burst), never a consonant swapped for
 * another ("leaving" is not leaking). A dropped g ("porin") and a past tense
 * put on a misheard word ("birsted") are heard through.
 */
export function nearMissOf(word: string): string | null {
  if (CANONICAL_WORDS.has(word) || PROTECTED.has(word)) return null;
  const doubled = UNDOUBLED.get(undoubled(word));
  if (doubled !== undefined) return doubled;
  if (word.length < 5) return shortNearMiss(word);
  const direct = nearMissOfStem(word);
  if (direct !== null) return direct;
  // A recogniser writes a past tense as it hears it: "berstid", "floodid".
  if (/[^e]id$/.test(word)) return nearMissOf(`${word.slice(0, -2)}ed`);
  if (word.endsWith("in")) {
    const withG = `${word}g`;
    if (CANONICAL_WORDS.has(withG)) return withG;
    return FAMILY.get(withG) ?? nearMissOfStem(withG);
  }
  if (word.endsWith("ed") && word.length >= 6) {
    const stem = word.slice(0, -2);
    if (PROTECTED.has(stem)) return null;
    const near = FUZZY_WORDS.has(stem) ? stem : nearMissOfStem(stem);
    // Only a base form takes a past tense: "birsted" is burst, "flooded" stays itself.
    if (near !== null && !/(?:ing|ed)$/.test(near)) return near;
  }
  return null;
}

/**
 * Rewrites key terms in normalised text (lower case, single spaces) into
 * their canonical spelling. Punctuation and all other words are kept, so
 * clause splitting and negation scopes still work on the result.
 */
export function canonicaliseKeyTerms(normalised: string): string {
  let text = normalised;
  for (const { pattern, canonical } of MULTI_WORD) text = text.replace(pattern, canonical);
  for (const { pattern, phrase, canonical } of MULTI_WORD_HOMOPHONES) {
    text = text.replace(pattern, (m: string) => m.replace(phrase, canonical));
  }
  text = joinPieces(text);
  const original = text;
  return text.replace(/[a-z']+/g, (token: string, offset: number) => {
    // "loo's blocked": the key term is the word before the 's.
    const possessive = token.endsWith("'s") && token.length > 3;
    const word = possessive ? token.slice(0, -2) : token;
    const suffix = possessive ? "'s" : "";
    const family = FAMILY.get(word);
    if (family !== undefined) return family + suffix;
    for (const h of HOMOPHONES) {
      if (!h.words.has(word)) continue;
      // Look at a window around this occurrence only.
      const window = original.slice(Math.max(0, offset - 40), offset + word.length + 40);
      const at = Math.min(offset, 40);
      for (const context of h.contexts) {
        for (const m of window.matchAll(new RegExp(context.source, "g"))) {
          const start = m.index ?? 0;
          if (start <= at && at < start + m[0].length) return h.canonical + suffix;
        }
      }
    }
    const near = nearMissOf(word);
    return near === null ? token : near + suffix;
  });
}
