import * as functionsLogger from "firebase-functions/logger";
import type { LogFields, Logger } from "./ports/logger.port";
import type { LogEvent } from "./log-events";
import { maskPhoneNumber } from "./domain/phone/phone-number";

/**
 * Every log event the product emits, one named function each, so fields stay
 * consistent and redaction happens in one place. Phone numbers are masked;
 * secrets and message bodies never appear, except in simulated mode, whose
 * whole point is to show the developer the text that would have been sent.
 */

/** "+447700900123" -> "+44******0123": enough to tell numbers apart, not to dial them. */
export const maskPhone = maskPhoneNumber;

/**
 * What looks like a phone number inside free text: E.164 ("+447700900123",
 * "+44 7700 900123"), the same without its plus ("447700900123"), and a UK
 * national number of 10 or 11 digits ("07700 900123", "0117-496-0000"). Not
 * inside a longer word or number, so ids, SIDs and dates are left alone.
 */
const PHONE_LIKE = /(?<![\w+])(?:\+\d(?:[\s-]?\d){6,14}|0\d(?:[\s-]?\d){8,9}|44\d{9,10})(?![\w])/g;

/** Masks anything that looks like a phone number inside free text (e.g. a vendor's error message). */
export function redactPhones(text: string): string {
  return text.replace(PHONE_LIKE, (match) => {
    const digits = match.replace(/\D/g, "");
    if (match.startsWith("+")) return maskPhone(`+${digits}`);
    return maskPhone(digits.startsWith("0") ? `+44${digits.slice(1)}` : `+${digits}`);
  });
}

/** Every string field with its phone numbers masked; numbers and flags as they are. */
function redacted(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = typeof value === "string" ? redactPhones(value) : value;
  }
  return out;
}

/**
 * The one way code outside this file logs: a named event from the catalogue
 * (log-events.ts, so the compiler refuses a name it does not list), every
 * string field redacted. Fields name things (ids, outcomes, counts, an error's
 * message); never speech, transcripts or message bodies.
 */
export function logInfo(logger: Logger, event: LogEvent, fields: LogFields = {}): void {
  logger.info(event, redacted(fields));
}
export function logWarn(logger: Logger, event: LogEvent, fields: LogFields = {}): void {
  logger.warn(event, redacted(fields));
}
export function logError(logger: Logger, event: LogEvent, fields: LogFields = {}): void {
  logger.error(event, redacted(fields));
}

/** An error's message, for an `error` field (redacted like every field). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// write() keeps the event name as the message; logger.error() would replace it with a stack trace.
/** The deployed functions' logger: Cloud Logging's structured lines, read by ops/monitoring. */
export const functionsLoggerAdapter: Logger = {
  info: (event, fields) => functionsLogger.write({ severity: "INFO", message: event, ...fields }),
  warn: (event, fields) =>
    functionsLogger.write({ severity: "WARNING", message: event, ...fields }),
  error: (event, fields) => functionsLogger.write({ severity: "ERROR", message: event, ...fields }),
};

interface OutboxLogRef {
  businessId: string;
  messageId: string;
}

export function logSmsSimulated(
  logger: Logger,
  ref: OutboxLogRef & { to: string; body: string },
): void {
  // The message line itself carries the text so the local stack's console shows it.
  logger.info(`[simulated SMS] to ${maskPhone(ref.to)}: ${ref.body}`, {
    event: "sms.simulated",
    businessId: ref.businessId,
    messageId: ref.messageId,
  });
}

export function logSmsSent(
  logger: Logger,
  ref: OutboxLogRef & {
    to: string;
    attempt: number;
    twilioSid: string;
    twilioStatus: string;
    purpose?: string;
    /** Queued to accepted by Twilio. */
    latencyMs?: number;
  },
): void {
  logger.info("sms.sent", {
    businessId: ref.businessId,
    messageId: ref.messageId,
    to: maskPhone(ref.to),
    attempt: ref.attempt,
    twilioSid: ref.twilioSid,
    twilioStatus: ref.twilioStatus,
    purpose: ref.purpose,
    latencyMs: ref.latencyMs,
    outcome: "sent",
  });
}

export function logSmsRetryScheduled(
  logger: Logger,
  ref: OutboxLogRef & { attempt: number; nextAttemptAt: Date; error: string; errorCode?: number },
): void {
  logger.warn("sms.retry-scheduled", {
    businessId: ref.businessId,
    messageId: ref.messageId,
    attempt: ref.attempt,
    nextAttemptAt: ref.nextAttemptAt.toISOString(),
    error: redactPhones(ref.error),
    errorCode: ref.errorCode,
  });
}

export function logSmsFailed(
  logger: Logger,
  ref: OutboxLogRef & { attempt: number; reason: string; error: string; errorCode?: number },
): void {
  logger.error("sms.failed", {
    businessId: ref.businessId,
    messageId: ref.messageId,
    attempt: ref.attempt,
    reason: ref.reason,
    error: redactPhones(ref.error),
    errorCode: ref.errorCode,
  });
}

export function logSmsDeliveryDeferred(
  logger: Logger,
  ref: OutboxLogRef & { reason: string; until?: Date },
): void {
  logger.info("sms.delivery-deferred", {
    businessId: ref.businessId,
    messageId: ref.messageId,
    reason: ref.reason,
    until: ref.until?.toISOString(),
  });
}

export function logSmsOutboxMissing(logger: Logger, ref: OutboxLogRef): void {
  logger.warn("sms.outbox-message-missing", {
    businessId: ref.businessId,
    messageId: ref.messageId,
  });
}

/** A retry found the message already at Twilio (an earlier attempt's answer was lost). */
export function logSmsReconciled(
  logger: Logger,
  ref: OutboxLogRef & { to: string; attempt: number; twilioSid: string; twilioStatus: string },
): void {
  logger.warn("sms.reconciled", {
    businessId: ref.businessId,
    messageId: ref.messageId,
    to: maskPhone(ref.to),
    attempt: ref.attempt,
    twilioSid: ref.twilioSid,
    twilioStatus: ref.twilioStatus,
  });
}

export function logSmsStatusReported(
  logger: Logger,
  ref: OutboxLogRef & { twilioSid: string; reported: string; current: string; errorCode?: number },
): void {
  const failed = ref.current === "undelivered" || ref.current === "failed";
  (failed ? logger.error : logger.info).call(logger, "sms.status", {
    businessId: ref.businessId,
    messageId: ref.messageId,
    twilioSid: ref.twilioSid,
    reported: ref.reported,
    current: ref.current,
    errorCode: ref.errorCode,
  });
}

/** A status callback for a message we do not know: answered 200 so Twilio stops retrying. */
export function logSmsStatusUnknownSid(
  logger: Logger,
  fields: { twilioSid: string; reported: string },
): void {
  logger.warn("sms.status-unknown-sid", fields);
}

export function logSmsStatusFailed(logger: Logger, fields: { error: string }): void {
  logger.error("sms.status-failed", { error: redactPhones(fields.error) });
}

export function logSmsHistoryFailed(logger: Logger, ref: OutboxLogRef & { error: string }): void {
  logger.warn("sms.history-append-failed", {
    businessId: ref.businessId,
    messageId: ref.messageId,
    error: redactPhones(ref.error),
  });
}

/**
 * The voice fallback answered (Twilio's fallback URL: the voice webhook failed
 * or timed out for this call). Logged as an error: each one is a caller who
 * did not reach the receptionist.
 */
export function logVoiceFallback(
  logger: Logger,
  fields: {
    businessId?: string;
    callSid: string;
    stage: "answered" | "voicemail";
    /** Who was texted: "owner", "operator", "nobody" (no number), "failed", "simulated", "none" (no message left). */
    outcome: string;
    latencyMs: number;
    errorCode?: string;
  },
): void {
  logger.error("voice.fallback", { ...fields });
}

/**
 * A stored conversation (a call's state, or what a customer's texts carry on)
 * did not pass its schema: the caller was helped afresh. The problem names
 * the field, never its value.
 */
export function logConversationUnreadable(
  logger: Logger,
  ref: { businessId: string; conversationId: string; channel: "voice" | "sms"; problem: string },
): void {
  logger.error("conversation.state-unreadable", {
    businessId: ref.businessId,
    conversationId: ref.conversationId.startsWith("sms-+")
      ? `sms-${maskPhone(ref.conversationId.slice(4))}`
      : ref.conversationId,
    channel: ref.channel,
    problem: ref.problem,
  });
}

/**
 * One voice webhook request, answered: the voice availability and per-turn
 * latency SLOs are computed from these (docs/slos.md). No caller number, no speech.
 */
export function logVoiceTurn(
  logger: Logger,
  fields: {
    businessId?: string;
    callSid?: string;
    /** "/incoming", "/turn", "/status", ... */
    route: string;
    status: number;
    /** "answered", "fallback-timeout", "fallback-error", "refused", "malformed", "not-found". */
    outcome: string;
    latencyMs: number;
  },
): void {
  const failed = fields.outcome.startsWith("fallback") || fields.status >= 500;
  (failed ? logger.error : logger.info).call(logger, "voice.turn", { ...fields });
}

/** One inbound SMS webhook request, answered (docs/slos.md). No number, no text. */
export function logSmsWebhook(
  logger: Logger,
  fields: { messageSid?: string; status: number; outcome: string; latencyMs: number },
): void {
  (fields.status >= 500 ? logger.error : logger.info).call(logger, "sms.webhook", { ...fields });
}

/** Every event name above and elsewhere, with its meaning (one list, checked against the code). */
export { LOG_EVENTS, type LogEvent } from "./log-events";

/** A caller's recorded message reached us: stored and texted, or why not. */
export function logRecordedMessage(
  logger: Logger,
  fields: {
    businessId: string;
    callSid: string;
    outcome: string;
    status?: string;
    transcribed?: boolean;
    /** Tries at transcribing it. */
    attempts?: number;
    /** The kind of emergency heard in its words, if any. */
    emergency?: string;
    error?: string;
  },
): void {
  if (fields.error) logger.warn("voice.recorded-message", { ...fields });
  else logger.info("voice.recorded-message", { ...fields });
}
