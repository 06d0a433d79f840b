import { spoken } from "../domain/dialogue/wording";
import { errorText, logError, logVoiceFallback, logWarn, redactPhones } from "../logs";
import type { FallbackContact, FallbackDirectory } from "../ports/fallback-directory.port";
import type { Logger } from "../ports/logger.port";
import type { SmsGateway } from "../ports/sms-gateway.port";
import { withDeadline } from "./webhook-deadline";

/**
 * What a caller gets when Twilio's main voice webhook fails and it falls back
 * to ours: an apology, the chance to leave a message, and a text to whoever
 * can call them back. It depends on as little as possible: one bounded
 * lookup of the business's name and owner number (not its settings), and one
 * bounded text sent straight through Twilio (not the outbox, which needs
 * Firestore). When the business cannot be read, a generic apology, and the
 * text goes to the operator's number (FALLBACK_ALERT_NUMBER).
 */

export interface VoiceFallbackDeps {
  directory: FallbackDirectory;
  /** Null without Twilio credentials: the text is logged, not sent. */
  sms: SmsGateway | null;
  /** Texted when the business cannot be read; empty: nobody. */
  operatorNumber: string;
  logger: Logger;
  nowMs: () => number;
  /** Bound on the business lookup; default 2 s. */
  lookupMs?: number;
  /** Bound on sending the text; default 4 s (Twilio waits 15 s for the whole answer). */
  smsMs?: number;
}

export interface FallbackCall {
  callSid: string;
  from: string | null;
  /** The business's Twilio number that was called. */
  to: string;
  /** Twilio's error for the failed main webhook (e.g. 11200). */
  errorCode?: string;
}

export interface Voicemail extends FallbackCall {
  recordingUrl: string | null;
  durationSeconds: number;
}

/** What the caller hears; `record` opens a recording after it. */
export interface FallbackReply {
  say: string[];
  record: boolean;
  businessId?: string;
}

export async function answerFallback(
  call: FallbackCall,
  deps: VoiceFallbackDeps,
): Promise<FallbackReply> {
  const started = deps.nowMs();
  const contact = await lookUp(call, deps);
  const caller = call.from ?? "a withheld number";
  const text = contact
    ? `${contact.businessName}: the receptionist could not take a call from ${caller}. They are being asked to leave a message; call them back.`
    : `Receptionist fallback: a call to ${call.to} from ${caller} could not be answered, and that business's settings could not be read.`;
  const outcome = await alert(contact, call, text, deps);
  logVoiceFallback(deps.logger, {
    businessId: contact?.businessId,
    callSid: call.callSid,
    stage: "answered" as const,
    outcome,
    latencyMs: deps.nowMs() - started,
    errorCode: call.errorCode,
  });
  const sorry = spoken.fallbackSorry(contact?.businessName ?? null);
  return {
    say: [sorry, spoken.fallbackGasAdvice(), spoken.fallbackLeaveMessage()],
    record: true,
    businessId: contact?.businessId,
  };
}

export async function takeVoicemail(
  message: Voicemail,
  deps: VoiceFallbackDeps,
): Promise<FallbackReply> {
  const started = deps.nowMs();
  const contact = await lookUp(message, deps);
  let outcome = "none";
  if (message.recordingUrl && message.durationSeconds > 0) {
    const caller = message.from ?? "a withheld number";
    const prefix = contact ? contact.businessName : `Receptionist fallback (${message.to})`;
    outcome = await alert(
      contact,
      message,
      `${prefix}: voicemail from ${caller}, ${message.durationSeconds} s: ${message.recordingUrl}`,
      deps,
    );
  }
  logVoiceFallback(deps.logger, {
    businessId: contact?.businessId,
    callSid: message.callSid,
    stage: "voicemail" as const,
    outcome,
    latencyMs: deps.nowMs() - started,
  });
  return {
    say: [spoken.fallbackThanks()],
    record: false,
    businessId: contact?.businessId,
  };
}

async function lookUp(
  call: FallbackCall,
  deps: VoiceFallbackDeps,
): Promise<FallbackContact | null> {
  const found = await withDeadline(
    deps.directory.contactFor(call.to).catch((error: unknown) => {
      logWarn(deps.logger, "voice.fallback-lookup-failed", {
        callSid: call.callSid,
        error: redactPhones(errorText(error)),
      });
      return null;
    }),
    deps.lookupMs ?? 2_000,
  );
  if (found === "timeout") {
    logWarn(deps.logger, "voice.fallback-lookup-failed", {
      callSid: call.callSid,
      error: "timeout",
    });
    return null;
  }
  return found;
}

/** Texts the owner, or the operator when the business is unknown; says who, or why nobody. */
async function alert(
  contact: FallbackContact | null,
  call: FallbackCall,
  body: string,
  deps: VoiceFallbackDeps,
): Promise<string> {
  const to = contact?.ownerMobile ?? deps.operatorNumber.trim();
  const who = contact ? "owner" : "operator";
  if (!to) return "nobody";
  if (!deps.sms) return "simulated";
  const sent = await withDeadline(
    deps.sms.send({ to, from: call.to, body }).then(
      () => who,
      (error: unknown) => {
        logError(deps.logger, "voice.fallback-alert-failed", {
          businessId: contact?.businessId,
          callSid: call.callSid,
          error: redactPhones(errorText(error)),
        });
        return "failed";
      },
    ),
    deps.smsMs ?? 4_000,
  );
  return sent === "timeout" ? "failed" : sent;
}
