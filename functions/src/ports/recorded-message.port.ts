import type { MessageReason } from "../domain/dialogue/dialogue-state";

/** A message a caller left, as stored on the conversation of the call it was left on. */
export interface RecordedMessage {
  businessId: string;
  callSid: string;
  recordingSid: string;
  recordingUrl: string;
  durationSeconds: number;
  /** Null when it could not be transcribed; `transcriptionError` says why. */
  transcript: string | null;
  confidence: number | null;
  transcriptionError?: string;
  /** Tries at transcribing it (0 when speech-to-text is off). */
  attempts?: number;
  at: Date;
  /**
   * When the audio is to be deleted at the provider, queued with the message
   * (RecordingDeletionQueue): at once when its words were stored, else after
   * the business's recordingDays.
   */
  deleteRecordingAt?: Date;
}

/** Who left a message, and why, as the call's conversation has it. */
export interface MessageCaller {
  /** E.164, or null when withheld. */
  phone: string | null;
  /** The caller's name when the call learnt it (a known customer, or the name they gave). */
  name?: string;
  /** Why the call took a message (asked for a call back, owner unavailable...). */
  reason?: MessageReason;
}

export interface RecordedMessageStore {
  /**
   * Stores the message once, as a turn of the call's transcript keyed by the
   * recording: "exists" when a retried callback stored it already.
   */
  save(message: RecordedMessage): Promise<"saved" | "exists">;
  /** The message already stored for this recording, if any (a retried callback). */
  find(businessId: string, callSid: string, recordingSid: string): Promise<RecordedMessage | null>;
  /** Who called, when the call's conversation is stored. */
  callerOf(businessId: string, callSid: string): Promise<MessageCaller | null>;
}

/** Fetches a recording's audio (WAV) from where the telephony provider keeps it. */
export interface RecordingSource {
  fetchWav(recordingUrl: string): Promise<Buffer>;
}
