import { type CallVoice, DEFAULT_CALL_VOICE } from "../../domain/business/business";
import type { CallInstruction } from "../../domain/dialogue/call-instruction";

/** Where each kind of Twilio callback goes; built from the configured public URL. */
export interface VoiceUrls {
  turn(step: number): string;
  /** Where Twilio posts the end of a recorded message (turn number `step`). */
  recorded(step: number): string;
  /** Where Twilio posts the finished recording, to be transcribed (voiceRecording). */
  recordingStatus(): string;
  dialResult(leg: number): string;
  whisper(leg: number): string;
  whisperAccept(leg: number): string;
}

export interface TwimlOptions {
  /** Words the recogniser should expect (trade vocabulary, services). */
  hints: readonly string[];
  /** The business's own number, shown to the person a call is transferred to. */
  callerIdForTransfers?: string;
  /** The business's chosen voice (Business.voice); Polly.Amy when not given. */
  voice?: CallVoice;
}

const sayWith = (voice: CallVoice = DEFAULT_CALL_VOICE) => ({ voice, language: "en-GB" }) as const;

/**
 * The recogniser for callers' turns (docs/decisions.md, "Speech recognition on calls"):
 * Twilio's phone_call model, enhanced, is trained on 8 kHz telephone audio and takes
 * en-GB and hints. With a speech model set, Twilio wants a whole number of seconds of
 * silence to end a turn rather than "auto"; two seconds lets a caller pause between the
 * halves of a postcode without being cut off.
 */
export const SPEECH_RECOGNITION = {
  speechModel: "phone_call",
  enhanced: true,
  endOfSpeechSeconds: 2,
} as const;

/**
 * A caller's recorded message (<Record>): up to two minutes, ended by the
 * hash key, by hanging up, or by 5 s of silence; silence trimmed from both
 * ends. Twilio posts the recording's status (completed, or absent when
 * nothing was said) to voiceRecording, which transcribes it.
 */
export const MESSAGE_RECORDING = {
  maxLengthSeconds: 120,
  silenceSeconds: 5,
  finishOnKey: "#",
  trim: "trim-silence",
} as const;

/** Seconds of silence before Twilio gives up listening and posts an empty result. */
const LISTEN_TIMEOUT_SECONDS = 6;
const WHISPER_TIMEOUT_SECONDS = 10;

type VoiceResponseClass = typeof import("twilio/lib/twiml/VoiceResponse");
let voiceResponseClass: VoiceResponseClass | undefined;

/** Loaded on first use: twilio's TwiML module costs start-up time that cold starts pay. */
function VoiceResponse(): VoiceResponseClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  voiceResponseClass ??= require("twilio/lib/twiml/VoiceResponse") as VoiceResponseClass;
  return voiceResponseClass;
}

export function renderTwiml(
  instruction: CallInstruction,
  urls: VoiceUrls,
  options: TwimlOptions,
): string {
  const Response = VoiceResponse();
  const response = new Response();
  const VOICE = sayWith(options.voice);
  switch (instruction.kind) {
    case "gather": {
      // actionOnEmptyResult: without it, silence skips our handler and the call falls through.
      const gather = response.gather({
        input: ["speech"],
        action: urls.turn(instruction.step),
        method: "POST",
        language: "en-GB",
        speechModel: SPEECH_RECOGNITION.speechModel,
        enhanced: SPEECH_RECOGNITION.enhanced,
        speechTimeout: String(SPEECH_RECOGNITION.endOfSpeechSeconds),
        timeout: LISTEN_TIMEOUT_SECONDS,
        actionOnEmptyResult: true,
        hints: options.hints.join(", "),
      });
      for (const line of instruction.say) gather.say(VOICE, line);
      // Only reached if Twilio could not post the result: ask again rather than hang up.
      response.redirect({ method: "POST" }, urls.turn(instruction.step));
      break;
    }
    case "record": {
      for (const line of instruction.say) response.say(VOICE, line);
      response.record({
        action: urls.recorded(instruction.step),
        method: "POST",
        maxLength: MESSAGE_RECORDING.maxLengthSeconds,
        timeout: MESSAGE_RECORDING.silenceSeconds,
        finishOnKey: MESSAGE_RECORDING.finishOnKey,
        playBeep: true,
        trim: MESSAGE_RECORDING.trim,
        recordingStatusCallback: urls.recordingStatus(),
        recordingStatusCallbackMethod: "POST",
        recordingStatusCallbackEvent: ["completed", "absent"],
      });
      // Twilio skips the action when nothing was recorded and goes on here: ask again.
      response.redirect({ method: "POST" }, urls.recorded(instruction.step));
      break;
    }
    case "hang-up":
      for (const line of instruction.say) response.say(VOICE, line);
      response.hangup();
      break;
    case "dial": {
      for (const line of instruction.say) response.say(VOICE, line);
      // <Dial action> tells us how the leg ended; the whisper records whether it was accepted.
      const dial = response.dial({
        action: urls.dialResult(instruction.leg),
        method: "POST",
        timeout: instruction.ringSeconds,
        ...(options.callerIdForTransfers ? { callerId: options.callerIdForTransfers } : {}),
      });
      dial.number({ url: urls.whisper(instruction.leg), method: "POST" }, instruction.to);
      break;
    }
    case "whisper": {
      const gather = response.gather({
        input: ["dtmf"],
        numDigits: 1,
        action: urls.whisperAccept(instruction.leg),
        method: "POST",
        timeout: WHISPER_TIMEOUT_SECONDS,
        actionOnEmptyResult: true,
      });
      gather.say(VOICE, instruction.say);
      response.hangup();
      break;
    }
    case "connect":
      for (const line of instruction.say) response.say(VOICE, line);
      break;
  }
  return response.toString();
}

/** Answer for a number that is not routed to any business, or an internal failure. */
export function renderApology(lines: readonly string[]): string {
  const Response = VoiceResponse();
  const response = new Response();
  for (const line of lines) response.say(sayWith(), line);
  response.hangup();
  return response.toString();
}

/**
 * The voice fallback's answer: what to say, then (when `recordActionUrl` is
 * given) a recorded message posted there. A caller who says nothing hears
 * the goodbye instead (Twilio skips the action when nothing was recorded).
 */
export function renderVoicemailPrompt(
  lines: readonly string[],
  recordActionUrl: string | null,
  /** Where Twilio posts the finished recording, to be transcribed (voiceRecording). */
  recordingStatusCallback: string | null = null,
): string {
  const Response = VoiceResponse();
  const response = new Response();
  // The fallback reads only two fields of the business, so it speaks in the default voice.
  const VOICE = sayWith();
  for (const line of lines) response.say(VOICE, line);
  if (recordActionUrl) {
    response.record({
      action: recordActionUrl,
      ...(recordingStatusCallback
        ? {
            recordingStatusCallback,
            recordingStatusCallbackMethod: "POST",
            recordingStatusCallbackEvent: ["completed", "absent"],
          }
        : {}),
      method: "POST",
      maxLength: MESSAGE_RECORDING.maxLengthSeconds,
      timeout: MESSAGE_RECORDING.silenceSeconds,
      playBeep: true,
      finishOnKey: MESSAGE_RECORDING.finishOnKey,
      trim: MESSAGE_RECORDING.trim,
    });
    response.say(VOICE, "I didn't hear a message. Please call back later. Goodbye.");
  }
  response.hangup();
  return response.toString();
}
