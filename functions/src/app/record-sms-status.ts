import { isCarrierFailure } from "../domain/delivery/delivery.state-machine";
import {
  failureFollowUp,
  failureReason,
  OPTED_OUT_CODE,
} from "../domain/delivery/failure-visibility";
import { isSystemicSmsFailure } from "../domain/health/degradation";
import { logSmsStatusReported, logSmsStatusUnknownSid } from "../logs";
import type { AttentionBoard, DegradationReporter } from "../ports/attention.port";
import type { Clock } from "../ports/clock.port";
import type { Logger } from "../ports/logger.port";
import type {
  OutboxDeliveryStore,
  OutboxMessageRef,
  SmsStatusStore,
} from "../ports/outbox-delivery.port";
import type { OutboxQueue } from "../ports/outbox.port";
import type { OutboxMessage } from "../domain/delivery/outbox-message";
import type { RecipientStatus } from "../ports/recipient-status.port";
import type { SmsConsentStore } from "../ports/sms-consent.port";
import { followUpFailure, recordCarrierOptOut } from "./deliver-outbox-message";

/** One status callback from Twilio, already checked for shape. */
export interface SmsStatusReport {
  sid: string;
  status: string;
  errorCode?: number;
  /** The message named by the callback URL ({base}/{businessId}/{messageId}), if any. */
  marker?: OutboxMessageRef;
}

export interface RecordSmsStatusDeps {
  statuses: SmsStatusStore;
  store: Pick<OutboxDeliveryStore, "load" | "smsProfile">;
  outbox: OutboxQueue;
  recipients: RecipientStatus;
  attention: AttentionBoard;
  /** Told when a late failure means texts are failing generally, as on the send path. */
  degradation?: DegradationReporter;
  /** Where a 21610 (the customer replied STOP) marks them opted out. */
  consent?: SmsConsentStore;
  clock: Clock;
  logger: Logger;
}

export type SmsStatusResult =
  /** Nothing of ours has this SID: acknowledged so Twilio does not retry forever. */
  | { kind: "unknown-sid" }
  | { kind: "recorded"; ref: OutboxMessageRef; previous?: string; current: string };

/**
 * Records Twilio's report of how far a message got. The status only moves
 * forward (queued -> sent -> delivered; a late "sent" is ignored); a message
 * Twilio reports undelivered or failed is marked so, with its error code, and
 * made visible like any other final failure.
 */
export async function recordSmsStatus(
  report: SmsStatusReport,
  deps: RecordSmsStatusDeps,
): Promise<SmsStatusResult> {
  const ref = (await deps.statuses.findBySid(report.sid)) ?? report.marker;
  const message = ref ? await deps.store.load(ref) : undefined;
  // Through the URL marker a callback can name a message that Twilio took twice;
  // the SID index is what ties a SID to a message, so do not merge a stranger's status.
  const sidConflict = message?.twilioSid !== undefined && message.twilioSid !== report.sid;
  if (!ref || !message || (sidConflict && ref === report.marker)) {
    logSmsStatusUnknownSid(deps.logger, { twilioSid: report.sid, reported: report.status });
    return { kind: "unknown-sid" };
  }

  const failing = isCarrierFailure(report.status);
  const error = `Twilio reported ${report.status}${report.errorCode ? ` (${report.errorCode})` : ""}`;
  const applied = await deps.statuses.applyCarrierStatus(ref, {
    sid: report.sid,
    status: report.status,
    at: deps.clock.now(),
    failure: failing
      ? {
          error,
          code: report.errorCode,
          ownerShouldKnow: failureFollowUp({ purpose: message.purpose, code: report.errorCode })
            .ownerShouldKnow,
        }
      : undefined,
  });
  if (!applied) {
    logSmsStatusUnknownSid(deps.logger, { twilioSid: report.sid, reported: report.status });
    return { kind: "unknown-sid" };
  }
  logSmsStatusReported(deps.logger, {
    ...ref,
    twilioSid: report.sid,
    reported: report.status,
    current: applied.current,
    errorCode: report.errorCode,
  });
  if (isCarrierFailure(applied.current) && applied.current === report.status) {
    await followUpFailure(applied.message, report.errorCode, error, deps);
    // Once per message: a repeated or second failure callback (undelivered, then
    // failed) has already been counted.
    if (!isCarrierFailure(applied.previous))
      await lateFailure(applied.message, report, error, deps);
  }
  return { kind: "recorded", ref, previous: applied.previous, current: applied.current };
}

/**
 * A text Twilio took but then could not deliver feeds what a failed send
 * feeds: a 21610 marks the customer opted out, and a failure of the sending
 * side (isSystemicSmsFailure) tells the owner texts are failing.
 */
async function lateFailure(
  message: OutboxMessage,
  report: SmsStatusReport,
  error: string,
  deps: RecordSmsStatusDeps,
): Promise<void> {
  if (report.errorCode === OPTED_OUT_CODE) {
    await recordCarrierOptOut(message, deps);
    return;
  }
  if (deps.degradation && isSystemicSmsFailure(report.errorCode, "permanent")) {
    await deps.degradation.report(
      message.businessId,
      "texts-failing",
      failureReason(report.errorCode, error),
    );
  }
}
