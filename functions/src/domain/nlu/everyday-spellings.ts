/**
 * Callers speak in their own dialect and recognisers write what they hear: "cannae dae the
 * morra", "divvent bother comin", "d'you lot do bathrooms", "gonna". Before the intent rules
 * run, these everyday words are put into one spelling, so each rule is written once against
 * standard English. Key terms (cancel, ceiling, boiler) are put right separately, in
 * key-terms.ts; this is only for the small words around them. Slots keep the caller's words.
 */

/** Whole words and phrases, by their standard spelling. */
const EVERYDAY: Readonly<Record<string, readonly string[]>> = {
  "can't": ["cant", "cannae", "canna", "caint", "carnt"],
  "don't": ["dont", "dinnae", "dinna", "divvent", "divn't", "divnt", "dunnae"],
  "didn't": ["didnt", "didnae", "didna"],
  "won't": ["winnae", "wunnae", "wilnae"],
  "isn't": ["isnt", "isnae"],
  "doesn't": ["doesnt", "disnae"],
  "wouldn't": ["wouldnt", "wouldnae", "widnae"],
  "couldn't": ["couldnt", "couldnae", "cudnae"],
  "i'm": ["im"],
  do: ["dae"],
  "do you": ["d'you", "dyou", "dya", "d'ya", "d ya", "do ya", "do yer", "do yous", "do youse"],
  "are you": ["are ya", "are yous", "are youse", "r u"],
  you: ["yous", "youse", "u", "ye"],
  tomorrow: ["the morra", "the morn", "morra", "tomoz", "tomorra", "tomora", "2moro", "tmrw"],
  today: ["the day"],
  after: ["efter"],
  all: ["aal", "aw"],
  "going to": ["gonna", "gunna", "goin to"],
  "want to": ["wanna"],
  "got to": ["gotta"],
  my: ["me"],
  nothing: ["nowt", "naething"],
  something: ["summat"],
  out: ["oot"],
  down: ["doon"],
  over: ["ower", "owa"],
  "how are you": ["ow bist", "how bist", "ow be ee", "how be ee", "how are ya", "how are ye"],
};

/** Verbs that callers say with the g dropped ("comin", "needin"), read with it. */
const DROPPED_G_VERBS = [
  "asking",
  "bothering",
  "booking",
  "calling",
  "cancelling",
  "changing",
  "coming",
  "doing",
  "getting",
  "going",
  "having",
  "looking",
  "moving",
  "needing",
  "phoning",
  "ringing",
  "sending",
  "trying",
  "wanting",
  "wondering",
  "working",
];

/**
 * Words that mean something else elsewhere are rewritten only where they stand for the
 * everyday word: "the day" is today only at the end ("can you come the day"), "me" is my only
 * before what a caller owns ("me boiler"), "u" and "ye" are you only after a verb, "aw" is all
 * only before "sorted" or "done".
 */
const ONLY_WHEN: Readonly<Record<string, RegExp>> = {
  "the day": /\bthe day$/,
  me: /\bme (?:appointment|booking|visit|boiler|toilet|tap|taps|sink|radiator|radiators|shower|bath|pipe|pipes|heating|husband|wife|number|name|address)\b/,
  u: /\b(?:can|could|will|would|do|are|did|thank|see) u\b/,
  ye: /\b(?:can|could|will|would|do|are|did|thank|see) ye\b/,
  aw: /\baw (?:sorted|done|fixed|fine|good|ok|okay|ower|over)\b/,
};

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Rewrite {
  /** Where the variant stands for the standard word. */
  readonly pattern: RegExp;
  readonly variant: RegExp;
  readonly standard: string;
}

const REWRITES: Rewrite[] = Object.entries(EVERYDAY)
  .flatMap(([standard, variants]) =>
    variants.map((variant) => ({
      pattern: new RegExp(
        ONLY_WHEN[variant]?.source ?? String.raw`(?<![a-z'])${escape(variant)}(?![a-z'])`,
        "g",
      ),
      variant: new RegExp(String.raw`(?<![a-z'])${escape(variant)}(?![a-z'])`),
      standard,
      length: variant.length,
    })),
  )
  // Longer phrases first, so "do ya" is read before "ya".
  .sort((a, b) => b.length - a.length)
  .map(({ pattern, variant, standard }) => ({ pattern, variant, standard }));

const DROPPED_G = new Map(DROPPED_G_VERBS.map((v) => [v.slice(0, -1), v]));

/** "Like" said as a filler ("do you like do student houses", "it's like dripping"), dropped. */
const FILLER_LIKE =
  /(?<=\b(?:you|it's|it|just|was|is|um|er|erm|and|so|really|there's|he's|she's|they're|we're) )like (?=(?:do|does|cover|fix|offer|go|come|work|charge|take|need|want|have|get|got|a|an|the|really|proper|totally|literally|dripping|leaking|pouring|um|er|two|three|four|five|ten|twenty|loads|so)\b)/g;

/** Puts dialect and casual spellings of everyday words into standard English. */
export function standardiseEverydayWords(normalised: string): string {
  let text = normalised.replace(FILLER_LIKE, "");
  for (const { pattern, variant, standard } of REWRITES) {
    text = text.replace(pattern, (m: string) => m.replace(variant, standard));
  }
  return text.replace(/\b[a-z]+in\b/g, (w: string) => DROPPED_G.get(w) ?? w);
}
