import { extractSlots } from "./slot-extractor";

/**
 * Reading a caller's or customer's answer inside a conversation: the small
 * questions the dialogue flows ask of what was said ("was that just hello?",
 * "is this about a visit already booked?", "did they name the address?").
 * The flows decide what to do; the patterns that read the words live here,
 * with the rest of the language understanding (intent.classifier.ts reads
 * what a turn is for, slot-extractor.ts the details in it).
 */

/** "Hello?" on its own: callers often greet back before saying why they rang. */
const GREETING_ONLY =
  /^(?:(?:yes|yeah|oh|um|er)[,.]? )?(?:hi|hello|hiya|hey|hello there|hi there|good (?:morning|afternoon|evening))[\s,.!?]*$/i;

export function isGreetingOnly(text: string): boolean {
  return GREETING_ONLY.test(text.trim());
}

/** "My booking", "the appointment I made": about a visit already booked, not one being made. */
const ABOUT_EXISTING_BOOKING =
  /\b(my (?:booking|appointment|visit)|existing|already booked|the (?:booking|appointment|visit) (?:i|we) (?:have|made|booked))\b/i;

export function mentionsExistingBooking(text: string): boolean {
  return ABOUT_EXISTING_BOOKING.test(text);
}

/** "...instead": the caller has changed their mind about what they are doing. */
export function saysInstead(text: string): boolean {
  return /\binstead\b/i.test(text);
}

/** Plainly a new job on top of one booked: "can I book another visit", "a separate job". */
const NEW_BOOKING =
  /\b(?:another|a second|second|new|separate|different|extra|additional) (?:job|visit|booking|appointment|problem|issue)\b|\bbook (?:another|something else|a new)\b|\bas well as (?:my|the) (?:booking|appointment|visit)\b/i;

export function asksForAnotherBooking(text: string): boolean {
  return NEW_BOOKING.test(text);
}

/** "That's all", "nothing else", "no thanks": nothing more wanted. */
export function saysThatsAll(text: string): boolean {
  return /\b(that's all|that is all|nothing else|no thanks)\b/i.test(text);
}

/** "Never mind", "forget it": the caller gives up on what they were doing. */
export function wantsToStop(text: string): boolean {
  return /\b(never ?mind|forget it|doesn't matter|that's all|no thanks|don't worry)\b/i.test(text);
}

/** "Can you ask them to call me back", "a message": the caller wants the owner instead. */
export function asksForMessage(text: string): boolean {
  return /\b(message|call (?:me )?back|ring (?:me )?back|get back to me|speak to|talk to)\b/i.test(
    text,
  );
}

/** A question about when the business is open. */
export function asksOpeningHours(text: string): boolean {
  return /\b(open|opening|hours|close|shut|times?)\b/i.test(text);
}

/** A question about what work the business does. */
export function asksWhatWeDo(text: string): boolean {
  return /\b(what (jobs|work|services)|what do you do|services)\b/i.test(text);
}

/** Small amounts or a denial in an answer to a safety question that has no plain yes or no in it. */
const SAFE_ANSWER =
  /\b(?:not|isn't|it's not|nothing|only|just a|small|slow|slowly|a bit|little|tiny|drips?|dripping|stopped|under control|turned it off|it's off|fine|ok|okay)\b/i;

export function soundsSafe(text: string): boolean {
  return SAFE_ANSWER.test(text);
}

/** A bare answer to the address question: a house number or postcode, or a street. */
export function looksLikeAddress(text: string): boolean {
  return (
    /\d/.test(text) ||
    /\b(road|street|st|lane|avenue|close|way|drive|place|crescent|terrace|court|gardens|hill|square|grove|park|row|walk|mews|cottage|farm|house|flat)\b/i.test(
      text,
    )
  );
}

/**
 * The words before the first comma or digit, "it's" or "my name is" left off,
 * when something follows them and they are not a postcode's letters: where a
 * name would stand in "John Smith, 12 High Street". Null otherwise.
 */
export function wordsBeforeDetails(text: string): string | null {
  if (/(^|\s)[a-z]{1,2}\d/i.test(text.split(",")[0].trim().split(/\s+/)[0] ?? "")) return null;
  if (/^[^,\d]*?\b[a-z]{1,2}\d/i.test(text)) return null;
  const lead = text
    .split(/[,\d]/)[0]
    .replace(/^(it's|it is|this is|i'm|i am|name's|my name's|my name is)\s+/i, "")
    .trim();
  return lead && lead !== text.trim() ? lead : null;
}

/** Asking for a different time rather than changing a detail: "a later day", "another time". */
export function asksAboutTime(text: string): boolean {
  return /\b(time|day|date|earlier|later|another|different|morning|afternoon|week)\b/i.test(text);
}

/** The caller names the detail they mean: "the name's wrong", "change the address". */
export function mentionsName(text: string): boolean {
  return /\bname\b/i.test(text);
}

export function mentionsAddress(text: string): boolean {
  return /\baddress\b/i.test(text);
}

/**
 * Whether the words name a given day: its weekday ("friday"), its date ("the
 * 3rd", not "3:00"), or "today"/"tomorrow" when it is. `text` is lower case.
 */
export function namesDay(
  text: string,
  day: { weekday: string; dayOfMonth: number; daysFromToday: number },
): boolean {
  return (
    text.includes(day.weekday) ||
    new RegExp(`\\b${day.dayOfMonth}(?:st|nd|rd|th)?\\b(?!:)`).test(text) ||
    (day.daysFromToday === 0 && /\btoday\b/.test(text)) ||
    (day.daysFromToday === 1 && /\btomorrow\b/.test(text))
  );
}

/** A full postcode in the caller's words, typed or spelled out ("b s six six d r"). */
export function fullPostcode(text: string): string | undefined {
  for (const candidate of [text, `postcode ${text}`]) {
    const postcode = extractSlots(candidate, []).postcode;
    if (postcode && /\s\d[A-Z]{2}$/.test(postcode)) return postcode;
  }
  return undefined;
}
