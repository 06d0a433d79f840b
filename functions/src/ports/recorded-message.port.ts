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
  at: Date;
}

export interface RecordedMessageStore {
  /**
   * Stores the message once, as a turn of the call's transcript keyed by the
   * recording: "exists" when a retried callback stored it already.
   */
  save(message: RecordedMessage): Promise<"saved" | "exists">;
  /** The caller's number on the call, when the call's conversation is stored. */
  callerOf(businessId: string, callSid: string): Promise<string | null>;
}

/** Fetches a recording's audio (WAV) from where the telephony provider keeps it. */
export interface RecordingSource {
  fetchWav(recordingUrl: string): Promise<Buffer>;
}
