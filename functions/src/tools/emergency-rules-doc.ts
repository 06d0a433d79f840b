import * as fs from "node:fs";
import * as path from "node:path";
import {
  CUSTOM_PHRASE_SAFETY_ADVICE,
  EMERGENCY_CONTEXT_RULES,
  EMERGENCY_RULES,
  EMERGENCY_VOCABULARY,
  SAFETY_QUESTIONS,
} from "../domain/emergency/emergency-rules";
import { KEY_TERMS } from "../domain/nlu/key-terms";

/** docs/emergency-rules.md, from functions/lib/src/tools/. */
export const EMERGENCY_RULES_DOC_PATH = path.resolve(
  __dirname,
  "../../../../docs/emergency-rules.md",
);
export const REGENERATE_COMMAND =
  "cd functions && npm run build && node lib/src/tools/emergency-rules-doc.js --write";

const code = (s: string): string => `\`${s.replace(/`/g, "\\`")}\``;
const list = (items: readonly string[]): string => items.map((i) => `- ${i}`).join("\n");

/** Renders the emergency rules document from EMERGENCY_RULES; the doc is never edited by hand. */
export function renderEmergencyRulesDoc(): string {
  const c = EMERGENCY_CONTEXT_RULES;
  const parts: string[] = [
    "# Emergency rules",
    "",
    `<!-- Generated from functions/src/domain/emergency/emergency-rules.ts. Do not edit by hand: run \`${REGENERATE_COMMAND}\`. -->`,
    "",
    "Every caller turn and every text a customer sends (even from a customer who has opted out of",
    "texts: see [sms.md](sms.md#carrier-keywords-and-opt-out)) is checked for an emergency **before anything else**:",
    "before intent classification, before slot filling, before any call to the language model.",
    "The check is deterministic: plain rules over the caller's words, compiled once when the",
    "function instance starts, so the same words always give the same answer, in well under a",
    "millisecond, and it still works when the language model is slow or down.",
    "",
    "When a rule fires, the caller immediately hears the safety advice for that kind of emergency",
    "(listed below), the owner gets an SMS, and the call is warm-transferred to the owner's phone.",
    "A text gets the safety advice by reply (an opted-out customer gets nothing) and the owner the same",
    "SMS, at once, whatever the owner's quiet hours.",
    "",
    "**The language model may add an emergency, never remove one.** If the model thinks a turn",
    "is an emergency that these rules missed, it is treated as one; if the rules say emergency,",
    "nothing the model says can downgrade it.",
    "",
    "## How phrases are matched",
    "",
    "- The caller's words are normalised first: lower case, curly apostrophes straightened,",
    '  hyphens and slashes turned into spaces ("burst-pipe" is "burst pipe"), "C.O." read as "co".',
    "- Key terms a speech recogniser mishears are put back into one spelling first (the caller's",
    "  own words are kept for everything else). Word families and UK words are always read as the",
    "  key term; homophones that are real words only in a context that makes them the key term;",
    "  and a word one edit from a key term that sounds the same (a Metaphone-style key) is read as it:",
    "",
    ...KEY_TERMS.map((t) => {
      const family = (t.family ?? []).map((w) => `"${w}"`).join(", ");
      const homophones = (t.homophones ?? []).flatMap((h) =>
        h.words.map((w) => `"${w}" (in context)`),
      );
      const heard = [family, ...homophones].filter((x) => x.length > 0).join(", ");
      return `  - **${t.canonical}**: ${heard || "no fixed variants"}${t.fuzzy ? "; near-misses too" : ""}`;
    }),
    "",
    "- The utterance is split into clauses at punctuation and at words such as *but*, *although*,",
    "  *however*. Negations and questions only affect the clause they are in, so",
    '  "I don\'t know what to do, water is pouring through the ceiling" is an emergency.',
    '  A piece that only says where ("..., in the kitchen, onto the lights"), only names the thing',
    '  ("the fuse box, it\'s got water on it") or only says when ("last year, we had a burst pipe")',
    "  is read with its neighbour.",
    "- Kinds are checked in the order below and the first live match wins: gas and carbon monoxide",
    "  (leave the building) come before water (turn off the stopcock).",
    "",
    "### When a matching phrase is not an emergency",
    "",
    `- **Negation.** A negation within ${c.negationWindowWords} words before the phrase, or inside it, cancels it:`,
    '  "there\'s no gas smell", "I can\'t smell gas", "the pipe hasn\'t burst". Negation words:',
    `  ${c.negationCues.map(code).join(", ")}.`,
    "  A negation followed by one of these words is uncertainty or urgency, not denial, and does",
    `  **not** cancel: ${c.negationExemptNextWords.map(code).join(", ")}`,
    '  ("I don\'t know what to do", "I\'m not sure", "the water won\'t stop").',
    `  A "no" followed by ${c.interjectionNoNextWords.map(code).join(", ")} is an interjection`,
    '  ("no, the pipe has burst") and does not cancel either.',
    "  For kinds that are negative by nature (no water), only negations *before* the phrase count.",
    `  A negation before the phrase does not reach past ${c.negationStopWords.map(code).join(", ")}`,
    '  ("the people upstairs aren\'t in and water\'s pouring through"), and a "no" or "nothing" does',
    `  not reach past a new subject, ${c.noStopWords.map(code).join(", ")} ("no heat, I'm eighty four").`,
    "- **Hypotheticals.** A conditional before the phrase in the same clause makes it hypothetical",
    '  ("what should I do if a pipe bursts"):',
    "",
    list(c.conditionalMarkers.map(code)),
    "",
    '  A modal right before the verb is a worry, not a report ("the pipes could burst in the frost"):',
    `  ${c.modalMarkers.map(code).join(", ")}.`,
    "",
    "  ...unless the condition follows uncertainty, which is still an emergency",
    `  ("I'm not sure if it's a gas leak"): ${c.uncertainIfMarkers.map(code).join(", ")}.`,
    "- **Questions about the business or how-to questions** are not reports",
    '  ("do you deal with burst pipes?", "how do I fix a burst pipe", "how much is a burst pipe repair"):',
    "",
    list(c.serviceQuestionMarkers.map(code)),
    "",
    '  ...unless the same clause says it is happening to the caller ("can you fix **my** burst pipe",',
    '  "how do I turn the water off, the pipe **has burst**"):',
    "",
    list(c.specificReferenceMarkers.map(code)),
    "",
    '- **History.** "Last year I had a burst pipe" is *not* an emergency: we take the caller at their',
    "  word that it is over, and the call carries on as a normal booking. Historic markers:",
    "",
    list(c.historicMarkers.map(code)),
    "",
    "  A recent marker in the same clause overrides this (\"we had a burst pipe last year and it's",
    '  burst again"), as does a plain past tense without a time ("I had a burst pipe" could be',
    "  five minutes ago, so it counts):",
    "",
    list(c.recentMarkers.map(code)),
    "",
    '  The past named only to compare ("it\'s burst again like last winter", "like it did in March")',
    "  does not make the clause history:",
    "",
    list(c.comparisonMarkers.map(code)),
    "",
    "- **Already fixed.** A problem the caller says is over raises no alarm, and the rest of what they",
    '  want (often a cancellation) is still heard: "my neighbour fixed the burst pipe, can you cancel".',
    "  Looked for in the clause of the match and the two after it:",
    "",
    list(c.resolvedMarkers.map(code)),
    "",
    `  Words running on from the resolution are part of it ("all cleared up now"): ${code(c.resolvedRunOn)}.`,
    "  ...unless the clause of the match, outside the resolution, says it is still going on:",
    `  ${c.stillMarkers.map(code).join(", ")}.`,
    '- **Not plumbing.** Tyres, balloons and "flooded with work" are not emergencies:',
    "",
    list(c.notPlumbingMarkers.map(code)),
    "",
    "- **A friend's, a neighbour's or a programme's trouble** (\"my friend's kitchen flooded\", \"on the",
    "  telly a house flooded\") is not the caller's emergency; a tenant's, a parent's or the caller's",
    "  own premises are. Other parties:",
    "",
    list(c.otherPartyMarkers.map(code)),
    "",
    '  ...unless the water reaches the caller ("it\'s coming through **our** ceiling"):',
    `  ${c.ownPlaceMarkers.map(code).join(", ")}, or, within ${c.ownerWindowWords} words before the phrase, one`,
    `  of ${c.ownerWords.map(code).join(", ")} says it is theirs ("...and **we've** no water").`,
    `- **Someone else's problem**, told to ask about the caller's own ("my neighbour had a burst pipe, can you check mine"): ${c.elsewhereMarkers.map(code).join(", ")}.`,
    `- **A device fault.** An alarm chirping for its battery is a job, not carbon monoxide: ${c.deviceFaultMarkers.map(code).join(", ")}.`,
    "",
    "Without punctuation from the speech recogniser these rules read a whole utterance as one",
    "clause; they are tuned so that a doubtful case is treated as an emergency, because a false",
    "alarm costs the owner a phone call and a missed one can cost a ceiling.",
    "",
    "## Per-business phrases",
    "",
    "A business can add its own phrases in its settings (`emergency.extraPhrases`, for example",
    '"boiler leaking" or "water tank overflowing"). They are matched case-insensitively, as whole',
    "words, after the built-in rules, with the same negation and question handling. Between the",
    "words of a phrase the caller may say *is, are, 's, has, have, keeps, been, just, started,",
    'really, badly, now*, so "boiler leaking" also catches "my boiler is leaking". They are reported',
    "as kind `custom`, and the caller hears the general water advice:",
    "",
    `> ${CUSTOM_PHRASE_SAFETY_ADVICE}`,
    "",
    "## The safety question",
    "",
    "When no rule fires but the signals are partial, the receptionist asks one short question",
    "before anything else; a yes takes the emergency path of the kind listed (owner SMS and",
    "transfer, exactly as a clear emergency), a no carries on with what the caller asked for. A",
    "clear emergency is never delayed by a question. The same negation, hypothetical, question,",
    "history and already-fixed rules apply, and small amounts do not raise the question:",
    `${c.diminishers.map(code).join(", ")}.`,
    "",
    ...SAFETY_QUESTIONS.flatMap((q) => [
      `### "${q.question}" (a yes is \`${q.kind}\`)`,
      "",
      `Asked when ${q.reason}, for example:`,
      "",
      list(q.cues.flatMap((cue) => cue.examples).map((e) => `"${e}"`)),
      "",
      "Cues:",
      "",
      list(q.cues.map((cue) => code(cue.pattern))),
      "",
    ]),
    "## Word families used by the patterns",
    "",
    ...Object.entries(EMERGENCY_VOCABULARY).map(
      ([name, pattern]) => `- **${name}**: ${code(pattern)}`,
    ),
    "",
    "## Kinds",
    "",
  ];
  for (const rule of EMERGENCY_RULES) {
    parts.push(`### ${rule.label} (\`${rule.kind}\`)`, "");
    parts.push("Caller phrasings this catches, among others:", "");
    parts.push(list(rule.phrases.flatMap((p) => p.examples).map((e) => `"${e}"`)), "");
    parts.push("Patterns (regular expressions over normalised text):", "");
    parts.push(list(rule.phrases.map((p) => code(p.pattern))), "");
    if (rule.onlyWith) {
      parts.push(
        "Only when the same call turn also says, in any clause and not negated, something like " +
          `${rule.onlyWith.examples.map((e) => `"${e}"`).join(", ")}:`,
        "",
        list([code(rule.onlyWith.pattern)]),
        "",
      );
    }
    if (rule.negativeByNature) {
      parts.push(
        "These phrasings are negative by nature, so only a negation before them cancels them.",
        "",
      );
    }
    parts.push("What the caller hears:", "", `> ${rule.safetyAdvice}`, "");
  }
  return `${parts.join("\n").trimEnd()}\n`;
}

function main(argv: readonly string[]): void {
  const doc = renderEmergencyRulesDoc();
  if (argv.includes("--write")) {
    fs.mkdirSync(path.dirname(EMERGENCY_RULES_DOC_PATH), { recursive: true });
    fs.writeFileSync(EMERGENCY_RULES_DOC_PATH, doc);
    console.log(`wrote ${EMERGENCY_RULES_DOC_PATH}`);
  } else {
    process.stdout.write(doc);
  }
}

if (require.main === module) main(process.argv.slice(2));
