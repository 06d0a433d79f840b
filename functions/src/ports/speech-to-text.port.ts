import type { PcmAudio } from "../domain/speech/wav";

export interface Transcription {
  /** What the caller said, as the recogniser wrote it; empty when nothing was heard. */
  text: string;
  /** The recogniser's confidence, 0 to 1, when it gave one. */
  confidence: number | null;
}

/** Turns a caller's recorded message into text (en-GB, telephone audio). */
export interface SpeechToText {
  /** Rejects when the service fails or is too slow; the caller's message is never lost for it. */
  transcribe(audio: PcmAudio, hints: readonly string[]): Promise<Transcription>;
}
