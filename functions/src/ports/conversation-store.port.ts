import type { CallInstruction } from "../domain/dialogue/call-instruction";
import type { DialogueState } from "../domain/dialogue/dialogue-state";

export interface ConversationTurn {
  at: Date;
  speaker: "caller" | "receptionist" | "system";
  text: string;
  intent?: string;
  confidence?: number;
  emergency?: boolean;
}

export type ConversationOutcome =
  | "booked"
  | "transferred"
  | "emergency-unanswered"
  | "message-taken"
  | "caller-hung-up"
  | "completed";

/** Who is rung, in order, when a call is escalated, and who accepted. */
export interface Escalation {
  reason: "emergency" | "human";
  numbers: string[];
  acceptedLeg?: number;
}

export interface CallConversation {
  /** The CallSid. */
  id: string;
  businessId: string;
  channel: "call";
  callerPhone: string | null;
  customerId?: string;
  startedAt: Date;
  updatedAt: Date;
  endedAt?: Date;
  state: DialogueState;
  turns: ConversationTurn[];
  /** The last webhook answered, replayed verbatim when Twilio retries it. */
  lastAnswer?: { key: string; instruction: CallInstruction };
  /** Caller turns handled so far; the next Gather posts step = turnCount + 1. */
  turnCount: number;
  emergency: boolean;
  outcome?: ConversationOutcome;
  escalation?: Escalation;
  appointmentIds: string[];
}

export interface ConversationStore {
  get(businessId: string, callSid: string): Promise<CallConversation | null>;
  /** Stores a new conversation; "exists" when a retried webhook created it already. */
  create(conversation: CallConversation): Promise<"created" | "exists">;
  save(conversation: CallConversation): Promise<void>;
  /** Records that the person rung on this leg pressed 1. */
  markAccepted(businessId: string, callSid: string, leg: number): Promise<void>;
}
