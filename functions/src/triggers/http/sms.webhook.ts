import { onRequest } from "firebase-functions/v2/https";
import { CALENDAR_SECRETS } from "../../calendar.bootstrap";
import { callerGate, smsDeps } from "../../bootstrap";
import { anthropicApiKey, publicWebhookBaseUrl, twilioAuthToken } from "../../params";
import { handleSmsRequest } from "./sms-webhook.handler";
import { FUNCTION_OPTIONS } from "../../function-options";

/**
 * Twilio Messaging "A message comes in": POST {PUBLIC_WEBHOOK_BASE_URL}/sms/incoming.
 * Customers' replies (confirm, cancel, move, STOP/START/HELP) and the rest of a
 * booking a dropped call left unfinished. See docs/sms.md.
 */
export const sms = onRequest(
  {
    ...FUNCTION_OPTIONS.sms,
    // The calendar secrets: offers subtract the owner's Google Calendar busy time.
    // The model's key: unclear or long turns get a second reading ("none" keeps it off).
    secrets: [twilioAuthToken, ...CALENDAR_SECRETS, anthropicApiKey],
  },
  async (req, res) => {
    const answer = await handleSmsRequest(
      {
        method: req.method,
        path: req.url,
        signature: req.header("x-twilio-signature") ?? null,
        idempotencyToken: req.header("i-twilio-idempotency-token") ?? null,
        body: req.body as unknown,
      },
      {
        publicBaseUrl: publicWebhookBaseUrl.value(),
        authToken: twilioAuthToken.value(),
        deps: smsDeps(),
        gate: callerGate(),
      },
    );
    res.status(answer.status).type(answer.contentType).send(answer.body);
  },
);
