/**
 * THE single source of truth for what counts as an emergency on a call.
 *
 * Everything here is data: the classifier compiles it, the unit tests run
 * every example through it, and docs/emergency-rules.md is generated from it
 * (`node lib/src/tools/emergency-rules-doc.js --write`). Patterns are regular
 * expression sources written against normalised text (lower case, single
 * spaces, curly apostrophes straightened, hyphens turned into spaces).
 */

export const EMERGENCY_KINDS = [
  "gas-smell",
  "carbon-monoxide",
  "sewage-backup",
  "water-through-ceiling",
  "burst-pipe",
  "flooding",
  "no-water",
  "custom",
] as const;
export type EmergencyKind = (typeof EMERGENCY_KINDS)[number];

export interface EmergencyPhrase {
  /** Regular expression source, matched against normalised text. */
  readonly pattern: string;
  /** Everyday phrasings this pattern exists for; each must be detected. */
  readonly examples: readonly string[];
}

export interface EmergencyRule {
  readonly kind: Exclude<EmergencyKind, "custom">;
  /** Human name, used in owner alerts and the dashboard. */
  readonly label: string;
  readonly phrases: readonly EmergencyPhrase[];
  /** Read to the caller, word for word, as soon as the emergency is detected. */
  readonly safetyAdvice: string;
  /**
   * True when the phrasing itself is negative ("no water at all"), so a "no"
   * or "haven't" inside the matched words does not cancel it.
   */
  readonly negativeByNature?: boolean;
}

/** The free 24-hour UK line for gas leaks and carbon monoxide. */
export const NATIONAL_GAS_EMERGENCY_NUMBER = "0800 111 999";

const WATER_SHUT_OFF =
  "Turn off your water at the stopcock, the shut-off valve that is usually under the kitchen sink " +
  "or where the water pipe comes into the house. Turn it clockwise until it stops.";
const KEEP_AWAY_FROM_ELECTRICS =
  "If water is near lights, sockets or the fuse box, don't touch them; if you can reach the fuse box " +
  "safely from a dry place, switch the electricity off there.";

const GAS_ADVICE =
  "Please leave the building now and get everyone out. Don't use light switches, electrical switches " +
  "or anything with a flame, and don't smoke. If you can do it safely on the way out, turn the gas off " +
  `at the meter and open doors and windows. Once you're outside, call the National Gas Emergency line on ` +
  `${NATIONAL_GAS_EMERGENCY_NUMBER}. It's free and open 24 hours.`;

const CO_ADVICE =
  "Please get everyone out into fresh air now and leave the doors open behind you. Don't use switches " +
  "or anything with a flame, and if you can do it safely, turn off gas appliances and the boiler. Once " +
  `you're outside, call the National Gas Emergency line on ${NATIONAL_GAS_EMERGENCY_NUMBER}. If anyone ` +
  "has a headache, dizziness, sickness or drowsiness, call 999 for an ambulance.";

/** Used for a business's own extra phrases, which are nearly always about water. */
export const CUSTOM_PHRASE_LABEL = "Emergency phrase set by the business";
export const CUSTOM_PHRASE_SAFETY_ADVICE = `${WATER_SHUT_OFF} ${KEEP_AWAY_FROM_ELECTRICS}`;

/** Optional small words allowed between the start of a phrase and its verb. */
const GAP = String.raw`(?:[a-z0-9']+ ){0,3}?`;

/**
 * Checked in this order: the first kind with a live match wins, so gas and
 * carbon monoxide (leave the building) beat water (turn off the stopcock),
 * and water through a ceiling beats a plain burst pipe.
 */
export const EMERGENCY_RULES: readonly EmergencyRule[] = [
  {
    kind: "gas-smell",
    label: "Smell of gas or a gas leak",
    safetyAdvice: GAS_ADVICE,
    phrases: [
      {
        pattern: String.raw`\bsmell(?:s|ing|y)? (?:of |like )?(?:a |some )?(?:gas|rotten eggs?)\b`,
        examples: [
          "I can smell gas",
          "I think I can smell gas",
          "it smells of gas in the kitchen",
          "smells like gas by the boiler",
          "there's a smell of gas",
          "it smells like rotten eggs in here",
        ],
      },
      {
        pattern: String.raw`\bgas(?:sy)? (?:smell|odou?r|whiff|stink)s?\b`,
        examples: ["there's a strong gas smell", "a gassy smell in the hall"],
      },
      {
        pattern: String.raw`\b(?:whiff|stink|stench|reek) of gas\b`,
        examples: ["I keep getting a whiff of gas"],
      },
      {
        pattern: String.raw`\bgas (?:leak|leaking|escape|escaping|hissing)s?\b|\bleak(?:ing|s)? (?:of )?gas\b|\bgas(?:'s| is) (?:leaking|escaping|hissing|coming out)\b`,
        examples: [
          "I think we've got a gas leak",
          "the hob is leaking gas",
          "gas is escaping from the meter",
        ],
      },
    ],
  },
  {
    kind: "carbon-monoxide",
    label: "Carbon monoxide alarm or suspected carbon monoxide",
    safetyAdvice: CO_ADVICE,
    phrases: [
      {
        pattern:
          String.raw`\b(?:carbon monoxide|co2?|c o) (?:alarm|detector|monitor|sensor)(?:s|'s)? ${GAP}` +
          String.raw`(?:going off|gone off|went off|goes off|go off|keeps going|beeping|bleeping|sounding|ringing|screaming|alarming|triggered|flashing red)\b`,
        examples: [
          "the CO alarm is going off",
          "my carbon monoxide alarm keeps going off",
          "C.O. detector beeping",
          "the carbon monoxide detector has gone off",
        ],
      },
      {
        pattern: String.raw`\b(?:alarm|detector) (?:for|says|saying|showing|detecting) carbon monoxide\b`,
        examples: ["the alarm for carbon monoxide won't stop"],
      },
      {
        pattern: String.raw`\bcarbon monoxide (?:leak|leaking|poisoning|escaping|coming|in the|in my|in our|in here)\b`,
        examples: [
          "I'm worried about a carbon monoxide leak",
          "we might have carbon monoxide poisoning",
        ],
      },
    ],
  },
  {
    kind: "sewage-backup",
    label: "Sewage backing up or a toilet overflowing",
    safetyAdvice:
      "Keep everyone, especially children and pets, away from the sewage and don't touch it without " +
      "gloves. Stop using the toilets, sinks, bath and washing machine so no more water goes down the " +
      `drains. ${KEEP_AWAY_FROM_ELECTRICS}`,
    phrases: [
      {
        pattern:
          String.raw`\b(?:raw )?(?:sewage|poo|faeces|feces) ${GAP}` +
          String.raw`(?:coming|came|backing|backed|bubbling|overflowing|everywhere|all over|flooding|spilling|pouring|rising|leaking|gurgling|in the|on the|in my|in our|out of)\b`,
        examples: [
          "sewage coming up the drain",
          "there's raw sewage in the garden",
          "sewage is backing up into the shower",
          "there's sewage everywhere",
        ],
      },
      {
        pattern:
          String.raw`\b(?:overflowing|overflowed|flooded|flooding|covered|full|filling up|swimming|backed up|backing up) ` +
          String.raw`(?:with|in|of) (?:raw )?(?:sewage|poo|faeces|feces|foul water)\b`,
        examples: [
          "the toilet's overflowing with sewage",
          "the bathroom floor is covered in sewage",
        ],
      },
      {
        pattern: String.raw`\bsewage (?:backup|back up|leak|spill|overflow|flood)s?\b`,
        examples: ["we've got a sewage backup"],
      },
      {
        pattern:
          String.raw`\btoilets?(?:'s)? (?:is |are |keeps |has |have |just |started |now )?` +
          String.raw`(?:overflowing|overflowed|flooding|flooded|spilling over|backing up|backed up)\b`,
        examples: ["the toilet's overflowing", "toilet is backing up"],
      },
      {
        pattern: String.raw`\b(?:sewers?|manholes?|manhole covers?)(?:'s)? (?:[a-z0-9']+ ){0,4}?(?:overflowing|backing up|backed up|flooding|lifting|spilling)\b`,
        examples: ["the manhole in the garden is overflowing"],
      },
    ],
  },
  {
    kind: "water-through-ceiling",
    label: "Water coming through the ceiling",
    safetyAdvice:
      "Please keep everyone out from under that part of the ceiling in case it comes down. " +
      `${KEEP_AWAY_FROM_ELECTRICS} ${WATER_SHUT_OFF}`,
    phrases: [
      {
        pattern:
          String.raw`\b(?:water|it)(?:'s)? ${GAP}` +
          String.raw`(?:coming|pouring|dripping|leaking|running|gushing|seeping|pissing|flowing|falling|streaming|raining|spraying) ` +
          String.raw`(?:down |in )?(?:through|from|out of|down|off) (?:the |my |our )?(?:kitchen |bathroom |hall |hallway |living room |bedroom )?` +
          String.raw`(?:ceilings?|light fittings?|lights?|downlights?|electrics|sockets?|fuse ?box|flat upstairs|upstairs)\b`,
        examples: [
          "water coming through the ceiling",
          "I don't know what to do, water is pouring through the ceiling",
          "water's dripping from the light fitting",
          "it's pouring through the kitchen ceiling",
          "there's water coming from upstairs",
        ],
      },
      {
        pattern:
          String.raw`\bceilings?(?:'s)? (?:is |are |has |have |keeps |just |now |started )?(?:[a-z]+ )?` +
          String.raw`(?:dripping|leaking|collapsing|collapsed|caving in|caved in|coming down|falling in|falling down|bulging|sagging|soaked|pouring|gushing|giving way)\b`,
        examples: [
          "the ceiling is dripping",
          "my bathroom ceiling's leaking",
          "the ceiling is collapsing",
          "the kitchen ceiling has caved in",
          "ceiling's bulging with water",
        ],
      },
      {
        pattern: String.raw`\b(?:leak|leaking|drip|dripping|water) (?:[a-z']+ ){0,5}?(?:in|from) (?:the |my |our )?ceiling\b`,
        examples: ["there's a leak in the ceiling", "water dripping out of a crack in the ceiling"],
      },
    ],
  },
  {
    kind: "burst-pipe",
    label: "Burst pipe or uncontrolled water",
    safetyAdvice: `${WATER_SHUT_OFF} ${KEEP_AWAY_FROM_ELECTRICS}`,
    phrases: [
      {
        pattern:
          String.raw`\bburst(?:ed)? (?:water |mains |copper |heating |central heating |hot water |cold water |plastic )?` +
          String.raw`(?:pipes?|mains?|hoses?|tanks?|cylinders?|radiators?)\b`,
        examples: [
          "burst pipe",
          "Burst pipe.",
          "we've got a burst-pipe",
          "there's a burst water main outside",
        ],
      },
      {
        pattern:
          String.raw`\b(?:pipes?|water mains?|mains|tanks?|cylinders?|radiators?)(?:'s)? ${GAP}` +
          String.raw`(?:burst|bursts|bust|busted|exploded|split|blown|blew|snapped|popped|cracked open|come apart|came apart)\b`,
        examples: [
          "the pipe's burst",
          "help my pipe has burst, what do I do",
          "a pipe under the sink just burst",
          "the pipes have split in the loft",
          "the water main has burst",
        ],
      },
      {
        pattern: String.raw`\b(?:has|have|just|it's|is) (?:just )?burst\b`,
        examples: ["it's burst!", "something has just burst in the loft"],
      },
      {
        pattern:
          String.raw`\bwater(?:'s)? ${GAP}` +
          String.raw`(?:pouring|gushing|spraying|spurting|pissing|shooting|squirting|jetting|pumping|streaming|cascading|bursting)\b`,
        examples: [
          "water pouring everywhere",
          "water is gushing out from under the sink",
          "water's spraying all over the kitchen",
          "the water is literally spurting out",
        ],
      },
      {
        pattern: String.raw`\b(?:pouring|gushing|spraying|spurting|pissing|shooting) (?:out )?(?:water|everywhere|all over)\b`,
        examples: ["it's gushing everywhere", "the tap is spraying water"],
      },
      {
        pattern:
          String.raw`\b(?:can't|cannot|can not|unable to) (?:stop|turn off|switch off|shut off) the water\b|` +
          String.raw`\bwater (?:won't|will not|wont|doesn't|does not|isn't) stop(?:ping)?\b`,
        examples: ["I can't stop the water", "the water won't stop"],
      },
    ],
  },
  {
    kind: "flooding",
    label: "Flooding",
    safetyAdvice: `${WATER_SHUT_OFF} ${KEEP_AWAY_FROM_ELECTRICS} Move valuables and electrical items off the floor if it is safe.`,
    phrases: [
      {
        pattern: String.raw`\bflood(?:s|ed|ing)?\b`,
        examples: [
          "the kitchen is flooding",
          "we've got a flood",
          "the house has flooded",
          "FLOODING!",
        ],
      },
      {
        pattern: String.raw`\bwater ${GAP}(?:everywhere|all over the (?:floor|house|kitchen|bathroom|place|carpet|flat))\b`,
        examples: ["there's water everywhere", "water all over the floor"],
      },
      {
        pattern: String.raw`\b(?:inches|an inch|ankle deep|centimetres|cm) (?:deep )?(?:of )?water\b|\bunder ?water\b`,
        examples: ["there's inches of water on the floor", "the cellar is under water"],
      },
      {
        pattern:
          String.raw`\bwater (?:[a-z']+ ){0,2}?(?:coming|pouring|rushing|getting|flowing) in(?:to)? ` +
          String.raw`(?:the |my |our )?(?:house|kitchen|flat|home|room|basement|cellar|hallway|hall|garage|living room)\b`,
        examples: ["water is coming into the house"],
      },
    ],
  },
  {
    kind: "no-water",
    label: "No water supply",
    negativeByNature: true,
    safetyAdvice:
      "Please check whether your neighbours have water too; if the whole street is off, the water company " +
      "will have details on their website. Leave your taps turned off so nothing floods when the supply " +
      "comes back, and switch off your boiler or immersion heater until the water is back on.",
    phrases: [
      {
        pattern:
          String.raw`\bno (?:running |mains |cold |tap )?water\b` +
          String.raw`(?! (?:pressure|damage|leak|leaking|dripping|coming through|coming in|on the|in the (?:ceiling|loft)))`,
        examples: [
          "no water at all",
          "we've got no running water",
          "there's no water in the house",
        ],
      },
      {
        pattern:
          String.raw`\b(?:haven't|have not|don't have|do not have|hasn't|has not|ain't|without|not got|lost(?: all)?(?: our| my| the)?) ` +
          String.raw`(?:got )?(?:any )?(?:running |mains |tap )?water\b(?! (?:pressure|damage|leak|on the))`,
        examples: [
          "we haven't got any water",
          "we've been without water since this morning",
          "we've lost our water",
        ],
      },
      {
        pattern:
          String.raw`\bnothing(?:'s| is)? (?:coming|comes|came|running) (?:out )?(?:of|from) ` +
          String.raw`(?:the |my |any |our )?(?:kitchen |bathroom |cold )?taps?\b`,
        examples: ["nothing's coming out of the taps"],
      },
      {
        pattern: String.raw`\btaps? ${GAP}(?:nothing|no water) (?:is |'s )?(?:coming|comes|running) out\b|\btaps? (?:have |has |are |is )?(?:run dry|gone dry|dried up|stopped working)\b`,
        examples: ["the taps have nothing coming out", "all the taps have run dry"],
      },
      {
        pattern: String.raw`\bwater(?: supply)?(?:'s| has| is)? (?:been |just |completely |totally )*(?:cut off|gone off|disappeared|stopped (?:working|coming|running))\b`,
        examples: ["the water's been cut off", "our water supply has gone off"],
      },
    ],
  },
];

/**
 * The words that decide whether a matched phrase is a live emergency. These
 * are data too, so the documentation can list them.
 */
export const EMERGENCY_CONTEXT_RULES = {
  /** How many words before a match a negation may sit and still apply. */
  negationWindowWords: 4,
  /** Words that negate what follows them. */
  negationCues: [
    "no",
    "not",
    "never",
    "nothing",
    "none",
    "without",
    "cannot",
    "isn't",
    "wasn't",
    "aren't",
    "weren't",
    "don't",
    "doesn't",
    "didn't",
    "haven't",
    "hasn't",
    "hadn't",
    "can't",
    "won't",
    "wouldn't",
    "couldn't",
    "shouldn't",
    "ain't",
    "isnt",
    "dont",
    "doesnt",
    "cant",
    "wont",
  ],
  /**
   * A negation followed by one of these is uncertainty or urgency, not denial:
   * "I don't know what to do", "I'm not sure", "it won't stop".
   */
  negationExemptNextWords: [
    "know",
    "sure",
    "idea",
    "stop",
    "stopping",
    "find",
    "turn",
    "switch",
    "shut",
    "get",
    "tell",
    "matter",
    "joking",
    "kidding",
    "just",
    "only",
    "certain",
  ],
  /** "no" followed by these is an interjection ("no, the pipe has burst"), not a denial. */
  interjectionNoNextWords: [
    "the",
    "it",
    "it's",
    "its",
    "my",
    "our",
    "i",
    "i've",
    "we",
    "we've",
    "there's",
    "there",
    "they",
    "sorry",
    "wait",
    "actually",
    "listen",
    "look",
    "help",
    "please",
  ],
  /** A conditional before the match makes it hypothetical: "what should I do if a pipe bursts". */
  conditionalMarkers: [
    String.raw`\bif\b`,
    String.raw`\bin case\b`,
    String.raw`\bin the event\b`,
    String.raw`\bwhenever\b`,
    String.raw`\bsupposing\b`,
    String.raw`\bwhat (?:happens|to do|do (?:i|you|we) do|should (?:i|we) do) when\b`,
  ],
  /** ...unless the "if" follows uncertainty: "I'm not sure if it's a gas leak" is still an emergency. */
  uncertainIfMarkers: [
    String.raw`\b(?:sure|know|wonder|wondering|check|see|idea|unsure|certain|tell|worried|ask) (?:[a-z']+ )?if\b`,
  ],
  /** A question about what the business does, or how to do something, is not a report. */
  serviceQuestionMarkers: [
    String.raw`\b(?:do|does) (?:you|u|ya|your (?:company|business|team|firm|lads|engineers|plumbers)) (?:[a-z']+ ){0,2}?(?:deal|fix|repair|handle|cover|do|sort|attend|take on|work on|fit|install|test|service|offer|provide|specialise|go out|come out)\b`,
    String.raw`\bare you (?:able|qualified|registered|certified|insured|equipped|trained)\b`,
    String.raw`\bhow (?:do|can|would|should|could|does) (?:i|we|you|one|people|someone)\b`,
    String.raw`\bhow to\b`,
    String.raw`\bhow much\b`,
    String.raw`\bwhat (?:are|is) the (?:signs?|symptoms?)\b`,
    String.raw`\bis (?:a|an) (?:[a-z']+ ){1,3}?(?:an emergency|urgent|classed)\b`,
  ],
  /**
   * ...unless the caller says it is happening to them: "can you fix my burst
   * pipe", "how do I turn the water off, the pipe has burst".
   */
  specificReferenceMarkers: [
    String.raw`\b(?:my|our|mine|ours|i've|we've|i have|we have|there's|there is|right now|at the moment|currently|help)\b`,
    String.raw`\b[a-z]+(?:'s| is| has| have| are) (?:just |now |still )?(?:burst|bust|pouring|gushing|spraying|leaking|dripping|flooding|flooded|overflowing|coming|collapsing|going off|beeping)\b`,
  ],
  /**
   * Historic mentions are not emergencies ("last year I had a burst pipe"):
   * we take the caller at their word that it is over...
   */
  historicMarkers: [
    String.raw`\blast (?:year|month|week|winter|summer|spring|autumn|time|christmas)\b`,
    String.raw`\b(?:years?|months?|weeks?) ago\b`,
    String.raw`\ba (?:while|long time|few (?:years|months|weeks)) (?:ago|back)\b`,
    String.raw`\bback in (?:19|20)\d\d\b`,
    String.raw`\b(?:previously|in the past|used to|once had)\b`,
  ],
  /** ...unless it is happening again now: "we had a burst pipe last year and it's burst again". */
  recentMarkers: [
    String.raw`\b(?:again|now|still|right now|at the moment|currently|today|tonight|this (?:morning|afternoon|evening))\b`,
  ],
} as const;
