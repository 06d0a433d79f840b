import type { Business } from "../domain/business/business";
import type { Customer } from "../domain/customers/customer";
import type { CallInstruction } from "../domain/dialogue/call-instruction";
import type { TurnContext } from "../domain/dialogue/conversation-engine";
import type { Channel } from "../domain/dialogue/conversation-engine";
import type { DialogueState, MessageReason } from "../domain/dialogue/dialogue-state";
import { spoken } from "../domain/dialogue/wording";
import type { AppointmentStore } from "../ports/appointment-store.port";
import type { BusinessDirectory } from "../ports/business-directory.port";
import type { CalendarBusySource } from "../ports/calendar-busy.port";
import type { Clock } from "../ports/clock.port";
import type { CallWriter, CallWrites } from "../ports/call-writes.port";
import type { CallConversation, ConversationStore } from "../ports/conversation-store.port";
import type { CustomerStore } from "../ports/customer-store.port";
import type { HoldStore } from "../ports/hold-store.port";
import type { DegradationReporter } from "../ports/attention.port";
import type { LanguageModel } from "../ports/language-model.port";
import type { Logger } from "../ports/logger.port";
import type { OutboxQueue } from "../ports/outbox.port";
import type { SmsConversations } from "../ports/sms-conversation.port";
import type { ScheduledSmsQueue } from "../ports/scheduled-sms.port";

/** What every call use case works with: its ports, its answer, and one turn's context. */

export interface CallDeps {
  businesses: BusinessDirectory;
  customers: CustomerStore;
  appointments: AppointmentStore;
  conversations: ConversationStore;
  /** Commits what one webhook changed, in one round trip. */
  writer: CallWriter;
  outbox: OutboxQueue;
  clock: Clock;
  logger: Logger;
  /** The owner's calendar; without it (or when slow or down) offers come from Firestore alone. */
  calendarBusy?: CalendarBusySource;
  /** Holds on offered times; without it, simultaneous callers may be offered the same time. */
  holds?: HoldStore;
  /** SMS conversations; without it a call dropped mid-booking is not followed up by text. */
  smsConversations?: SmsConversations;
  /** Holds non-emergency owner alerts (messages, lost leads) until quiet hours end. */
  scheduled?: ScheduledSmsQueue;
  /** A second reader of unclear or long turns; without it (or without a key) the rules alone. */
  model?: LanguageModel;
  /** Tells the owner when the model keeps failing. */
  degradation?: DegradationReporter;
}

/** The answer of a webhook, and the business it belongs to (for URLs and speech hints). */
export interface CallAnswer {
  business: Business | null;
  instruction: CallInstruction;
}

export const UNKNOWN_NUMBER: CallInstruction = { kind: "hang-up", say: [spoken.notSetUp()] };

export const LOST_CALL: CallInstruction = { kind: "hang-up", say: [spoken.lostCall()] };

/** What a channel decides for itself while the interpreter works. */
export interface ChannelPolicy {
  channel: Channel;
  /** The customer opted out of texts: the owner's emergency alert says to call, never text. */
  optedOut?: boolean;
  /** The owner's copy of a message the caller leaves. */
  ownerMessage(message: string, reason: MessageReason, state: DialogueState): Promise<string>;
  /** Outbox ids, deterministic so a retried webhook queues each text once. */
  ids: { ownerMessage: string; emergencyAlert: string; related: string };
  /** Recorded on an appointment cancelled or moved in this channel. */
  cancelReason: string;
  rescheduleReason?: string;
}

export interface RunContext {
  business: Business;
  customer: Customer | null;
  conversation: CallConversation;
  ctx: TurnContext;
  step: number;
  deps: CallDeps;
  /** What this webhook will write, committed together at the end. */
  writes: CallWrites;
  /** What the channel (voice, SMS) decides for itself: message wording, outbox ids, reasons. */
  channel: ChannelPolicy;
  /** How often callers ringing at the same moment held this turn's offers first. */
  contention?: number;
}

export function dialLeg(
  say: string[],
  numbers: readonly string[],
  leg: number,
  business: Business,
): CallInstruction {
  return { kind: "dial", say, to: numbers[leg], leg, ringSeconds: business.emergency.ringSeconds };
}

export function sayOf(instruction: CallInstruction): string[] {
  return instruction.kind === "whisper" ? [instruction.say] : instruction.say;
}
