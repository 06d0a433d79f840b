import { speechHintsFor } from "../domain/dialogue/speech-hints";
import { readWav } from "../domain/speech/wav";
import { logRecordedMessage, redactPhones } from "../logs";
import type { BusinessDirectory } from "../ports/business-directory.port";
import type { Clock } from "../ports/clock.port";
import type { Logger } from "../ports/logger.port";
import type { OutboxQueue } from "../ports/outbox.port";
import type { RecordedMessageStore, RecordingSource } from "../ports/recorded-message.port";
import type { ScheduledSmsQueue } from "../ports/scheduled-sms.port";
import type { SpeechToText } from "../ports/speech-to-text.port";
import { alertOwner } from "./alert-owner";
import { withDeadline } from "./webhook-deadline";

/** Twilio's recording status callback, already checked. */
export interface RecordingStatus {
  businessId: string;
  callSid: string;
  recordingSid: string;
  recordingUrl: string;
  /** "completed", "absent" (nothing said) or "failed". */
  status: string;
  durationSeconds: number;
}

export interface TranscribeDeps {
  businesses: BusinessDirectory;
  recordings: RecordingSource;
  /** Null when speech-to-text is not set up: the message is kept and sent untranscribed. */
  speech: SpeechToText | null;
  messages: RecordedMessageStore;
  outbox: OutboxQueue;
  scheduled?: ScheduledSmsQueue;
  clock: Clock;
  logger: Logger;
  /** Bound on fetching and transcribing together; default 45 s (the function has 60). */
  transcribeMs?: number;
}

export type RecordedOutcome = "saved" | "already-saved" | "nothing-recorded" | "unknown-business";

/** The owner's text: who, what they said (or that it could not be heard), and where to listen. */
export function recordedMessageAlert(
  caller: string | null,
  transcript: string | null,
  durationSeconds: number,
  recordingUrl: string,
): string {
  const who = caller ?? "a caller";
  const said =
    transcript === null
      ? "(it could not be transcribed)"
      : transcript === ""
        ? "(no words could be made out)"
        : `"${transcript}"`;
  return `Message from ${who} (${durationSeconds} s): ${said} Listen: ${recordingUrl}`;
}

/**
 * A caller's recorded message: fetched, transcribed (en-GB, telephone
 * audio), stored on the call's transcript and texted to the owner. Nothing is
 * lost when transcription fails: the message is stored with the reason, and
 * the owner gets the link to listen. A retried callback stores and texts once.
 */
export async function transcribeRecordedMessage(
  recording: RecordingStatus,
  deps: TranscribeDeps,
): Promise<RecordedOutcome> {
  const ref = { businessId: recording.businessId, callSid: recording.callSid };
  if (recording.status !== "completed" || recording.durationSeconds <= 0) {
    logRecordedMessage(deps.logger, {
      ...ref,
      outcome: "nothing-recorded",
      status: recording.status,
    });
    return "nothing-recorded";
  }
  const business = await deps.businesses.getById(recording.businessId);
  if (!business) {
    logRecordedMessage(deps.logger, { ...ref, outcome: "unknown-business" });
    return "unknown-business";
  }

  let transcript: string | null = null;
  let confidence: number | null = null;
  let transcriptionError: string | undefined;
  if (!deps.speech) {
    transcriptionError = "speech-to-text is not configured";
  } else {
    const speech = deps.speech;
    const heard = await withDeadline(
      (async () => {
        const audio = readWav(await deps.recordings.fetchWav(recording.recordingUrl));
        return speech.transcribe(audio, speechHintsFor(business));
      })().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
      deps.transcribeMs ?? 45_000,
    );
    if (heard === "timeout") transcriptionError = "timed out";
    else if (heard instanceof Error) transcriptionError = redactPhones(heard.message).slice(0, 300);
    else {
      transcript = heard.text;
      confidence = heard.confidence;
    }
  }

  const now = deps.clock.now();
  const saved = await deps.messages.save({
    ...ref,
    recordingSid: recording.recordingSid,
    recordingUrl: recording.recordingUrl,
    durationSeconds: recording.durationSeconds,
    transcript,
    confidence,
    ...(transcriptionError ? { transcriptionError } : {}),
    at: now,
  });
  // Queued under the recording's id either way: a retry after a failed queue still texts, once.
  const caller = await deps.messages.callerOf(recording.businessId, recording.callSid);
  await alertOwner(
    business,
    {
      outboxId: `recorded-${recording.recordingSid}`,
      purpose: "owner-message",
      body: recordedMessageAlert(
        caller,
        transcript,
        recording.durationSeconds,
        recording.recordingUrl,
      ),
      relatedId: recording.callSid,
    },
    now,
    deps,
  );
  const outcome = saved === "saved" ? "saved" : "already-saved";
  logRecordedMessage(deps.logger, {
    ...ref,
    outcome,
    transcribed: transcript !== null,
    ...(transcriptionError ? { error: transcriptionError } : {}),
  });
  return outcome;
}
