import { speechHintsFor } from "../domain/dialogue/speech-hints";
import type { Business } from "../domain/business/business";
import { assessEmergency } from "../domain/emergency/emergency.classifier";
import { expiryOf } from "../domain/privacy/retention";
import { recordedMessageText } from "../domain/notifications/owner-texts";
import { readWav, WavError } from "../domain/speech/wav";
import { logRecordedMessage, redactPhones } from "../logs";
import type { BusinessDirectory } from "../ports/business-directory.port";
import type { Clock } from "../ports/clock.port";
import type { Logger } from "../ports/logger.port";
import type { OutboxQueue } from "../ports/outbox.port";
import type {
  RecordedMessage,
  RecordedMessageStore,
  RecordingSource,
} from "../ports/recorded-message.port";
import type { ScheduledSmsQueue } from "../ports/scheduled-sms.port";
import type { SpeechToText, Transcription } from "../ports/speech-to-text.port";
import { alertOwner, ownerAlertDelivery, type OwnerAlert } from "./alert-owner";
import { deleteRecording, type RecordingDeletionDeps } from "./delete-recordings";
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
  /** Bound on fetching and transcribing together, tries included; default 45 s (the function has 60). */
  transcribeMs?: number;
  /** Pause before the second try, doubled before the third; default 1 s. */
  retryDelayMs?: number;
  /**
   * Deletes the recording at Twilio once its words are stored; absent
   * without Twilio credentials (the recording stays queued for deletion).
   */
  recordingDeletion?: Pick<RecordingDeletionDeps, "remover" | "queue">;
}

export type RecordedOutcome = "saved" | "already-saved" | "nothing-recorded" | "unknown-business";

/** Tries at fetching and transcribing a message, within the one bound (transcribeMs). */
export const TRANSCRIBE_ATTEMPTS = 3;

/**
 * A caller's recorded message: fetched, transcribed (en-GB, telephone
 * audio), stored on the call's transcript and texted to the owner with who
 * called and why. Nothing is lost when transcription fails: it is tried
 * again (TRANSCRIBE_ATTEMPTS, within the bound), then the message is stored
 * with the reason and the owner gets the link to listen. A retried callback
 * finds the message stored, transcribes nothing again, and texts once (the
 * alert's id is the recording's). Once its words are stored the recording is
 * deleted at Twilio; one without words is kept for the business's
 * recordingDays, then deleted by the retention sweep (docs/privacy.md).
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

  let message = await deps.messages.find(ref.businessId, ref.callSid, recording.recordingSid);
  let outcome: RecordedOutcome = "already-saved";
  if (!message) {
    const heard = await transcribe(recording, business, deps);
    const at = deps.clock.now();
    const fresh: RecordedMessage = {
      ...ref,
      recordingSid: recording.recordingSid,
      recordingUrl: recording.recordingUrl,
      durationSeconds: recording.durationSeconds,
      transcript: heard.transcript,
      confidence: heard.confidence,
      ...(heard.error ? { transcriptionError: heard.error } : {}),
      attempts: heard.attempts,
      at,
      // Its words stored, the audio goes at once; otherwise it is kept as long as the business keeps messages.
      deleteRecordingAt: hasWords(heard.transcript)
        ? at
        : expiryOf(at, business.retention.recordingDays),
    };
    const saved = await deps.messages.save(fresh);
    if (saved === "saved") outcome = "saved";
    // Two deliveries at once: the one stored first is the one texted.
    message =
      saved === "saved"
        ? fresh
        : ((await deps.messages.find(ref.businessId, ref.callSid, recording.recordingSid)) ??
          fresh);
  }

  // Queued under the recording's id either way: a retry after a failed queue still texts, once.
  const caller = await deps.messages.callerOf(ref.businessId, ref.callSid);
  const emergency = message.transcript
    ? assessEmergency(message.transcript, business.emergency.extraPhrases).detection
    : null;
  const alert: OwnerAlert = {
    outboxId: `recorded-${recording.recordingSid}`,
    purpose: emergency ? "owner-emergency-alert" : "owner-message",
    body: recordedMessageText({
      ...(caller?.reason ? { reason: caller.reason } : {}),
      callerPhone: caller ? caller.phone : undefined,
      ...(caller?.name ? { callerName: caller.name } : {}),
      transcript: message.transcript,
      durationSeconds: message.durationSeconds,
      recordingUrl: message.recordingUrl,
      ...(emergency ? { emergencyLabel: emergency.label } : {}),
    }),
    relatedId: ref.callSid,
  };
  const now = deps.clock.now();
  if (emergency) {
    // An emergency in the words is texted at once, whatever the owner's quiet hours.
    const delivery = ownerAlertDelivery(business, alert, now, false);
    if ("outbox" in delivery) await deps.outbox.enqueue(delivery.outbox);
  } else {
    await alertOwner(business, alert, now, deps);
  }
  // Only now, with the words stored and the owner told: the audio is deleted at Twilio.
  if (deps.recordingDeletion && hasWords(message.transcript)) {
    await deleteRecording(
      { ...ref, recordingSid: recording.recordingSid },
      { ...deps.recordingDeletion, clock: deps.clock, logger: deps.logger },
    );
  }
  logRecordedMessage(deps.logger, {
    ...ref,
    outcome,
    transcribed: message.transcript !== null,
    attempts: message.attempts ?? 0,
    ...(emergency ? { emergency: emergency.kind } : {}),
    ...(message.transcriptionError ? { error: message.transcriptionError } : {}),
  });
  return outcome;
}

/** Whether a transcript holds words: only then may the audio go before its retention ends. */
function hasWords(transcript: string | null): boolean {
  return transcript !== null && transcript.trim() !== "";
}

interface Heard {
  transcript: string | null;
  confidence: number | null;
  error?: string;
  attempts: number;
}

/**
 * Fetches and transcribes the recording, trying again after a failure (the
 * download or the service), but not after audio that cannot be read; all
 * within transcribeMs.
 */
async function transcribe(
  recording: RecordingStatus,
  business: Business,
  deps: TranscribeDeps,
): Promise<Heard> {
  const speech = deps.speech;
  if (!speech) {
    return {
      transcript: null,
      confidence: null,
      error: "speech-to-text is not configured",
      attempts: 0,
    };
  }
  let attempts = 0;
  let stopped = false;
  const tries = (async (): Promise<Transcription | Error> => {
    let last = new Error("not tried");
    while (attempts < TRANSCRIBE_ATTEMPTS && !stopped) {
      if (attempts > 0) await sleep((deps.retryDelayMs ?? 1_000) * attempts);
      if (stopped) break;
      attempts += 1;
      try {
        const audio = readWav(await deps.recordings.fetchWav(recording.recordingUrl));
        return await speech.transcribe(audio, speechHintsFor(business));
      } catch (error) {
        last = error instanceof Error ? error : new Error(String(error));
        if (error instanceof WavError) break;
      }
    }
    return last;
  })();
  const heard = await withDeadline(tries, deps.transcribeMs ?? 45_000);
  stopped = true;
  if (heard === "timeout") {
    return { transcript: null, confidence: null, error: "timed out", attempts };
  }
  if (heard instanceof Error) {
    const error = redactPhones(heard.message).slice(0, 300);
    return { transcript: null, confidence: null, error, attempts };
  }
  return { transcript: heard.text, confidence: heard.confidence, attempts };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
