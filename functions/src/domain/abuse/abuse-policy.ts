import { z } from "zod";

/**
 * How a business protects its line from abuse (docs/abuse-protection.md):
 * fixed-window rate limits per caller number and per IP, and the screening
 * of numbers that keep ringing off. Part of the tenant schema; every field
 * has a default, so a business that never set it is protected all the same.
 */
const windowLimit = (limit: number, windowMinutes: number, maxLimit: number) =>
  z
    .object({
      /** Arrivals allowed in one window; the next one is limited. Never below 2: a first call always passes. */
      limit: z.number().int().min(2).max(maxLimit),
      windowMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60),
    })
    .default({ limit, windowMinutes });

export const abusePolicySchema = z.object({
  /** New calls from one number; a caller whose line keeps dropping redials well inside this. */
  callsPerNumber: windowLimit(6, 10, 100),
  /** Inbound texts from one number. */
  textsPerNumber: windowLimit(20, 10, 500),
  /** Requests to the public HTTP endpoints from one IP address. */
  requestsPerIp: windowLimit(60, 1, 10_000),
  /** Calls that end within `maxSeconds`, `count` times within `withinHours`, screen the number. */
  shortCalls: z
    .object({
      enabled: z.boolean(),
      maxSeconds: z.number().int().min(1).max(60),
      count: z.number().int().min(2).max(50),
      withinHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 7),
    })
    .default({ enabled: true, maxSeconds: 5, count: 4, withinHours: 24 }),
});
export type AbusePolicy = z.infer<typeof abusePolicySchema>;
export const defaultAbusePolicy: AbusePolicy = abusePolicySchema.parse({});

export interface RateWindow {
  limit: number;
  windowMinutes: number;
}

/** The fixed window `now` falls in: its start, and when its counter may be deleted. */
export interface WindowSlot {
  start: Date;
  /** The Firestore TTL field: an hour after the window closes. */
  expireAt: Date;
}

const HOUR_MS = 3_600_000;

export function windowSlot(now: Date, windowMinutes: number): WindowSlot {
  const size = windowMinutes * 60_000;
  const start = Math.floor(now.getTime() / size) * size;
  return { start: new Date(start), expireAt: new Date(start + size + HOUR_MS) };
}

/** The count includes this arrival: the first `limit` pass, the rest are limited. */
export function overLimit(count: number, window: RateWindow): boolean {
  return count > window.limit;
}

/** Why a number is screened (or, for "allowed", why it never will be automatically). */
export const SCREENING_REASONS = ["short-calls", "known-spam", "owner"] as const;
export type ScreeningReason = (typeof SCREENING_REASONS)[number];

/**
 * A number on the business's screening list (businesses/{b}/screening/{e164}).
 * "screened": its calls hear a short message; "allowed": the owner released
 * it, and neither short calls nor the known-spam list screen it again until
 * the owner says so.
 */
export interface ScreeningEntry {
  number: string;
  status: "screened" | "allowed";
  reason: ScreeningReason;
  since: Date;
  /** Short calls counted when it was screened automatically. */
  shortCalls?: number;
  /** Calls and texts turned away while screened. */
  turnedAway?: number;
  updatedBy?: string;
}

/**
 * What happens to a new call or text: the business's own people always pass;
 * a number the owner allowed passes; a screened number (on the list, or on
 * the known-spam list) is screened; otherwise the rate limit decides.
 */
export type GateVerdict =
  | { kind: "pass" }
  | { kind: "screened"; reason: ScreeningReason }
  | { kind: "limited"; count: number };

export function gateVerdict(input: {
  count: number;
  window: RateWindow;
  entry: ScreeningEntry | null;
  knownSpam: boolean;
}): GateVerdict {
  if (input.entry?.status === "screened") return { kind: "screened", reason: input.entry.reason };
  const allowed = input.entry?.status === "allowed";
  if (!allowed && input.knownSpam) return { kind: "screened", reason: "known-spam" };
  if (overLimit(input.count, input.window)) return { kind: "limited", count: input.count };
  return { kind: "pass" };
}

/** The numbers no limit or screening ever applies to: the business's own people. */
export function isBusinessNumber(
  business: { ownerMobile: string; backupNumbers: readonly string[]; phoneNumber: string },
  e164: string,
): boolean {
  return (
    e164 === business.ownerMobile ||
    e164 === business.phoneNumber ||
    business.backupNumbers.includes(e164)
  );
}
