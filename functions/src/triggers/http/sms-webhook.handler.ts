import { z } from "zod";
import { errorText, logError, logSmsWebhook } from "../../logs";
import { renderMessagingTwiml } from "../../adapters/twilio/messaging-twiml";
import { admitText } from "../../app/caller-gate";
import { handleInboundSms, InboundSmsDeps } from "../../app/handle-inbound-sms";
import { texted } from "../../domain/dialogue/wording";
import { normalisePhoneNumber } from "../../domain/phone/phone-number";
import { smsReplyOutboxId } from "../../domain/sms/sms-thread";
import type { CallerCounters } from "../../ports/caller-gate.port";
import {
  checkTwilioRequest,
  HttpAnswer,
  malformed,
  plain,
  TwilioHttpRequest,
  xml,
} from "./twilio-request";

export interface SmsHttpRequest extends TwilioHttpRequest {
  /** Twilio's I-Twilio-Idempotency-Token header, when sent. */
  idempotencyToken: string | null;
}

export interface SmsConfig {
  /** PUBLIC_WEBHOOK_BASE_URL: the functions' base URL exactly as Twilio calls it. */
  publicBaseUrl: string;
  authToken: string;
  deps: InboundSmsDeps;
  /**
   * Rate counters and the screening list (docs/abuse-protection.md); without
   * them every text goes straight to the receptionist.
   */
  gate?: CallerCounters;
  /**
   * How long Twilio is taken to wait for the reply (it waits 15 s). Handling
   * that takes longer still runs to the end, and its reply goes by the outbox.
   */
  deadlineMs?: number;
}

export const DEFAULT_SMS_DEADLINE_MS = 12_000;
const FUNCTION_NAME = "sms";

/** SM for a text, MM for a picture message; both are "SM"/"MM" + 32 hex digits. */
const messageSid = z
  .string()
  .regex(/^(SM|MM)[0-9a-fA-F]{32}$/, "MessageSid must look like SM + 32 hex digits");
const phone = z.string().min(3).max(32);

const incomingBody = z.object({
  MessageSid: messageSid,
  From: phone,
  To: phone,
  // A picture message may come with no text at all.
  Body: z.string().max(1600).default(""),
  NumMedia: z.coerce.number().int().min(0).max(10).default(0),
});

/**
 * Twilio Messaging's "A message comes in": POST {PUBLIC_WEBHOOK_BASE_URL}/sms/incoming.
 * Checks in this order: a signature is present and valid for the public URL
 * and every posted parameter (403), then the body's shape (400), then
 * answers TwiML: <Message> with our reply, or an empty <Response/>.
 */
export async function handleSmsRequest(
  req: SmsHttpRequest,
  config: SmsConfig,
): Promise<HttpAnswer> {
  const started = Date.now();
  const answer = await answerSmsRequest(req, config);
  const sid = (req.body as { MessageSid?: unknown } | null)?.MessageSid;
  logSmsWebhook(config.deps.logger, {
    messageSid: answer.status === 403 || typeof sid !== "string" ? undefined : sid.slice(0, 40),
    status: answer.status,
    outcome: answer.status === 200 ? "answered" : answer.status === 400 ? "malformed" : "refused",
    latencyMs: Date.now() - started,
  });
  return answer;
}

async function answerSmsRequest(req: SmsHttpRequest, config: SmsConfig): Promise<HttpAnswer> {
  const checked = checkTwilioRequest(req, { ...config, functionName: FUNCTION_NAME });
  if (!checked.ok) return checked.answer;
  const params = checked.params;
  const [pathname] = req.path.split("?");
  if (pathname !== "/incoming") return plain(404, `No SMS route ${pathname}.`);
  const parsed = incomingBody.safeParse(params);
  if (!parsed.success) return malformed(parsed.error);
  const body = parsed.data;
  const logger = config.deps.logger;
  // The door failing lets the text in: the gate never blocks anyone because it broke.
  if (await turnedAway(body, config).catch(() => false)) return xml(renderMessagingTwiml(null));
  try {
    // No race against the clock: work left running after the answer would be throttled
    // half done (Cloud Run), so the text is handled to the end, however long it takes.
    const started = Date.now();
    const result = await handleInboundSms(
      {
        messageSid: body.MessageSid,
        from: body.From,
        to: body.To,
        body: body.Body,
        numMedia: body.NumMedia,
        ...(req.idempotencyToken ? { idempotencyToken: req.idempotencyToken } : {}),
      },
      config.deps,
    );
    const elapsed = Date.now() - started;
    if (elapsed > (config.deadlineMs ?? DEFAULT_SMS_DEADLINE_MS) && result.reply) {
      // Twilio has stopped waiting for this answer: send the reply as a text of its own.
      logError(logger, "sms.late-reply", { messageSid: body.MessageSid, elapsedMs: elapsed });
      await sendLateReply(body, result.reply, config.deps);
      return xml(renderMessagingTwiml(null));
    }
    return xml(renderMessagingTwiml(result.reply));
  } catch (error) {
    logError(logger, "sms.inbound-failed", {
      messageSid: body.MessageSid,
      error: errorText(error),
    });
    return xml(renderMessagingTwiml(await troubleReply(body, config.deps)));
  }
}

/**
 * What a text we failed to handle is answered: "something went wrong, try
 * again", unless the sender opted out of texts, or we cannot tell, when
 * nothing (STOP is honoured even when handling fails).
 */
async function troubleReply(
  body: { From: string; To: string },
  deps: InboundSmsDeps,
): Promise<string | null> {
  try {
    const business = await deps.businesses.findByPhoneNumber(body.To);
    if (!business) return texted.trouble(null);
    const from = normalisePhoneNumber(body.From, business.defaultCountry);
    const customer = from.ok ? await deps.customers.findByPhone(business.id, from.e164) : null;
    return customer?.smsOptedOut === true ? null : texted.trouble(business);
  } catch {
    return null;
  }
}

/**
 * A text from a number over its limit or screened gets no reply and is not
 * handled (logged by the gate); STOP, START and HELP always pass, and an
 * emergency in the text still texts the owner.
 */
async function turnedAway(
  body: { MessageSid: string; From: string; To: string; Body: string },
  config: SmsConfig,
): Promise<boolean> {
  if (!config.gate) return false;
  const business = await config.deps.businesses.findByPhoneNumber(body.To);
  if (!business) return false;
  const from = normalisePhoneNumber(body.From, business.defaultCountry);
  if (!from.ok) return false;
  const { outbox, clock, logger } = config.deps;
  const verdict = await admitText(
    business,
    { from: from.e164, body: body.Body, messageSid: body.MessageSid },
    { counters: config.gate, outbox, clock, logger },
  );
  return verdict.kind !== "pass";
}

/** The reply, queued in the business's outbox under an id of this message: sent once. */
async function sendLateReply(
  body: { MessageSid: string; From: string; To: string },
  reply: string,
  deps: InboundSmsDeps,
): Promise<void> {
  const business = await deps.businesses.findByPhoneNumber(body.To);
  if (!business) return;
  await deps.outbox.enqueue({
    id: smsReplyOutboxId(body.MessageSid),
    businessId: business.id,
    to: body.From,
    body: reply,
    purpose: "sms-reply",
    relatedId: body.MessageSid,
  });
}
