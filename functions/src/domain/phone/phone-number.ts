/**
 * Phone numbers as callers and owners type or say them, turned into E.164
 * ("+447700900123") so one customer is one record however they wrote it.
 */

import {
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
} from "libphonenumber-js/max";

export type NormalisedPhone = { ok: true; e164: string } | { ok: false; reason: string };

const ALLOWED_CHARACTERS = /^\+?[\d\s\-.()/]+$/;

/**
 * Ofcom's ranges reserved for drama (07700 900xxx, 01632 960xxx, 020 7946 0xxx and the
 * 0113-0191 496 0xxx numbers). They never ring anyone, so demos, simulators and tests use
 * them, and the numbering metadata calls them invalid because no one is ever given one.
 */
const RESERVED_FOR_DRAMA = [
  /^\+447700900\d{3}$/,
  /^\+441632960\d{3}$/,
  /^\+442079460\d{3}$/,
  /^\+44(?:11[3-8]|1[2-9]1)4960\d{3}$/,
];

const LENGTH_PROBLEMS: Readonly<Record<string, string>> = {
  TOO_SHORT: "too short",
  TOO_LONG: "too long",
  INVALID_LENGTH: "wrong length",
  INVALID_COUNTRY: "no country code: give the number with +country code",
  NOT_A_NUMBER: "not a phone number",
};

function isCountryCode(country: string): country is CountryCode {
  return /^[A-Z]{2}$/.test(country);
}

/**
 * Normalises a phone number to E.164 with libphonenumber's numbering plans for every
 * country. National numbers are read in the business's country (ISO 3166 alpha-2);
 * international ones ("+353...", "00353...", "011 44...") in any country. A number must be
 * one the plan gives out, or in a range reserved for drama.
 */
export function normalisePhoneNumber(raw: string, defaultCountry: string): NormalisedPhone {
  const trimmed = raw.trim();
  if (trimmed.length === 0) return { ok: false, reason: "empty" };
  if (!ALLOWED_CHARACTERS.test(trimmed))
    return { ok: false, reason: "contains letters or symbols" };
  const country = defaultCountry.trim().toUpperCase();
  if (!isCountryCode(country)) return { ok: false, reason: `unknown country ${defaultCountry}` };

  const lengthProblem = validatePhoneNumberLength(trimmed, country);
  if (lengthProblem !== undefined) {
    return { ok: false, reason: LENGTH_PROBLEMS[lengthProblem] ?? "not a phone number" };
  }
  const parsed = parsePhoneNumberFromString(trimmed, country);
  if (parsed === undefined) return { ok: false, reason: "not a phone number" };
  const e164 = parsed.number;
  if (parsed.isValid() || RESERVED_FOR_DRAMA.some((range) => range.test(e164))) {
    return { ok: true, e164 };
  }
  return { ok: false, reason: "not a valid number for that country" };
}

const VISIBLE_TAIL = 4;

/**
 * Masks a number for logs, keeping the country code and last four digits:
 * "+447700900123" becomes "+44******0123". Anything else keeps only its last
 * two characters.
 */
export function maskPhoneNumber(e164: string): string {
  const match = /^\+(\d{7,15})$/.exec(e164.trim());
  if (!match) {
    const s = e164.trim();
    return s.length <= 2 ? "*".repeat(s.length) : `${"*".repeat(s.length - 2)}${s.slice(-2)}`;
  }
  const digits = match[1];
  const code = parsePhoneNumberFromString(`+${digits}`)?.countryCallingCode ?? digits.slice(0, 2);
  const hidden = digits.length - code.length - VISIBLE_TAIL;
  return `+${code}${"*".repeat(Math.max(0, hidden))}${digits.slice(code.length + Math.max(0, hidden))}`;
}
