import { z } from "zod";

/**
 * Whether a string can be a Firestore document id as it is: no "/" (which
 * would name another path), not "." or "..", not "__…__" (reserved), at most
 * 1,500 bytes. Ids that come from outside (a URL, a callable's input) are
 * checked with this before they reach a document path, so a bad one is a
 * clear refusal and never a failed read.
 */
export function isDocumentId(value: string): boolean {
  return (
    value.length > 0 &&
    !value.includes("/") &&
    value !== "." &&
    value !== ".." &&
    !/^__.*__$/.test(value) &&
    new TextEncoder().encode(value).length <= 1500
  );
}

/** A document id from outside, at most `max` characters. */
export function documentIdSchema(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .refine(isDocumentId, "must be a plain id (no '/', not '.' or '..', not __…__)");
}
