import {
  assessEmergency,
  EmergencyDetection,
  SafetyCheck,
} from "../emergency/emergency.classifier";
import { EMERGENCY_CONTEXT_RULES } from "../emergency/emergency-rules";
import { canonicaliseKeyTerms } from "./key-terms";
import { PROBLEM_WORDS } from "./plumbing-vocabulary";
import { normaliseUtterance } from "./text-normaliser";

export const INTENTS = [
  "book",
  "reschedule",
  "cancel",
  "question",
  "emergency",
  "human",
  "callback",
  "greeting",
  "repeat",
  "unknown",
] as const;
export type Intent = (typeof INTENTS)[number];

export interface ClassifiedUtterance {
  intent: Intent;
  emergency: EmergencyDetection | null;
  /** Set when the signals are partial: ask this before treating the call as an emergency. */
  safetyCheck: SafetyCheck | null;
}

export interface ClassifyOptions {
  /** The business's own emergency phrases (Business.emergency.extraPhrases). */
  extraEmergencyPhrases?: readonly string[];
  /** The owner's name, so "is Dave there" is a request for a person. */
  ownerName?: string;
}

const re = (source: string): RegExp => new RegExp(source);

/** Days of the month in words: "the sixteenth", "the twenty first". */
const ORDINAL_DAY = String.raw`(?:(?:twenty|thirty) )?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)`;
const DAY = String.raw`(?:(?:next |this |on )(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|wed|thurs|fri|sat|sun|weekend|tomorrow|today|tonight|next week|this week|the week after|the (?:\d{1,2}(?:st|nd|rd|th)?|${ORDINAL_DAY})|\d{1,2}(?:st|nd|rd|th)?)`;
const TIME_WORD = String.raw`(?:${DAY}|morning|afternoon|evening|lunchtime|later|earlier|\d{1,2}(?: ?(?:am|pm|o'clock|thirty))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|midday|then|that time|that day|another (?:day|time)|end of the (?:week|month))`;
const BOOKING = String.raw`(?:appointment|booking|visit|slot|job|service|plumber|engineer|callout|call out|quote visit)`;

/** Greetings with nothing else: the caller is checking someone is there. */
const GREETING = re(
  String.raw`^(?:(?:yeah|yes|oh|er|erm|um)\s+)*(?:hi|hello|hiya|hey|hey up|alright|ello|good (?:morning|afternoon|evening)|morning|afternoon|evening)(?:\s+(?:hi|hello|hiya|hey|there|yeah|yes|oh|er|um|again|mate|love|good (?:morning|afternoon|evening)|morning|afternoon|evening|to you))*\s*(?:(?:is (?:that|this)|am i through to) .{1,40}|can you hear me|who'?s this|who is this|who am i speaking to|anyone there|is anyone there|(?:are )?you (?:alright|ok|okay)|how are you(?: doing| today)?|how you doing|how's it going)?\??$`,
);
/** "What?", "pardon": say the last thing again, it is not a failed turn. */
const REPEAT = [
  re(
    String.raw`^(?:(?:er|um|oh|ay|eh|ah|sorry)\s+)*(?:sorry|eh|what|pardon|you what|come again|huh|what(?:'s| was| is) (?:that|it)(?: you (?:just )?said| again)?)(?:\s+(?:sorry|eh|what|pardon|love|mate|me|again|please|then))*\??$`,
  ),
  re(
    String.raw`\b(?:say|read) (?:that|it|this) (?:again|back)|\brepeat (?:that|it|yourself|the question|what you said)\b|\b(?:didn't|did not|couldn't|could not|can't) (?:catch|hear|understand|get) (?:that|you|it|what you said)\b|\bwhat did you (?:say|just say)\b|\bsay again\b|\b(?:you're|you are|it's|you keep|the line's|the line is) (?:breaking up|cutting out)\b|\b(?:bad|terrible|awful) (?:line|signal|reception)\b|\b(?:line|signal|reception)(?:'s| is) (?:bad|terrible|awful|rubbish|poor|crackly)\b|\b(?:speak|talk) (?:up|louder|more slowly|slower)\b`,
  ),
];

/** "I want a human": the caller must always be able to get out of the machine. */
const HUMAN = [
  re(
    String.raw`\b(?:speak|talk|chat|put me through|transfer me|connect me|through|have a word|pass me|put me) (?:to|with|over to) (?:a |an |the |your |someone |somebody |one of (?:the|your) )?(?:real |actual |live )?(?:human|person|people|someone|somebody|owner|manager|boss|plumber|engineer|member of staff|staff|receptionist|operator|agent|representative|man|woman|guy|bloke|him|her)\b`,
  ),
  re(String.raw`\b(?:real|actual|live|proper) (?:person|human|people|someone)\b|\bsomeone real\b`),
  re(
    String.raw`\bget hold of (?:someone|somebody|a person|a human|the owner|the boss|anyone|anybody|the office)\b`,
  ),
  re(String.raw`\b(?:operator|agent|representative|human being|customer service)\b`),
  re(
    String.raw`\bis there (?:a |an )?(?:real |actual |live |proper )?(?:human|person|man|woman|lady|bloke)\b|\b(?:human|person|people|man|woman|someone|somebody|anyone|anybody)(?: (?:there|here|in))? (?:i|we) (?:can|could) (?:talk|speak|chat)\b`,
  ),
  re(String.raw`^(?:a )?(?:human|person|someone)(?: please)?$`),
  re(String.raw`\b(?:put me through|transfer me|connect me)\b`),
  re(
    String.raw`\b(?:not|don't want to talk to|not talking to|hate) (?:a |an |to a )?(?:robot|machine|computer|bot)\b|\bare you a (?:robot|machine|computer|bot)\b`,
  ),
  re(
    String.raw`\b(?:anyone|anybody|someone|somebody) (?:i can |to |who can |there i can )?(?:actually )?(?:talk|speak) (?:to|with)\b|\b(?:someone|somebody|whoever(?:'s| is)?) in (?:charge|the office)\b|\bget me (?:a |an )?(?:person|human|someone|somebody)\b`,
  ),
];

/** A named person: the owner's own name is known; "speak to Sarah" names anyone. */
function asksForNamedPerson(text: string, ownerName: string | undefined): boolean {
  if (/\b(?:speak|talk) (?:to|with) (?!you\b|them\b|it\b|the (?:machine|robot))[a-z]+\b/.test(text))
    return true;
  // "is the owner around": a role.
  if (
    /^is (?:the |your )?(?:owner|boss|manager|gaffer|governor|guvnor|plumber|engineer|office) (?:there|about|around|in|available)\b/.test(
      text,
    )
  )
    return true;
  // "is Sarah there": any one name.
  if (
    /^is (?!it\b|this\b|that\b|there\b|anyone\b|anybody\b|someone\b|everything\b)[a-z]+ (?:there|about|around|in|available)$/.test(
      text,
    )
  )
    return true;
  const name = ownerName?.trim().toLowerCase().split(/\s+/)[0];
  if (!name || !/^[a-z]+$/.test(name)) return false;
  return new RegExp(
    String.raw`^(?:is |can i (?:speak|talk) to |could (?:you|i) get |get |can (?:i|you) get |is that |put |pass me to |can i have )${name}\b|\b${name} (?:there|about|around|in|available|please)\b|\b(?:with|to|for) ${name}(?: please| for me)?$|\bget ${name} for me\b|\bget hold of ${name}\b`,
  ).test(text);
}

/** "Ring me back", "take a message": the caller wants a call later, not a transfer now. */
const CALLBACK = [
  re(
    String.raw`\b(?:ring|call|phone|bell|buzz|text) (?:me|us) (?:back|later|tomorrow|when|on|after|about|this|tonight|in|at)\b|\b(?:ring|call|phone|bell) (?:me|us)$`,
  ),
  re(String.raw`\b(?:give|gimme) (?:me|us) a (?:ring|call|bell|buzz|phone)\b`),
  re(String.raw`\bcall ?backs?\b|\bring ?back\b|\b(?:ring|call|phone)(?:ed|s)? (?:me |us )?back\b`),
  re(
    String.raw`\bget back to (?:me|us)\b|\bwait (?:for|on) (?:a |your |the )?(?:call|ring|phone call|call back)\b`,
  ),
  re(String.raw`\b(?:leave|take|pass on|pass) (?:a |him a |her a )?message\b`),
];

const CANCEL = [
  re(String.raw`\bcancel\b`),
  re(
    String.raw`\b(?:don't|do not|no longer|won't|will not|not) (?:need|want|require) (?:you|the (?:plumber|visit|appointment|booking|engineer|service)|anyone|someone|somebody|an engineer|it|the job|that)(?: to come)?(?: (?:out|round))?(?: (?:any ?more|after all|now))?\b`,
  ),
  re(
    String.raw`\b(?:won't|will not|wont|not) be needing\b|\b(?:no longer|not|isn't|is not|aren't) (?:needed|required)\b`,
  ),
  re(
    String.raw`\bcall (?:it|that|the (?:visit|appointment|booking|job)|off)\b(?: [a-z']+){0,3}? ?off\b|\bcall off\b`,
  ),
  re(
    String.raw`\b(?:scrap|ditch|bin) it\b|\b(?:scrap|drop|ditch|forget|bin) (?:the |my |our |that |this |[a-z]+day's |tomorrow's |today's )(?:[a-z']+ )?${BOOKING}\b`,
  ),
  re(String.raw`\bdon't (?:bother|worry about) (?:coming|sending|with|about)\b|\bdon't bother$`),
  re(
    String.raw`\b(?:don't|do not|no need to) (?:come|send (?:anyone|someone|somebody|the [a-z]+))(?: (?:out|round|over))?(?: (?:${DAY}|any ?more|now|after all|then))*(?: (?:please|thanks|thank you|mate|love))?$`,
  ),
  re(
    String.raw`\bno need (?:to come|for (?:the|a|you|anyone|someone)|for anyone|now|any ?more|to send|to bother)\b`,
  ),
  re(
    String.raw`\b(?:you |they |he |anyone |someone )?(?:don't|do not|won't|will not|no longer) need to (?:come|send|bother|pop|call|visit|attend|turn up)\b`,
  ),
  re(
    String.raw`\b(?:don't|do not) have to come\b|\b(?:take|strike|cross) (?:me|us|it|that|[a-z]+day) off\b`,
  ),
  re(String.raw`\bknock (?:it|the [a-z]+|that) on the head\b`),
  re(
    String.raw`\b(?:forget about|never mind|scratch) (?:the |my |our |that |this |[a-z]+day's |tomorrow's |today's )?(?:[a-z']+ )?(?:${BOOKING}|${DAY})\b|\bforget (?:${DAY})\b`,
  ),
  re(String.raw`\bcall (?:[a-z']+ ){1,3}off\b`),
  re(
    String.raw`\bgive it a miss\b|\b(?:won't|will not|not)(?: to)? (?:be )?go(?:ing)? ahead\b|\bhold off\b|\bleave it (?:for now|then)\b`,
  ),
  re(String.raw`\b(?:sorted|fixed) it (?:myself|ourselves)\b`),
];

const RESCHEDULE = [
  re(
    String.raw`\b(?:reschedule|re ?book|re ?arrange|postpone|(?:push|put|knock|move)(?:ing)? (?:(?:it|that|this|me|us|my|the|our|[a-z]+day's|tomorrow's) )?(?:[a-z]+ )?back(?! (?:on|in|together|up|where|of|door|garden|bedroom|wall|pipe)\b)|put (?:it|that|me|us|the [a-z]+|my [a-z]+) off|bring(?:ing)? (?:(?:it|that|this|my|the|our|[a-z]+day's|tomorrow's) )?(?:[a-z]+ )?forward)\b`,
  ),
  re(
    String.raw`\b(?:move|moving|change|changing|switch|switching|swap|swapping|shift|shifting|rearrange|rearranging) (?:my|the|our|that|this|your|[a-z]+day's|tomorrow's|today's|next week's|the [a-z]+day) (?:(?:${DAY}|morning|afternoon|evening|boiler|gas|plumbing|plumber's|engineer's) )?(?:appointment|booking|visit|time|date|day|slot|boiler service|service|job)\b|\b(?:move|change|shift|rearrange) (?:[a-z]+day's|tomorrow's|today's)\b`,
  ),
  re(
    String.raw`\b(?:move|change|shift|switch|swap) (?:it|that|this|the (?:appointment|booking|visit|slot|job|service|day|time|date))\b(?: [a-z']+){0,5}? (?:to|till|until|for|on) (?:the |a )?(?:${DAY})\b`,
  ),
  re(String.raw`\bchange (?:the |my )?(?:time|date|day)\b`),
  re(
    String.raw`\b(?:move|change|shift|switch|swap|put|make) (?:it|that|this|the [a-z]+|${DAY})(?: [a-z']+){0,2}? (?:to|till|until|for) (?:the |a )?(?:following |next |other )?(?:${TIME_WORD})\b`,
  ),
  re(String.raw`\bchange it\b.*\b(?:time|day|date)\b|\b(?:time|day|date)\b.*\bchange it\b`),
  re(String.raw`\bmake it (?:the |a )?(?:${TIME_WORD})\b`),
  re(String.raw`\bswap to\b|\bshift it\b|\bmove it\b`),
  re(
    String.raw`\b(?:can't|cannot|can not|won't be able to|unable to|won't|will not) (?:make|do|be (?:in|there|home|at home|around|about|available|free)) (?:it|that|on |monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|the appointment|then|that time|that day|the morning|the afternoon)`,
  ),
  re(String.raw`\b(?:another|a different|a later|an earlier|a new) (?:day|time|date|slot)\b`),
  re(String.raw`\ba (?:day|week|couple of days|few days|bit|hour) (?:earlier|later)\b`),
  re(String.raw`\binstead\b`),
  re(
    String.raw`\b(?:${DAY}|slot|time|appointment|booking|date|visit)\b.*\b(?:doesn't|does not|won't|will not|no longer|isn't going to|not going to) (?:work|suit)\b`,
  ),
  re(String.raw`\brather than (?:the )?(?:${TIME_WORD})\b`),
  re(
    String.raw`\b(?:i've|i|we|we've|you've|i'm|we're|i am|we are|you have) (?:got you |got )?booked\b.*\b(?:can|could|would) (?:we|you|it|he|she|they|the [a-z]+|your [a-z]+) (?:do|be|make it|have|come|change|move|go)\b`,
  ),
  re(
    String.raw`\b(?:appointment|booking|visit|booked)\b.*\b(?:can|could) (?:it|we|that|you) (?:be |do it |make it |come |move it )?(?:a (?:bit|little|day|week|few days) )?(?:later|earlier|sooner)\b`,
  ),
];
/** "instead" moves a booking only when a time is in play: "a shower instead of a bath" is a new job. */
const INSTEAD_WITH_TIME = re(
  String.raw`\b${TIME_WORD}\b(?:.*\binstead\b)|\binstead\b.*\b${TIME_WORD}\b|\binstead of\b.*\b(?:${TIME_WORD})\b`,
);
/** "Cancel, not move it": a refused reschedule is not a reschedule. */
const NOT_RESCHEDULE = re(String.raw`\bnot (?:move|moving|reschedule|rebook|change)\b`);

/** Questions about the business, answered from its profile rather than by booking. */
const QUESTION = [
  re(
    String.raw`\b(?:opening|office|business|working) hours\b|\bwhat time do you (?:open|close|shut|finish|start)\b|\b(?:are|when are|when're) you open\b|\bhow late are you\b`,
  ),
  re(
    String.raw`\bhow much\b|\bwhat (?:do|would|does) (?:you|it) (?:charge|cost)\b|\b(?:price|prices|pricing|cost|costs|rates?|call ?out (?:fee|charge)|charges?|fees?|vat|bill|cheapest)\b`,
  ),
  re(
    String.raw`\bdo (?:you|ya|your (?:company|business|firm|team|lads|engineers|plumbers))(?: (?:lot|guys|lads|also|ever|still|even|normally|usually))? (?:cover|serve|work in|work around|come to|come out to|come out as far as|come out|go to|go out to|travel to|work|do|deal with|fix|offer|take|accept|have|provide|install|fit|repair|replace|service|give|charge|unblock|clear|clean|descale|flush|sort|supply|sell|test)\b`,
  ),
  re(
    String.raw`\b(?:are|is) (?:your|the) (?:[a-z]+ )?(?:engineers?|plumbers?|lads|guys|staff|team|fitters?|men|people|workers|company|firm|business)(?: all)? (?:gas safe|registered|qualified|insured|certified|accredited|vetted|dbs checked|trained|licensed|local)\b`,
  ),
  re(
    String.raw`\bare you (?:gas safe|registered|qualified|insured|certified|accredited|open|local|based|a real|available|on|the)\b`,
  ),
  re(
    String.raw`\bwhere are you\b|\bwhere(?:'s| is| are) (?:your|my|our|the)\b|\bwhat areas?\b|\bwhich areas?\b|\bwhat brands?\b`,
  ),
  re(String.raw`\bcan (?:i|we) pay\b|\b(?:card|cash|bank transfer|invoice)\b.*\?$`),
  re(String.raw`\bhow (?:soon|long|quickly|quick|fast)\b|\bis the call ?out\b|\bcan you tell me\b`),
  re(
    String.raw`\bis (?:that|this|it) (?:normal|ok|okay|safe|right|usual|dangerous|a problem|something to worry about|worth)\b|\bshould i be worried\b|\bwhat(?:'s| is) the best\b|\bwhat (?:would|do) you (?:recommend|suggest|advise)\b|\bwhich (?:is|would be) (?:the )?best\b`,
  ),
  re(
    String.raw`\byou (?:don't|do not|wouldn't|won't|can't) (?:do|cover|fix|offer|deal with|come out to|go to|work on|take)\b.*\b(?:do|would|will|can) you\b`,
  ),
  re(String.raw`\b(?:invoice|receipt)\b`),
];

/** An explicit request to book, or for someone to come out. */
const BOOK_REQUEST = [
  re(String.raw`\b(?:book|booking|appointment|make an appointment|arrange a visit)\b`),
  re(
    String.raw`\b(?:have you got|do you have|got) (?:anything|any (?:slots?|space|availability|time|appointments?)|a slot|space)\b|\bwhen(?:'s| is) (?:your|the) (?:next|first|earliest) (?:free |available )?(?:slot|appointment|availability|time)\b`,
  ),
  re(
    String.raw`\b(?:need|want|looking for|after|get|send|find) (?:a |an |some )?(?:plumber|engineer|heating engineer|gas engineer|tradesman|someone|somebody|quote|estimate|service|repair|visit|callout|call out)\b`,
  ),
  re(
    String.raw`\b(?:someone|somebody|you|a plumber|an engineer) (?:to )?(?:come|pop|call) (?:out|round|over|and|by|to)\b|\bcome (?:out|round|over) and\b|\bcan you come\b`,
  ),
  re(
    String.raw`\b(?:can|could|would|will) (?:you|someone|somebody|anyone|a plumber|an engineer|one of (?:your|the) [a-z]+) (?:still |please |just |possibly )?(?:come|pop)\b|\b(?:anyone|anybody|someone|somebody)(?: who| that)? (?:can|could) (?:come|pop)\b|\b(?:someone|somebody|you|a plumber|an engineer) (?:to )?(?:come|pop)(?: (?:out|round|over|by))? (?:and )?(?:have|take|look|check|see)\b`,
  ),
  re(
    String.raw`\b(?:need|want|like) (?:someone|somebody|you|a plumber|an engineer)? ?(?:to )?(?:fix|repair|unblock|look at|check|service|sort|replace|install|fit|take a look)\b`,
  ),
  re(
    String.raw`\b(?:can|could|would) (?:you|someone|somebody) (?:please )?(?:fix|repair|unblock|look at|check|service|sort out|replace|install|fit|take a look|have a look|reseal)\b`,
  ),
  re(
    String.raw`\b(?:need|want|like|get) (?:the |my |our |a |an |it |them |some )?(?:[a-z]+ ){0,3}?(?:looked at|checked|fixed|replaced|seen to|sorted|serviced|fitted|fitting|doing|done|moved|redone|lagged|insulated|installed|refitted|re fitted|resealed|re sealed|replumbed|re plumbed|re done|camera'd|cctv'd|surveyed|jetted|rodded|cleaned|descaled|flushed|power flushed|tested|inspected|unblocked|bled)\b`,
  ),
];

const QUESTION_OPENER = re(
  String.raw`^(?:what|when|where|which|who|how|why|do you|does|are you|is it|is there|is a|is an|should i|should we|can you tell|could you tell|i was wondering|just wondering|quick question)\b`,
);
/** Asking what to do in a situation, not reporting one. */
const ADVICE_QUESTION = re(
  String.raw`^(?:what (?:should|do|would|happens|can)|should (?:i|we)|is (?:a|an|it) |if\b)|\bshould (?:i|we)\b|\bwhat (?:do|should|can) (?:i|we) do\b`,
);

/**
 * A problem the caller says is already over ("it's all been fixed now") is
 * context, not a job: without a request alongside it there is nothing to book.
 */
const RESOLVED_ONLY = re(
  [
    ...EMERGENCY_CONTEXT_RULES.resolvedMarkers,
    String.raw`\bit's stopped\b|'s been out\b|\bemergency's over\b|\bany more the\b`,
  ].join("|"),
);

/** An alarm that chirps for its battery: the caller is asking what to do about it. */
const ALARM = re(String.raw`\b(?:alarm|detector|sensor|monitor)s?\b`);
const DEVICE_FAULT = re(EMERGENCY_CONTEXT_RULES.deviceFaultMarkers.join("|"));

/** A question with nothing to do with the business ("what time's the match on") is not one for us. */
const ABOUT_US = re(
  String.raw`\b(?:you|your|yours|u|ya|i|i'm|my|we|we're|our|us|me|it|its|it's|this|that|plumb\w*|gas|water|heating|boiler|appointment|booking|slot|visit|engineer|service|price|cost|charge|quote|open|hours)\b`,
);

/** What a fixed problem leaves behind is a job: "a damp patch from an old leak that's dried out". */
const AFTERMATH = re(String.raw`\b(?:damp|stains?|patch|damage|damaged|marks?|mould|mold)\b`);

/**
 * A caller's surname that is also a money word ("Janet Price", "Mr Cost") is a name, not
 * a question about prices: masked before the question patterns run.
 */
const MONEY_WORD_NAME = re(
  String.raw`\b(?:(?:my )?name(?:'s| is)|it's|this is|i'm|i am) (?!(?:the|a|an|your|that|this|my|our|just|only|about|what|how) )(?:[a-z']+ )?(?:price|cost|bill|rate|fee|charge|pound|penny)s?\b(?= (?:from|at|here|speaking|calling|on|and|i|i'm|i've|my|we|in|\d)|$)|\b(?:mr|mrs|ms|miss|dr) (?:price|cost|bill|rate|fee|charge|pound|penny)s?\b`,
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

function wantsReschedule(text: string): boolean {
  if (NOT_RESCHEDULE.test(text)) return false;
  return RESCHEDULE.some(
    (p) => p.test(text) && (p.source !== String.raw`\binstead\b` || INSTEAD_WITH_TIME.test(text)),
  );
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
  const { detection: emergency, safetyCheck } = assessEmergency(
    utterance,
    options.extraEmergencyPhrases ?? [],
  );
  if (emergency !== null) return { intent: "emergency", emergency, safetyCheck: null };

  const text = canonicaliseKeyTerms(normaliseUtterance(utterance))
    .replace(/[.,;:!]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!looksLikeLanguage(text)) return { intent: "unknown", emergency: null, safetyCheck };
  const bare = text.replace(/\?/g, "").trim();

  const intent = ((): Intent => {
    if (GREETING.test(bare)) return "greeting";
    if (anyMatch(REPEAT, bare)) return "repeat";
    if (anyMatch(CALLBACK, bare)) return "callback";
    if (anyMatch(HUMAN, bare) || asksForNamedPerson(bare, options.ownerName)) return "human";
    const cancel = anyMatch(CANCEL, text);
    if (wantsReschedule(text)) return "reschedule";
    if (cancel) return "cancel";
    const asksQuestion = anyMatch(QUESTION, text.replace(MONEY_WORD_NAME, " "));
    const requestsBooking = anyMatch(BOOK_REQUEST, text);
    if (ADVICE_QUESTION.test(bare) && !requestsBooking) return "question";
    if (requestsBooking && !(asksQuestion && QUESTION_OPENER.test(text))) return "book";
    if (asksQuestion) return "question";
    if (ALARM.test(text) && DEVICE_FAULT.test(text) && !RESOLVED_ONLY.test(text)) return "question";
    if (RESOLVED_ONLY.test(text) && !AFTERMATH.test(text)) return "unknown";
    // A described, non-emergency problem is a job to book.
    if (PROBLEM_WORDS.test(text)) return "book";
    if ((QUESTION_OPENER.test(text) || text.endsWith("?")) && ABOUT_US.test(text))
      return "question";
    return "unknown";
  })();
  return { intent, emergency: null, safetyCheck };
}
