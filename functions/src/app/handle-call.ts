import type { Business } from "../domain/business/business";
import { type CallInstruction, listenOnCall } from "../domain/dialogue/call-instruction";
import { spoken } from "../domain/dialogue/wording";
import { greet, step, TurnContext } from "../domain/dialogue/conversation-engine";
import { readDialogueState } from "../domain/dialogue/dialogue-state";
import { ownerMessageText } from "../domain/notifications/owner-texts";
import { normalisePhoneNumber } from "../domain/phone/phone-number";
import { ConversationChanges, KeyedTurn, noWrites } from "../ports/call-writes.port";
import type { CallConversation } from "../ports/conversation-store.port";
import { alertOwnerOfLostLead, offerToFinishByText } from "./dropped-call-follow-up";
import {
  CallAnswer,
  CallDeps,
  dialLeg,
  LOST_CALL,
  RunContext,
  sayOf,
  UNKNOWN_NUMBER,
} from "./call-context";
import { callerWords, ChannelPolicy, converse, Settled } from "./converse";
import { turnKey } from "./call-turns";
import { logConversationUnreadable, logInfo, logWarn } from "../logs";

export type { CallAnswer, CallDeps, RunContext } from "./call-context";
export { CALENDAR_TIMEOUT_MS, findOffers } from "./call-offers";
export { addBooking } from "./converse";
export { answerWhisper, handleDialResult, whisperToCallee } from "./call-transfer";

/** Twilio's "A call comes in" webhook: find the tenant, recognise the caller, greet. */
export async function startCall(
  input: { callSid: string; from: string | null; to: string },
  deps: CallDeps,
): Promise<CallAnswer> {
  const business = await deps.businesses.findByPhoneNumber(input.to);
  if (!business) {
    logWarn(deps.logger, "call.unknown-number", { callSid: input.callSid });
    return { business: null, instruction: UNKNOWN_NUMBER };
  }
  const callerPhone = normaliseCaller(input.from, business);
  const found = callerPhone ? await deps.customers.findByPhone(business.id, callerPhone) : null;
  // A number known only from an SMS opt-out has no name: nobody to greet back.
  const customer = found?.name ? found : null;
  const now = deps.clock.now();
  const { state, say } = greet({ business, customer, callerPhone, now, channel: "voice" });
  const instruction: CallInstruction = { kind: "gather", say, step: 1 };
  const conversation: CallConversation = {
    id: input.callSid,
    businessId: business.id,
    channel: "call",
    callerPhone,
    customerId: customer?.id,
    ...(customer ? { customer } : {}),
    startedAt: now,
    updatedAt: now,
    state,
    lastAnswer: { key: "incoming", instruction },
    turnCount: 0,
    emergency: false,
    appointmentIds: [],
  };
  const created = await deps.conversations.create(conversation, [
    { key: turnKey(0, 1), at: now, speaker: "receptionist", text: say.join(" ") },
  ]);
  if (created === "exists") {
    // Twilio retried the webhook: answer what the first delivery answered.
    const existing = await deps.conversations.get(business.id, input.callSid);
    return { business, instruction: existing?.lastAnswer?.instruction ?? instruction };
  }
  logInfo(deps.logger, "call.started", {
    businessId: business.id,
    callSid: input.callSid,
    knownCaller: Boolean(customer),
  });
  return { business, instruction };
}

/**
 * One speech result from a <Gather>; `step` is the turn number in its action
 * URL. One read (the conversation; the tenant is cached), the dialogue, then
 * one commit of everything the turn changed; offers add one read of the diary.
 */
export async function handleCallTurn(
  input: {
    businessId: string;
    callSid: string;
    step: number;
    speech: string | null;
    confidence: number | null;
  },
  deps: CallDeps,
): Promise<CallAnswer> {
  return runCallTurn(
    input,
    { kind: "words", text: input.speech, confidence: input.confidence },
    deps,
  );
}

/**
 * The end of a <Record> of the caller's message: `seconds` recorded, 0 when
 * nothing was (Twilio then skips the action and we are redirected here). The
 * message's words and the owner's alert come with the recording
 * (voiceRecording); this turn thanks the caller, or asks again.
 */
export async function handleRecordedMessage(
  input: { businessId: string; callSid: string; step: number; seconds: number },
  deps: CallDeps,
): Promise<CallAnswer> {
  return runCallTurn(input, { kind: "recording", seconds: input.seconds }, deps);
}

/** What the caller gave on one turn of a call. */
type Heard =
  | { kind: "words"; text: string | null; confidence: number | null }
  | { kind: "recording"; seconds: number };

async function runCallTurn(
  input: { businessId: string; callSid: string; step: number },
  heard: Heard,
  deps: CallDeps,
): Promise<CallAnswer> {
  const business = await deps.businesses.getById(input.businessId);
  if (!business) return { business: null, instruction: UNKNOWN_NUMBER };
  const conversation = await deps.conversations.get(business.id, input.callSid);
  if (!conversation) return { business, instruction: LOST_CALL };

  // Twilio retried a request we already answered: same answer, no second booking or SMS.
  if (input.step <= conversation.turnCount && conversation.lastAnswer) {
    return { business, instruction: conversation.lastAnswer.instruction };
  }

  const customer = conversation.customer ?? null;
  const now = deps.clock.now();
  const ctx: TurnContext = {
    business,
    customer,
    callerPhone: conversation.callerPhone,
    now,
    channel: "voice",
  };
  // A stored state that cannot be read: the caller is still helped, from the start.
  const stored = readDialogueState(conversation.state);
  if (!stored.ok) {
    logConversationUnreadable(deps.logger, {
      businessId: business.id,
      conversationId: conversation.id,
      channel: "voice",
      problem: stored.problem,
    });
  }
  const state = stored.ok ? stored.state : greet(ctx).state;
  const first = stored.ok
    ? step(
        state,
        heard.kind === "words"
          ? await callerWords(state, heard, ctx, deps)
          : { type: "message-recorded", seconds: heard.seconds },
        ctx,
      )
    : {
        state,
        outcome: { type: "listen" as const, say: [spoken.lostPlace(), ...greet(ctx).say.slice(1)] },
        intent: null,
        emergency: null,
      };
  const callerTurn: KeyedTurn =
    heard.kind === "words"
      ? {
          key: turnKey(input.step, 0),
          at: now,
          speaker: "caller",
          text: heard.text ?? "",
          ...(first.intent ? { intent: first.intent } : {}),
          ...(heard.confidence !== null ? { confidence: heard.confidence } : {}),
          ...(first.emergency ? { emergency: true } : {}),
        }
      : {
          // The words follow as their own turn once the recording is transcribed.
          key: turnKey(input.step, 0),
          at: now,
          speaker: "system",
          text:
            heard.seconds > 0
              ? `Message recorded (${heard.seconds} s); its words follow when transcribed.`
              : "No message recorded.",
        };
  const run: RunContext = {
    business,
    customer,
    conversation: stored.ok ? conversation : { ...conversation, state },
    ctx,
    step: input.step,
    deps,
    writes: noWrites(business.id, conversation.id),
    channel: voiceChannel(conversation, input.step, customer?.name),
  };
  let instruction: CallInstruction = LOST_CALL;
  const settled = await converse(first, run, (settled) => {
    instruction = toInstruction(settled, input.step, business);
    const writes = settled.writes;
    writes.conversation = {
      state: settled.decision.state,
      turnCount: input.step,
      lastAnswer: { key: `turn-${input.step}`, instruction },
      updatedAt: now,
      ...conversationChanges(conversation, settled.conversation),
    };
    writes.turns = [
      ...writes.turns.filter((t) => t.key !== callerTurn.key && t.key !== turnKey(input.step, 1)),
      callerTurn,
      {
        key: turnKey(input.step, 1),
        at: now,
        speaker: "receptionist",
        text: sayOf(instruction).join(" "),
      },
    ];
    return writes;
  });
  if (settled.booked) {
    logInfo(deps.logger, "booking.created", {
      businessId: business.id,
      callSid: conversation.id,
      appointmentId: settled.booked.id,
    });
  }
  return { business, instruction };
}

/** What a call decides for itself while the engine's decisions are carried out. */
function voiceChannel(
  conversation: CallConversation,
  turn: number,
  customerName: string | undefined,
): ChannelPolicy {
  return {
    channel: "voice",
    ids: {
      ownerMessage: `owner-message-${conversation.id}-${turn}`,
      emergencyAlert: `emergency-alert-${conversation.id}`,
      related: conversation.id,
    },
    ownerMessage: async (message, reason, state) =>
      ownerMessageText({
        reason,
        message,
        callerPhone: conversation.callerPhone,
        callerName: customerName || state.draft.name,
      }),
    cancelReason: PHONE_CANCEL_REASON,
  };
}

/** The reason stored on a cancellation made on a call. */
export const PHONE_CANCEL_REASON = "customer by phone";

/** The engine's reply, as the voice webhook answers it: a message is recorded, not gathered. */
function toInstruction(settled: Settled, turn: number, business: Business): CallInstruction {
  const reply = settled.reply;
  switch (reply.kind) {
    case "listen":
      return listenOnCall(reply.say, settled.decision.state.stage, turn + 1);
    case "end":
      return { kind: "hang-up", say: reply.say };
    case "connect":
      return dialLeg(reply.say, reply.escalation.numbers, 0, business);
  }
}

/** The conversation fields this turn changed, and only those. */
function conversationChanges(
  before: CallConversation,
  after: CallConversation,
): Partial<ConversationChanges> {
  const changes: Partial<ConversationChanges> = {};
  if (after.emergency !== before.emergency) changes.emergency = after.emergency;
  if (after.escalation !== before.escalation && after.escalation)
    changes.escalation = after.escalation;
  if (after.outcome !== before.outcome && after.outcome) changes.outcome = after.outcome;
  if (after.appointmentIds !== before.appointmentIds) changes.appointmentIds = after.appointmentIds;
  if (after.endedAt && !before.endedAt) changes.endedAt = after.endedAt;
  return changes;
}

/**
 * Twilio's call status callback: the call is over, however it ended. Writes
 * only its own fields (endedAt, endStatus), so it cannot undo a turn's.
 */
export async function recordCallEnded(
  input: { businessId: string; callSid: string; callStatus: string },
  deps: CallDeps,
): Promise<void> {
  const writes = noWrites(input.businessId, input.callSid);
  // Whoever hung up, the times offered on this call are free for other callers now.
  writes.holds = { holder: input.callSid, releaseAll: true };
  const conversation = await deps.conversations.get(input.businessId, input.callSid);
  if (conversation && !conversation.endedAt) {
    // A booking cut off part-way is offered by text (docs/sms.md); never fails the callback.
    const texted = await offerToFinishByText(conversation, deps);
    await alertOwnerOfLostLead(conversation, texted === "queued", deps);
    const now = deps.clock.now();
    writes.conversation = { endedAt: now, endStatus: input.callStatus, updatedAt: now };
    writes.turns.push({
      key: turnKey(conversation.turnCount, "9-end"),
      at: now,
      speaker: "system",
      text: `Call ended (${input.callStatus}).`,
    });
  }
  await deps.writer.commit(writes);
}

function normaliseCaller(from: string | null, business: Business): string | null {
  if (!from) return null;
  const result = normalisePhoneNumber(from, business.defaultCountry);
  return result.ok ? result.e164 : null;
}
