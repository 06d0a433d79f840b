import { Timestamp } from "firebase-admin/firestore";

/** Firestore stores instants as Timestamps; the domain uses Dates. */
export function toDate(value: unknown): Date {
  if (value instanceof Timestamp) return value.toDate();
  if (value instanceof Date) return value;
  if (typeof value === "string" || typeof value === "number") return new Date(value);
  throw new TypeError(`expected a timestamp, got ${typeof value}`);
}

export function optionalDate(value: unknown): Date | undefined {
  return value === undefined || value === null ? undefined : toDate(value);
}

export function isAlreadyExists(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // gRPC status 6 is ALREADY_EXISTS; some client paths surface the name instead.
  return code === 6 || code === "already-exists" || code === "ALREADY_EXISTS";
}
