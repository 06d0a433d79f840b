/**
 * Putting a caller through: the whisper the rung phone hears, its key press,
 * and what happens when a leg ends (next phone, or the honest fallback).
 * Part of the call use cases (handle-call.ts).
 */
import { type CallInstruction, listenOnCall } from "../domain/dialogue/call-instruction";
import { step, TurnContext } from "../domain/dialogue/conversation-engine";
import { emergencyUnansweredText } from "../domain/notifications/owner-texts";
import type { NewOutboxMessage } from "../domain/delivery/outbox-message";
import { ConversationChanges, noWrites } from "../ports/call-writes.port";
import { spoken } from "../domain/dialogue/wording";
import { CallAnswer, CallDeps, dialLeg, LOST_CALL, sayOf } from "./call-context";
import { turnKey } from "./call-turns";
import { logInfo, logWarn } from "../logs";

/** What the person being rung hears before they accept. */
export async function whisperToCallee(
  input: { businessId: string; callSid: string; leg: number },
  deps: CallDeps,
): Promise<CallAnswer> {
  const business = await deps.businesses.getById(input.businessId);
  const conversation = business ? await deps.conversations.get(business.id, input.callSid) : null;
  if (!conversation) return { business, instruction: { kind: "hang-up", say: [] } };
  const who = conversation.state.draft.name ?? spoken.callerNumber(conversation.callerPhone);
  const emergency = conversation.state.emergency;
  const say = emergency
    ? spoken.whisperEmergency(who, emergency.label, emergency.words)
    : spoken.whisperRequest(who);
  return { business, instruction: { kind: "whisper", say, leg: input.leg } };
}

/** The rung person's key press: 1 accepts and connects, anything else declines. */
export async function answerWhisper(
  input: { businessId: string; callSid: string; leg: number; digits: string | null },
  deps: CallDeps,
): Promise<CallAnswer> {
  const business = await deps.businesses.getById(input.businessId);
  if (input.digits !== "1" || !business) {
    return { business, instruction: { kind: "hang-up", say: [spoken.notAccepted()] } };
  }
  await deps.conversations.markAccepted(input.businessId, input.callSid, input.leg);
  logInfo(deps.logger, "call.transfer-accepted", {
    businessId: input.businessId,
    callSid: input.callSid,
    leg: input.leg,
  });
  return { business, instruction: { kind: "connect", say: [spoken.connecting()] } };
}

/** Twilio reports how a <Dial> leg ended: done if accepted, else the next phone, else a fallback. */
export async function handleDialResult(
  input: { businessId: string; callSid: string; leg: number; dialStatus: string },
  deps: CallDeps,
): Promise<CallAnswer> {
  const business = await deps.businesses.getById(input.businessId);
  const conversation = business ? await deps.conversations.get(business.id, input.callSid) : null;
  if (!business || !conversation) return { business, instruction: LOST_CALL };
  const key = `dial-${input.leg}`;
  if (conversation.lastAnswer?.key === key) {
    return { business, instruction: conversation.lastAnswer.instruction };
  }
  const escalation = conversation.escalation;
  const now = deps.clock.now();
  const outbox: NewOutboxMessage[] = [];
  const finish = async (
    instruction: CallInstruction,
    changes: Partial<ConversationChanges>,
    note: string,
  ) => {
    const writes = noWrites(business.id, conversation.id);
    writes.outbox.push(...outbox);
    writes.conversation = { ...changes, updatedAt: now, lastAnswer: { key, instruction } };
    const said = sayOf(instruction).join(" ");
    writes.turns.push(
      {
        key: turnKey(conversation.turnCount, `2-${key}-0`),
        at: now,
        speaker: "system",
        text: note,
      },
      ...(said
        ? [
            {
              key: turnKey(conversation.turnCount, `2-${key}-1`),
              at: now,
              speaker: "receptionist" as const,
              text: said,
            },
          ]
        : []),
    );
    await deps.writer.commit(writes);
    return { business, instruction };
  };

  const legNumber = escalation?.numbers[input.leg];
  if (escalation?.acceptedLeg === input.leg && input.dialStatus === "completed") {
    return finish(
      { kind: "hang-up", say: [] },
      { outcome: "transferred", endedAt: now },
      `Transfer accepted by ${legNumber}.`,
    );
  }
  const note = `Transfer to ${legNumber ?? "owner"} not accepted (${input.dialStatus}).`;
  if (escalation?.reason === "emergency") {
    const nextLeg = input.leg + 1;
    if (nextLeg < escalation.numbers.length) {
      return finish(
        dialLeg([spoken.stillTrying()], escalation.numbers, nextLeg, business),
        {},
        note,
      );
    }
    const ctx: TurnContext = {
      business,
      customer: null,
      callerPhone: conversation.callerPhone,
      now,
    };
    const decision = step(conversation.state, { type: "emergency-unanswered" }, ctx);
    outbox.push({
      id: `emergency-unanswered-${conversation.id}`,
      businessId: business.id,
      to: business.ownerMobile,
      body: emergencyUnansweredText({
        label: conversation.state.emergency?.label ?? "Emergency",
        callerPhone: conversation.callerPhone,
        callbackPromise: business.emergency.callbackPromise,
      }),
      purpose: "owner-emergency-unanswered",
      relatedId: conversation.id,
    });
    logWarn(deps.logger, "call.emergency-unanswered", {
      businessId: business.id,
      callSid: conversation.id,
    });
    const say = decision.outcome.type === "hang-up" ? decision.outcome.say : [];
    return finish(
      { kind: "hang-up", say },
      { state: decision.state, outcome: "emergency-unanswered", endedAt: now },
      note,
    );
  }
  const ctx: TurnContext = { business, customer: null, callerPhone: conversation.callerPhone, now };
  const decision = step(conversation.state, { type: "owner-unavailable" }, ctx);
  const say = decision.outcome.type === "listen" ? decision.outcome.say : [];
  return finish(
    listenOnCall(say, decision.state.stage, conversation.turnCount + 1),
    { state: decision.state },
    note,
  );
}
