import {
  decideAfterFailure,
  leaseExpiry,
  readiness,
  smsValidationProblem,
} from "../domain/delivery/delivery.state-machine";
import type { DeliveryStatus } from "../domain/delivery/outbox-message";
import {
  logSmsDeliveryDeferred,
  logSmsFailed,
  logSmsOutboxMissing,
  logSmsRetryScheduled,
  logSmsSent,
  logSmsSimulated,
} from "../logs";
import type { Clock } from "../ports/clock.port";
import type { Logger } from "../ports/logger.port";
import type { OutboxDeliveryStore, OutboxMessageRef } from "../ports/outbox-delivery.port";
import { SmsSendError, type SmsGateway } from "../ports/sms-gateway.port";

export interface DeliverOutboxDeps {
  store: OutboxDeliveryStore;
  /** Absent when no carrier credentials are configured: messages are simulated. */
  gateway?: SmsGateway;
  clock: Clock;
  logger: Logger;
  /** Passed to the carrier so delivery progress is reported back. */
  statusCallbackUrl?: string;
}

export type DeliveryResult =
  | { kind: "missing" }
  | { kind: "already-final"; status: DeliveryStatus }
  | { kind: "sent"; attempt: number; twilioSid: string }
  | { kind: "simulated"; attempt: number }
  | { kind: "failed"; attempt: number; error: string }
  /** Another run changed the message while this one worked; nothing more to do here. */
  | { kind: "superseded"; attempt: number };

/**
 * Thrown when delivery should be tried again later, so the platform's retry
 * redelivers the event. The message document already says why and when.
 */
export class TransientDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfter?: Date,
  ) {
    super(message);
    this.name = "TransientDeliveryError";
  }
}

/**
 * Delivers one outbox message, once, however often it is called: the attempt is
 * claimed atomically before any network call, and a final state ends the work.
 */
export async function deliverOutboxMessage(
  ref: OutboxMessageRef & { eventId?: string },
  deps: DeliverOutboxDeps,
): Promise<DeliveryResult> {
  const { store, clock, logger } = deps;
  const message = await store.load(ref);
  if (!message) {
    logSmsOutboxMissing(logger, ref);
    return { kind: "missing" };
  }

  const now = clock.now();
  const ready = readiness(message, now);
  if (ready.kind === "done") return { kind: "already-final", status: message.status };
  if (ready.kind === "wait") {
    // Another run holds the attempt, or the backoff has not passed: come back later.
    logSmsDeliveryDeferred(logger, { ...ref, reason: ready.reason, until: ready.until });
    throw new TransientDeliveryError(`delivery deferred: ${ready.reason}`, ready.until);
  }
  if (ready.kind === "abandoned-at-limit") {
    const error = `attempt ${message.attempts} was abandoned and no attempts are left`;
    const written = await store.recordOutcome(ref, message.attempts, {
      status: "ERROR",
      at: now,
      lastError: error,
    });
    if (written === "superseded") return { kind: "superseded", attempt: message.attempts };
    logSmsFailed(logger, {
      ...ref,
      attempt: message.attempts,
      reason: "attempts-exhausted",
      error,
    });
    return { kind: "failed", attempt: message.attempts, error };
  }

  const attempt = ready.attempt;
  const claim = await store.claimAttempt(ref, {
    attempt,
    claimedAt: now,
    leaseExpiresAt: leaseExpiry(now),
    eventId: ref.eventId,
  });
  if (claim === "already-claimed") {
    // A concurrent run owns this attempt; if it dies, a redelivery finds its lease expired.
    logSmsDeliveryDeferred(logger, { ...ref, reason: "claimed-elsewhere" });
    throw new TransientDeliveryError("attempt claimed by another delivery run");
  }

  if (!deps.gateway) {
    logSmsSimulated(logger, { ...ref, to: message.to, body: message.body });
    const written = await store.recordOutcome(ref, attempt, {
      status: "SIMULATED",
      at: clock.now(),
    });
    return written === "recorded"
      ? { kind: "simulated", attempt }
      : { kind: "superseded", attempt };
  }

  const from = message.from ?? (await store.senderNumber(ref.businessId)) ?? "";
  const request = { to: message.to, from, body: message.body };
  const problem = smsValidationProblem(request);
  if (problem) {
    return recordFailure(
      ref,
      attempt,
      new SmsSendError({ permanent: true, message: problem }),
      deps,
    );
  }

  let accepted;
  try {
    accepted = await deps.gateway.send({ ...request, statusCallbackUrl: deps.statusCallbackUrl });
  } catch (error) {
    const failure =
      error instanceof SmsSendError
        ? error
        : // Unknown failures are retried: bounded by MAX_ATTEMPTS, and safer than dropping.
          new SmsSendError({ permanent: false, message: String(error) });
    return recordFailure(ref, attempt, failure, deps);
  }

  const written = await store.recordOutcome(ref, attempt, {
    status: "SUCCESS",
    at: clock.now(),
    twilioSid: accepted.sid,
    twilioStatus: accepted.status,
  });
  logSmsSent(logger, {
    ...ref,
    to: message.to,
    attempt,
    twilioSid: accepted.sid,
    twilioStatus: accepted.status,
  });
  if (written === "superseded") return { kind: "superseded", attempt };
  return { kind: "sent", attempt, twilioSid: accepted.sid };
}

async function recordFailure(
  ref: OutboxMessageRef,
  attempt: number,
  failure: SmsSendError,
  deps: DeliverOutboxDeps,
): Promise<DeliveryResult> {
  const now = deps.clock.now();
  const decision = decideAfterFailure(attempt, failure.permanent, now);
  if (decision.status === "RETRY") {
    const written = await deps.store.recordOutcome(ref, attempt, {
      status: "RETRY",
      at: now,
      nextAttemptAt: decision.nextAttemptAt,
      lastError: failure.message,
      lastErrorCode: failure.code,
    });
    if (written === "superseded") return { kind: "superseded", attempt };
    logSmsRetryScheduled(deps.logger, {
      ...ref,
      attempt,
      nextAttemptAt: decision.nextAttemptAt,
      error: failure.message,
      errorCode: failure.code,
    });
    throw new TransientDeliveryError(
      `attempt ${attempt} failed, retrying: ${failure.message}`,
      decision.nextAttemptAt,
    );
  }

  const written = await deps.store.recordOutcome(ref, attempt, {
    status: "ERROR",
    at: now,
    lastError: failure.message,
    lastErrorCode: failure.code,
  });
  if (written === "superseded") return { kind: "superseded", attempt };
  logSmsFailed(deps.logger, {
    ...ref,
    attempt,
    reason: decision.reason,
    error: failure.message,
    errorCode: failure.code,
  });
  return { kind: "failed", attempt, error: failure.message };
}
