import type { CallInstruction } from "../domain/dialogue/call-instruction";
import type { DialogueState } from "../domain/dialogue/dialogue-state";
import type { NewOutboxMessage } from "../domain/delivery/outbox-message";
import type { NewScheduledSms } from "../domain/notifications/scheduled-sms";
import type { Appointment } from "../domain/scheduling/appointment";
import type { Slot } from "../domain/scheduling/availability";
import type { ConversationOutcome, Escalation, KeyedTurn } from "./conversation-store.port";

export type { KeyedTurn } from "./conversation-store.port";
import type { CustomerDetails } from "./customer-store.port";

/**
 * The fields of a call's conversation a webhook changes. Only these are
 * written (field by field), so a turn and a status callback for the same
 * call never overwrite each other's changes.
 */
export interface ConversationChanges {
  state?: DialogueState;
  turnCount?: number;
  lastAnswer?: { key: string; instruction: CallInstruction };
  emergency?: boolean;
  escalation?: Escalation;
  outcome?: ConversationOutcome;
  appointmentIds?: string[];
  endedAt?: Date;
  /** How Twilio said the call ended (status callback only). */
  endStatus?: string;
  updatedAt: Date;
}

/**
 * Offered times held for one caller: `hold` is what they are offered now,
 * `release` what they held before and no longer need (declined offers, or
 * every offer once they book). `releaseAll` drops whatever they hold.
 */
export type HoldChange =
  | { holder: string; hold: Slot[]; release: Slot[]; expiresAt: Date; at: Date }
  | { holder: string; releaseAll: true };

/**
 * Everything one webhook of a call writes, committed together: one round
 * trip, all or nothing. A booking's slot locks, its appointment and its
 * confirmation text land with the conversation, or none of them do.
 */
export interface CallWrites {
  businessId: string;
  callSid: string;
  conversation?: ConversationChanges;
  turns: KeyedTurn[];
  outbox: NewOutboxMessage[];
  scheduled: NewScheduledSms[];
  holds?: HoldChange;
  booking?: { appointment: Appointment; customer: CustomerDetails };
}

export type CallWritesResult =
  | { outcome: "committed" }
  /** Another appointment holds part of the booking's time: nothing was written. */
  | { outcome: "slot-taken" }
  /** Another caller took a hold on an offered time first: nothing was written. */
  | { outcome: "holds-taken" };

export interface CallWriter {
  /**
   * Commits the writes at once. Messages, reminders and a booking stored
   * already under the same ids (a retried webhook) are kept as they are.
   */
  commit(writes: CallWrites): Promise<CallWritesResult>;
}

export function noWrites(businessId: string, callSid: string): CallWrites {
  return { businessId, callSid, turns: [], outbox: [], scheduled: [] };
}
