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
  "water-on-electrics",
  "sewage-backup",
  "water-through-ceiling",
  "burst-pipe",
  "flooding",
  "no-water",
  "no-heating-vulnerable",
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
  /**
   * True when a small amount in the same breath ("leaking into the ceiling a
   * tiny bit") makes it a question rather than an emergency, unless an
   * intensity word says otherwise. Never set where a drop is dangerous (gas,
   * electrics, sewage).
   */
  readonly diminishable?: boolean;
  /**
   * True when a neighbour's or friend's trouble of this kind is the caller's too: gas and
   * carbon monoxide travel through walls, so "my neighbour can smell gas" still alarms.
   */
  readonly othersTroubleCounts?: boolean;
  /**
   * Said anywhere in the same utterance, not negated, for the phrases to count: no
   * heating is an emergency only with someone vulnerable in the house.
   */
  readonly onlyWith?: EmergencyPhrase;
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
/** A wider gap, for a subject and verb a few words apart ("the pipe in the loft has gone bust"). */
const WIDE_GAP = String.raw`(?:[a-z0-9']+ ){0,5}?`;
/** Any words within one clause ("the pipe under the sink at the back of the cupboard has burst"). */
const LONG_GAP = String.raw`(?:[a-z0-9']+ ){0,10}?`;

/**
 * Word families the phrases are built from. Text is matched after key terms
 * are put back into one spelling (functions/src/domain/nlu/key-terms.ts):
 * "loo" is read as toilet, "sealing" as ceiling, "stop tap" as stopcock,
 * "combi" as boiler, "hot water tank" as cylinder.
 */
export const EMERGENCY_VOCABULARY = {
  /** What water reaching is dangerous. */
  electrics: String.raw`(?:electrics|electricity|electric meter|fuse ?box(?:es)?|fuse ?board|consumer unit|trip switch|sockets?|plug sockets?|(?<!(?:bath|sink|basin|shower) )(?:plugs|plug(?! ?holes?\b| in the (?:sink|bath|basin)\b))|power points?|light fittings?|light switch(?:es)?|(?:the|a) switch(?:es)?|lights?|(?:spot|down|flood|strip) ?light(?:er)?s?|light pull|lamp ?shades?|lamps?|ceiling roses?|(?:light )?bulbs?|fuses|meter (?:box|cupboard)|wiring|wires|cables?|extension leads?|(?:electric )?shower (?:unit|pump|switch)|electric shower|electric (?:heater|fire|oven|cooker|hob|panel)s?|(?:cooker|oven|hob|immersion|boiler|shower|fan|isolator|isolation|wall|fused|pull ?cord) switch(?:es)?|isolators?|fused spurs?|telly|tv|television|extractor fan|smoke (?:alarm|detector)s?)`,
  /** Water on the move. */
  waterMoving: String.raw`(?:water|leak|leaking|leaks|drip|dripping|drips|pouring|running|seeping|pissing|gushing|spraying|splashing|spurting|squirting|pooling|puddles?|trickling|coming through)`,
  /** Big stores of water whose leak can empty a tank into the house. */
  waterStores: String.raw`(?:boiler|cylinder|tank|water tank|cold water tank|water heater|immersion(?: heater| tank)?|header tank|radiator)`,
  /** How badly: "leaking like mad", "pouring", "sodden". */
  intensity: String.raw`(?:like (?:mad|crazy|hell|a tap|a river|a sieve|nobody's business|billy ?o)|badly|(?:really|so|quite|very|pretty) bad|bad|heavily|everywhere|all over(?: the place| the floor)?|loads|a lot|lots|so much|too much|massively|non ?stop|fast|faster than|so quick(?:ly)?|really quick(?:ly)?|soaked|sodden|drenched|swimming|something (?:terrible|awful|chronic)|won't stop|will not stop|not stopping|can't stop it|won't turn off|not slowing(?: down)?|hasn't stopped|by the minute|every minute|worse and worse|bigger and bigger)`,
  /** Water that keeps on coming, said calmly: "it hasn't stopped", "not slowing down", "by the minute". */
  persisting: String.raw`(?:has(?:n't| not) stopped|not stopped|(?:is |it's |'s )?not (?:stopping|slowing(?: down)?|easing(?: off| up)?|letting up)|isn't (?:stopping|slowing(?: down)?|easing(?: off| up)?|letting up)|won't (?:stop|let up|slow down|ease off)|keeps? (?:on )?coming|getting (?:worse|faster|heavier|bigger|deeper)|worse and worse|bigger and bigger|by the (?:minute|second)|every (?:minute|second))`,
  /** A calm word for a lot of water: "quite a lot of water", "a fair bit of water". */
  amount: String.raw`(?:quite a lot|quite a bit|a fair bit|a fair amount|a good bit|a lot|a load|loads|lots|so much|too much|plenty|masses|tons|gallons|buckets(?:ful)?|a bucketful|a river|a stream|a steady stream)`,
  /** Feeling what carbon monoxide does: "headaches", "dizzy", "my head's pounding". */
  coSymptom: String.raw`(?:(?<!(?:right|real|such a|total|absolute|bit of a) )headaches?|(?:head|heads)(?:'s| is| are)? (?:pounding|banging|thumping|splitting|spinning|killing (?:me|us))|dizzy|dizziness|drowsy|drowsiness|nause(?:a|ous|ated)|light ?headed|(?:feel|feels|feeling|felt|we're|i'm|he's|she's|they're|all|been|getting|get) (?:really |so |very |a bit |all )?(?:sick(?! of)|ill|faint|dizzy|drowsy|sleepy|woozy|groggy|poorly)|being sick|throwing up|vomiting|passed out|fainted|blacked out|short of breath|breathless)`,
  /** A burning gas appliance. */
  gasAppliance: String.raw`(?:boiler|gas fire|fire|heater|cooker|hob|oven|flue|gas)`,
  /** What an appliance burning badly looks like: yellow flames, soot. */
  coSign: String.raw`(?:(?:yellow|orange|lazy|floppy) flames?|flames? (?:is |are |'s |has gone |have gone |gone |burning |looks? )?(?:all )?(?:yellow|orange)|soot|sooty|black (?:marks|stains?|smudges|soot))`,
  /** Water that is not clean: coming back up a drain, it is sewage. */
  dirty: String.raw`(?:dirty|brown|black|smelly|foul|waste|mucky|manky|minging|murky|grey|poo|poop|filthy|stinking|stinky|sewer|horrible|disgusting|nasty|sludgy|scummy)`,
  /** A verb of water escaping, on its own ("it's gushing out"). */
  escaping: String.raw`(?:lashing(?= out)|belting(?= out)|gushing|pouring|spraying|spurting|pissing|shooting|streaming|spewing|pumping|squirting|jetting|cascading|bubbling|welling)`,
};
const V = EMERGENCY_VOCABULARY;

/**
 * Checked in this order: the first kind with a live match wins, so gas and
 * carbon monoxide (leave the building) beat water (turn off the stopcock),
 * water on electrics beats other water, and water through a ceiling beats a
 * plain burst pipe.
 */
export const EMERGENCY_RULES: readonly EmergencyRule[] = [
  {
    kind: "gas-smell",
    label: "Smell of gas or a gas leak",
    othersTroubleCounts: true,
    safetyAdvice: GAS_ADVICE,
    phrases: [
      {
        pattern: String.raw`\bsmel(?:l|ls|ling|ly|t|led) (?:of |like )?(?:a |some |the )?gas\b`,
        examples: [
          "I can smell gas",
          "I think I can smell gas",
          "it smells of gas in the kitchen",
          "smells like gas by the boiler",
          "there's a smell of gas",
          "it smells like rotten eggs in here",
          "i smelt gas when i came in and it's still there",
          "i can smell gass in the hall",
        ],
      },
      {
        pattern:
          // The smell gas is given: rotten eggs, sulphur; never drains, bins or hot water that smells.
          String.raw`^(?!.*\b(?:drains?|sewers?|toilet|bins?|fridge|food|water|taps?|shower|sink|plug ?hole|sandwich|dog|cat|fart)\b).*?(?:` +
          String.raw`\b(?:smell|smells|smelling|smelt|whiff|stink|stinks|pong|niff|odour|reek|reeks)\b(?: [a-z']+){0,8}? (?:(?:rotten|bad|off) eggs?|eggy|sulphur|sulphury)\b|` +
          String.raw`\b(?:(?:rotten|bad|off) eggs?|eggy|sulphur|sulphury)(?: [a-z']+){0,6}? (?:smell|smells|stink|pong|whiff|odour|niff)\b)`,
        examples: [
          "there's a smell by the boiler it's like rotten eggs really horrible",
          "um there's a funny eggy smell round the boiler",
        ],
      },
      {
        pattern: String.raw`\bgas(?:sy)? (?:smell|odou?r|whiff|stink|sniff|niff|pong|reek|stench)s?\b|\b(?:smel(?:l|ls|ling|t)|stinks?|stinking|reeks?) (?:[a-z']+ ){0,2}?gassy\b`,
        examples: [
          "there's a strong gas smell",
          "a gassy smell in the hall",
          "it smells really gassy in the kitchen",
        ],
      },
      {
        pattern: String.raw`\b(?:whiff|stink|stinks|stinking|stench|reek|reeks|reeking|pong|pongs) (?:[a-z']+ ){0,2}?of gas\b`,
        examples: [
          "I keep getting a whiff of gas",
          "the whole house stinks of gas",
          "it really reeks of gas upstairs",
        ],
      },
      {
        pattern:
          String.raw`\b(?:hob|cooker|oven|gas ring|ring|burner|gas fire|gas)(?:'s| has| was| is)? (?:been )?(?:left )?(?:on|turned on) (?:without|with no|and not|but not|not) (?:lighting|lit|being lit|a flame|igniting|ignited)\b|` +
          String.raw`\bgas (?:pipe|main|supply|line|meter|pipework)s?(?:'s| has| have| is| was)? (?:[a-z']+ ){0,4}?(?:hit|drilled|cut|severed|broken|snapped|damaged|knocked|cracked|split|burst|bust|hissing|leaking|come off|pulled off)\b|` +
          String.raw`\b(?:drilled|nailed|screwed|cut|dug|hit|knocked|severed|caught|put a nail) (?:into |through |in )?(?:a |the |our |my )?gas (?:pipe|main|line|supply)\b|` +
          String.raw`\bgas\b(?: [a-z']+){0,8}? (?:can |could )?(?:still )?(?:smell|smelling) it\b`,
        examples: [
          "i think the hob's been left on without lighting and there's a smell",
          "the builders have drilled through a gas pipe",
          "i've already rung the gas emergency line and i can still smell it",
          "the gas pipe to the cooker's been knocked and it's hissing",
        ],
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
    othersTroubleCounts: true,
    safetyAdvice: CO_ADVICE,
    phrases: [
      {
        pattern:
          String.raw`\b(?:carbon monoxide|co2?|c o) (?:alarm|detector|monitor|sensor|thing|thingy|thingie|unit|tester|reader|box)(?:s|'s)? ${LONG_GAP}` +
          String.raw`(?:going off|gone off|went off|goes off|go off|keeps going|beeping|beeps|bleeping|sounding|ringing|screaming|screeching|alarming|triggered|flashing red|going (?:mental|crazy|mad|nuts|berserk|haywire)|going(?! (?:to|for|out|up|down)\b))`,
        examples: [
          "the CO alarm is going off",
          "my carbon monoxide alarm keeps going off",
          "C.O. detector beeping",
          "the carbon monoxide detector has gone off",
          "the carbon monoxide thing is going off",
          "the boiler's making us feel sick and the co alarm is going",
          "the co alarm in the kitchen is going mental",
        ],
      },
      {
        pattern: String.raw`\b(?:alarm|detector|monitor|sensor)(?:'s)? (?:[a-z']+ ){0,4}?(?:for|says|saying|showing|detecting|reading) (?:the )?(?:[a-z]+ )?monoxide\b|\b(?:carbon monoxide|co) (?:detected|warning|reading|levels? (?:high|up|rising))\b|\b(?:carbon monoxide|co) (?:alarm|detector|monitor|sensor)(?:'s| is)? (?:reading|showing) (?:a )?(?:high|reading|number|level|[0-9]+)\b`,
        examples: ["the alarm for carbon monoxide won't stop"],
      },
      {
        pattern:
          // Feeling ill with a gas appliance burning, in either order; never "the boiler's noise gives me a headache".
          String.raw`^(?!.*\b(?:noise|noisy|banging|racket|bill|cost|price|stress|hassle|gives? (?:me|us)|giving (?:me|us))\b).*?(?:` +
          String.raw`\b${V.coSymptom}\b(?: [a-z']+){0,8}? (?:when|whenever|since|every time|each time|while|after|from|near|round|by|because of|with)(?: [a-z']+){0,3}? ${V.gasAppliance}\b|` +
          String.raw`\b${V.coSymptom}\b(?: [a-z']+){0,4}? and (?:the |our |my )?${V.gasAppliance}(?:'s| is| has| have)? (?:been |is )?(?:on|running|going|lit|burning|fired up)\b|` +
          String.raw`\b${V.gasAppliance}(?:'s| is| has| have)? (?:[a-z']+ ){0,4}?(?:smell|smells|smelling|fumes|smoke|smoking)\b(?: [a-z']+){0,6}? ${V.coSymptom}\b|` +
          String.raw`\b${V.gasAppliance}(?:'s| is| has| have)? (?:[a-z']+ ){0,3}?(?:on|running|lit|burning|fired up)\b(?: [a-z']+){0,6}? ${V.coSymptom}\b|` +
          String.raw`\b${V.coSign}\b(?: [a-z']+){0,10}? ${V.coSymptom}\b|\b${V.coSymptom}\b(?: [a-z']+){0,10}? ${V.coSign}\b|` +
          String.raw`\b(?:${V.coSymptom}|${V.coSign})\b(?: [a-z']+){0,10}? (?:alarm|detector|sensor)|\b(?:alarm|detector|sensor)\b(?: [a-z']+){0,10}? (?:${V.coSymptom}|${V.coSign})\b|` +
          String.raw`\b(?:alarm|detector|sensor|monitor|thing|box)(?:'s)? (?:with |that says |saying |marked |for )(?:co|carbon monoxide)\b(?: [a-z']+){0,4}? (?:is |'s |keeps )?(?:going off|gone off|went off|beeping|bleeping|sounding|going|flashing))`,
        examples: [
          "my dad's got a gas fire and he's all drowsy and the little alarm's flashing red",
          "the alarm with co on it is going and the flame on the boiler's gone yellow",
          "we've all got headaches and the boiler's been on all day",
          "we keep getting headaches when the boiler's on and feel dizzy",
          "the boiler flame is yellow and we feel sick",
          "there's soot round the boiler and my head's pounding",
        ],
      },
      {
        pattern: String.raw`\bcarbon monoxide (?:leak|leaking|poisoning|escaping|coming|in the|in my|in our|in here)\b`,
        examples: [
          "I'm worried about a carbon monoxide leak",
          "we might have carbon monoxide poisoning",
          "we think there's carbon monoxide in the house",
        ],
      },
    ],
  },
  {
    kind: "water-on-electrics",
    label: "Water reaching electrics",
    safetyAdvice:
      "Please don't touch any sockets, switches or lights near the water. If you can reach the fuse box " +
      "from a dry place, switch the electricity off there; if you can't, keep everyone away from that area. " +
      WATER_SHUT_OFF,
    phrases: [
      {
        pattern:
          String.raw`\b${V.waterMoving}(?:'s)? (?:[a-z0-9']+ ){0,7}?(?:onto|on to|into|in to|over|down|on|in|behind|near|through|around|round|under|across|from|out of|inside|by|at|towards|to|above|beside|next to|alongside) ` +
          String.raw`(?:the |my |our |a |all |some )?(?:(?:back|front|side|top|bottom|base|inside|underneath|edge|middle|corner|panel) of (?:the |my |our |a )?)?(?:(?:[a-z']+ ){1,2}(?:and|or) (?:the |my |our |a )?)?(?:(?!(?:the|a|an|to|and|fix|fit|replace|change|move|check|install|put|new|get|have|look)\b)[a-z']+ ){0,2}?${V.electrics}\b`,
        examples: [
          "water's dripping onto the fuse box",
          "there's water running down the wall into the socket",
          "water is leaking over the light switch",
          "it's dripping down onto the electrics",
          "water dripping from the light fitting",
          "there's water in the fuse box",
          "water near the fuse box",
        ],
      },
      {
        pattern:
          String.raw`\b(?:water|it)(?:'s| is| has| was)? (?:[a-z']+ ){0,3}?(?:coming|getting|going|spreading|splashing|pooling|running|pouring|dripping|leaking) (?:[a-z']+ ){0,5}?` +
          String.raw`(?:onto|on to|into|in to|over|down|behind|near|through|around|round|under|across|from|out of|inside) (?:the |my |our |a |all |some )?(?:[a-z]+ )?${V.electrics}\b`,
        examples: [
          "it's coming out of the bathroom light",
          "it's getting into the fuse box under the stairs",
          "there's a puddle round the extension lead",
        ],
      },
      {
        pattern: String.raw`\b${V.electrics}(?:'s)? (?:[a-z0-9']+ ){0,5}?(?:are |is |have |has |'ve )?(?:wet|soaked|soaking|sopping|full of water|sparking|live and wet|under water|(?:sitting|standing) in (?:a puddle|water)|got water|(?:got )?water (?:in|inside|on|coming|dripping|pouring))\b`,
        examples: [
          "the electrics are wet",
          "the light in the bathroom is full of water",
          "the electric meter's got water pouring on it",
        ],
      },
      {
        pattern: String.raw`\b(?:water|it|leak|leaking|dripping|pouring)(?:'s| is)? (?:[a-z']+ ){0,4}?(?:onto|on to|all over|over) (?:the |my |our )?(?:fridge|freezer|fridge freezer|cooker|oven|hob|microwave|tumble dryer|dryer|router|computer|heater|kettle|toaster)\b`,
        examples: ["it's leaking onto the cooker and the cooker's electric"],
      },
      {
        pattern:
          String.raw`\b(?:water|leak|leaking|dripping)\b.*\b(?:sparking|sparks|fused|shorted|short circuited|tripped|tripping|blown|blew|flickering|flickered|trip switch (?:keeps|has|'s) (?:going|gone|flipping|flicking|clicking)|(?:electrics?|electricity|power|lights)(?:'s| has| have| is| are)? (?:just |all )?(?:gone off|gone out|cut out|cutting out|gone|died|keeps? (?:going off|tripping|cutting out)))\b|` +
          String.raw`\b(?:sparking|sparks|fused|shorted|tripped|tripping|blown|blew|flickering|flickered|trip switch (?:keeps|has|'s) (?:going|gone|flipping|flicking|clicking))\b.*\b(?:water|leak|leaking|dripping)\b`,
        examples: [
          "there's water by the plug and it's sparking",
          "water's come through and the lights have blown",
          "the electrics have tripped and there's water coming through",
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
          "the sewerage is coming up through the floor drain",
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
        pattern: String.raw`\b(?:soil (?:stack|pipe)|sewer pipe)(?:'s)? ${WIDE_GAP}(?:leaking|leaks|pouring|dripping|coming out|spilling)\b|\bsewage (?:backup|back up|leak|spill|overflow|flood)s?\b|\b(?:leaking|leaks|spilling|oozing|coming out) (?:raw )?sewage\b`,
        examples: ["we've got a sewage backup", "the soil pipe's leaking sewage into the kitchen"],
      },
      {
        pattern:
          String.raw`\b(?:toilet|drains?|sewers?|manholes?|manhole covers?|gull(?:y|ies)|soil pipe|septic tank|cess ?pit|cess ?pool)(?:'s|s)? ${LONG_GAP}` +
          String.raw`(?:overflowing|overflowed|flooding|flooded|spilling over|backing up|backed up|(?:coming|comes|came|come) back up|bubbling up|going over|lifting|lifted|popped|come off|about to (?:go over|overflow))\b|` +
          String.raw`\bflush(?:es|ed|ing)? (?:[a-z']+ ){0,6}?(?:comes?|coming|came|bubbles?|bubbling) (?:back up|up (?:out|over|into|through|in the|everywhere|all over))\b`,
        examples: [
          "the toilet's overflowing",
          "toilet is backing up",
          "the loo is backing up",
          "the manhole in the garden is overflowing",
          "the drain outside is backing up into the garden",
          "the loo's blocked and it's overflowing onto the floor",
          "every time we flush the loo it comes back up",
        ],
      },
      {
        pattern:
          String.raw`\b${V.dirty}(?: (?:and )?${V.dirty})* water(?:'s)?\b ${GAP}` +
          String.raw`(?:coming|came|backing|backed|bubbling|rising|everywhere|all over|pouring|spilling|overflowing|flooding|going)\b` +
          // Discoloured water from the taps is the supply, not sewage.
          String.raw`(?! (?:[a-z]+ )?(?:out of|from|through) (?:the |my |our |all the )?(?:[a-z]+ )?(?:taps?|kettle|mains|supply|shower ?head)\b)|` +
          String.raw`\b(?:filling|filled|fills|full|backing|backed|overflowing|bubbling|coming|gurgling|rising|spilling|covered|swimming|flooded|flooding) (?:back )?(?:up )?(?:with|of|in) ${V.dirty}(?: (?:and )?${V.dirty})* water\b`,
        examples: [
          "dirty water is coming back up the toilet",
          "brown water is coming up",
          "manky water's backing up into the shower tray",
          "the drain outside is backing up with filthy water",
          "the sink is filling back up with black water",
        ],
      },
      {
        pattern: String.raw`\btoilet(?: water)? (?:[a-z']+ ){0,2}?(?:rising|coming up|come up|came up|going over)\b`,
        examples: ["the toilet water keeps rising"],
      },
      {
        pattern: String.raw`\b(?:comes?|coming|came|bubbles?|bubbling|welling|rising|spilling|gushing|pouring) (?:back )?up (?:out of |through |into |in |from )?(?:the |our |my )?(?:bath|shower(?: tray)?|sink|plug ?holes?|drains?|toilet|manhole|gull(?:y|ies))\b`,
        examples: [
          "every time we flush it comes up in the bath",
          "waste's coming up out of the toilet",
        ],
      },
    ],
  },
  {
    kind: "water-through-ceiling",
    label: "Water coming through the ceiling",
    diminishable: true,
    safetyAdvice:
      "Please keep everyone out from under that part of the ceiling in case it comes down. " +
      `${KEEP_AWAY_FROM_ELECTRICS} ${WATER_SHUT_OFF}`,
    phrases: [
      {
        pattern:
          String.raw`\b(?:water|it|leak|drip)(?:'s)? ${GAP}` +
          String.raw`(?:coming|pouring|dripping|leaking|running|gushing|seeping|pissing|flowing|falling|streaming|raining|spraying) ` +
          String.raw`(?:(?:down|in|through|out) )?(?:through|from|out of|down|off) (?:the |my |our )?(?:kitchen |bathroom |hall |hallway |living room |bedroom )?` +
          String.raw`(?:ceilings?|roof|flat upstairs|upstairs|above|(?:flat|room|bathroom|kitchen|floor|house|place|toilet|shower|bath) (?:above|upstairs|over(?:head)?))\b`,
        examples: [
          "water coming through the ceiling",
          "I don't know what to do, water is pouring through the ceiling",
          "it's pouring through the kitchen ceiling",
          "there's water coming from upstairs",
          "water's coming through from upstairs onto the bed",
          "it's dripping down from the bathroom above",
          "there's water coming through the sealing in the kitchen",
          "water's pawing through the kitchen ceiling",
        ],
      },
      {
        pattern:
          String.raw`\bceilings?(?:'s)? (?:[a-z0-9']+ ){0,8}?` +
          String.raw`(?:dripping|leaking|collapsing|collapsed|caving in|caved in|coming down|come down|falling in|falling down|fallen (?:in|down|through)|fell (?:in|down|through)|(?:is |'s )?(?:all )?on the floor|bulging|bulge|bulges|sagging|soaked|soggy|sodden|drip|drips|pouring|gushing|giving way|full of water|about to (?:collapse|come down|give way|go|cave in)|(?:a |massive |big |huge )?(?:bubble|blister|bulge|belly) of water|bubbling|blistering|bowing|bowed|bellying|hanging down|drooping|wet through|(?:with |got )?water (?:in|inside) it|water (?:running|pouring|dripping|coming|streaming) off it|(?:starting|going|gonna|about) to (?:split|sag|give|go|burst|collapse|come down|fall in))\b`,
        examples: [
          "the ceiling is dripping",
          "my bathroom ceiling's leaking",
          "the ceiling is collapsing",
          "the kitchen ceiling has caved in",
          "ceiling's bulging with water",
          "the sealing is dripping really bad",
          "there's a brown stain on the ceiling and now it's dripping",
        ],
      },
      {
        pattern: String.raw`^(?=.*\b(?:water|wet|leak|leaking|dripping|soaking|pouring)\b).*?\b(?:plaster ?board|plaster|ceiling boards?|lath and plaster|artex)(?:'s| has| have| is| are)? (?:[a-z]+ )?(?:come|fallen|falling|coming|fell|dropped|dropping) (?:down|in|through)\b`,
        examples: ["the plasterboard's come down and water's dripping through"],
      },
      {
        pattern:
          String.raw`(?:\b(?:soaking|soaked|seeping|dripping|leaking|pouring|running|gushing|flowing|trickling|pissing)|\b(?:water|it|leak)(?:'s| is| has)? ${GAP}(?:coming|going|getting|got|come|gone)) ` +
          String.raw`(?:right |straight |all the way )?(?:down )?through (?:to |into |onto )?(?:the |my |our )?` +
          String.raw`(?:floor ?boards|floor(?! (?:tiles?|mat))|(?:room|rooms|flat|kitchen|lounge|hall|hallway|bedroom|living room|dining room|ceiling) (?:below|downstairs|underneath|beneath|under(?:neath)?)|below|downstairs|(?<=(?:to|into|onto) (?:the |my |our )?)(?:kitchen|lounge|hall|hallway|living room|dining room|bedroom))\b`,
        examples: [
          "the cylinder's leaking and it's soaking through to the kitchen",
          "it's seeping through the floorboards into the room below",
          "water's going right through the floor",
        ],
      },
      {
        pattern: String.raw`\b(?:leak|leaking|drip|dripping|water|coming|pouring|running|seeping|overflowing|spilling|getting|going) (?:[a-z']+ ){0,5}?(?:in|from|through|into|out of) (?:(?:the|my|our|a|her|his|their|your|me|[a-z]+'s) )?(?:[a-z']+ ){0,2}?ceiling\b`,
        examples: [
          "there's a leak in the ceiling",
          "water dripping out of a crack in the ceiling",
          "the neighbours have a leak and it's coming through our ceiling",
        ],
      },
    ],
  },
  {
    kind: "burst-pipe",
    label: "Burst pipe or uncontrolled water",
    diminishable: true,
    safetyAdvice: `${WATER_SHUT_OFF} ${KEEP_AWAY_FROM_ELECTRICS}`,
    phrases: [
      {
        pattern:
          String.raw`\b(?:burst(?:ed|er)?|bust(?:ed)?|split) (?:water |mains |supply |copper |heating |central heating |hot water |cold water |plastic |waste )?` +
          String.raw`(?:pipes?|mains?|hoses?|tanks?|cylinders?|radiators?)\b|\ba (?:burst|split) in the (?:pipe|main|mains|tank|cylinder)\b|` +
          String.raw`\b(?:something|summat)(?:'s| has| is)? (?:just )?(?:burst|bust|split|exploded|blown|gone bang|come apart)\b`,
        examples: [
          "burst pipe",
          "Burst pipe.",
          "we've got a burst-pipe",
          "there's a burst water main outside",
          "we've got a bursted pipe in the bathroom",
          "there's a bust water pipe in the kitchen",
          "something's split under the sink and it's pouring",
        ],
      },
      {
        pattern:
          // "the lagging on the pipes has come off" is about the lagging.
          String.raw`(?<!\b(?:lagging|insulation|boxing|cladding|clips?|covers?|brackets?|paint|labels?) (?:on|around|round|from|off) (?:the |my |our )?)` +
          String.raw`\b(?:pipes?|pipework|water mains?|mains|main|tanks?|cylinders?|radiators?|hoses?|joints?|fittings?|valves?|taps?)(?:'s)? ${LONG_GAP}` +
          String.raw`(?:burst|bursts|bust|busted|exploded|split|blown|blew|snapped|popped|cracked open|come apart|came apart|come off|came off|hanging off|fallen off|come away|came away|pulled off|ripped off|(?<!\b(?:washers?|seals?|o rings?|cartridges?|handles?|heads?|batter(?:y|ies)|fuses?|lagging)(?:'s| has| have| is)? )gone(?! (?:green|cold|quiet|off|stiff|rusty|brown|black|white|loose|hard|soft|up|down|through|into|in|out|for|to|noisy|missing|walkabout)\b))\b`,
        examples: [
          "the pipe's burst",
          "help my pipe has burst, what do I do",
          "a pipe under the sink just burst",
          "the pipes have split in the loft",
          "the water main has burst",
          "the pipe in the loft has gone bust",
          "the radiator valve snapped off and water is pumping out",
          "the pipe's berst in the kitchen",
          "the pipe under the sink at the back of the cupboard has just burst",
        ],
      },
      {
        pattern: String.raw`\b(?:water )?(?:main|mains|tank|cylinder)(?:'s| has| have)? (?:just )?gone\b(?! (?:cold|quiet|off\b))`,
        examples: ["there's a main gone in the road", "the tank's gone in the loft"],
      },
      {
        pattern: String.raw`\b(?:has|have|just|it's|is) (?:just )?burst\b`,
        examples: ["it's burst!", "something has just burst in the loft"],
      },
      {
        pattern:
          String.raw`\bwater(?!(?:'s| is)? (?:pressure|bill|softener|rates?|company|board|meter)\b)(?:'s)? ${GAP}` +
          `${V.escaping}|\\bwater(?:'s)? ${GAP}bursting\\b`,
        examples: [
          "water pouring everywhere",
          "water is gushing out from under the sink",
          "water's spraying all over the kitchen",
          "the water is literally spurting out",
          "water's poring out of the pipe in the cellar",
        ],
      },
      {
        pattern:
          String.raw`(?<!\b(?:rain|gutters?|guttering|drainpipe|down ?pipe)(?:'s| is| are| was)? )\b${V.escaping} (?:(?:all|right|straight) )?(?:out|up|down|in|through|from|everywhere|all over|water|and (?:gushing|pouring|spraying))\b(?! (?:with )?rain)|` +
          String.raw`\b(?:it|water|that)(?:'s| is| was)? (?:just |absolutely |literally |really |still |now |keeps |keeps on )*${V.escaping}(?: (?:again|now|still|in here|badly))*$|` +
          // The strongest verbs need nothing after them: "it's gushing i've put a towel on it".
          String.raw`\b(?:it|water|that)(?:'s| is| was| keeps)? (?:just |absolutely |literally |really |still |now |on )*(?:gushing|spraying|spurting|pissing|spewing|jetting|squirting)\b(?! (?:noise|sound)\b)`,
        examples: [
          "it's gushing everywhere",
          "something's split and it's pouring",
          "the tap is spraying water",
          "it's gushing out and I can't make it stop",
          "it's pouring out faster than I can mop it up",
          "it's streaming out of the wall",
        ],
      },
      {
        pattern: String.raw`^(?!.*\b(?:rain|raining|gutters?|guttering|condensation|outside|windows?|downpipe|drainpipe)\b).*?\b(?:water|it)(?:'s| is| has)? (?:[a-z']+ ){0,2}?(?:running|pouring|streaming|coming|pissing|cascading|gushing) (?:straight |right )?down (?:the |my |our |all the )?(?:[a-z]+ )?(?:walls?|inside of the walls?)\b`,
        examples: ["water's running down the walls in the hall"],
      },
      {
        pattern:
          String.raw`\b(?:water|it)(?:'s| is| has)? ${GAP}(?:running|pouring|flowing|coming|streaming|spreading|gushing|seeping|going|spilling|leaking) ` +
          String.raw`(?:[a-z']+ ){0,6}?(?:onto|on to|across|all over|along|out onto) (?:the |my |our )?(?:landing|stairs|staircase|hall|hallway)\b`,
        examples: [
          "water's running out of the airing cupboard across the landing",
          "it's pouring out from under the bathroom door onto the landing",
        ],
      },
      {
        pattern:
          String.raw`\b(?:can't|cannot|can not|couldn't|unable to) (?:stop|turn off|switch off|shut off) the water\b|` +
          String.raw`\bwater (?:won't|will not|wont|doesn't|does not|isn't) stop(?:ping)?\b|` +
          String.raw`\b(?:won't|will not|wont|doesn't|does not|isn't|can't|cannot) stop(?:ping)? (?:it )?(?:from )?(?:overflowing|pouring|gushing|spraying|spurting|pissing|flooding|spilling over|running over)\b|` +
          String.raw`\bwater (?:just )?(?:keeps|is still|'s still|still) (?:coming|pouring|running|going|gushing)\b|` +
          String.raw`\bit (?:just )?keeps (?:on )?(?:coming|pouring|gushing|pumping)\b(?! (?:back|up)\b)`,
        examples: [
          "I can't stop the water",
          "the water won't stop",
          "the water keeps coming",
          "the cold water tank won't stop overflowing",
        ],
      },
      {
        pattern:
          String.raw`\b(?:${V.escaping}|coming out|going everywhere|everywhere)\b (?:[a-z0-9']+ ){0,6}?(?:can't|cannot|can not|couldn't|won't|will not|(?:don't|do not) know how to) (?:stop|turn|switch|shut|make it stop|get it to stop)\b|` +
          String.raw`\b(?:can't|cannot|can not|couldn't|won't|will not|unable to) (?:find|stop|turn|switch|shut)\b (?:[a-z0-9']+ ){0,6}?(?:pouring|gushing|coming|everywhere|spraying|going everywhere)\b`,
        examples: [
          "it's coming out everywhere and I can't turn it off",
          "water everywhere I can't stop it",
          "I can't find the stop tap and it's pouring out",
          "the stopcock won't turn and water's going everywhere",
        ],
      },
      {
        pattern:
          String.raw`\b${V.waterStores}(?:'s)? ${WIDE_GAP}(?:leaking|leaks|pouring|gushing|pissing|spewing|spraying|dumping|pumping|chucking|water|coming out|overflowing|overflowed|spilling|running over)\b (?:[a-z0-9']+ ){0,6}?${V.intensity}|` +
          String.raw`\b(?:leak|leaks|water)(?:'s| is)? (?:coming |pouring |running |gushing |pumping )?(?:from|out of) (?:the |my |our )?(?:[a-z]+ )?${V.waterStores}\b (?:[a-z0-9']+ ){0,6}?${V.intensity}|` +
          String.raw`\b(?:${V.waterStores}|pipes?|pipework|joints?|fittings?|valves?|taps?|hoses?|cisterns?|toilet)(?:'s)? ${WIDE_GAP}(?:gushing|spraying|spurting|pissing|spewing|jetting|squirting)\b(?! when (?:i|you|we|they) (?:turn|use|switch|run|open)\b)|` +
          String.raw`\b(?:emptying|draining|spilling|gushing|pouring|dumping|pumping) (?:itself )?(?:out )?(?:onto|all over|across|over) (?:the |my |our )?(?:[a-z]+ )?(?:floor|carpet|floorboards)\b|` +
          String.raw`\btaps? (?:is |'s |has |have |are )?(?:stuck|jammed) (?:on|open)\b|\btaps? (?:won't|will not|wont) (?:turn|switch|shut) off\b(?! (?:properly|fully|all the way|completely|right)\b)`,
        examples: [
          "the tank's leaking like mad, the carpet's sodden",
          "there's a leak from the cylinder and the landing carpet's soaked",
          "the boiler is leaking like mad",
          "the hot water cylinder is leaking everywhere",
          "the water heater's leaking really badly",
          "the boiler is leaking heavily",
        ],
      },
      {
        pattern:
          String.raw`\b(?:coming|running|pumping|flowing|pissing|spewing|piling) out (?:[a-z0-9']+ ){0,2}?(?:loads|a lot|lots|so much|too much|everywhere|all over|really fast|so fast|non ?stop)\b(?! (?:[a-z]+er|more|less|of)\b)|` +
          String.raw`\b(?:leak|leaking|leaks|pouring|gushing|pissing|coming out|pouring out)\b (?:[a-z0-9']+ ){0,3}?(?:everywhere|all over the (?:place|floor|house|kitchen|bathroom)|like mad|like crazy|like hell|like a tap|like a river|like a sieve|heavily|massively|non ?stop|so fast|really fast|too fast|faster than|(?:really |so |very )?badly|really bad|so bad)\b|` +
          String.raw`\b(?:massive|huge|big|major|serious|terrible|enormous|bad) leak\b|` +
          String.raw`\b(?:loads|lots|tons|gallons|buckets|masses) of water (?:coming|pouring|pumping|pissing|gushing|everywhere|all over)\b|` +
          String.raw`(?:\blike|\bis|'s|\bwas) a (?:fountain|waterfall|geyser|fire hose|hose pipe|hose|sieve|torrent)\b|\ba torrent of water\b`,
        examples: [
          "it's leaking like mad",
          "there's a massive leak from the boiler",
          "there's loads of water coming out of the boiler",
          "it's like a fountain under the sink",
        ],
      },
      {
        pattern:
          // Said calmly: how much, or that it keeps on coming.
          String.raw`\b${V.amount} of water (?:[a-z']+ ){0,3}?(?:coming|pouring|running|leaking|going|spreading|pumping|gushing|pissing|flowing|spilling|streaming|everywhere|all over)\b|` +
          String.raw`\b(?:water|leak|it)(?:'s| is| has| was)? (?:[a-z']+ ){0,3}?(?:coming|comes|come|pouring|leaking|pumping|flowing|spreading|gushing|pissing|streaming|spilling|seeping|running out)\b(?: [a-z0-9']+){0,10}? (?:${V.persisting}|(?:(?:very|so|really|too|super|quite|pretty|dead|proper) )?(?:fast|quick(?:ly)?)|faster than|all over the (?:place|floor|house|kitchen|bathroom|shop))\b|` +
          String.raw`\b(?:puddle|pool|leak|water|wet patch|it)(?:'s| is| are)? (?:[a-z']+ ){0,5}?getting (?:bigger|worse|deeper|wider|faster|heavier) (?:and (?:bigger|worse|deeper|wider|faster|heavier)|by the (?:minute|second)|every (?:minute|second)|(?:really |so )?(?:fast|quickly|quick))\b`,
        examples: [
          "there's quite a lot of water coming from under the boiler and it hasn't stopped",
          "there's a fair bit of water coming out from under the sink and it's not slowing down",
          "the puddle is getting bigger by the minute",
        ],
      },
      {
        pattern:
          // A pipe out of sight: heard, with the wet showing.
          String.raw`\b(?:hear|hearing|heard)(?: [a-z']+){0,3}? (?:hissing|rushing|gushing|spraying|running water|water (?:running|rushing|gushing|spraying|pouring)|rushing water|water)\b(?: [a-z']+){0,8}? (?:wet|soaking|soaked|sodden|puddle|damp patch|(?:water|it)(?:'s| is)? (?:coming|pouring|running|seeping))\b|` +
          String.raw`\b(?:rushing|gushing|hissing|running) (?:water )?(?:noise|sound)\b(?: [a-z']+){0,8}? (?:wet|soaking|soaked|sodden|puddle|damp patch)\b|` +
          // Someone holding it in.
          String.raw`\b(?:holding|gripping|pressing|clamping) (?:the |a |my |this )?(?:pipe|joint|valve|fitting|hose|radiator valve|tap)s? (?:together|on|in place|shut|closed|with (?:my|his|her|our) hands?)\b|` +
          String.raw`\b(?:my|his|her|a|our) (?:hand|thumb|finger)s? (?:over|on|against|in) (?:the )?(?:end of the )?(?:pipe|joint|valve|hole|leak)\b|` +
          // Turned off, and still coming.
          String.raw`(?<=\b(?:stopcock|turned (?:it|the water|everything|the mains) off|turned off)\b(?: [a-z']+){0,8}? )(?:it's |it is |water's |water is |the water's |it )?(?:still|keeps) (?:coming|pouring|running|going|leaking|gushing|spraying|pissing|flowing)\b`,
        examples: [
          "i can hear hissing behind the kitchen units and the floor's wet",
          "i'm holding the pipe together with my hand please send someone",
          "i've turned the stop tap off and it's still coming out",
        ],
      },
      {
        pattern:
          // Buckets and towels that cannot keep up.
          String.raw`\b(?:emptying|emptied|wringing out|gone through|been through|changing|swapping) (?:[a-z']+ ){0,3}?(?:buckets|bowls|towels|bucket after bucket)\b|\b(?:bail|bailing|bailed|scoop|scooping|mop|mopping)(?: [a-z']+){0,3}? (?:with|into) (?:buckets|a bucket|bowls|pans)\b|` +
          String.raw`\b(?:buckets?|bowls?)(?:'s| is| are| has| have)? (?:[a-z']+ ){0,2}?(?:filled|filling|full|overflowing) (?:[a-z']+ ){0,3}?(?:twice|again|already|in (?:minutes|no time|seconds)|every (?:few )?(?:minutes?|hours?))\b`,
        examples: [
          "we've been emptying buckets all night from the leak in the loft",
          "the bucket's filled up twice already from the leak under the boiler",
        ],
      },
    ],
  },
  {
    kind: "flooding",
    label: "Flooding",
    diminishable: true,
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
        pattern: String.raw`\bwater(?:'s)? ${GAP}(?:everywhere|(?:all|right) (?:over|across|through) the (?:whole )?(?:floor|house|kitchen|bathroom|place|carpet|flat|hall|hallway|landing|lounge|room|utility|cellar|basement|downstairs))\b|\bstanding water (?:in|on|all over|across) (?:the |my |our )?(?:[a-z]+ )?(?:kitchen|house|flat|floor|hall|hallway|lounge|room|bathroom|utility|cellar|basement|garage|landing|downstairs)\b`,
        examples: ["there's water everywhere", "water all over the floor"],
      },
      {
        pattern: String.raw`\b(?:inches|an inch|ankle deep|centimetres|cm) (?:deep )?(?:of )?water\b|(?<!\b(?:garden|lawn|patio|road|street|field|drive|driveway|park|allotment)(?:'s| is| was)? )\bunder ?water\b(?! (?:from|because of|with|after) (?:the )?(?:rain|storm|downpour))|\b(?:ankle|knee|shin) deep\b|\bup to (?:my|our|your|the|his|her) (?:ankles|knees|shins|skirting(?: boards?)?|doorstep|door step|bottom step|first step)\b`,
        examples: [
          "there's inches of water on the floor",
          "the cellar is under water",
          "water is ankle deep in the basement",
        ],
      },
      {
        pattern:
          String.raw`\bwater(?:'s)? (?:[a-z']+ ){0,2}?(?:coming|pouring|rushing|getting|flowing) in(?:to)? ` +
          String.raw`(?:the |my |our )?(?:house|kitchen|flat|home|room|basement|cellar|hallway|hall|garage|living room)\b|\b(?:water|rain)(?:'s)? (?:[a-z']+ ){0,2}?coming in under\b|` +
          String.raw`\b(?:water|it)(?:'s| is)? (?:[a-z']+ ){0,2}?(?:coming|pouring|running|flowing|cascading) down (?:the )?(?:stairs|staircase|landing)\b`,
        examples: [
          "water is coming into the house",
          "water's coming in under the back door",
          "it's coming down the stairs",
        ],
      },
      {
        pattern:
          String.raw`\b(?:filling|filled|filling up) (?:up )?with water\b|(?:\blike|\bis|'s|\bwas) a (?:swimming pool|paddling pool|lake|river|pond)\b|` +
          String.raw`\b(?:cellar|basement|kitchen|room|house|garage|hall|hallway|flat|bathroom|utility)(?:'s| is| has)? (?:[a-z]+ )?(?:filling|filled) up\b`,
        examples: [
          "the cellar is filling up with water",
          "the kitchen's like a swimming pool",
          "our cellar is filling up",
        ],
      },
      {
        pattern: String.raw`\b(?:sink|bath|basin|shower(?: tray)?|washing machine|dishwasher)(?:'s| is| has)? (?:[a-z]+ )?(?:overflowing|overflowed|spilling over|running over)\b(?! (?:pipe|hole))`,
        examples: ["the sink's overflowing because the tap's stuck on", "the bath has overflowed"],
      },
      {
        pattern:
          String.raw`(?:\b(?:water|leak|puddle|wet patch|the wet)|(?<=\b(?:water|leak|leaking|flood|flooding|wet)\b.*)\bit)(?:'s| is| has)? (?:[a-z']+ ){0,6}?(?:spreading|spread|creeping|seeping|flowing|running|pooling|going|coming) (?:out )?(?:right )?(?:across|into|through|under|along|onto|over) (?:the |my |our )?(?:[a-z]+ )?(?:rooms?|floor|floors|carpets?|hall|hallway|landing|kitchen|lounge|living room|dining room|front room|bedroom|house|flat|downstairs|next room|other room|seating area|shop floor|restaurant|office)\b|` +
          String.raw`\b(?:floors?|carpets?|rugs?|lino|laminate)(?:'s| is| are)? (?:[a-z]+ ){0,2}?(?:swimming|squelching|squelchy|awash|sodden|soaked through|a lake|like a lake|an inch deep)\b|` +
          String.raw`\b(?:floors?|carpets?|lino)(?:'s| is| are)? (?:[a-z']+ ){0,4}?(?:soaking|soaked|soaking wet|wet through|all wet|covered)\b(?: [a-z']+){0,4}? (?:water|it)(?:'s| is)? (?:still )?(?:coming|pouring|running|leaking|pumping)\b|` +
          String.raw`\bwater (?:in|through(?:out)?|across|all over|over) (?:every|each|all the|all of the|the whole|the entire) (?:room|rooms|floor|house|flat|downstairs|ground floor|place)\b|` +
          String.raw`\b(?:cellar|basement|kitchen|room|house|garage|hall|hallway|flat|bathroom|utility|shop|cafe|office|downstairs|ground floor)(?:'s| is| has| are)? (?:[a-z]+ )?(?:full of|filling with|filled with|half full of) water\b|` +
          String.raw`\b(?:water|it)(?:'s| is)? (?:[a-z']+ ){0,2}?(?:coming|bubbling|welling|seeping|rising|pushing) up (?:through|from|out of|between) (?:the )?(?:floor|floorboards|ground|tiles|concrete|skirting)\b|` +
          String.raw`\b(?:running|spilling|pouring|coming|flowing|going|gushing|overflowing|pissing) (?:out )?over the (?:top|sides?|edge|rim)\b`,
        examples: [
          "the water's spreading into the living room",
          "water's coming up through the floor and it's spreading out into the kitchen",
          "the toilet cistern won't stop filling and it's running over the top",
        ],
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
          String.raw`(?<!\b(?:joint|pipe|fitting|valve|seal|washer)(?: [a-z']+){0,2} )\bno (?:running |mains |cold |tap )?water\b` +
          String.raw`(?! (?:pressure|damage|leak|leaking|dripping|coming through (?:the |my |our )?(?:ceiling|roof|walls?|floor|lights?|loft)|coming in\b|on the|in the (?:ceiling|loft)|or anything|softener|problems?|issues?|troubles?|worries|(?:coming|leaking|dripping|getting|going) (?:(?:from|through|down|onto|under) (?!(?:the |my |our |any )?(?:[a-z]+ )?taps?\b)(?:the|my|our|a|upstairs|above|next door)\b|anywhere|everywhere)))`,
        examples: [
          "no water at all",
          "we've got no running water",
          "there's no water in the house",
        ],
      },
      {
        pattern:
          String.raw`\b(?:haven't|have not|don't have|do not have|hasn't|has not|ain't|without|not got|not had|lost(?: all)?(?: our| my| the)?) ` +
          String.raw`(?:got |had )?(?:any |a drop of |a drop o )?(?:running |mains |tap )?water\b(?! (?:pressure|damage|leak|on the|softener))`,
        examples: [
          "we haven't got any water",
          "we've been without water since this morning",
          "we've lost our water",
        ],
      },
      {
        pattern:
          String.raw`\b(?:nothing|not a drop|not a dribble|not a sausage|zero)(?:'s| is)? (?:at all )?(?:(?:coming|comes|came|running) )?(?:out )?(?:of|from|when) ` +
          String.raw`(?:the |my |any |our |i )?(?:kitchen |bathroom |cold |turn (?:on )?the )?taps?\b`,
        examples: ["nothing's coming out of the taps", "nothing comes out when i turn the tap"],
      },
      {
        pattern:
          String.raw`\b(?:nothing|zero|not a drop|not a dribble|not a thing)(?:'s| is)? (?:coming|comes|came|running) out (?:anywhere|at all|of anything|of any of them)\b|` +
          String.raw`\btaps? on (?:and|but) (?:there's |there is |it's |we get |we got )?(?:nothing|not a drop|no water)\b|` +
          String.raw`\bnone of (?:the |our |my )?taps\b (?:[a-z]+ )?(?:work|works|working|run|running|come on)\b|` +
          String.raw`\b(?:all (?:of )?(?:the |our |my )?|the |our |my )taps (?:are |have |is )?(?:all )?(?:not working|aren't working|stopped working|don't work|won't work|given up)\b(?! (?:properly|right|very well|as well))`,
        examples: [
          "there's zero coming out anywhere",
          "we turned the taps on and nothing",
          "none of the taps are working",
        ],
      },
      {
        pattern: String.raw`\btaps? ${GAP}(?:nothing|no water) (?:is |'s )?(?:coming|comes|running) out\b|\btaps? (?:have |has |are |is |'s )?(?:all )?(?:run dry|gone dry|dried up|dry)\b`,
        examples: ["the taps have nothing coming out", "all the taps have run dry"],
      },
      {
        pattern:
          String.raw`\btaps?(?:'s)?(?: [a-z']+){0,8}? (?:nothing|not a drop|zero)(?:'s| is)? (?:coming|comes|came|running)(?: out)?\b|` +
          String.raw`\btaps?(?:'s)?(?: [a-z']+){0,6}? (?:splutter|sputter|cough|spit|spitt|hiss|gurgl)(?:e|es|s|ing|ed)?\b(?: [a-z']+){0,5}? (?:air|nothing)\b`,
        examples: [
          "the taps are just spluttering air nothing's coming",
          "the kitchen tap just coughs and splutters and nothing comes out",
        ],
      },
      {
        pattern: String.raw`\b(?:water (?:board|company)|they|the council)(?:'s| has| have)? (?:just |gone and )?cut (?:us|me|our water|the water|my water) off\b|\bcut (?:our|the|my) water off\b|\bwater(?: supply)?(?:'s| has| is)? (?:been |just |completely |totally |suddenly )*(?:cut off|gone off|disappeared|stopped (?:working|coming|running))\b|\bwater(?: supply)?(?:'s| has) been off\b|\bwater(?: supply)?(?:'s| is) (?:completely|totally|all) off\b|\bwater supply(?:'s| has| is)? (?:just |suddenly |completely )?stopped\b|\bwater(?: supply)?(?:'s| has)? (?:just |suddenly |completely )stopped\b(?! (?:leaking|dripping|pouring|coming through))`,
        examples: [
          "the water's been cut off",
          "our water supply has gone off",
          "our water's just stopped",
        ],
      },
    ],
  },
  {
    kind: "no-heating-vulnerable",
    label: "No heating or hot water with someone vulnerable in the house",
    negativeByNature: true,
    safetyAdvice:
      "Please keep them as warm as you can: extra layers and blankets, warm drinks, and everyone in one " +
      "room with the door shut. A plug-in electric heater helps if you have one; keep it clear of bedding " +
      "and curtains. If they become unwell with the cold, call 111, or 999 if it is serious.",
    onlyWith: {
      pattern:
        String.raw`\b(?:elderly|pensioners?|oap|frail|disabled|disability|wheelchair|bed ?bound|house ?bound|vulnerable|(?:had|having|after|recovering from|just out of|out of) (?:an? |his |her |my )?(?:operation|op|surgery|hospital|stroke|heart attack)|care home|nursing home|residents|hospice|sheltered (?:housing|flats?)|cancer|terminally ill|pneumonia|carers?|in a care|on (?:a )?(?:dialysis|oxygen)|poorly|unwell|not (?:very )?well|dementia|alzheimer's|chemo|chemotherapy|oxygen|asthma|asthmatic|copd|bronchitis|breathing problems|lung condition|little (?:boy|girl|one|ones|lad|un)|young (?:kids|children|baby)|heart (?:condition|problems?)|pregnant|newborn|new born|(?:new |little |tiny )?bab(?:y|ies)|infant|toddler|` +
        String.raw`(?:'s|is|aged|she's|he's|they're|turned|i'm|i am|we're|we are) (?:seventy|eighty|ninety|a hundred|[789]\d)\b|(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen) (?:months?|weeks?|days?) old|(?:one|two|three|1|2|3) year old|[789]\d (?:years? old|year old)|in (?:her|his|their) (?:seventies|eighties|nineties|70s|80s|90s)|(?:on (?:her|his) own) (?:and|with|at)|nan|nana|gran|granny|grandma|grandad|grandpa|grandparents?)\b`,
      examples: ["my mum's eighty nine", "we've got a newborn", "my dad's disabled"],
    },
    phrases: [
      {
        pattern:
          String.raw`\b(?:no|without|not got any|haven't got any|haven't got|lost (?:all )?(?:the |our |her |his )?)(?: central)? (?:heating|heat|hot water|warmth)\b|` +
          String.raw`\b(?:heating|central heating|boiler|heat|radiators are|all the radiators)(?:'s| has| have| is| are)? (?:[a-z']+ ){0,5}?` +
          String.raw`(?:(?:showing|flashing|displaying|on|says|come up with|gone into) (?:an? |the )?(?:error|fault|lockout|lock out|red light|[ef] ?\d+)(?: code)?|packed (?:in|up)|died|dead|broken(?! (?:thermostat|valve|tap))|broke|gone off|been off|off|stopped working|not working|isn't working|won't (?:come on|fire|start|work|light|turn on)|given up|conked out|failed|stone cold|cold|freezing)\b`,
        examples: [
          "my mum's eighty nine and the boiler's packed in and it's freezing in her house",
          "we've got a newborn and there's no heating or hot water",
          "my dad's disabled and the heating's been off for two days",
        ],
      },
    ],
  },
];

/**
 * When the signals are partial, the receptionist asks one short question
 * instead of guessing; a yes takes the emergency path of `kind`. A clear
 * emergency never waits for a question: these are only checked when no rule
 * above fired.
 */
export interface SafetyQuestion {
  /** The emergency a yes means. */
  readonly kind: Exclude<EmergencyKind, "custom">;
  /** Read to the caller as it is. */
  readonly question: string;
  /** Why we ask, in the owner's words (docs and the dashboard). */
  readonly reason: string;
  /** Set when the cue itself says what is missing ("no heating", "taps dry"): only a negation before it counts. */
  readonly negativeByNature?: boolean;
  /** Set when someone else's trouble reaches the caller: next door's sewage in their toilet. */
  readonly othersTroubleCounts?: boolean;
  /** A clause saying this asks nothing: rain down the gutters is not the caller's plumbing. */
  readonly unless?: EmergencyPhrase;
  readonly cues: readonly EmergencyPhrase[];
}

export const SAFETY_QUESTIONS: readonly SafetyQuestion[] = [
  {
    kind: "carbon-monoxide",
    question: "Is a carbon monoxide alarm going off?",
    reason: "an alarm is sounding but the caller did not say which",
    cues: [
      {
        pattern: String.raw`\b(?<!(?:smoke|fire|burglar|car|house|intruder|security|door|clock|phone) )(?:alarm|detector|sensor)s?(?:'s)?(?! clock| on (?:my|the|his|her) phone) (?:[a-z']+ ){0,8}?(?:beeping|bleeping|going off|gone off|went off|sounding|ringing|screeching|keeps going|flashing(?! (?:a |an )?(?:code|error|fault|number)\b)(?: red)?|making (?:a |that |this |an? (?:awful|horrible|funny|loud) )?(?:noise|sound|racket|din))\b|\b(?:something|it)(?:'s| is| keeps) (?:beeping|bleeping)\b`,
        examples: ["an alarm is going off in the hall", "there's a detector beeping by the boiler"],
      },
      {
        // An alarm said in other words, or heard as other words ("a lamb", "carbon monkey side").
        pattern: String.raw`\b(?:alarm|detector|sensor|a lamb)s?(?:'s)? (?:[a-z']+ ){0,12}?(?:going mental|going mad|going crazy|going nuts|won't shut up|going continuous|going non ?stop|going and\b|going$)|\b(?:carbon (?:monoxide|monkey ?side|mon oxide)|co)\b (?:[a-z']+ ){0,3}?(?:alarm|a lamb|detector|monitor)s?(?:'s)?(?: [a-z']+){0,3}? (?:going|goes|went|gone)\b|\bcarbon (?:monkey ?side|mon oxide) (?:alarm|a lamb)\b`,
        examples: [
          "the detector thing in the hall won't shut up",
          "carbon monoxide a lamb going off in the kitchen",
        ],
      },
      {
        // Feeling ill (not "sick of") with a gas appliance on, or a flame burning badly.
        pattern: String.raw`\b(?:feel|feels|feeling|felt|all|everyone|everybody|kids|we're|we've been|been)(?: [a-z']+){0,2}? (?:sick|dizzy|headaches?|drowsy|sleepy|nauseous|light ?headed|faint)\b(?! of\b)(?: [a-z']+){0,12}? (?:boiler|gas fire|fire|heater|flame|flames|cooker|stove)\b|\b(?:flame|flames)(?:'s| is| are)? (?:gone |burning |going )?(?:orange|yellow)\b`,
        examples: ["we all feel sick and dizzy and the boiler's making a funny noise"],
      },
    ],
  },
  {
    kind: "gas-smell",
    question: "Can you smell gas right now?",
    reason: "a smell near a gas appliance",
    cues: [
      {
        pattern: String.raw`\b(?:smell|smells|smelling|smelt|whiff|stink|stinks|odour|pong|fumes)\b (?:[a-z']+ ){0,5}?(?:gas|boiler|cooker|hob|oven|meter|gas fire|fire|heater|eggs?|sulphur)\b|\b(?:boiler|cooker|hob|oven|meter|fire|heater)(?:'s)? (?:[a-z']+ ){0,6}?(?:smells?|smelling|stinks?|giving off)\b|\b(?:hob|cooker|oven|meter|gas pipe|gas fire|gas tap)(?:'s| is)? (?:[a-z']+ ){0,2}?hissing\b`,
        examples: ["there's a funny smell coming from the boiler", "the cooker smells a bit odd"],
      },
      {
        // Other words for a smell, and gas heard as "gash" or "guess".
        pattern: String.raw`\b(?:reeks?|reeking|whiffs|whiffing|pongs?|smells? like)\b (?:[a-z']+ ){0,5}?(?:gas|ring|camping stove|calor|stove|eggs?|sulphur)\b|\b(?:meter|cooker|hob|oven|boiler)(?: cupboard)?(?:'s)? (?:reeks?|reeking|pongs?)\b|\bsmell(?:s|ing)? (?:of )?(?:gash|guess|gaz)\b|\b(?:meter|gas|hob|cooker|boiler)\b(?: [a-z']+){0,15}? smell(?:'s| is)? still (?:there|here|about|around)\b|^(?:the |that )?smell(?:'s| is) still (?:there|here)\b`,
        examples: ["the meter cupboard reeks", "i can smell gash in the kitchen"],
      },
    ],
  },
  {
    kind: "sewage-backup",
    question: "Is dirty water or sewage coming up into the house right now?",
    reason: "there is dirty water, or a toilet or drain is bringing things back up",
    // Sewage from next door's pipes comes up in the caller's own home: "it's not ours".
    othersTroubleCounts: true,
    cues: [
      {
        pattern: String.raw`\b(?:dirty|filthy|brown|black|mucky|poo|poop|foul|stinking|smelly|sewer|raw) water\b(?!(?:'s| is)? (?:[a-z']+ ){0,3}?(?:out of|from) (?:the |my |our )?(?:[a-z]+ )?taps?\b)|\b(?:sue itch|soo age|sue age|sewerage)\b|\b(?:toilet|loo|wc|drain|drains|bog)(?:'s| is| are| keeps)? (?:[a-z']+ ){0,2}?(?:bringing (?:[a-z']+ ){0,2}?(?:back )?up|coming back up|erupting|spewing|regurgitating|backing up|bubbling up)\b|\bover the rim\b|\bbacking up into\b|\bsmells? like (?:a )?sewer\b`,
        examples: ["the loo's bringing stuff back up", "there's filthy water in the shower tray"],
      },
    ],
  },
  {
    kind: "burst-pipe",
    question: "Is water coming out right now that you can't stop?",
    reason: "water with a place or a big source, but no sign of how much",
    unless: {
      pattern: String.raw`\b(?:rain|rain's|gutters?|gutter's|guttering|drainpipe|downpipe)\b`,
      examples: ["the rain's pouring down and the gutter's overflowing"],
    },
    cues: [
      {
        pattern: String.raw`\b(?:${V.waterStores}|stopcock|main|mains|pipe|pipes)(?:'s)? ${WIDE_GAP}(?:leaking|leaks|pouring|coming out|spraying|running out|gushing|(?:sprung|sprang|got|developed) a leak)\b|\b(?:won't|will not|wont|can't) stop(?:ping)? (?:it )?leaking\b|\b(?:leak|leaking|drip|dripping|water)(?:'s| is)? (?:[a-z']+ ){0,2}?getting (?:worse|bigger|faster|heavier)\b`,
        examples: [
          "the boiler is leaking",
          "the cylinder's leaking in the airing cupboard",
          "the hot water tank has sprung a leak",
          "it won't stop leaking",
        ],
      },
      {
        pattern: String.raw`\bwater(?:'s)? (?:[a-z0-9']+ ){0,3}?(?:on|all over|across|over|under|through|in|coming out of|coming from|out of) (?:the |my |our )?(?:[a-z]+ )?(?:floor|floors|carpet|carpets|landing|hallway|hall|stairs|walls?|loft|airing cupboard|boiler|cylinder)\b`,
        examples: ["there's water on the kitchen floor", "water's coming out of the boiler"],
      },
      {
        pattern: String.raw`\b(?:emergency|urgent|urgently|asap|help(?! (?:me|us)? ?(?:with|book|arrange|find out))|right now|straight away)\b(?: [a-z']+){0,10}? (?:water|leak|leaking|pipe|flood|flooding)\b|\b(?:water|leak|leaking|pipe)\b(?: [a-z']+){0,10}? (?:emergency|urgent|asap|help|right now|straight away|hurry)\b`,
        examples: [
          "it's an emergency there's water in the kitchen",
          "help there's water coming from somewhere",
        ],
      },
      {
        pattern: String.raw`\bwater(?:'s| is)? (?:[a-z']+ ){0,2}?(?:coming|leaking|pouring|running|seeping) (?:out )?(?:from )?(?:under|behind|beneath|underneath|round|around) (?:the |my |our )?(?:[a-z]+ )?(?:bath|sink|shower|toilet|washing machine|dishwasher|boiler|cylinder|floor|door|units?|cupboard|fridge|radiator)\b`,
        examples: ["water's coming out from under the bath"],
      },
      {
        pattern: String.raw`\b(?:it's|it is|its) (?:going|coming|running|spreading) (?:everywhere|all over)\b|\b(?:it's|it is|its) (?:all )?over (?:the |my |our )?(?:[a-z]+ )?(?:floor|carpet|landing|hall|place|house)\b`,
        examples: ["it's going everywhere"],
      },
      {
        // Water moving hard, however it is said: "blasting out", "dumping water", "going full pelt".
        pattern: String.raw`\b(?:blasting|gushing|spurting|squirting|spraying|pissing|shooting|fountaining|jetting|pumping|dumping|spewing|pelting|cascading|streaming|oozing|seeping|pouring|lapping|pooling)(?: water)? (?:out|everywhere|all over|down|onto|on to|through|from|along|at|into|under|across)\b|\b(?:dripping|pouring|pumping|dumping|spewing|pissing|gushing|hissing) water\b(?! down the wall)|\bgoing full pelt\b|\b(?:jet|spray|stream|fountain)\b (?:[a-z']+ ){0,2}?(?:coming|shooting) out\b|(?<!\b(?:taps?|overflow|overflow pipe|gutter)(?:'s| is)? )\bdripping (?:onto|on to|through|everywhere|all over|every (?:second|few seconds)|constantly|non ?stop|steady|steadily)\b`,
        examples: ["it's blasting out by the toilet", "the combi's dumping water out the bottom"],
      },
      {
        // Wet in an amount or a spread: "all wet from the fridge to the door", "the floor's all water".
        pattern: String.raw`\b(?:all )?wet (?:from|all over|everywhere|right through)\b|\b(?:it's|is|are|'s) all (?:wet|soaked|soaking)\b|\b(?:kitchen|floor|floors|bathroom|hall|hallway|landing|room|carpet|carpets|cellar|basement|lounge|living room|house)(?:'s| is| are)? (?:[a-z']+ ){0,2}?(?:swimming|floating|awash|all water|underwater|under water|covered in water|soaked|sodden|squelching|squelches|flooded)\b|\b(?:it's|is|'s) all (?:it's all )?water\b(?! under the bridge)|\bcovered in water\b|\b(?:a foot|feet|inches|an inch|ankle|knee|(?:\d+|a few|two|three) (?:inches|cm|centimetres|feet))(?: deep)? (?:of )?water\b|\bwater(?:'s| is)? (?:ankle|knee) deep\b`,
        examples: ["the living room floor's all water", "the cellar's got a foot of water in it"],
      },
      {
        // Wet that spreads, rises or outpaces the caller.
        pattern: String.raw`\b(?:wet|water|leak|puddle)\b(?: [a-z']+){0,12}? (?:getting (?:wider|bigger|deeper|higher|worse)|(?:keeps |still |it's )?(?:spreading|rising))\b|\bstill (?:covering|coming|pouring|running|gushing|flooding|squirting|spraying)\b|\bfaster than (?:i|we|they) can\b|\b(?:buckets?|bowls?|saucepans?|pans?|towels?)\b(?: [a-z']+){0,15}? (?:filling up|overflowing|soaked through)\b|\braining (?:indoors|inside|in (?:the|my|our) (?:house|hall|hallway|kitchen|bathroom|bedroom|lounge|landing|living room|flat))\b|\bwet\b(?: [a-z']+){0,10}? coming from\b`,
        examples: [
          "the wet bit's getting wider",
          "it's coming out faster than i can empty the bucket",
        ],
      },
      {
        // Water down a wall or through a ceiling said in other words, a leak with a room, water at the electrics.
        pattern: String.raw`\bwater(?:'s| is)? (?:[a-z']+ ){0,2}?(?:running|trickling|streaming|pouring|coming) (?:down|along|across|through|thru) (?:the )?(?:inside of the )?(?:wall|walls|coving|ceiling|stairs|window|light|lights)\b|\b(?:ceiling|sealing|plaster|plasterboard|artex)(?:'s| is)? (?:[a-z']+ ){0,2}?(?:bowing|sagging|bulging|coming (?:through|down|in)|dripping|soggy|soaked|falling)\b|\bcoming (?:through|thru) (?:the )?(?:artex|plaster|plasterboard|ceiling|sealing|roof)\b|(?<!\btaps?(?:'s| is| are)? )\bleaking (?:in|into|onto|through|all over|everywhere) (?:the |my |our )?(?:kitchen|bathroom|hall|hallway|landing|lounge|bedroom|living room|cupboard|loft|ceiling|floor|house|flat)\b|\bwater (?:in|on|into|near|round|behind) (?:the |my )?(?:fuse|fuses|consumer unit|sockets?|plugs?|light switch|switch|electrics?|wiring|lights?)\b`,
        examples: ["water's running down the inside of the wall", "water in the fuse board"],
      },
      {
        // "Burst" heard as "first", "burster", "berst"; "flooding" as "flaw ding"; a plumbing part that won't stop.
        pattern: String.raw`\bfirst pipe\b|\bpipe(?:'s| has| is)? gone first\b|\b(?:burster|bursed|berst|birst)\b|\bflaw ding\b|\b(?:sink|bath|pipe|pipes|tank|boiler|cylinder|radiator|joint|valve)\b(?: [a-z']+){0,10}? (?:won't|wont|will not) stop\b(?! (?:running|flushing|filling|making|hissing|banging|dripping))`,
        examples: [
          "first pipe in the kitchen",
          "the bit under the sink is burster and it won't stop",
        ],
      },
    ],
  },
  {
    kind: "no-water",
    question: "Have you got no water at all from any of the taps right now?",
    reason: "the taps are said to be dry or dead, or no water is heard as other words",
    negativeByNature: true,
    cues: [
      {
        pattern: String.raw`\b(?:taps|every tap|all (?:the |our )?taps|each tap)(?:'s| are| is| have)? (?:[a-z']+ ){0,2}?(?:dry|bone dry|dead|stopped(?! (?:dripping|leaking|running on)))\b|\bnot a drop (?:at|from|out of) (?:any|the|a|every) taps?\b|\bno (?:wooder|walter|warter|watter|wadder|wata)\b`,
        examples: ["the taps are dry all of them", "every tap's stopped since lunch"],
      },
    ],
  },
  {
    kind: "no-heating-vulnerable",
    question: "Is anyone at home elderly, unwell or very young, and without heating right now?",
    reason: "the heating is off and something says someone is at risk from the cold",
    negativeByNature: true,
    cues: [
      {
        pattern:
          String.raw`\b(?:heating|central heating|boiler|combi|rads|radiators|heat)(?:'s| has| is| are| keeps)? (?:[a-z']+ ){0,3}?(?:gone|locked out|lockout|cutting out|cuts out|won't relight|not working|isn't working|stopped|packed in|packed up|broken|dead|died|off|all cold|stone cold|cold|not coming on|won't come on)\b` +
          String.raw`(?: [a-z']+){0,20}? (?:shivering|pregnant|toddler|bab(?:y|ies)|newborn|cystic fibrosis|hospital|pneumonia|elderly|nan|nana|gran|granny|disabled|poorly|unwell|asthma|dementia|cancer|chemo)\b|` +
          String.raw`\b(?:shivering|pregnant|toddler|bab(?:y|ies)|newborn|cystic fibrosis|hospital|pneumonia|elderly|nan|nana|gran|granny|disabled|poorly|unwell|asthma|dementia|cancer|chemo)(?:'s)?\b(?: [a-z']+){0,20}? (?:heating|central heating|boiler|combi|rads|radiators)(?:'s| has| is| are| keeps)? (?:[a-z']+ ){0,3}?(?:gone|locked out|cutting out|won't relight|not working|isn't working|stopped|packed in|packed up|broken|dead|died|off|cold)\b`,
        examples: [
          "the combi's locked out and i'm eight months pregnant",
          "rads all cold nan's shivering",
        ],
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
    "nothing's",
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
    "make",
    "mop",
    "keep",
    "cope",
    "believe",
    // "left on without lighting": the gas is on, unlit.
    "lighting",
    "lit",
    "igniting",
    // "it hasn't stopped", "it's not slowing down": still going, not denied.
    "stopped",
    "slowing",
    "slowed",
    "easing",
    "eased",
    "letting",
  ],
  /** A negation before one of these words does not reach past it: "they aren't in and water's pouring". */
  negationStopWords: ["and", "so", "because", "cos", "then"],
  /**
   * "no heat, I'm eighty four", "the stop tap does nothing, it's still running": a "no" or
   * "nothing" names one thing, and a new subject after it starts a new statement. (Not after
   * "don't" or "not": "I don't think it's burst" stays a denial.)
   */
  noStopWords: [
    "it's",
    "i'm",
    "i've",
    "we're",
    "we've",
    "she's",
    "he's",
    "they're",
    "my",
    "our",
    "me",
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
    String.raw`\bbefore\b`,
    String.raw`\bmake sure\b|\bprevent\b|\bstop (?:them|it|the [a-z]+) (?:from )?$`,
    String.raw`\bin case\b`,
    String.raw`\bin the event\b`,
    String.raw`\bwhenever\b`,
    String.raw`\bsupposing\b`,
    String.raw`\bwhat (?:happens|to do|do (?:i|you|we) do|should (?:i|we) do) when\b`,
  ],
  /** A modal right before the verb is a worry, not a report: "the pipes could burst in the frost". */
  modalMarkers: [
    String.raw`\b(?:could|might|may|would|will|should|'ll)(?: (?:possibly|easily|well|end up|eventually))? (?:burst|bust|split|flood|freeze|overflow|crack|leak|go|collapse|come down)\b`,
  ],
  /** ...unless the "if" follows uncertainty: "I'm not sure if it's a gas leak" is still an emergency. */
  uncertainIfMarkers: [
    String.raw`\b(?:sure|know|wonder|wondering|check|see|idea|unsure|certain|tell|worried|ask) (?:[a-z']+ )?if\b|\b(?:dangerous|safe|normal|okay|ok|bad|serious) if (?:i|we) (?:can|can still|still) $`,
  ],
  /** A question about what the business does, or how to do something, is not a report. */
  serviceQuestionMarkers: [
    String.raw`\b(?:do|does) (?:you|u|ya|your (?:company|business|team|firm|lads|engineers|plumbers)) (?:[a-z']+ ){0,2}?(?:deal|fix|repair|handle|cover|do|sort|attend|take on|work on|fit|install|test|service|offer|provide|specialise|go out|come out)\b`,
    String.raw`\bare you (?:able|qualified|registered|certified|insured|equipped|trained)\b`,
    String.raw`\bhow (?:do|can|would|should|could|does) (?:i|we|you|one|people|someone)\b`,
    String.raw`\bhow to\b`,
    String.raw`\bhow much\b|\bwhat (?:do|would|does|will) (?:you|it) (?:charge|cost)\b|\b(?:price|cost) of\b`,
    String.raw`\bwhat (?:are|is) the (?:signs?|symptoms?)\b`,
    String.raw`\bis (?:a|an) (?:[a-z']+ ){1,3}?(?:an emergency|urgent|classed)\b`,
  ],
  /**
   * ...unless the caller says it is happening to them: "can you fix my burst
   * pipe", "how do I turn the water off, the pipe has burst".
   */
  specificReferenceMarkers: [
    String.raw`\b(?:don't|do not|dunno|no idea) (?:know )?how to\b`,
    String.raw`\b(?:my|our|mine|ours|i've|we've|i have|we have|there's|there is|right now|at the moment|currently|help)\b`,
    String.raw`\b[a-z]+(?:'s| is| has| have| are) (?:just |now |still )?(?:burst|bust|pouring|gushing|spraying|leaking|dripping|flooding|flooded|overflowing|coming|collapsing|going off|beeping)\b`,
  ],
  /**
   * Historic mentions are not emergencies ("last year I had a burst pipe"):
   * we take the caller at their word that it is over...
   */
  historicMarkers: [
    String.raw`\blast (?:year|month|week|winter|summer|spring|autumn|time|christmas)\b`,
    String.raw`\b(?:years?|months?|weeks?) ago\b|\b(?:a|one|two|three|four|five|six|seven|eight|nine|ten|a few|a couple of|several|\d+) (?:years?|months?|weeks?) back\b`,
    String.raw`\ba (?:while|long time|few (?:years|months|weeks)) (?:ago|back)\b`,
    String.raw`\bback in (?:19|20)\d\d\b`,
    String.raw`\b(?:previously|in the past|used to|once had)\b|\b(?:had|was|were|got)\b(?: [a-z']+){0,5}? once\b(?! (?:more|again)\b)`,
    String.raw`\b(?:in|back in|during) (?:january|february|march|april|may|june|july|august|september|october|november|december)\b`,
  ],
  /**
   * ...unless it is happening again now: "we had a burst pipe last year and it's burst again",
   * "the smell's back", but not "how do we stop it happening again".
   */
  recentMarkers: [
    String.raw`\b(?:again|now|still|right now|at the moment|currently|today|tonight|this (?:morning|afternoon|evening))\b(?<!\b(?:stop|stops|prevent|avoid|never|not|doesn't|don't|won't|make sure) (?:it |that |this |them )?(?:from )?(?:happen|happens|happening) again)(?<!\bthat again)(?<!\b(?:cold|colder|freezing|frosty|icy|snowy|wintry|winter) again)`,
    String.raw`\b(?:is|are|it's|'s|has|have|come|came|coming) back\b(?! (?:to (?:normal|fix|check|do|finish|sort|look)|on\b|out\b|and (?:fix|sort|finish|check)))`,
  ],
  /**
   * The past named only to compare ("burst again like last winter", "same as last year",
   * "like it did in March"): the problem is now, so it does not make the clause history.
   */
  comparisonMarkers: [
    String.raw`\b(?:just |exactly )?(?:like|same as|as|the same way as|worse than) (?:it did |it was |we had |we had it |what happened |happened |the (?:one|time|leak|burst|flood) (?:we had )?)?(?:back )?(?:in )?(?:last (?:year|month|week|winter|summer|spring|autumn|time|christmas)|(?:a )?(?:years?|months?|weeks?|few (?:years|months|weeks)) ago|(?:january|february|march|april|may|june|july|august|september|october|november|december)|before)\b`,
  ],
  /**
   * A problem the caller says is over: "my neighbour fixed the burst pipe",
   * "it was pouring through the ceiling but the roofer's sorted it". It raises
   * no alarm, and the rest of what the caller wants (often a cancellation) is
   * still heard. Looked for in the clause of the match and the two after it.
   */
  resolvedMarkers: [
    String.raw`(?:\b(?:been|got|was|were|is|are|it's|that's|all|now|finally|already)|[a-z]'s) (?:all |now |been |properly |already )*(?:fixed|sorted|repaired|mended|cleared|resolved|capped off|capped|patched up|unblocked|sealed|soldered|dealt with)(?: now)?\b`,
    String.raw`\b(?:sorted|fixed|cleared|stopped|unblocked|sealed|dried) (?:itself|themselves|by itself|on its own)\b`,
    String.raw`\b(?:mopped|cleaned|cleared|dried|wiped|soaked) (?:it |them |that |everything |the [a-z]+ )?up\b`,
    String.raw`\b(?:fixed|sorted|repaired|mended|cleared|tightened|capped|patched|unblocked|soldered|sealed|welded|clamped|replaced|dealt with|seen to|taken care of) (?:it|them|that|the|this|our|my)\b(?! (?:for me|please|today)\b)(?! now (?:it's|it is|its|there's|there is|water|the water)\b)`,
    String.raw`\b(?:fixed|sorted|repaired|mended|cleared|capped|patched|unblocked|soldered|sealed|replaced|dealt with|seen to|taken care of)(?: up| off| out)? by (?:my|our|the|a|his|her|their|next door|someone|somebody)\b`,
    String.raw`\b(?:it|water|leak|leaking|dripping|flood|flooding|pouring|gushing|that|everything|smell|toilet|drain|ceiling)(?:'s| has| have| is)? (?:now |finally |just |all |completely |totally )*stopped (?:leaking|dripping|pouring|gushing|overflowing|flooding|spraying|coming (?:through|in|down)(?: (?:the |my |our )?(?:[a-z]+ )?(?:ceiling|roof|walls?|floor|lights?))?|backing up|smelling|going off|beeping)\b`,
    String.raw`\b(?:everything|all|it)(?:'s| is) (?:fine|ok|okay|good|sorted|dry|back to normal) (?:again|now)\b|\bturned out (?:to be )?(?:nothing|fine|ok|okay|(?:just |only )?the (?:hob|cooker|oven|bins?|drains?))\b`,
    String.raw`\b(?:smell|leak|drip|flood|flooding)(?:'s| has| is)? (?:all |now |completely )?(?:gone|disappeared|cleared|stopped)(?: away)?\b`,
    String.raw`\b(?:husband|wife|partner|neighbou?r|dad|son|brother|landlord|plumber|engineer|roofer|friend|mate|he|she|they|we|i)(?:'s| has| have| had)? (?:already |just |since |now )?(?:fixed|sorted|repaired|mended|unblocked|capped|sealed|soldered)\b`,
    String.raw`\b(?:fine|ok|okay|all good|back on|back to normal|over|dry|all dry|dried|dried out) now\b|\bit's (?:fine|over|all fine)\b(?! (?:the|my|our|a|everything|everywhere|all|into|onto|to)\b)|\bdried (?:out|up)\b`,
    String.raw`\bno longer (?:leaking|dripping|flooding|coming|pouring|smell)\b|\b(?:stopped|stopped leaking|stopped dripping) now\b|\band it's stopped\b`,
    String.raw`\b(?:plumber|engineer|someone|he|she|they|my husband|my son|the landlord)(?:'s| is| are)? (?:here|round|on (?:it|site)|already here|with us) (?:now )?(?:fixing|sorting|dealing with|repairing|capping|seeing to) (?:it|that|them)\b|\b(?:being|getting) (?:fixed|sorted|dealt with|repaired) (?:now|as we speak|right now)\b`,
    String.raw`\b(?:engineer|plumber|gas man|gas board|water board|water company|roofer)(?:'s| has) (?:been|come|fixed|sorted)\b`,
    String.raw`\b(?:said|says|told us|told me) (?:it was|it's|it is|everything's|everything is|everything was) (?:fine|ok|okay|safe|all right|nothing)\b`,
  ],
  /**
   * Words that run on from a resolution ("all cleared up now", "capped it off") and are
   * part of it, not a sign the problem is still going on.
   */
  resolvedRunOn: String.raw`(?: (?:up|off|out|down))?(?: (?:now|already|thank god|thankfully)(?! (?:it's|it is|its|there's|there is|it has|it keeps|water|water's|the water)\b))?`,
  /** ...unless it is still going on: "they fixed it but it's leaking again" (or "now", outside the resolution). */
  stillMarkers: [
    String.raw`\b(?:still|again|keeps|won't stop|not stopping|getting worse|started again)\b`,
    // "now" outside the resolution's own words; a time of day ("this morning") only says when it started.
    String.raw`\b(?:right now|at the moment|currently)\b|\bnow (?:it's|it is|its|there's|there is|it has|it keeps|water|water's|the water)\b|\b(?:leaking|dripping|pouring|gushing|coming|flooding|overflowing|spraying|running|burst|bust)\b(?: [a-z']+){0,5} now\b`,
  ],
  /** Things that burst or flood that are not plumbing: "my tyre's burst", "flooded with work". */
  notPlumbingMarkers: [
    String.raw`\b(?:tyres?|tires?|(?<!\blike (?:a |an )?(?:[a-z]+ )?)balloons?|soap bubbles|bubble wrap|pond|ponds|blisters?|bin bags?|river|banks|appendix|ear ?drums?|bubble bath|into tears|laughing)\b`,
    String.raw`\b(?:flooded|flooding|swamped)(?: out)? with (?:[a-z]+ )?(?:work|calls|orders|jobs|emails|requests|enquiries|people|messages|texts|complaints|applications|post|mail|spam|adverts|bookings)\b`,
    String.raw`\b(?:flood|flooding|flooded)(?: [a-z']+){0,2}? (?:on|in|down|along|across) (?:the )?(?:main |high )?(?:road|roads|street|lane|motorway|underpass|field|fields|park)\b`,
    // A spill: "the dog's knocked his water bowl all over the floor".
    String.raw`\b(?:spilt|spilled|knocked|tipped|dropped|kicked)(?: over)? (?:his|her|the|my|a|its|their|our) (?:[a-z]+ )?(?:water bowl|drink|glass|cup|mug|vase|kettle|bowl|paddling pool|bottle)\b`,
  ],
  /**
   * Someone else's problem, or one seen on television: "my friend's kitchen flooded", "my
   * neighbour's had a burst pipe", "on the telly a house flooded", "watching a programme and
   * their ceiling came down". A tenant's, a parent's or the caller's own premises are not here.
   */
  otherPartyMarkers: [
    String.raw`\b(?:my|our|a|his|her|their|the|me|your)(?: best| old| good| work)? (?:friend|mate|pal|colleague|workmate|neighbou?r)(?:s'|'s|s)?(?: (?:has|had|have|got|just had)\b|(?:'s|s'|s)? (?:[a-z]+ )?(?:house|flat|place|home|kitchen|bathroom|ceiling|loft|cellar|basement|garage|pipes?|boiler|toilet|tank|shop|office|bungalow|cottage)\b)`,
    String.raw`\b(?:my|our|a|his|her|their|the|me|your)(?: best| old| good| work)? (?:friend|mate|pal|colleague|workmate|neighbou?r)s? (?:says?|said|told (?:me|us)|reckons?|thinks?|rang|called|texted)(?: (?:me|us))?(?: (?:that|to say))? (?:she|he|they|there's|her|his|their)\b|\bnot (?:mine|ours|in (?:my|our) (?:house|flat|place))\b`,
    String.raw`\b(?:the )?(?:last|previous|old|former) (?:owners?|tenants?|people|occupants?)\b|\bthe people (?:before us|who lived here)\b`,
    String.raw`\b(?:lady|man|woman|fella|bloke|couple|family|people|chap|gentleman|guy)(?: [a-z]+)? (?:across the road|over the road|opposite|across the street|over the way|down the road|up the road)\b`,
    // A relative or friend abroad: "my sister in australia's had her house flooded".
    String.raw`\b(?:sister|brother|cousin|aunt|auntie|uncle|son|daughter|mum|dad|mother|father|friend|parents|family) (?:in|out in|over in|who lives in|living in) (?:australia|america|the states|canada|spain|france|portugal|new zealand|ireland|germany|dubai|abroad|india|pakistan|poland)\b`,
    String.raw`\bon (?:the )?(?:telly|tv|television|news|radio|internet|youtube|facebook|tiktok)\b|\b(?:programme|documentary|tv show|telly show|episode|soap|movie)\b|\bwatching\b(?: [a-z']+){1,6}? (?:and|where|when) (?:their|this|these|some)\b`,
  ],
  /**
   * ...unless it reaches the caller ("it's coming through our ceiling", "into ours") or the
   * caller is the one who has it, in the words just before the match ("and we've got no water").
   */
  ownPlaceMarkers: [
    String.raw`\b(?:into|through|onto|on to|in to|to|under|down|from|over|in|out of) (?:(?:to|into) )?(?:ours|mine|us|our|my)\b(?! (?:friend|friends|friend's|mate|mate's|pal|neighbou?r|neighbou?rs|neighbou?r's)\b)|(?<!\bnot (?:in )?)\b(?:ours|mine)\b`,
  ],
  /** How many words before a match say whose problem it is. */
  ownerWindowWords: 3,
  /** The caller or their household, said just before a match. */
  ownerWords: ["i", "i've", "i'm", "i'd", "we", "we've", "we're", "we'd", "us", "our", "my", "me"],
  /**
   * Someone else's problem told to ask about one's own: "my neighbour had a burst pipe, can you check
   * mine"; a burst in the street given as the reason to move a visit.
   */
  elsewhereMarkers: [
    String.raw`\b(?:in|on|down|up) (?:our|the) (?:street|road|lane|close|avenue)\b.*\b(?:(?:road|it)(?:'s| is| has been)? (?:shut|closed|dug up|blocked)|roadworks|instead|another day|a different day|(?:move|moving|change|changing|reschedule|rearrange|postpone|push back|put off|cancel)\b)`,
    String.raw`\b(?:check|look at|inspect|test|lag|protect) (?:mine|ours|my own|our own)\b|\bsame (?:thing )?(?:doesn't|does not|won't|will not) happen to (?:me|us)\b`,
  ],
  /**
   * The emergency named only as the subject of paperwork or a booking: "the flood damage survey",
   * "the burst pipe invoice", "the flood job he quoted for", "you were booked for the burst pipe".
   */
  paperworkMarkers: [
    String.raw`\b(?:flood|flooding|burst pipe|burst|leak|gas leak|sewage)(?: damage)? (?:survey|report|insurance|claim|invoice|bill|quote|job|booking|appointment|paperwork|certificate)\b`,
    String.raw`\b(?:booked|quoted|invoiced|billed|charged) (?:you |us |me |him |her )?(?:in )?(?:for|about) (?:the|my|our|that) |\b(?:you|he|she|they) quoted (?:for|on)\b|\bquoted for$`,
  ],
  /** An alarm chirping for a battery is a fault to fix, not carbon monoxide ("not the battery one" is no fault). */
  deviceFaultMarkers: [
    String.raw`\b(?:(?<!\bnot (?:the |a |my )?)batter(?:y|ies)|chirp(?:s|ing)?|low battery|needs? (?:a new one|replacing|changing)|expired|end of life)\b`,
  ],
  /** Small amounts: these keep a partial signal from becoming a safety question. */
  diminishers: [
    String.raw`\b(?:a bit|a little|little bit|slightly|slight|tiny|small|slow|slowly|weeping|damp|condensation|a few drops|drip by drip|now and then|every so often)\b`,
  ],
} as const;
