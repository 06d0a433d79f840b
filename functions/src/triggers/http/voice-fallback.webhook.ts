import { onRequest } from "firebase-functions/v2/https";
import { appFirestore } from "../../adapters/firestore/firestore-client";
import { FirestoreFallbackDirectory } from "../../adapters/firestore/fallback-directory";
import { functionsLoggerAdapter } from "../../logs";
import { twilioSenderConfig } from "../../adapters/twilio/twilio-credentials";
import { TwilioSmsSender } from "../../adapters/twilio/twilio-sms.sender";
import { FUNCTION_OPTIONS } from "../../function-options";
import {
  fallbackAlertNumber,
  publicWebhookBaseUrl,
  twilioAccountSid,
  twilioApiBaseUrl,
  twilioAuthToken,
} from "../../params";
import { handleVoiceFallbackRequest } from "./voice-fallback.handler";

/**
 * Twilio's fallback URL for the voice number (docs/deployment.md): answers
 * when the voice function fails. Built from the fewest parts on purpose: no
 * bootstrap, no calendar, no outbox; one Firestore lookup and one text.
 */
export const voiceFallback = onRequest(
  { ...FUNCTION_OPTIONS.voiceFallback, secrets: [twilioAuthToken] },
  async (req, res) => {
    const authToken = twilioAuthToken.value();
    const credentials = twilioSenderConfig({
      accountSid: twilioAccountSid.value(),
      authToken,
      apiBaseUrl: twilioApiBaseUrl.value(),
    });
    const answer = await handleVoiceFallbackRequest(
      {
        method: req.method,
        path: req.url,
        signature: req.header("x-twilio-signature") ?? null,
        body: req.body as unknown,
      },
      {
        publicBaseUrl: publicWebhookBaseUrl.value(),
        authToken,
        deps: {
          directory: new FirestoreFallbackDirectory(appFirestore()),
          sms: credentials ? new TwilioSmsSender(credentials) : null,
          operatorNumber: fallbackAlertNumber.value(),
          logger: functionsLoggerAdapter,
          nowMs: Date.now,
        },
      },
    );
    res.status(answer.status).type(answer.contentType).send(answer.body);
  },
);
