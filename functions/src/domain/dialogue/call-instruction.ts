/**
 * What one voice webhook answers, independent of TwiML. The Twilio adapter
 * renders it; the conversation stores it so a retried webhook gets the same answer.
 */
export type CallInstruction =
  /** Speak, then listen for the caller's next words (turn number `step`). */
  | { kind: "gather"; say: string[]; step: number }
  | { kind: "hang-up"; say: string[] }
  /** Speak, then ring one phone of the escalation ladder. */
  | { kind: "dial"; say: string[]; to: string; leg: number; ringSeconds: number }
  /** Heard by the person being rung, before they are connected. */
  | { kind: "whisper"; say: string; leg: number }
  /** The rung person accepted: let the bridge happen. */
  | { kind: "connect"; say: string[] };
