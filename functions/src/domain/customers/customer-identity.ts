/**
 * How a caller ringing from a number we do not know proves a booking is
 * theirs: the name it is under and the postcode of its address must both
 * match a customer. Used by the customer store's lookup and its tests, so the
 * rule is written once.
 */

/** A full UK postcode (outward and inward code) anywhere in the text. */
const FULL_POSTCODE = /\b([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})\b/gi;

/**
 * The postcode as stored for lookups: upper case, no spaces ("BS66DR").
 * Only a full postcode counts: an outward code alone ("BS6") covers
 * thousands of homes and would not narrow anything down.
 */
export function postcodeKey(text: string): string | null {
  const matches = [...text.toUpperCase().matchAll(FULL_POSTCODE)];
  // An address ends with its postcode; take the last one written.
  const last = matches[matches.length - 1];
  return last ? `${last[1]}${last[2]}` : null;
}

const TITLES = new Set(["mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "sir"]);

function nameWords(name: string): string[] {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\s'-]/gu, " ")
    .split(/\s+/)
    .map((w) => w.replace(/^['-]+|['-]+$/g, ""))
    .filter((w) => w.length > 0 && !TITLES.has(w));
}

/**
 * Whether the name a caller gave is the customer's: the surname must agree,
 * and a first name, when given, must agree too (or be its initial).
 * "Mrs Holloway" and "Margaret Holloway" match Margaret Holloway;
 * "Sarah Holloway" and "Margaret" alone do not.
 */
export function namesMatch(given: string, stored: string): boolean {
  const said = nameWords(given);
  const known = nameWords(stored);
  if (said.length === 0 || known.length === 0) return false;
  if (said[said.length - 1] !== known[known.length - 1]) return false;
  if (said.length === 1) return known.length === 1 || /\b(mr|mrs|ms|miss|mx|dr)\b/i.test(given);
  const first = said[0];
  return first === known[0] || (first.length === 1 && known[0].startsWith(first));
}
