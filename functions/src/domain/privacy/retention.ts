import { z } from "zod";

/**
 * How long a business keeps what callers said (docs/privacy.md). Transcripts
 * (each turn of a call or text thread) carry an `expireAt` field that
 * Firestore's TTL policy deletes after, `transcriptDays` after they were said;
 * a caller's recorded message (a turn with the recording's link) after
 * `recordingDays`. A nightly sweep deletes what the TTL has not reached yet,
 * and texts as received after `transcriptDays`.
 * Conversation summaries, appointments and customers are kept.
 */
export const retentionPolicySchema = z.object({
  transcriptDays: z.number().int().min(1).max(3650).default(90),
  recordingDays: z.number().int().min(1).max(3650).default(30),
});
export type RetentionPolicy = z.infer<typeof retentionPolicySchema>;
export const defaultRetentionPolicy: RetentionPolicy = retentionPolicySchema.parse({});

const DAY_MS = 86_400_000;

/** When something said at `at` expires under `days` of retention. */
export function expiryOf(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}
