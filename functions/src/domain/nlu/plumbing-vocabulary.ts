/**
 * Words that show a caller is describing a plumbing job or fault. Shared by
 * the intent classifier (a described problem is a booking) and the slot
 * extractor (the clause holding them is the problem description).
 */
export const PROBLEM_WORDS = new RegExp(
  String.raw`\b(?:drip|dripping|drips|dripped|leak|leaks|leaking|leaky|leaked|blocked|blockage|clogged|unblock|broken|broke|bust|cracked|burst|overflowing|flooding|not working|stopped working|isn't working|won't (?:flush|drain|work|turn|fire|start|stop|heat)|doesn't (?:flush|drain|work|heat)|no hot water|no heating|radiators?|boilers?|taps?|toilets?|cisterns?|drains?|sinks?|showers?|baths?|basins?|pipes?|immersion|water pressure|low pressure|banging|noise|noisy|gurgling|smells? (?:from|of) the drains?|damp|condensation|mould|mold|mouldy|stuck|running constantly|slow to drain|plumbing|heating|service|servicing|quote|estimate|refit|install|replace|fitted|fitting|bathroom|kitchen|washer|valve|stopcock|cylinder|washing machine|dishwasher|appliances?|(?:not|isn't|won't|doesn't) (?:draining|firing|fire|igniting|lighting|heating up)|firing up|puddles?|gas safety|safety (?:certificate|check|inspection)|certificates?|landlord|combi|power flush|thermostat|pressure|hob|cooker|oven|gas fire|won't (?:light|ignite)|frozen|freeze|knock|knocking|overflow|overflows|stain|stains|stained|limescale|furred|lukewarm|luke warm|tepid|not (?:properly |very |getting )?hot)\b`,
);

/** Words a speech recogniser may produce for single digits. */
export const DIGIT_WORDS: Readonly<Record<string, string>> = {
  zero: "0",
  oh: "0",
  o: "0",
  nought: "0",
  nil: "0",
  one: "1",
  two: "2",
  three: "3",
  four: "4",
  five: "5",
  six: "6",
  seven: "7",
  eight: "8",
  nine: "9",
};

/** Ordinals and small cardinals, as 1-based numbers. */
export const ORDINAL_WORDS: Readonly<Record<string, number>> = {
  first: 1,
  "1st": 1,
  second: 2,
  "2nd": 2,
  third: 3,
  "3rd": 3,
  fourth: 4,
  "4th": 4,
  fifth: 5,
  "5th": 5,
  sixth: 6,
  "6th": 6,
  seventh: 7,
  "7th": 7,
  eighth: 8,
  "8th": 8,
  ninth: 9,
  "9th": 9,
  tenth: 10,
  "10th": 10,
};

export const CARDINAL_WORDS: Readonly<Record<string, number>> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};
