import { onRequest } from "firebase-functions/v2/https";
import { CALENDAR_SECRETS } from "../../calendar.bootstrap";
import { callerGate, callDeps } from "../../bootstrap";
import { anthropicApiKey, publicWebhookBaseUrl, twilioAuthToken } from "../../params";
import { handleVoiceRequest } from "./voice-webhook.handler";
import { FUNCTION_OPTIONS } from "../../function-options";

/**
 * Twilio voice webhooks: POST {PUBLIC_WEBHOOK_BASE_URL}/voice/incoming for
 * "A call comes in", /voice/status for the call status callback; the other
 * routes are the callbacks our own TwiML asks for.
 */
export const voice = onRequest(
  {
    ...FUNCTION_OPTIONS.voice,
    // The calendar secrets: offers subtract the owner's Google Calendar busy time.
    // The model's key: unclear or long turns get a second reading ("none" keeps it off).
    secrets: [twilioAuthToken, ...CALENDAR_SECRETS, anthropicApiKey],
  },
  async (req, res) => {
    const answer = await handleVoiceRequest(
      {
        method: req.method,
        path: req.url,
        signature: req.header("x-twilio-signature") ?? null,
        body: req.body as unknown,
      },
      {
        publicBaseUrl: publicWebhookBaseUrl.value(),
        authToken: twilioAuthToken.value(),
        deps: callDeps(),
        gate: callerGate(),
      },
    );
    res.status(answer.status).type(answer.contentType).send(answer.body);
  },
);
