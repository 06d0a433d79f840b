import type { CallInstruction } from "../domain/dialogue/call-instruction";
import type { Customer } from "../domain/customers/customer";
import type { DialogueState } from "../domain/dialogue/dialogue-state";

export interface ConversationTurn {
  at: Date;
  speaker: "caller" | "receptionist" | "system";
  text: string;
  intent?: string;
  confidence?: number;
  emergency?: boolean;
}

/** A turn of the transcript, with its place: turns are stored one document each, by key. */
export interface KeyedTurn extends ConversationTurn {
  /** Sorts in transcript order and is the same on a retried webhook, e.g. "0003-1". */
  key: string;
}

export type ConversationOutcome =
  | "booked"
  | "transferred"
  | "emergency-unanswered"
  | "message-taken"
  | "caller-hung-up"
  | "completed";

/**
 * What a stored call came to. The status callback records only that the call
 * ended (never the outcome, which a turn may be writing at the same moment),
 * so a call that ended with no other outcome was a hang-up.
 */
export function outcomeOf(stored: {
  outcome?: ConversationOutcome;
  endStatus?: string;
}): ConversationOutcome | undefined {
  return stored.outcome ?? (stored.endStatus ? "caller-hung-up" : undefined);
}

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
  /** A call; or a customer's SMS conversation when a text carries a conversation on. */
  channel: "call" | "sms";
  callerPhone: string | null;
  customerId?: string;
  /** The known customer as they were when the call began, so no turn reads them again. */
  customer?: Customer;
  startedAt: Date;
  updatedAt: Date;
  endedAt?: Date;
  /** How Twilio said the call ended, from the status callback. */
  endStatus?: string;
  state: DialogueState;
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
  /**
   * Stores a new conversation with its first turns, in one commit; "exists"
   * when a retried webhook created it already. Later changes go through CallWriter.
   */
  create(conversation: CallConversation, turns: KeyedTurn[]): Promise<"created" | "exists">;
  /** The transcript, in order. */
  listTurns(businessId: string, callSid: string): Promise<ConversationTurn[]>;
  /** Records that the person rung on this leg pressed 1. */
  markAccepted(businessId: string, callSid: string, leg: number): Promise<void>;
}
