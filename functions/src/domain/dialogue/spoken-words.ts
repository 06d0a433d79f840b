/** Small helpers for words the receptionist hears and says, shared by the dialogues. */

/** A bare answer that could be a name: letters only, at most four words. */
export function looksLikeName(text: string): boolean {
  return /^[\p{L}'’ .-]{2,60}$/u.test(text.trim()) && text.trim().split(/\s+/).length <= 4;
}

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
