import type { SpeechClient } from "@google-cloud/speech";
import { splitAudio, type PcmAudio } from "../../domain/speech/wav";
import type { SpeechToText, Transcription } from "../../ports/speech-to-text.port";

/**
 * Google Cloud Speech-to-Text for messages callers leave: the `telephony`
 * model (trained on 8 kHz phone audio), en-GB, automatic punctuation, the
 * business's hint words as phrases. The library is loaded on first use (cold
 * starts pay for every module loaded at the top level) and runs in REST
 * ("fallback") mode: no gRPC stack to load, one HTTPS request per piece.
 * Synchronous recognition takes at most a minute of audio, so a longer
 * message is sent in pieces of 55 s and the texts joined in order.
 */

export const SPEECH_SETTINGS = {
  languageCode: "en-GB",
  model: "telephony",
  pieceSeconds: 55,
} as const;

export interface GoogleSpeechOptions {
  /** Bound on each request, in ms. */
  timeoutMs?: number;
  /**
   * Passed to the SpeechClient as it is: tests point it at a local server
   * (`apiEndpoint`, `port`, `protocol: "http"`, an `authClient`).
   */
  clientOptions?: Record<string, unknown>;
}

type SpeechModule = typeof import("@google-cloud/speech");
let speechModule: SpeechModule | undefined;

export class GoogleSpeechToText implements SpeechToText {
  private client: SpeechClient | undefined;

  constructor(private readonly options: GoogleSpeechOptions = {}) {}

  private speech(): SpeechClient {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    speechModule ??= require("@google-cloud/speech") as SpeechModule;
    this.client ??= new speechModule.v1.SpeechClient({
      fallback: true,
      ...this.options.clientOptions,
    });
    return this.client;
  }

  async transcribe(audio: PcmAudio, hints: readonly string[]): Promise<Transcription> {
    const client = this.speech();
    const texts: string[] = [];
    const confidences: number[] = [];
    for (const piece of splitAudio(audio, SPEECH_SETTINGS.pieceSeconds)) {
      const [response] = await client.recognize(
        {
          config: {
            encoding: "LINEAR16",
            sampleRateHertz: piece.sampleRateHertz,
            languageCode: SPEECH_SETTINGS.languageCode,
            model: SPEECH_SETTINGS.model,
            enableAutomaticPunctuation: true,
            speechContexts: hints.length > 0 ? [{ phrases: hints.slice(0, 500) }] : [],
          },
          audio: { content: piece.pcm },
        },
        { timeout: this.options.timeoutMs ?? 20_000, maxRetries: 0 },
      );
      for (const result of response.results ?? []) {
        const best = result.alternatives?.[0];
        const text = best?.transcript?.trim();
        if (!text) continue;
        texts.push(text);
        if (typeof best?.confidence === "number" && best.confidence > 0) {
          confidences.push(best.confidence);
        }
      }
    }
    return {
      text: texts.join(" "),
      confidence:
        confidences.length === 0 ? null : confidences.reduce((a, b) => a + b) / confidences.length,
    };
  }
}
