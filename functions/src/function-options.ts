import type { GlobalOptions } from "firebase-functions/v2/options";
import { REGION, voiceMinInstances } from "./params";

/**
 * How each deployed function runs on Cloud Run functions, with the reason for
 * every figure. The triggers spread these in; a test checks every export
 * declares all of them. (Runtime: nodejs22, in firebase.json.)
 */
type RunOptions = Required<
  Pick<
    GlobalOptions,
    "region" | "memory" | "timeoutSeconds" | "concurrency" | "maxInstances" | "minInstances" | "cpu"
  >
>;

/** Webhooks on a caller's critical path: I/O-bound, so one instance serves many at once. */
const webhook = {
  // London: the business and its callers are in the UK, and so is Firestore (eur3/europe-west2).
  region: REGION,
  // Measured under 150 MiB with the lazily loaded vendor SDKs; 256 leaves headroom.
  memory: "256MiB",
  // Twilio waits 15 s; the handler answers within its own 9 s deadline, so 30 s is never reached.
  timeoutSeconds: 30,
  // Each request mostly waits on Firestore; 80 in flight per instance (npm run load measures it).
  concurrency: 80,
  // One vCPU: the minimum that allows concurrency above 1.
  cpu: 1,
  // 10 x 80 in-flight webhooks is far beyond a busy hour for many tenants; bounds a runaway bill.
  maxInstances: 10,
  // Scale to zero; see voice below for the one function where a warm instance may pay.
  minInstances: 0,
} satisfies RunOptions;

/** Firestore-triggered and scheduled work: off the caller's path, retried, bounded. */
const background = {
  region: REGION,
  memory: "256MiB",
  // A Twilio or Google call with its own timeouts and retries fits well inside a minute.
  timeoutSeconds: 60,
  // Events are independent and I/O-bound; a few at once per instance keeps memory flat.
  concurrency: 20,
  cpu: 1,
  // Few instances: bursts are small (one booking makes a handful of events).
  maxInstances: 5,
  minInstances: 0,
} satisfies RunOptions;

export const FUNCTION_OPTIONS = {
  voice: {
    ...webhook,
    // 0 by default; an owner who wants no cold start on the first call of the morning sets 1.
    minInstances: voiceMinInstances,
  },
  sms: webhook,
  voiceFallback: {
    ...webhook,
    // Only runs when the voice function fails: a few instances, and no warm one to pay for.
    maxInstances: 3,
  },
  voiceRecording: {
    ...webhook,
    // Nobody waits on the line: it downloads a message of up to two minutes and transcribes
    // it in 55 s pieces (45 s bound), so a minute; a few at once, each holding audio in memory.
    timeoutSeconds: 60,
    concurrency: 10,
    maxInstances: 3,
  },
  smsStatusCallback: {
    ...webhook,
    // Status callbacks arrive in bursts after each text but never block a person.
    maxInstances: 5,
  },
  calendarOAuth: {
    ...webhook,
    // Loads the googleapis calendar module and OAuth client: more memory, rare use.
    memory: "512MiB",
    concurrency: 20,
    maxInstances: 2,
  },
  dashboard: {
    ...webhook,
    // Owner and staff actions: a handful of people per business, each a few requests a minute.
    concurrency: 40,
    maxInstances: 5,
  },
  deliverOutboxMessage: {
    ...background,
    // Texts are what customers and the owner see: allow more instances for a burst of reminders.
    maxInstances: 10,
  },
  appointmentNotifications: background,
  syncAppointmentToCalendar: {
    ...background,
    // googleapis' calendar client; Google's own retries and backoff can take a while.
    memory: "512MiB",
    timeoutSeconds: 120,
    concurrency: 10,
  },
  sendDueSms: {
    ...background,
    // One run every 5 minutes goes through the whole due queue with a bounded pool.
    timeoutSeconds: 300,
    // One run at a time: runs are idempotent, but overlapping ones only compete.
    concurrency: 1,
    maxInstances: 1,
  },
  // Every 15 minutes, a few reads per business whose digest time has come; one run at a time.
  dailyDigest: { ...background, timeoutSeconds: 300, concurrency: 1, maxInstances: 1 },
  // Every 15 minutes, the text threads gone quiet: a few reads and a model call each; one run at a time.
  smsSummarySweep: { ...background, timeoutSeconds: 300, concurrency: 1, maxInstances: 1 },
  // Once a night, a bounded number of deletes; one run at a time.
  retentionSweep: { ...background, timeoutSeconds: 540, concurrency: 1, maxInstances: 1 },
  calendarSyncSweep: {
    ...background,
    memory: "512MiB",
    timeoutSeconds: 300,
    concurrency: 1,
    maxInstances: 1,
  },
} as const;
