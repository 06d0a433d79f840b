import { z } from "zod";
import { documentIdSchema } from "../../shared/document-id";
import {
  transcribeRecordedMessage,
  type TranscribeDeps,
} from "../../app/transcribe-recorded-message";
import {
  checkTwilioRequest,
  HttpAnswer,
  malformed,
  plain,
  TwilioHttpRequest,
} from "./twilio-request";

export const FUNCTION_NAME = "voiceRecording";

export interface VoiceRecordingConfig {
  publicBaseUrl: string;
  authToken: string;
  deps: TranscribeDeps;
}

/** A business id that names a document: anything else is refused (400), never looked up. */
const query = z.object({ b: documentIdSchema(100) });
const body = z.object({
  CallSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/, "CallSid must look like CA + 32 hex digits"),
  RecordingSid: z
    .string()
    .regex(/^RE[0-9a-fA-F]{32}$/, "RecordingSid must look like RE + 32 hex digits"),
  RecordingUrl: z.string().url().max(500),
  RecordingStatus: z.string().min(1).max(32),
  RecordingDuration: z.coerce.number().int().min(0).max(3600).default(0),
});

/** The recording status callback URL for one business's calls. */
export function recordingCallbackUrl(publicBaseUrl: string, businessId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, "")}/${FUNCTION_NAME}?b=${encodeURIComponent(businessId)}`;
}

/**
 * Twilio's recording status callback for a message a caller left:
 * POST {PUBLIC_WEBHOOK_BASE_URL}/voiceRecording?b={businessId}. Checked as
 * every webhook is (POST 405, signature 403, body 400); nobody is waiting on
 * the line, so it transcribes before answering 204.
 */
export async function handleVoiceRecordingRequest(
  req: TwilioHttpRequest,
  config: VoiceRecordingConfig,
): Promise<HttpAnswer> {
  const checked = checkTwilioRequest(req, { ...config, functionName: FUNCTION_NAME });
  if (!checked.ok) return checked.answer;
  const [, search = ""] = req.path.split("?");
  const q = query.safeParse(Object.fromEntries(new URLSearchParams(search)));
  if (!q.success) return malformed(q.error, "recording callback URL");
  const parsed = body.safeParse(checked.params);
  if (!parsed.success) return malformed(parsed.error);
  const outcome = await transcribeRecordedMessage(
    {
      businessId: q.data.b,
      callSid: parsed.data.CallSid,
      recordingSid: parsed.data.RecordingSid,
      recordingUrl: parsed.data.RecordingUrl,
      status: parsed.data.RecordingStatus,
      durationSeconds: parsed.data.RecordingDuration,
    },
    config.deps,
  );
  return outcome === "unknown-business"
    ? plain(404, "No such business.")
    : { status: 204, contentType: "text/plain", body: "" };
}
