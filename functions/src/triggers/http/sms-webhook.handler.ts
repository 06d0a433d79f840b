import { z } from "zod";
import { renderMessagingTwiml } from "../../adapters/twilio/messaging-twiml";
import { handleInboundSms, InboundSmsDeps } from "../../app/handle-inbound-sms";
import { trouble } from "../../domain/sms/sms-texts";
import {
  checkTwilioRequest,
  HttpAnswer,
  malformed,
  plain,
  TwilioHttpRequest,
  withDeadline,
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
  /** Twilio waits 15 s for the answer; we answer well inside it. */
  deadlineMs?: number;
}

export const DEFAULT_SMS_DEADLINE_MS = 9_000;
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
  const checked = checkTwilioRequest(req, { ...config, functionName: FUNCTION_NAME });
  if (!checked.ok) return checked.answer;
  const params = checked.params;
  const [pathname] = req.path.split("?");
  if (pathname !== "/incoming") return plain(404, `No SMS route ${pathname}.`);
  const parsed = incomingBody.safeParse(params);
  if (!parsed.success) return malformed(parsed.error);
  const body = parsed.data;
  const logger = config.deps.logger;
  try {
    const result = await withDeadline(
      handleInboundSms(
        {
          messageSid: body.MessageSid,
          from: body.From,
          to: body.To,
          body: body.Body,
          numMedia: body.NumMedia,
          ...(req.idempotencyToken ? { idempotencyToken: req.idempotencyToken } : {}),
        },
        config.deps,
      ),
      config.deadlineMs ?? DEFAULT_SMS_DEADLINE_MS,
    );
    if (result === "timeout") {
      // The text is stored and its handling carries on; the reply is on the conversation.
      logger.error("sms.deadline-exceeded", { messageSid: body.MessageSid });
      return xml(renderMessagingTwiml(null));
    }
    return xml(renderMessagingTwiml(result.reply));
  } catch (error) {
    logger.error("sms.failed", {
      messageSid: body.MessageSid,
      error: error instanceof Error ? error.message : String(error),
    });
    const business = await config.deps.businesses.findByPhoneNumber(body.To).catch(() => null);
    return xml(renderMessagingTwiml(trouble(business)));
  }
}
