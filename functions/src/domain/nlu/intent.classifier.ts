import {
  assessEmergency,
  EmergencyDetection,
  SafetyCheck,
} from "../emergency/emergency.classifier";
import { EMERGENCY_CONTEXT_RULES } from "../emergency/emergency-rules";
import { standardiseEverydayWords } from "./everyday-spellings";
import { canonicaliseKeyTerms } from "./key-terms";
import { PROBLEM_WORDS } from "./plumbing-vocabulary";
import { normaliseUtterance, splitClauses } from "./text-normaliser";

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
/** Businesses a wrong number is meant for: "hello, is that the vets?". */
const OTHER_BUSINESS = String.raw`(?:vets?|veterinary|doctors?|surgery|gp|dentists?|dental|chemist|pharmacy|hospital|school|college|nursery|taxis?|cabs?|takeaway|chinese|indian|pizza|chippy|chip shop|kebab|restaurant|pub|hotel|bank|hairdressers?|salon|barbers?|garage|mechanics?|tyres?|car (?:wash|hire)|estate agents?|solicitors?|police|council|library|church|gym|florists?|bakery|butchers?|cinema|electricians?|roofers?|builders?|glaziers?|locksmiths?|carpet|removals?|dry cleaners?|launderette|post office|bookies|betting shop)`;

const HELLO = String.raw`(?:hi|hello|hiya|hey|hey up|ey up|eyup|alright|ello|hallo|hullo|howdy|wotcha|watcha|now then|good (?:morning|afternoon|evening|day)|morning|afternoon|evening|how are you)`;
const GREETING = re(
  String.raw`^(?:(?:yeah|yes|oh|er|erm|um|ah)\s+)*${HELLO}(?:\s+(?:${HELLO}|there|yeah|yes|oh|er|um|again|mate|love|pet|duck|me duck|my lover|my love|hun|darling|sir|madam|to you|then))*\s*(?:(?:is (?:that|this)|am i through to) (?!(?:the |a |an )?[a-z' ]{0,30}\b${OTHER_BUSINESS}\b).{1,40}|can you hear me|who'?s this|who is this|who am i speaking to|anyone there|is anyone there|(?:are )?you (?:alright|ok|okay)|how are you(?: doing| today)?|how you doing|how's it going)?\??$`,
);
/**
 * "Is that the plumbers?", "am I through to the heating people?": checking who answered, with or
 * without a hello first. The business is named by a trade word, never by anything else.
 */
const WHO_ANSWERED = re(
  String.raw`^(?:(?:yeah|yes|oh|er|erm|um|hi|hello|hiya|sorry)\s+)*(?:is (?:that|this)|am i (?:through to|speaking to|talking to)|have i (?:got|reached|come through to)|are you) (?:the |a |an )?[a-z' ]{0,30}\b(?:plumb\w*|heating|gas (?:people|engineers?|company)|boiler (?:people|company|man|men)|drainage|company|firm|office|business|people|lot|ltd|limited)(?: (?:yeah|then|please|there|is it|love|mate))*$`,
);

/** "Is anyone there?", "hello, are you there?": checking the line, nothing more. */
const ANYONE_THERE = re(
  String.raw`^(?:(?:hello|hi|hiya|oh|er|um|yeah|sorry)\s+)*(?:is |are )?(?:any ?one|any ?body|some ?one|some ?body|you|you still) (?:there|still there|on the line|about|listening)$`,
);

/** "What?", "pardon": say the last thing again, it is not a failed turn. */
const REPEAT = [
  re(
    String.raw`^(?:(?:er|um|oh|ay|eh|ah|sorry)\s+)*(?:sorry|eh|what|pardon|you what|come again|huh|what(?:'s| was| is) (?:that|it)(?: you (?:just )?said| again)?)(?:\s+(?:sorry|eh|what|pardon|love|mate|me|again|please|then))*\??$`,
  ),
  re(
    String.raw`\b(?:didn't|did not|couldn't|could not|can't|cannot|never|don't) (?:quite |really |properly |fully )?(?:catch|hear|understand|get|follow) (?:that|you|it|what you said|a word|any of that|the last bit|all of that)\b|\b(?:missed|lost) (?:that|you|the last bit|what you said|the end of that)\b|\b(?:the )?line (?:went|is|was|'s gone|has gone|'s|is going) (?:funny|weird|dead|crackly|fuzzy|quiet|bad|all funny)\b|\b(?:say|read) (?:that|it|this) (?:again|back)|\brepeat (?:that|it|yourself|the question|what you said)\b|\b(?:didn't|did not|couldn't|could not|can't) (?:catch|hear|understand|get) (?:that|you|it|what you said)\b|\bwhat did you (?:say|just say)\b|\bsay again\b|\b(?:you're|you are|it's|you keep|the line's|the line is) (?:breaking up|cutting out)\b|\b(?:bad|terrible|awful) (?:line|signal|reception)\b|\b(?:line|signal|reception)(?:'s| is) (?:bad|terrible|awful|rubbish|poor|crackly)\b|\b(?:speak|talk) (?:up|louder|more slowly|slower)\b|\b(?:slow down|slower please|too fast|a bit slower)\b|\b(?:you're|you are|you sound|it's|the line's|you've gone) (?:really |very |a bit |so |all )?(?:quiet|faint|muffled|crackly|robotic|echoey|distorted)\b|\b(?:i )?(?:can't|cannot|could not|couldn't) hear (?:you|a thing|anything|what you said)\b`,
  ),
];

/** Who a caller may ask for instead of the machine: a role or anyone real. */
const PERSON_ROLE = String.raw`(?:human(?: being)?|person|people|someone|somebody|anyone|anybody|owner|manager|boss|gaffer|guvnor|governor|plumbers?|engineers?|member of staff|staff|receptionist|operator|agent|representative|man|woman|lady|guy|bloke|lads?|him|her|office)`;

/** "I want a human": the caller must always be able to get out of the machine. */
const HUMAN = [
  re(
    String.raw`\b(?:want|need|like|prefer|rather|after|get me|give me|find me|fetch|put me on to|put me onto|put me on with) (?:to (?:speak|talk) (?:to|with) )?(?:a |an |the |your |one of (?:the|your) )?(?:real |actual |live |proper )?(?:human(?: being)?|person|owner|manager|boss|gaffer|guvnor|governor|receptionist|operator|member of staff)\b(?! (?:to (?:come|fix|look|check|do|sort|service)|round|out|that can fix|who can fix|for (?:the|a|my) (?:job|boiler|leak|tap|toilet)))`,
  ),
  re(
    String.raw`\b(?:pass|put|hand) me (?:over |across |through )?(?:to|on to|onto) (?:a |an |the |your |one of (?:the|your) )?(?:real |actual |live )?${PERSON_ROLE}\b|\bone of (?:the|your) (?:plumbers|engineers|lads|team|staff) (?:on the phone|on the line)\b`,
  ),
  re(
    String.raw`\b(?:speak|talk|chat|put me through|transfer me|connect me|through|have a word|pass me|put me) (?:to|with|over to) (?:a |an |the |your |someone |somebody |one of (?:the|your) )?(?:real |actual |live )?${PERSON_ROLE}\b`,
  ),
  re(String.raw`\b(?:real|actual|live|proper) (?:person|human|people|someone)\b|\bsomeone real\b`),
  re(
    String.raw`\bget hold of (?:someone|somebody|a person|a human|the owner|the boss|anyone|anybody|the office)\b`,
  ),
  // "Operator!"; but a letting agent or an estate agent is a caller, not a request.
  re(
    String.raw`\b(?:operator|human being|customer services?)\b|^(?:an? |the )?(?:agent|representative)(?: please)?$`,
  ),
  re(
    String.raw`\bis there (?:a |an )?(?:real |actual |live |proper )?(?:human|person|man|woman|lady|bloke)\b|\b(?:human|person|people|man|woman|someone|somebody|anyone|anybody)(?: (?:there|here|in))? (?:i|we) (?:can|could) (?:talk|speak|chat)\b`,
  ),
  re(String.raw`^(?:a )?(?:human|person|someone)(?: please)?$`),
  re(String.raw`\b(?:put me through|transfer me|connect me)\b`),
  re(
    String.raw`\b(?:get|put|have) (?:the |your |a )?(?:[a-z]+ ){0,2}?(?:himself|herself|owner|boss|plumber|engineer|manager|person|human|someone|somebody|him|her) on the (?:phone|line|blower)\b|\b(?:speak|talk|chat|get|want|need|have a word)(?: to| with)? (?:your |the |a |to )?(?:supervisor|someone senior|team leader|director|whoever (?:does|is in charge|runs|owns))\b`,
  ),
  re(
    String.raw`\b(?:not|don't want to talk to|not talking to|hate) (?:a |an |to a )?(?:robot|machine|computer|bot)\b|\bare you a (?:robot|machine|computer|bot)\b`,
  ),
  re(
    String.raw`\b(?:anyone|anybody|someone|somebody) (?:i can |to |who can |there i can )?(?:actually )?(?:talk|speak) (?:to|with)\b|\b(?:someone|somebody|whoever(?:'s| is)?) in (?:charge|the office)\b|\bget me (?:a |an )?(?:person|human|someone|somebody)\b`,
  ),
];

/** A named person: the owner's own name is known; "speak to Sarah" names anyone. */
function asksForNamedPerson(text: string, ownerName: string | undefined): boolean {
  if (
    /\b(?:(?:speak|talk|chat|have a word) (?:to|with)|(?:put|pass|hand|transfer|connect) me (?:on |over |through |across )?(?:to|onto|with)) (?!you\b|them\b|it\b|the (?:machine|robot)\b|(?:a|the|my|your) (?:new|different|later|earlier|other) )[a-z]+\b/.test(
      text,
    )
  )
    return true;
  // "is the owner around": a role.
  if (
    /^(?:is|put) (?:the |your )?(?:owner|boss|manager|gaffer|governor|guvnor|plumber|engineer|office|main man|top man|head honcho|supervisor|director|person in charge|man in charge) (?:there|about|around|in|available|on)\b/.test(
      text,
    )
  )
    return true;
  // "is Sarah there": any one name.
  if (
    /^(?:(?:hi|hiya|hello|oh|er|um|yeah|morning|afternoon|sorry) )*is (?!it\b|this\b|that\b|there\b|anyone\b|anybody\b|someone\b|somebody\b|everything\b|everyone\b|nothing\b|something\b|water\b|gas\b|he\b|she\b|parking\b|the\b|a\b)[a-z]+ (?:there|about|around|in|available)(?:$| (?:please|it's|this is|i'm|tell him|tell her|mate|love))/.test(
      text,
    )
  )
    return true;
  const name = ownerName?.trim().toLowerCase().split(/\s+/)[0];
  if (!name || !/^[a-z]+$/.test(name)) return false;
  return new RegExp(
    String.raw`^is ${name}\b(?! (?:coming|going|doing|sending|bringing|booked|due|still coming|able|ok|okay|qualified|gas safe|insured|the one|gonna|going to|definitely|actually)\b)|^(?:can i (?:speak|talk) to |could (?:you|i) get |get |can (?:i|you) get |is that |put |pass me to |can i have )${name}\b|\b${name} (?:there|about|around|in|available|please)\b|\b(?:with|to|for) ${name}(?: please| for me)?$|\bget ${name} for me\b|\bget hold of ${name}\b|\b(?:i want|i need|i'd like|i'm after|looking for|after|put) ${name}(?: (?:please|on|on the phone|to the phone))?$`,
  ).test(text);
}

/** "Ring me back", "take a message": the caller wants a call later, not a transfer now. */
const CALLBACK = [
  re(
    String.raw`\b(?:ring|call|phone|telephone|bell|buzz|text|contact|get in touch with) (?:me|us)(?: again| back again)? (?:back|later|tomorrow|when|on|after|about|this|tonight|in|at|another time|some other time)\b|\b(?:ring|call|phone|telephone|bell) (?:me|us)(?: again)?$`,
  ),
  re(
    String.raw`\b(?:give|gimme|drop|send|fire) (?:me|us) (?:a |an )?(?:quick )?(?:ring|call|bell|buzz|phone|shout|text|line|message|email|tinkle)\b`,
  ),
  re(
    String.raw`\b(?:get|have|ask|tell) (?:someone|somebody|him|her|them|the [a-z]+|one of (?:the|your) [a-z]+|[a-z]+) to (?:contact|ring|call|phone|text|bell|get back to|get in touch with|give me a [a-z]+) (?:me|us)\b|\b(?:contact|get in touch with) (?:me|us) (?:later|tomorrow|when|on|after|about|please|this|tonight|in|at|back)\b`,
  ),
  // "call back" as a recogniser may write it: "cool back", "col back", "caught back".
  re(
    String.raw`\b(?:call|cool|col|coal|caul|cal|core|caw) ?backs?\b|\bring ?back\b|\b(?:ring|call|phone|telephone)(?:ed|s)? (?:me |us |him |her )?back\b`,
  ),
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
    String.raw`\b(?:don't|do not|no longer|won't|will not|not) (?:need|want|require)(?:ing)? (?:the|your|a|an|that|this|my|our) [a-z]+(?: [a-z]+)? (?:any ?more|after all|no more)\b`,
  ),
  re(
    String.raw`\b(?:won't|will not|wont|not) be needing\b|\b(?:not|no longer) (?:needing|wanting) (?:it|you|them|the [a-z]+|anyone|anybody|someone|somebody|that|him|her)\b|\b(?:no longer|not|isn't|is not|aren't) (?:needed|required)\b`,
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
    String.raw`\bno need (?:to come|for (?:the|a|you|anyone|someone)|for anyone|now|any ?more|to send|to bother)\b|\b(?:so|then|there's|there is) no need\b|\bno need(?: (?:thanks|thank you|cheers|ta|mate|love|then))*$`,
  ),
  re(
    String.raw`\b(?:you |they |he |anyone |someone )?(?:don't|do not|won't|will not|no longer) need to (?:come|send|bother|pop|call|visit|attend|turn up)\b`,
  ),
  re(
    String.raw`\b(?:don't|do not) have to come\b|\b(?:take|strike|cross|rub|scrub) (?:me|us|it|that|[a-z]+day|(?:my|our|the) (?:name|names|booking|appointment|visit|slot|job)) (?:off|out)\b`,
  ),
  re(String.raw`\bknock (?:it|that|the(?: [a-z]+){1,3}) on the head\b`),
  // "The whole thing's off", "we're pulling out of the job".
  re(
    String.raw`\b(?:the whole thing|it all|the job|the visit|the booking|the appointment|the work)(?:'s| is| has been) (?:all |now )?(?:off|cancelled|called off)\b|\bit's all off\b|\bpull(?:ing|ed)? out of (?:the (?:job|booking|work|appointment|visit|quote)|it)\b`,
  ),
  // Taking the booking away in any verb: "remove my booking", "delete my appointment".
  re(
    String.raw`\b(?:remove|delete|drop|axe|withdraw|pull|kill|undo|unbook|un book|stand down) (?:my|our|the|this|that|your|[a-z]+'s) (?:[a-z]+ )?(?:booking|appointment|visit|call ?out|slot|job)\b|\bstand (?:the [a-z]+|him|her|them|your [a-z]+) down\b`,
  ),
  // Told not to come, or that coming is pointless: "can you not come", "no point you coming out".
  re(
    String.raw`\b(?:can you |could you |please |tell (?:the [a-z]+|him|her|them|your [a-z]+|[a-z]+) |ask (?:the [a-z]+|him|her|them|[a-z]+) )not (?:to )?(?:come|bother|turn up|send)\b|\b(?:no point|no use|not worth|no sense)(?: in)? (?:you |him |her |them |the [a-z]+ |anyone |someone )?(?:coming|come|bothering|sending|turning up|making the trip)\b|\b(?:needn't|need not|shouldn't need to) (?:bother|come|send|worry)\b|\bsave (?:yourself|yourselves|him|them) the (?:trip|journey|bother)\b`,
  ),
  re(
    String.raw`\b(?:don't|do not) think (?:we|i)(?:'ll| will)? (?:need|want|require)\b|\bno (?:visit|appointment|booking|plumber|engineer|one|callout|call out|call) (?:is |will be )?(?:needed|required|necessary)\b`,
  ),
  re(String.raw`\b(?:scrap|ditch|bin|drop|call off) (?:${DAY})(?:'s)?\b`),
  // "don't come out, the insurance are sending their own": told not to come, then why.
  re(
    String.raw`\b(?:don't|do not|no need to) (?:come|send (?:anyone|someone|somebody|the [a-z]+))(?: (?:out|round|over))?(?: of)? (?=(?:the|we|we've|we're|i|i've|i'm|it|it's|my|our|they|they're|he|she|as|because|cos|coz|since|thanks|thank you|sorry|after all)\b)`,
  ),
  // Someone else is sending or doing it: "the insurance are sending their own plumber".
  re(
    String.raw`\b(?:insurance|insurers|landlord|council|housing association|housing|letting agents?|agents?|managing agents?|builders?|warranty company|they|he|she)(?:'s| are| is| have| has)? (?:sending|getting|bringing|using|arranged|arranging|organised|organising|booked|booking) (?:their own|his own|her own|someone|somebody|another|a different|one of their)\b`,
  ),
  re(
    String.raw`\b(?:forget about|never mind|scratch) (?:the |my |our |that |this |[a-z]+day's |tomorrow's |today's )?(?:[a-z']+ )?(?:${BOOKING}|${DAY})\b|\bforget (?:${DAY})\b`,
  ),
  re(String.raw`\bcall (?:[a-z']+ ){1,3}off\b`),
  re(
    String.raw`\bgive it a miss\b|\b(?:won't|will not|not)(?: to)? (?:be )?go(?:ing)? ahead\b|\bhold off\b|\bleave it (?:for now|then)\b`,
  ),
  re(String.raw`\b(?:sorted|fixed) it (?:myself|ourselves)\b`),
  re(
    String.raw`^(?:(?:oh|well|actually|just|no|er|um|look|right) )*forget (?:it|about it|the whole thing)\b|\b(?:we've|i've|we have|i have|we've already|i've already|already) (?:had|got) it (?:done|fixed|sorted|seen to)\b`,
  ),
  // "We'll leave it, thanks", "let's leave it there"; never "leave it running" or "leave it with you".
  re(
    String.raw`\b(?:we'll|i'll|we will|i will|let's|just|we'd better|i'd better|better|we can|i think we'll|think we'll) leave it\b(?! (?:with|to|running|on|off|open|dripping|till|until|for (?:you|now and)))`,
  ),
  // Someone else is doing the job: "we've found another plumber", "got someone else coming".
  re(
    String.raw`\b(?:found|got|getting|using|going with|gone with|went with|booked|have) (?:(?:someone|somebody) else|another|a different|a local|our own|my own)(?: (?:plumber|engineer|company|firm|bloke|guy|man|lad|one))?(?: (?:in|coming|to come|to do it|to sort it|instead|now|already|round|out))+\b|\b(?:found|got|gone with|going with|go with|went with) (?:another|a different|a cheaper|someone else|somebody else|other) ?(?:plumber|engineer|company|firm|quote|people|lot)?\b|\b(?:gone|going|went|go|look|looking) elsewhere\b`,
  ),
  re(
    String.raw`\b(?:don't|do not) (?:worry|bother) about (?:it|that|coming|sending|the (?:visit|appointment|booking|job))\b`,
  ),
];

const RESCHEDULE = [
  re(
    String.raw`\b(?:reschedule|re ?book|re ?arrange|postpone|(?:delay|defer)(?:ing)? (?:it|that|this|the [a-z]+|my [a-z]+|our [a-z]+)|hold (?:it|that|the [a-z]+) over|(?:push|move|put) (?:it|that|the [a-z]+) out (?:a|by|to|till|until|another)|(?:move|shuffle|juggle) (?:things|stuff|it|them) (?:around|about|round)|(?:push|put|knock|move|bump|shunt)(?:ing)? (?:(?:it|that|this|me|us|my|the|our|[a-z]+day's|tomorrow's) )?(?:[a-z]+ ){0,2}?back(?! (?:on|in|together|up|where|of|door|garden|bedroom|wall|pipe)\b)|put (?:it|that|me|us|the [a-z]+|my [a-z]+) off|bring(?:ing)? (?:(?:it|that|this|my|the|our|[a-z]+day's|tomorrow's) )?(?:[a-z]+ ){0,3}?forward)\b`,
  ),
  re(
    String.raw`\b(?:move|moving|change|changing|switch|switching|swap|swapping|shift|shifting|rearrange|rearranging|alter|altering|amend|amending|adjust|adjusting) (?:my|the|our|that|this|your|[a-z]+'s|next week's|the [a-z]+day|the [a-z]+'s) (?:(?:${DAY}|morning|afternoon|evening|boiler|gas|plumbing|plumber's|engineer's) )?(?:appointment|booking|visit|time|date|day|slot|boiler service|service|job)\b|\b(?:move|change|shift|rearrange) (?:[a-z]+day's|tomorrow's|today's)\b`,
  ),
  re(
    String.raw`\b(?:move|change|shift|switch|swap) (?:it|that|this|the (?:appointment|booking|visit|slot|job|service|day|time|date))\b(?: [a-z']+){0,5}? (?:to|till|until|for|on) (?:the |a )?(?:${DAY})\b`,
  ),
  re(String.raw`\bchange (?:the |my )?(?:time|date|day)\b`),
  re(
    String.raw`\b(?:move|change|shift|switch|swap|put|make|push|bump|shunt|knock) (?:it|that|this|the [a-z]+|${DAY})(?: [a-z']+){0,2}? (?:to|till|until|for) (?:the |a )?(?:following |next |other )?(?:${TIME_WORD})\b`,
  ),
  re(String.raw`\bchange it\b.*\b(?:time|day|date)\b|\b(?:time|day|date)\b.*\bchange it\b`),
  re(String.raw`\bmake it (?:the |a )?(?:${TIME_WORD})\b`),
  re(
    String.raw`\bswap to\b|\b(?:shift|move) it\b(?!.*\b(?:meter|radiator|rad|boiler|pipe|pipes|tap|toilet|sink|cylinder|tank|stopcock|valve|socket|thermostat|shower|bath|basin|cooker|hob)\b)(?<!\b(?:meter|radiator|rad|boiler|pipe|pipes|tap|toilet|sink|cylinder|tank|stopcock|valve|socket|thermostat|shower|bath|basin|cooker|hob)\b.*)`,
  ),
  // Asked in the passive: "can that be moved to the twelfth", "my visit's on Tuesday, can that be changed".
  re(
    String.raw`\b(?:can|could|would|may) (?:it|that|this|the [a-z]+|my [a-z]+|our [a-z]+) be (?:moved|changed|switched|swapped|shifted|rearranged|altered|put back|pushed back|brought forward|rescheduled|rebooked|postponed|done (?:on|another|a different|later|earlier))\b`,
  ),
  re(String.raw`\b(?:change|switch|swap|move) (?:it )?to (?:a |an |the )?(?:${TIME_WORD})\b`),
  re(
    String.raw`\b(?:swap|change|switch|move|rearrange|shuffle) (?:the )?(?:days|dates|times|slots|round the (?:day|date|time))\b`,
  ),
  re(
    String.raw`\b(?:can't|cannot|can not|won't be able to|unable to|won't|will not|(?:i'm|we're|i am|we are) not going to|(?:i'm|we're|i am|we are) not|not going to) (?:make|do|be (?:in|there|home|at home|around|about|available|free)|(?:in|there|home|at home|around|about|available|free)) (?:it|that|on |monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|the appointment|then|that time|that day|the morning|the afternoon)`,
  ),
  re(String.raw`\b(?:another|a different|a later|an earlier|a new) (?:day|time|date|slot)\b`),
  re(String.raw`\ba (?:day|week|couple of days|few days|bit|hour) (?:earlier|later)\b`),
  re(
    String.raw`\b(?:come|be here|be there|get here|arrive|turn up|do it|make it) (?:a (?:bit|little|lot|tad) |any |much |an hour |a day |a week )?(?:earlier|later|sooner) (?:than|in|on|that|this|next)\b`,
  ),
  // A re- verb the recogniser split or misheard, before the booking: "re jewel my appointment".
  re(
    String.raw`(?<![a-z'])re (?!(?:the|a|an|my|your|our|it|that|this|about|regarding)\b)[a-z]+ (?:my|the|our|this|that|your|it|[a-z]+day's|tomorrow's|today's)(?: [a-z]+)? (?:appointment|booking|visit|slot|service|call ?out)\b`,
  ),
  // "is there anything later", "any chance of something earlier than the twentieth".
  re(
    String.raw`\b(?:anything|something|any (?:slots?|times?|days?|dates?|appointments?)|a slot|a time|a day) (?:a (?:bit|little) |any )?(?:earlier|later|sooner)\b`,
  ),
  re(String.raw`\binstead\b`),
  re(
    String.raw`\b(?:${DAY}|slot|time|appointment|booking|date|visit)\b.*\b(?:(?:doesn't|does not|won't|will not|no longer|isn't going to|not going to) (?:work|suit)|(?:isn't|is not|not|no) (?:any )?(?:good|great|convenient|ideal|possible)(?: for (?:me|us))? (?:any ?more|now|after all)|(?:is|'s) no good|(?:is|'s) (?:looking |a bit |getting |now |going to be |gonna be )*(?:tricky|difficult|awkward|tight|impossible|a problem|a nightmare))\b`,
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
/**
 * A booking the caller already has, named any way: "you've got me down for the ninth", "I'm booked
 * in for Wednesday", "the day you gave me", "you're coming tomorrow".
 */
const BOOKED_ALREADY = re(
  String.raw`\b(?:(?:you've|you have|you) got (?:me|us|my [a-z]+|our [a-z]+) (?:down|booked|in|pencilled in|coming)|(?:i|we) (?:booked|arranged|made|had booked|have booked|'ve booked)(?: in)? (?:a|an|the|my|our|you|someone|him)\b|(?:i'm|i am|we're|we are|i've been|we've been|i was|we were) (?:booked|down|pencilled in)|booked (?:in|for|to)|(?:you're|you are|he's|he is|she's|they're|the [a-z]+'s|the [a-z]+ is) (?:booked|due|coming|meant to be coming|supposed to be coming)|(?:my|our|the) (?:appointment|booking|visit|slot)|(?:the )?(?:day|date|time|slot) (?:you|they|i was|we were) (?:gave|given|offered|booked|put)|(?:the )?(?:day|date|time) (?:we|i) (?:agreed|arranged|booked|picked))\b`,
);
/**
 * What makes a booking the caller has need another time: "that's no good any more", "something's
 * come up", "can it be Saturday", "I won't be in". Only with a booking named, and only when nothing
 * cancels it outright.
 */
const NEEDS_ANOTHER_TIME = re(
  String.raw`\b(?:(?:is|would|will|could) (?:${TIME_WORD})(?: be)? (?:any good|ok|okay|alright|possible|free|available|better|doable|an option)|(?:i'm|we're|i am|we are|i'll be|we'll be) (?:working|at work|away|out|busy|on holiday) (?:now|then|that day|that week|after all)|(?:have you got|do you have|got) (?:a|an|any|another|anything on a?) (?:${TIME_WORD})|(?:we|i) (?:need|want|'d prefer|would prefer|'d rather|would rather|need it|want it)(?: it)? (?:on |for )?(?:the )?(?:${DAY})|no good|not good|isn't (?:good|great|convenient|ideal)|not (?:great|convenient|ideal)|(?:doesn't|does not|don't|won't|will not) (?:suit|work)|not (?:suitable|possible)|something(?:'s| has) (?:come|cropped) up|(?:can't|cannot|can not|won't be able to|couldn't) (?:do|make|manage)|(?:won't|will not|wont|not going to|not gonna) be (?:in|there|home|around|about|available|free)|i'll be (?:away|at work|out|working|on holiday)|(?:pick|find|sort|get|choose|have) (?:a |another |a different |a new )?(?:new |other |different |another )?(?:one|day|time|date|slot)|can (?:it|we|you|he|she|they) (?:be|do|make it|come|go for)(?: (?:on|at|in|for|the))? (?:${TIME_WORD})|(?:a |the )?(?:week|day) after)\b`,
);

/** The caller cannot be there: "I'll be away that week", "I'm working Thursday now". */
const AWAY = re(
  String.raw`\b(?:i'll|we'll|i will|we will|i'm going to|we're going to|i am going to) be (?:away|at work|working|out|on holiday|in hospital|abroad|out of the country)\b|\b(?:i'm|we're|i am|we are) (?:away|on holiday|working|at work|in hospital) (?:that|this|next|on|the|then|now)\b|\b(?:can't|cannot|won't|will not) be (?:in|there|home|around|about)\b`,
);
/** ...and asks for another time: "can we go the week after", "could you do Thursday". */
const ANOTHER_TIME = re(
  String.raw`\b(?:can|could|would) (?:we|you|it|he|she|they|the [a-z]+) (?:go|do|make it|be|come|have it|switch|swap)(?: (?:on|at|in|for|the|a|it|a bit))* (?:${TIME_WORD}|week after|day after)\b|\b(?:the|a) (?:week|day) after\b|\b(?:another|a different|a later|an earlier) (?:week|day|time|date)\b`,
);

/** "Cancel, not move it": a refused reschedule is not a reschedule. */
const NOT_RESCHEDULE = re(String.raw`\bnot (?:move|moving|reschedule|rebook|change)\b`);

/** Things a plumber sells or fits; asking whether they sell anything else is not for us. */
const PLUMBING_GOODS = String.raw`(?:parts?|spares?|plumbing|boilers?|taps?|radiators?|valves?|pipes?|pipework|fittings?|toilets?|cisterns?|showers?|baths?|sinks?|basins?|cylinders?|thermostats?|pumps?|washers?|filters?|softeners?|heaters?|stopcocks?|bathrooms?|kitchens?|heating|gas)`;
const SELLS = String.raw`\bdo (?:you|your [a-z]+)(?: (?:lot|guys|also|ever|still))? (?:supply|sell|stock|hire|hire out|rent|rent out|deliver)\b`;
/** "Do you sell paint": asked of the wrong shop. */
const OFF_TOPIC_GOODS = re(String.raw`${SELLS}(?!.*\b${PLUMBING_GOODS}\b)`);

/** Questions about the business, answered from its profile rather than by booking. */
const QUESTION = [
  re(
    String.raw`\b(?:opening|office|business|working) hours\b|\bwhat time do you (?:open|close|shut|finish|start)\b|\b(?:are|when are|when're) you open\b|\bhow late are you\b`,
  ),
  re(
    String.raw`\bhow much\b|\bwhat (?:do|would|does) (?:you|it) (?:charge|cost)\b|\b(?:price|prices|pricing|cost|costs|rates?|call ?out (?:fee|charge)|charges?|fees?|vat|bill|cheapest|cheaper|dearer|more expensive|less expensive|discounts?|afford)\b`,
  ),
  re(
    String.raw`\bdo (?:you|ya|your (?:company|business|firm|team|lads|engineers|plumbers))(?: (?:lot|guys|lads|also|ever|still|even|normally|usually))? (?:cover|serve|work in|work around|come to|come out to|come out as far as|come out|go to|go out to|travel to|work|do|deal with|fix|offer|take|accept|have|provide|install|fit|repair|replace|service|give|charge|unblock|clear|clean|descale|flush|sort|test|check|inspect|email|post|send)\b|\b${SELLS} (?=.*\b${PLUMBING_GOODS}\b)`,
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
  re(
    String.raw`^(?:(?:er|erm|um|hi|hello|yeah|ok|okay|right) )*(?:just )?(?:a |one )?(?:quick |small |little )?(?:question|query|quick one)\b|\bdo (?:you|your [a-z]+) (?:need|require|want) (?:access|to get (?:in|into|to)|power|water|the water off|us to be in|someone in|me to be in)\b`,
  ),
  re(
    String.raw`\bwhat(?:'s| is| would be| will be) involved\b|\bare you (?:any good|good|experienced|familiar|ok|okay|alright) (?:with|at|on)\b|\bwho (?:would|will|is|'s|are) (?:be )?(?:coming|doing|turning up|sent)\b`,
  ),
  // Passing the business on: "my friend wants your number".
  re(
    String.raw`\b(?:want|wants|need|needs|like|have|get|give (?:me|her|him|them)|pass on|send (?:me|her|him|them)) (?:your|the) (?:phone )?(?:number|details|contact details|email|email address|website|card)\b`,
  ),
  re(
    String.raw`\bwhat(?:'s| is) the difference\b|\bdifference between\b|\bwhat (?:does|do|would) (?:a|an|the|your) [a-z ]{1,30}? (?:involve|include|cover|entail|mean)\b`,
  ),
  // About a visit already booked: "is Dave coming tomorrow", "is the plumber still due today".
  re(
    String.raw`^(?:(?:so|and|er|um|oh|hi|hello) )*(?:is|are|will) (?:[a-z]+|the [a-z]+|your [a-z]+|someone|anyone|you|they) (?:still |definitely |actually )?(?:coming|due|booked|on (?:his|her|their|the) way|running late|be (?:here|coming|long))\b`,
  ),
  // Whether something is safe to do meanwhile: "can we leave it running overnight".
  re(
    String.raw`^(?:(?:so|and|er|um|oh) )*(?:can|could|should|is it ok to|is it okay to|is it safe to|am i ok to) (?:i|we)? ?(?:still )?(?:leave|use|run|keep|turn|switch|flush|drink|shower|bath|have a (?:bath|shower))\b(?!.*\b(?:message|note|key|keys)\b)`,
  ),
  re(
    String.raw`\b(?:guarantee|guarantees|guaranteed|warranty|warranties|insured|insurance cover|public liability|references|reviews|checkatrade|trustmark|which trusted)\b`,
  ),
  // Asked as a statement, the question mark lost: "you are working on Sunday please".
  re(
    String.raw`^(?:so )?(?:you are|you're|you do|you lot are|you guys are) (?:working|open|about|around|doing (?:call ?outs|jobs|work)|out|on call) (?:on |at |over |in |during |this |the )*(?:${DAY}|weekends?|bank holidays?|christmas|nights?|evenings?|late|holidays?)\b`,
  ),
  re(
    String.raw`\b(?:want|like|need|wanting|trying|ringing|calling|phoning) to (?:pay|settle)\b|\bpay (?:the|my|your|an|our) (?:bill|invoice|balance)\b`,
  ),
  // Price asked roughly: "ballpark figure for a new combi", "roughly what would it cost".
  re(
    String.raw`\b(?:ball ?park|roughly|rough (?:idea|price|figure|estimate|cost|guess)|idea of (?:the )?(?:cost|price|prices)|what sort of (?:money|figure|price)|what kind of (?:money|figure|price))\b`,
  ),
  // Whether they do a kind of work, asked indirectly: "I was wondering if you do underfloor heating".
  re(
    String.raw`\b(?:if|whether) (?:you're|you are|you'll be|you lot are|you guys are|you'd|you would) (?:open|working|about|around|available|able|free|on|any good|registered|insured|local|busy)\b|\b(?:if|whether) (?:you|you lot|you guys|your (?:company|firm|lads|engineers|plumbers)) (?:do|cover|offer|fit|install|work|go|come out|take|accept|charge|are|have|deal with|repair|service)\b`,
  ),
  re(
    String.raw`\b(?:would|will|do) you (?:lot |guys )?(?:do|take on|touch|bother with|come out for) (?:a |an )?(?:small|little|tiny|quick|minor|big|odd|that sort of|this sort of|that kind of|this kind of|those|them|jobs?)\b`,
  ),
];

/** An explicit request to book, or for someone to come out. */
const BOOK_REQUEST = [
  // "The gas meter's in a cupboard outside, can you move it": moving a fitting is a job.
  re(
    String.raw`\b(?:can|could|would) you (?:move|relocate|reposition|shift) (?:it|them|the [a-z]+|my [a-z]+|our [a-z]+)\b`,
  ),
  // "I want a quote to move the radiator": a quote is a visit to book.
  re(
    String.raw`\b(?:after|want|need|like|get|looking for|send me|give me|do me) (?:a |an |some )?(?:quote|quotes|estimate|quotation) (?:for|on|to)\b`,
  ),
  re(String.raw`\b(?:book|booking|appointment|make an appointment|arrange a visit)\b`),
  re(
    String.raw`\b(?:have you got|do you have|got) (?:anything|any (?:slots?|space|availability|time|appointments?)|a slot|space)\b|\bwhen(?:'s| is) (?:your|the) (?:next|first|earliest) (?:free |available )?(?:slot|appointment|availability|time)\b`,
  ),
  re(
    String.raw`\b(?:need|want|looking for|after|get|getting|send|sending|find|finding) (?:a |an |some )?(?:plumber|engineer|heating engineer|gas engineer|tradesman|someone|somebody|quote|estimate|service|repair|visit|callout|call out)\b`,
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
    String.raw`\b(?:need|needs|want|wants|like|get|getting) (?:the |my |our |a |an |it |them |some )?(?:[a-z]+ ){0,6}?(?:looked at|checked|fixed|replaced|seen to|sorted|serviced|fitted|fitting|doing|done|moved|redone|lagged|insulated|installed|refitted|re fitted|resealed|re sealed|replumbed|re plumbed|re done|re ?[a-z]{3,}ed|emptied|pumped out|cleared out|cleaned out|drained|taken out|ripped out|removed|taken away|capped off|disconnected|connected|plumbed in|hooked up|plastered|tiled|boxed in|piped|rerouted|camera'd|cctv'd|surveyed|jetted|rodded|cleaned|descaled|flushed|power flushed|tested|inspected|unblocked|bled)\b`,
  ),
];

const QUESTION_OPENER = re(
  String.raw`^(?:what|when|where|which|who|how|why|do you|does|are you|is it|is there|is a|is an|should i|should we|can you tell|could you tell|i was wondering|just wondering|quick question)\b`,
);
/** Asking what to do in a situation, not reporting one. */
const ADVICE_QUESTION = re(
  String.raw`^(?:what (?:should|do|would|happens|can)|should (?:i|we)|is (?:a|an|it) |if\b|how (?:do|can|should|would) (?:i|we)\b)|\bshould (?:i|we)\b|\bwhat (?:do|should|can) (?:i|we) do\b`,
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

/**
 * A call selling something to the business, or for someone else: "I'm calling from an energy
 * company about your business rates", "are you interested in advertising", "wrong number".
 */
const NOT_A_CUSTOMER = re(
  String.raw`^(?:(?:hello|hi|hiya|er|um|sorry) )*is (?:this|that) (?:the )?${OTHER_BUSINESS}\b|\b(?:(?:i'm|i am|we're|we are|this is [a-z]+) (?:calling|ringing|phoning) (?:from|on behalf of) (?!(?:the )?(?:flat|house|property|address|number|[0-9]))|(?:are|would) you (?:be )?interested in|(?:have|has) your (?:business|company|firm) (?:considered|thought about)|advertis(?:e|ing|ement)|(?:business|energy|electricity|utility|merchant|card) (?:rates|supplier|bills?|services|processing|fees)|(?:your|the) (?:website|google (?:listing|reviews?|ranking)|seo|search ranking|online presence)|(?:wrong|wrang) number|(?:i'm|we're|i am|we are) (?:selling|offering|promoting) (?!(?:the|our|my|this|her|his|mum's|dad's) (?:house|flat|home|property|place|bungalow|maisonette)\b|up\b|it\b)|are you the (?:homeowner|home owner|owner of the property|bill payer|decision maker)|(?:trying|meant|meaning) to (?:ring|call|phone) (?:my|the|a) (?!plumber|engineer)[a-z]+|(?:didn't|did not|never) mean to (?:call|ring|phone)|(?:are|is) (?:you|your [a-z]+)(?: (?:lot|guys|lads))? (?:hiring|recruiting|taking on (?:staff|apprentices|anyone|people|lads|trainees))|(?:any|got any|have you got any) (?:vacancies|jobs going|work going|apprenticeships?)|(?:a|an) (?:job|apprenticeship|placement|work experience) (?:as|with you|for me|for my (?:son|daughter))|looking for (?:work|a job|an apprenticeship)|(?:pressed|dialled|rang|called) the wrong (?:button|number)|(?:had|been in) an accident (?:that|which) (?:wasn't|was not) your fault|entitled to (?:compensation|a refund|a grant))\b`,
);

/**
 * Stopped only because it was turned off or made safe, not mended: "we've turned it off at the
 * stopcock and it's stopped", "the gas board made it safe and capped the cooker". Still a job.
 */
const CONTAINED_ONLY = re(
  String.raw`\b(?:turned|switched|shut|knocked|isolated) (?:it|the water|the gas|the supply|the mains|everything|the [a-z]+) off\b|\bisolated (?:it|the [a-z]+)\b|\b(?:turned|switched|shut) off (?:at )?the (?:stopcock|mains|water|valve|supply|meter)\b|\b(?:made|making) (?:it|the [a-z]+|everything) safe\b|\bcapped (?:off )?the [a-z]+\b`,
);

/**
 * How the water looks or tastes, with nothing broken: "the tap water's a bit cloudy", "the
 * kettle's full of brown bits". A question about whether it is all right.
 */
const WATER_LOOKS_ODD = re(
  String.raw`^(?!.*\b(?:coming up|backing up|drain|toilet|sewage|leak\w*|drip\w*|burst|pouring)\b)(?=.*\b(?:water|tap|taps|kettle)\b).*\b(?:cloudy|milky|fizzy|bubbly|(?:white|brown|black|little) bits|bits in it|tastes (?:funny|odd|strange|of [a-z]+)|smells (?:of chlorine|of bleach|funny))\b`,
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

/** Symptoms that fit anything, and things no plumber fixes: "my cat's stuck up a tree". */
const ANY_SYMPTOM = re(
  String.raw`\b(?:broken|broke|bust|cracked|stuck|not working|stopped working|isn't working|noise|noisy|banging|knock|knocking|frozen|freeze|won't (?:work|start|turn|stop))\b`,
);
const NOT_PLUMBING_THING = re(
  String.raw`\b(?:cats?|dogs?|kittens?|pets?|cars?|vans?|bikes?|phones?|mobiles?|telly|tv|television|laptops?|computers?|printers?|legs?|arms?|ankles?|wrists?|back|fingers?|trees?|lifts?|gates?|garage doors?|locks?|keys?|windows?|fences?|wi ?fi|internet|broadband)\b`,
);
/**
 * Work for another trade: "can you fit an outside light and move a socket". Every thing the caller
 * asks to have fitted, moved or fixed is electrical or building work, and no plumbing is named.
 */
const WORK_ON =
  /\b(?:fit|fitting|put|putting|install|installing|move|moving|replace|replacing|add|adding|wire|wiring|change|changing|fix|fixing|repair|repairing|sort)(?: in| up| out)? (?:(?:a|an|the|some|new|my|our|outside|extra|another|double|couple of|few|two|three) )*([a-z]+)/g;
const OTHER_TRADE_THING = re(
  String.raw`^(?:sockets?|lights?|lighting|light fittings?|switch(?:es)?|plugs?|wiring|fuses?|fuse box|consumer units?|electrics|spotlights?|downlights?|chandeliers?|roof|roofs|slates?|gutters?|windows?|doors?|locks?|carpets?|shelves|shelf|fence|fences|walls?|plaster|plasterboard|floorboards?|cupboards?|worktops?|aerials?|satellite|dish|telly|tv|doorbell|alarms?|cctv)$`,
);
function otherTradeWork(text: string): boolean {
  const things = [...text.matchAll(WORK_ON)].map((m) => m[1] ?? "");
  return (
    things.length > 0 &&
    things.every((thing) => OTHER_TRADE_THING.test(thing)) &&
    !PROBLEM_WORDS.test(
      text.replace(/\b(?:by|near|next to|under|over|above|beside|in) the [a-z]+\b/g, " "),
    )
  );
}

/** Water where it is meant to be, and why: "the bath's full because I'm running it for the kids". */
const ORDINARY_USE = re(
  String.raw`\b(?:because|cos|coz|as|since) (?:i'm|we're|i am|we are|i was|we were|i've been|we've been|the kids are|the kids were|she's|he's|they're|my [a-z]+(?:'s| is| was)) (?:running|filling|using|doing|having|washing|emptying|draining) (?:it|them|a bath|a shower|the bath|the washing up|the dishes|the washing|a wash)\b`,
);

/** The problem is with something else: nothing but a symptom that fits anything, said of it. */
function somethingElseBroken(text: string): boolean {
  return (
    NOT_PLUMBING_THING.test(text) &&
    !PROBLEM_WORDS.test(text.replace(new RegExp(ANY_SYMPTOM.source, "g"), " "))
  );
}

/**
 * A described, non-emergency problem is a job to book: a clause with a problem word, unless it is
 * about something no plumber fixes or only says why water is where it is meant to be.
 */
function describesJob(text: string): boolean {
  if (somethingElseBroken(text)) return false;
  return splitClauses(text).some(
    (clause) => PROBLEM_WORDS.test(clause) && !ORDINARY_USE.test(clause),
  );
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

  const everyday = standardiseEverydayWords(normaliseUtterance(utterance));
  const text = canonicaliseKeyTerms(everyday)
    .replace(/[.,;:!]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!looksLikeLanguage(text)) return { intent: "unknown", emergency: null, safetyCheck };
  const bare = text.replace(/\?/g, "").trim();
  // Greetings are read before key terms are put right ("hi there is this..." keeps its "there is").
  const said = everyday
    .replace(/[.,;:!?]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();

  const intent = ((): Intent => {
    if (GREETING.test(said) || WHO_ANSWERED.test(said) || ANYONE_THERE.test(said))
      return "greeting";
    if (anyMatch(REPEAT, bare)) return "repeat";
    if (anyMatch(CALLBACK, bare)) return "callback";
    if (anyMatch(HUMAN, bare) || asksForNamedPerson(bare, options.ownerName)) return "human";
    const cancel = anyMatch(CANCEL, text);
    if (wantsReschedule(text)) return "reschedule";
    if (cancel) return "cancel";
    if (BOOKED_ALREADY.test(text) && NEEDS_ANOTHER_TIME.test(text)) return "reschedule";
    if (AWAY.test(text) && ANOTHER_TIME.test(text) && !anyMatch(BOOK_REQUEST, text))
      return "reschedule";
    if (NOT_A_CUSTOMER.test(text) || OFF_TOPIC_GOODS.test(text) || otherTradeWork(text))
      return "unknown";
    const asksQuestion = anyMatch(QUESTION, text.replace(MONEY_WORD_NAME, " "));
    const requestsBooking = anyMatch(BOOK_REQUEST, text);
    if (ADVICE_QUESTION.test(bare) && !requestsBooking) return "question";
    if (requestsBooking && !(asksQuestion && QUESTION_OPENER.test(text))) return "book";
    if (asksQuestion) return "question";
    if (ALARM.test(text) && DEVICE_FAULT.test(text) && !RESOLVED_ONLY.test(text)) return "question";
    if (WATER_LOOKS_ODD.test(text)) return "question";
    if (RESOLVED_ONLY.test(text) && !AFTERMATH.test(text) && !CONTAINED_ONLY.test(text))
      return "unknown";
    // A described, non-emergency problem is a job to book.
    if (describesJob(text)) return "book";
    if ((QUESTION_OPENER.test(text) || text.endsWith("?")) && ABOUT_US.test(text))
      return "question";
    return "unknown";
  })();
  return { intent, emergency: null, safetyCheck };
}
