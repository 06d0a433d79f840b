import { onRequest } from "firebase-functions/v2/https";
import { recordedMessageDeps } from "../../bootstrap";
import { FUNCTION_OPTIONS } from "../../function-options";
import { publicWebhookBaseUrl, twilioAuthToken } from "../../params";
import { handleVoiceRecordingRequest } from "./voice-recording.handler";

/**
 * Twilio's recording status callback for messages callers leave
 * (docs/decisions.md, "Transcribing recorded messages").
 */
export const voiceRecording = onRequest(
  { ...FUNCTION_OPTIONS.voiceRecording, secrets: [twilioAuthToken] },
  async (req, res) => {
    const answer = await handleVoiceRecordingRequest(
      {
        method: req.method,
        path: req.url,
        signature: req.header("x-twilio-signature") ?? null,
        body: req.body as unknown,
      },
      {
        publicBaseUrl: publicWebhookBaseUrl.value(),
        authToken: twilioAuthToken.value(),
        deps: recordedMessageDeps(),
      },
    );
    res.status(answer.status).type(answer.contentType).send(answer.body);
  },
);
