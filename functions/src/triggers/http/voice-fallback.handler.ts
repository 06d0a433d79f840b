import { z } from "zod";
import { renderVoicemailPrompt } from "../../adapters/twilio/twiml.builder";
import { answerFallback, takeVoicemail, type VoiceFallbackDeps } from "../../app/voice-fallback";
import { spoken } from "../../domain/dialogue/wording";
import { recordingCallbackUrl } from "./voice-recording.handler";
import {
  checkTwilioRequest,
  HttpAnswer,
  malformed,
  plain,
  TwilioHttpRequest,
  xml,
} from "./twilio-request";
import { errorText, logError } from "../../logs";

export const FUNCTION_NAME = "voiceFallback";

export interface VoiceFallbackConfig {
  publicBaseUrl: string;
  authToken: string;
  deps: VoiceFallbackDeps;
}

const callSid = z
  .string()
  .regex(/^CA[0-9a-fA-F]{32}$/, "CallSid must look like CA + 32 hex digits");
const number = z.string().min(3).max(32);
const callBody = z.object({
  CallSid: callSid,
  From: z.string().max(32).optional(),
  To: number,
  ErrorCode: z.string().max(10).optional(),
});
const recordedBody = callBody.extend({
  RecordingUrl: z.string().url().max(500).optional(),
  RecordingDuration: z.coerce.number().int().min(0).max(3600).default(0),
});

/**
 * Twilio's "Primary handler fails" URL for the voice number:
 * POST {PUBLIC_WEBHOOK_BASE_URL}/voiceFallback, and /voiceFallback/recorded
 * for the message the caller leaves. Checks as every webhook does (POST,
 * signature 403, body 400), then always answers TwiML the caller can hear.
 */
export async function handleVoiceFallbackRequest(
  req: TwilioHttpRequest,
  config: VoiceFallbackConfig,
): Promise<HttpAnswer> {
  const checked = checkTwilioRequest(req, { ...config, functionName: FUNCTION_NAME });
  if (!checked.ok) return checked.answer;
  const [pathname] = req.path.split("?");
  const route = pathname === "" || pathname === "/" ? "/" : pathname;
  if (route !== "/" && route !== "/recorded") return plain(404, `No fallback route ${pathname}.`);
  const parsed = (route === "/" ? callBody : recordedBody).safeParse(checked.params);
  if (!parsed.success) return malformed(parsed.error);
  const body = parsed.data as z.infer<typeof recordedBody>;
  const call = {
    callSid: body.CallSid,
    from: body.From?.trim() ? body.From : null,
    to: body.To,
    errorCode: body.ErrorCode,
  };
  try {
    if (route === "/") {
      const reply = await answerFallback(call, config.deps);
      const action = `${config.publicBaseUrl.replace(/\/+$/, "")}/${FUNCTION_NAME}/recorded`;
      // A business that could be read also gets the message transcribed (voiceRecording).
      const transcribe = reply.businessId
        ? recordingCallbackUrl(config.publicBaseUrl, reply.businessId)
        : null;
      return xml(renderVoicemailPrompt(reply.say, reply.record ? action : null, transcribe));
    }
    const reply = await takeVoicemail(
      { ...call, recordingUrl: body.RecordingUrl ?? null, durationSeconds: body.RecordingDuration },
      config.deps,
    );
    return xml(renderVoicemailPrompt(reply.say, null));
  } catch (error) {
    logError(config.deps.logger, "voice.fallback-failed", {
      callSid: call.callSid,
      error: errorText(error),
    });
    return xml(renderVoicemailPrompt([spoken.fallbackFailed(), spoken.fallbackGasAdvice()], null));
  }
}
