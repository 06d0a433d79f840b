import type { DeliveryStatus } from "./outbox-message";

/**
 * The delivery state machine every outgoing message follows (DESIGN.md section 2):
 *
 *   PENDING -> PROCESSING -> SUCCESS | SIMULATED | ERROR
 *                        \-> RETRY -> PROCESSING -> ...
 *
 * PROCESSING -> PROCESSING is a new attempt taking over one whose lease ran out
 * (the worker died mid-attempt). Terminal states are never left.
 */

export const TERMINAL_STATUSES: readonly DeliveryStatus[] = ["SUCCESS", "SIMULATED", "ERROR"];

const ALLOWED_TRANSITIONS: Readonly<Record<DeliveryStatus, readonly DeliveryStatus[]>> = {
  PENDING: ["PROCESSING"],
  PROCESSING: ["PROCESSING", "SUCCESS", "SIMULATED", "RETRY", "ERROR"],
  RETRY: ["PROCESSING"],
  SUCCESS: [],
  SIMULATED: [],
  ERROR: [],
};

export function isTerminal(status: DeliveryStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function canTransition(from: DeliveryStatus, to: DeliveryStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/** One first try plus four retries. */
export const MAX_ATTEMPTS = 5;

/**
 * Wait after the nth failed attempt (index 0 = after the first). Deterministic on
 * purpose: one message per document, so there is no thundering herd to spread out,
 * and fixed delays make the schedule testable and explainable to an owner.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  30_000, // 30 s
  2 * 60_000, // 2 min
  10 * 60_000, // 10 min
  30 * 60_000, // 30 min
];

/**
 * How long a claimed attempt is owned by its worker. Longer than the function's
 * 60 s timeout, so a lease can only expire once its worker is surely gone.
 */
export const CLAIM_LEASE_MS = 120_000;

export function retryDelayMs(failedAttempt: number): number {
  const index = Math.min(Math.max(failedAttempt, 1), RETRY_DELAYS_MS.length) - 1;
  return RETRY_DELAYS_MS[index];
}

export function leaseExpiry(claimedAt: Date): Date {
  return new Date(claimedAt.getTime() + CLAIM_LEASE_MS);
}

export type FailureDecision =
  | { status: "RETRY"; nextAttemptAt: Date }
  | { status: "ERROR"; reason: "permanent" | "attempts-exhausted" };

/** What a failed attempt leads to: another try later, or the end. */
export function decideAfterFailure(
  failedAttempt: number,
  permanent: boolean,
  now: Date,
): FailureDecision {
  if (permanent) return { status: "ERROR", reason: "permanent" };
  if (failedAttempt >= MAX_ATTEMPTS) return { status: "ERROR", reason: "attempts-exhausted" };
  return {
    status: "RETRY",
    nextAttemptAt: new Date(now.getTime() + retryDelayMs(failedAttempt)),
  };
}

export type Readiness =
  | { kind: "done" }
  | { kind: "wait"; until: Date; reason: "lease-held" | "backoff" }
  | { kind: "abandoned-at-limit" }
  | { kind: "attempt"; attempt: number };

/** Whether a delivery run may start a new attempt on a message in this state now. */
export function readiness(
  message: {
    status: DeliveryStatus;
    attempts: number;
    nextAttemptAt?: Date;
    leaseExpiresAt?: Date;
  },
  now: Date,
): Readiness {
  if (isTerminal(message.status)) return { kind: "done" };
  if (message.status === "PROCESSING") {
    if (message.leaseExpiresAt && message.leaseExpiresAt > now) {
      return { kind: "wait", until: message.leaseExpiresAt, reason: "lease-held" };
    }
    // The worker holding the previous attempt is gone; that attempt counts as spent.
    if (message.attempts >= MAX_ATTEMPTS) return { kind: "abandoned-at-limit" };
  }
  if (message.status === "RETRY" && message.nextAttemptAt && message.nextAttemptAt > now) {
    return { kind: "wait", until: message.nextAttemptAt, reason: "backoff" };
  }
  return { kind: "attempt", attempt: message.attempts + 1 };
}

/**
 * Twilio error codes that no retry can fix.
 * https://www.twilio.com/docs/api/errors
 */
export const PERMANENT_TWILIO_CODES: ReadonlySet<number> = new Set([
  21211, // invalid 'To' number
  21408, // permission to send to this region not enabled
  21602, // body required
  21604, // 'To' required
  21606, // 'From' is not a valid SMS-capable number
  21610, // recipient unsubscribed (replied STOP)
  21612, // 'To' not reachable from this 'From'
  21614, // 'To' is not a mobile number
  21617, // body too long
  21659, // 'From' is not a Twilio number
  21660, // 'From' does not belong to the account
]);

/** Twilio's "too many requests" code, sometimes sent with a non-429 status. */
const TWILIO_RATE_LIMIT_CODE = 20429;

export interface SendFailureFacts {
  /** HTTP status of Twilio's answer; absent when no answer came (network, timeout). */
  httpStatus?: number;
  /** Twilio's error code from the answer body. */
  code?: number;
}

/**
 * Permanent failures are recorded and never retried; transient ones are retried
 * with backoff. Rate limits, server errors and no answer at all are transient;
 * known bad-recipient codes and other 4xx validation answers are permanent.
 */
export function classifySendFailure(facts: SendFailureFacts): "permanent" | "transient" {
  if (facts.code !== undefined && PERMANENT_TWILIO_CODES.has(facts.code)) return "permanent";
  if (facts.code === TWILIO_RATE_LIMIT_CODE) return "transient";
  const status = facts.httpStatus;
  if (status === undefined) return "transient";
  if (status === 408 || status === 429 || status >= 500) return "transient";
  if (status >= 400) return "permanent";
  return "transient";
}

const E164 = /^\+[1-9]\d{6,14}$/;
/** Twilio's limit for one message body. */
export const MAX_SMS_BODY_CHARS = 1600;

/** Checks Twilio would reject anyway, done before spending a network call. */
export function smsValidationProblem(req: {
  to: string;
  from: string;
  body: string;
}): string | undefined {
  if (!E164.test(req.to)) return "recipient is not an E.164 phone number";
  if (!E164.test(req.from)) return "sender is not an E.164 phone number";
  if (req.body.trim().length === 0) return "message body is empty";
  if (req.body.length > MAX_SMS_BODY_CHARS) {
    return `message body is longer than ${MAX_SMS_BODY_CHARS} characters`;
  }
  return undefined;
}

/**
 * Twilio's message statuses in the order a message moves through them. Callbacks
 * arrive out of order ("sent" after "delivered"), so a status only replaces one
 * of lower rank: a late callback never moves a message backwards.
 */
const TWILIO_STATUS_RANK: Readonly<Record<string, number>> = {
  accepted: 1,
  scheduled: 1,
  queued: 2,
  sending: 3,
  sent: 4,
  // Outcomes: one of them is final, whichever came first.
  delivered: 5,
  undelivered: 5,
  failed: 5,
  canceled: 5,
  read: 6,
};

/** The Twilio status to keep after a callback reports `incoming`. */
export function mergeTwilioStatus(current: string | undefined, incoming: string): string {
  const incomingRank = TWILIO_STATUS_RANK[incoming];
  if (incomingRank === undefined) return current ?? incoming;
  if (current === undefined) return incoming;
  const currentRank = TWILIO_STATUS_RANK[current] ?? 0;
  return incomingRank > currentRank ? incoming : current;
}

/** Twilio statuses that mean the message will never reach the handset. */
export const CARRIER_FAILURE_STATUSES: readonly string[] = ["undelivered", "failed"];

export function isCarrierFailure(twilioStatus: string | undefined): boolean {
  return twilioStatus !== undefined && CARRIER_FAILURE_STATUSES.includes(twilioStatus);
}

/**
 * Network errors that happen before a request can reach Twilio: after one of
 * these Twilio surely does not have the message. Anything else without an
 * HTTP answer (timeout, connection reset, socket hang up) may have arrived.
 */
const NOT_SENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
]);

/**
 * Whether a failed send may nevertheless have created the message at Twilio.
 * An HTTP answer settles it (Twilio said no); no answer does not.
 */
export function isSendOutcomeUnknown(facts: {
  httpStatus?: number;
  networkCode?: string;
}): boolean {
  if (facts.httpStatus !== undefined) return false;
  return !(facts.networkCode !== undefined && NOT_SENT_NETWORK_CODES.has(facts.networkCode));
}

/**
 * Whether an attempt must first look the message up at Twilio instead of
 * sending straight away: an earlier attempt may have reached Twilio without us
 * learning so (it timed out, or its worker died while PROCESSING).
 */
export function mustReconcileBeforeSending(message: {
  status: DeliveryStatus;
  outcomeUnknown?: boolean;
}): boolean {
  return message.status === "PROCESSING" || message.outcomeUnknown === true;
}

/**
 * How far before the message was queued a Twilio record may be dated and still
 * be this message: covers clock skew between Twilio and us.
 */
export const RECONCILE_CLOCK_SKEW_MS = 5 * 60_000;

/** The earliest creation time at Twilio that can belong to a message queued at `createdAt`. */
export function reconcileWindowStart(createdAt: Date): Date {
  return new Date(createdAt.getTime() - RECONCILE_CLOCK_SKEW_MS);
}
