import type { Stage } from "./dialogue-state";
import { spoken } from "./wording";

/**
 * What one voice webhook answers, independent of TwiML. The Twilio adapter
 * renders it; the conversation stores it so a retried webhook gets the same answer.
 */
export type CallInstruction =
  /** Speak, then listen for the caller's next words (turn number `step`). */
  | { kind: "gather"; say: string[]; step: number }
  /**
   * Speak, then record the caller's message after a tone (turn number `step`);
   * the recording is transcribed and sent to the owner (voiceRecording).
   */
  | { kind: "record"; say: string[]; step: number }
  | { kind: "hang-up"; say: string[] }
  /** Speak, then ring one phone of the escalation ladder. */
  | { kind: "dial"; say: string[]; to: string; leg: number; ringSeconds: number }
  /** Heard by the person being rung, before they are connected. */
  | { kind: "whisper"; say: string; leg: number }
  /** The rung person accepted: let the bridge happen. */
  | { kind: "connect"; say: string[] };

/**
 * How a call listens for the caller's next turn: their words, or, when the
 * conversation is taking a message for the owner, a recording of it (the
 * way to say how to finish is a call's own, so it is added here).
 */
export function listenOnCall(say: string[], stage: Stage, step: number): CallInstruction {
  return stage === "taking-message"
    ? { kind: "record", say: [...say, spoken.afterTheTone()], step }
    : { kind: "gather", say, step };
}
