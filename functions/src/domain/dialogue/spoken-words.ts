/** Small helpers for words the receptionist hears and says, shared by the dialogues. */

/** A bare answer that could be a name: letters only, at most four words. */
export function looksLikeName(text: string): boolean {
  const words = text
    .trim()
    .toLowerCase()
    .replace(/[.,]+$/, "")
    .split(/\s+/);
  return (
    /^[\p{L}'’ .-]{2,60}$/u.test(text.trim()) &&
    words.length <= 4 &&
    // "la la la" is a sound, not a name.
    new Set(words).size === words.length &&
    !words.some((w) => NOT_NAME_WORDS.has(w))
  );
}

/**
 * Words no name is made of: an answer with one of them ("the first one",
 * "yes please", "tomorrow morning") is an answer to something else.
 */
const NOT_NAME_WORDS = new Set([
  ...["the", "a", "an", "one", "ones", "it", "that", "this", "those", "them", "is", "was", "be"],
  ...["first", "second", "third", "last", "earlier", "later", "other", "another", "next"],
  ...["yes", "yeah", "yep", "no", "nope", "ok", "okay", "fine", "sure", "please", "thanks"],
  ...["thank", "you", "sorry", "what", "pardon", "hello", "hi", "hiya", "morning", "afternoon"],
  ...["evening", "today", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday"],
  ...["saturday", "sunday", "week", "am", "pm", "o'clock", "time", "book", "cancel", "can"],
  ...["could", "would", "do", "don't", "i", "i'm", "my", "me", "we", "for", "to", "at", "on"],
  ...["in", "of", "and", "or", "not", "any", "anything", "instead", "actually", "just"],
  // Hesitations and fillers: "erm, what?" is not Mr Erm.
  ...["um", "umm", "er", "erm", "uh", "uhm", "hmm", "ah", "oh", "well", "so", "right"],
]);

/** "sarah jones." -> "Sarah Jones" */
export function tidyName(text: string): string {
  return text
    .trim()
    .replace(/[.]+$/, "")
    .split(/\s+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}

/** "a drain unblock", "an assessment" */
export function withArticle(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** "Bristol, Bath and Keynsham" */
export function joinWithAnd(items: readonly string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** "card, cash or bank transfer" */
export function joinWithOr(items: readonly string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
