import {
  decideAfterFailure,
  leaseExpiry,
  mustReconcileBeforeSending,
  readiness,
  reconcileWindowStart,
  smsValidationProblem,
} from "../domain/delivery/delivery.state-machine";
import {
  failureFollowUp,
  failureReason,
  OPTED_OUT_CODE,
  OPTED_OUT_REASON,
  ownerFailureMessageId,
  ownerFailureText,
  smsFailedAttention,
} from "../domain/delivery/failure-visibility";
import {
  isOwnerBound,
  type DeliveryStatus,
  type OutboxMessage,
} from "../domain/delivery/outbox-message";
import { normalisePhoneNumber } from "../domain/phone/phone-number";
import {
  errorText,
  logSmsDeliveryDeferred,
  logSmsFailed,
  logSmsHistoryFailed,
  logSmsOutboxMissing,
  logSmsReconciled,
  logSmsRetryScheduled,
  logSmsSent,
  logSmsSimulated,
  logWarn,
} from "../logs";
import type { AttentionBoard, DegradationReporter } from "../ports/attention.port";
import { isSystemicSmsFailure } from "../domain/health/degradation";
import type { Clock } from "../ports/clock.port";
import type { Logger } from "../ports/logger.port";
import type {
  BusinessSmsProfile,
  OutboxDeliveryStore,
  OutboxMessageRef,
} from "../ports/outbox-delivery.port";
import type { OutboxQueue } from "../ports/outbox.port";
import type { RecipientStatus } from "../ports/recipient-status.port";
import type { SmsConsentStore } from "../ports/sms-consent.port";
import type { SmsHistory } from "../ports/sms-conversation.port";
import { SmsSendError, type SmsAccepted, type SmsGateway } from "../ports/sms-gateway.port";

export interface DeliverOutboxDeps {
  store: OutboxDeliveryStore;
  /** Where follow-up texts (the owner's failure notice) are queued. */
  outbox: OutboxQueue;
  /** Opt-out and name of a customer recipient. */
  recipients: RecipientStatus;
  /** The dashboard's list of failures the owner should see. */
  attention: AttentionBoard;
  /** Absent when no carrier credentials are configured: messages are simulated. */
  gateway?: SmsGateway;
  /** The customer's SMS conversation: each text they were sent (or would have been) is added. */
  history?: SmsHistory;
  /** Told when a failure means texts are failing generally (domain/health/degradation.ts). */
  degradation?: DegradationReporter;
  /**
   * Where a customer's opt-out is kept: Twilio refusing a text with 21610 (they
   * replied STOP) marks them opted out, as their STOP would have here.
   */
  consent?: SmsConsentStore;
  clock: Clock;
  logger: Logger;
  /**
   * Base URL of the status callback function. Each message gets its own
   * {base}/{businessId}/{messageId}, so a callback finds its message even when
   * the answer to the send (and so the SID) was lost.
   */
  statusCallbackUrl?: string;
}

export type DeliveryResult =
  | { kind: "missing" }
  | { kind: "already-final"; status: DeliveryStatus }
  | { kind: "sent"; attempt: number; twilioSid: string; reconciled?: boolean }
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

/** The status callback URL for one message. */
export function messageStatusCallbackUrl(base: string, ref: OutboxMessageRef): string {
  const root = base.replace(/\/+$/, "");
  return `${root}/${encodeURIComponent(ref.businessId)}/${encodeURIComponent(ref.messageId)}`;
}

const DEFAULT_COUNTRY = "GB";

/**
 * Delivers one outbox message, once, however often it is called: the attempt is
 * claimed atomically before any network call, an attempt after one whose
 * outcome is unknown first looks for the message at Twilio, and a final state
 * ends the work. A final failure is made visible (attention item, owner text).
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
  if (ready.kind === "done") {
    // A redelivered event finishes follow-ups an earlier run may not have completed.
    if (message.status === "ERROR" && message.ownerShouldKnow) {
      await followUpFailure(message, message.lastErrorCode, message.lastError ?? "", deps);
    }
    return { kind: "already-final", status: message.status };
  }
  if (ready.kind === "wait") {
    // Another run holds the attempt, or the backoff has not passed: come back later.
    logSmsDeliveryDeferred(logger, { ...ref, reason: ready.reason, until: ready.until });
    throw new TransientDeliveryError(`delivery deferred: ${ready.reason}`, ready.until);
  }
  if (ready.kind === "abandoned-at-limit") return abandonAtLimit(ref, message, deps);

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
  // Whether an earlier attempt may have reached Twilio without our knowing.
  const unknownBefore = mustReconcileBeforeSending(message);
  const run: AttemptRun = { ref, message, attempt, unknownBefore };

  const profile = await store.smsProfile(ref.businessId);
  const country = profile?.defaultCountry ?? DEFAULT_COUNTRY;
  const to = normalisePhoneNumber(message.to, country);
  if (!to.ok) {
    return recordFailure(run, permanent(`recipient number is invalid: ${to.reason}`), deps);
  }
  if (!isOwnerBound(message.purpose)) {
    const recipient = await deps.recipients.recipient(ref.businessId, to.e164);
    if (recipient.optedOut) {
      return recordFailure(run, permanent(OPTED_OUT_REASON), deps, { optedOut: true });
    }
  }

  if (!deps.gateway) {
    logSmsSimulated(logger, { ...ref, to: to.e164, body: message.body });
    const at = clock.now();
    const written = await store.recordOutcome(ref, attempt, { status: "SIMULATED", at });
    if (written === "superseded") return { kind: "superseded", attempt };
    await recordInHistory(message, to.e164, at, deps);
    return { kind: "simulated", attempt };
  }

  const sender = senderNumber(message, profile);
  if (!sender.ok) return recordFailure(run, permanent(sender.reason), deps);
  const request = { to: to.e164, from: sender.e164, body: message.body };
  const problem = smsValidationProblem(request);
  if (problem) return recordFailure(run, permanent(problem), deps);

  if (unknownBefore) {
    let found: SmsAccepted | undefined;
    try {
      found = message.twilioSid
        ? // A status callback already told us Twilio has it.
          { sid: message.twilioSid, status: message.twilioStatus ?? "queued" }
        : await deps.gateway.findSent({
            ...request,
            createdSince: reconcileWindowStart(message.createdAt),
          });
    } catch (error) {
      // Without knowing, sending again could duplicate it: try the lookup later.
      return recordFailure(run, asSendError(error), deps);
    }
    if (found) return recordSuccess(run, found, deps, { reconciled: true, to: to.e164 });
  }

  let accepted: SmsAccepted;
  try {
    accepted = await deps.gateway.send({
      ...request,
      statusCallbackUrl: deps.statusCallbackUrl
        ? messageStatusCallbackUrl(deps.statusCallbackUrl, ref)
        : undefined,
    });
  } catch (error) {
    return recordFailure(run, asSendError(error), deps);
  }
  return recordSuccess(run, accepted, deps, { reconciled: false, to: to.e164 });
}

interface AttemptRun {
  ref: OutboxMessageRef;
  message: OutboxMessage;
  attempt: number;
  unknownBefore: boolean;
}

function permanent(message: string): SmsSendError {
  return new SmsSendError({ permanent: true, message });
}

/** Unknown failures are retried: bounded by MAX_ATTEMPTS, and safer than dropping. */
function asSendError(error: unknown): SmsSendError {
  return error instanceof SmsSendError
    ? error
    : new SmsSendError({ permanent: false, message: String(error) });
}

function senderNumber(
  message: OutboxMessage,
  profile: BusinessSmsProfile | undefined,
): { ok: true; e164: string } | { ok: false; reason: string } {
  const raw = message.from ?? profile?.phoneNumber;
  if (!raw) return { ok: false, reason: "the business has no sending number" };
  const from = normalisePhoneNumber(raw, profile?.defaultCountry ?? DEFAULT_COUNTRY);
  return from.ok ? from : { ok: false, reason: `sender number is invalid: ${from.reason}` };
}

async function recordSuccess(
  run: AttemptRun,
  accepted: SmsAccepted,
  deps: DeliverOutboxDeps,
  how: { reconciled: boolean; to: string },
): Promise<DeliveryResult> {
  const { ref, message, attempt } = run;
  const at = deps.clock.now();
  const written = await deps.store.recordOutcome(ref, attempt, {
    status: "SUCCESS",
    at,
    twilioSid: accepted.sid,
    twilioStatus: accepted.status,
    reconciled: how.reconciled || undefined,
  });
  const logged = {
    ...ref,
    to: message.to,
    attempt,
    twilioSid: accepted.sid,
    twilioStatus: accepted.status,
    purpose: message.purpose,
    // From queued to accepted by Twilio: the emergency alert SLO's measure (docs/slos.md).
    latencyMs: at.getTime() - message.createdAt.getTime(),
  };
  if (how.reconciled) logSmsReconciled(deps.logger, logged);
  else logSmsSent(deps.logger, logged);
  if (written === "superseded") return { kind: "superseded", attempt };
  await recordInHistory(message, how.to, at, deps);
  return {
    kind: "sent",
    attempt,
    twilioSid: accepted.sid,
    ...(how.reconciled && { reconciled: true }),
  };
}

async function recordFailure(
  run: AttemptRun,
  failure: SmsSendError,
  deps: DeliverOutboxDeps,
  facts: { optedOut?: boolean } = {},
): Promise<DeliveryResult> {
  const { ref, message, attempt } = run;
  const now = deps.clock.now();
  const outcomeUnknown = run.unknownBefore || failure.outcomeUnknown;
  const decision = decideAfterFailure(attempt, failure.permanent, now);
  if (decision.status === "RETRY") {
    const written = await deps.store.recordOutcome(ref, attempt, {
      status: "RETRY",
      at: now,
      nextAttemptAt: decision.nextAttemptAt,
      lastError: failure.message,
      lastErrorCode: failure.code,
      outcomeUnknown,
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

  const error =
    decision.reason === "attempts-exhausted"
      ? `gave up after ${attempt} attempts: ${failure.message}`
      : failure.message;
  const followUp = failureFollowUp({
    purpose: message.purpose,
    code: failure.code,
    optedOut: facts.optedOut,
  });
  const written = await deps.store.recordOutcome(ref, attempt, {
    status: "ERROR",
    at: now,
    lastError: error,
    lastErrorCode: failure.code,
    ownerShouldKnow: followUp.ownerShouldKnow,
    outcomeUnknown: outcomeUnknown || undefined,
  });
  if (written === "superseded") return { kind: "superseded", attempt };
  const refusedAsOptedOut = failure.code === OPTED_OUT_CODE;
  logSmsFailed(deps.logger, {
    ...ref,
    attempt,
    reason: facts.optedOut || refusedAsOptedOut ? "opted-out" : decision.reason,
    error,
    errorCode: failure.code,
  });
  if (refusedAsOptedOut) await recordCarrierOptOut(message, deps);
  await followUpFailure(message, failure.code, error, deps, facts);
  if (deps.degradation && !facts.optedOut && isSystemicSmsFailure(failure.code, decision.reason)) {
    await deps.degradation.report(
      ref.businessId,
      "texts-failing",
      failureReason(failure.code, error),
    );
  }
  return { kind: "failed", attempt, error };
}

/** The last attempt's worker died: look for the message at Twilio before calling it failed. */
async function abandonAtLimit(
  ref: OutboxMessageRef,
  message: OutboxMessage,
  deps: DeliverOutboxDeps,
): Promise<DeliveryResult> {
  const attempt = message.attempts;
  const run: AttemptRun = { ref, message, attempt, unknownBefore: true };
  if (deps.gateway) {
    const profile = await deps.store.smsProfile(ref.businessId);
    const to = normalisePhoneNumber(message.to, profile?.defaultCountry ?? DEFAULT_COUNTRY);
    const from = senderNumber(message, profile);
    if (to.ok && from.ok) {
      let found: SmsAccepted | undefined;
      try {
        found = await deps.gateway.findSent({
          to: to.e164,
          from: from.e164,
          body: message.body,
          createdSince: reconcileWindowStart(message.createdAt),
        });
      } catch {
        // Twilio cannot tell us now; with no attempts left the message is failed.
      }
      if (found) return recordSuccess(run, found, deps, { reconciled: true, to: to.e164 });
    }
  }
  return recordFailure(
    run,
    permanent(`attempt ${attempt} was abandoned and no attempts are left`),
    deps,
  );
}

/**
 * Adds a text that went to a customer to their SMS conversation. The message
 * is already recorded as sent, so a failure here is logged, not retried.
 */
async function recordInHistory(
  message: OutboxMessage,
  to: string,
  at: Date,
  deps: DeliverOutboxDeps,
): Promise<void> {
  if (!deps.history || isOwnerBound(message.purpose)) return;
  try {
    await deps.history.append(message.businessId, to, {
      at,
      speaker: "receptionist",
      text: message.body,
      messageId: message.id,
    });
  } catch (error) {
    logSmsHistoryFailed(deps.logger, {
      businessId: message.businessId,
      messageId: message.id,
      error: errorText(error),
    });
  }
}

/**
 * Twilio refused or failed a text with 21610: the customer replied STOP to
 * this number at some point, perhaps before we kept their opt-out. They are
 * marked opted out (the state an inbound STOP sets), so nothing more is sent
 * to them. The owner's own number is not a customer: nothing to mark.
 */
export async function recordCarrierOptOut(
  message: OutboxMessage,
  deps: {
    store: Pick<OutboxDeliveryStore, "smsProfile">;
    consent?: SmsConsentStore;
    clock: Clock;
    logger: Logger;
  },
): Promise<void> {
  if (!deps.consent || isOwnerBound(message.purpose)) return;
  const profile = await deps.store.smsProfile(message.businessId);
  const to = normalisePhoneNumber(message.to, profile?.defaultCountry ?? DEFAULT_COUNTRY);
  if (!to.ok) return;
  await deps.consent.setSmsOptOut(message.businessId, to.e164, true, deps.clock.now());
  logWarn(deps.logger, "sms.recipient-opted-out", {
    businessId: message.businessId,
    messageId: message.id,
    errorCode: OPTED_OUT_CODE,
  });
}

/**
 * Makes a final failure visible: an attention item, and for a customer who did
 * not get their text, one short SMS to the owner. Both are idempotent (fixed
 * ids), so running this again after a crash or redelivery adds nothing.
 */
export async function followUpFailure(
  message: OutboxMessage,
  code: number | undefined,
  error: string,
  deps: {
    store: Pick<OutboxDeliveryStore, "smsProfile">;
    outbox: OutboxQueue;
    recipients: RecipientStatus;
    attention: AttentionBoard;
    clock: Clock;
  },
  facts: { optedOut?: boolean } = {},
): Promise<void> {
  const followUp = failureFollowUp({ purpose: message.purpose, code, optedOut: facts.optedOut });
  if (!followUp.attention && !followUp.ownerSms) return;
  const reason = failureReason(code, error);
  const profile = await deps.store.smsProfile(message.businessId);
  const to = normalisePhoneNumber(message.to, profile?.defaultCountry ?? DEFAULT_COUNTRY);
  const phone = to.ok ? to.e164 : message.to;
  if (followUp.attention) {
    await deps.attention.raise(
      message.businessId,
      smsFailedAttention({
        messageId: message.id,
        to: phone,
        purpose: message.purpose,
        reason,
        at: deps.clock.now(),
      }),
    );
  }
  if (followUp.ownerSms && profile?.ownerMobile) {
    const recipient = to.ok
      ? await deps.recipients.recipient(message.businessId, to.e164)
      : { optedOut: false };
    await deps.outbox.enqueue({
      id: ownerFailureMessageId(message.id),
      businessId: message.businessId,
      to: profile.ownerMobile,
      body: ownerFailureText({ name: recipient.name, phone }, reason),
      purpose: "owner-sms-failed",
      relatedId: message.id,
    });
  }
}
