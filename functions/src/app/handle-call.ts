import type { Business } from "../domain/business/business";
import type { CallInstruction } from "../domain/dialogue/call-instruction";
import {
  bookingConfirmed,
  decideTurn,
  greet,
  presentOffers,
  serviceFor,
  slotLost,
  TurnContext,
  TurnDecision,
} from "../domain/dialogue/call-dialogue";
import {
  asNewTimeChoice,
  bookingCancelled,
  bookingGone,
  bookingMoved,
  moveSlotLost,
  PHONE_CANCEL_REASON,
  upcomingFound,
} from "../domain/dialogue/change-booking.dialogue";
import type { DialogueState, MessageReason } from "../domain/dialogue/dialogue-state";
import type { EmergencyDetection } from "../domain/emergency/emergency.classifier";
import { normalisePhoneNumber } from "../domain/phone/phone-number";
import type { Appointment } from "../domain/scheduling/appointment";
import {
  emergencyAlertText,
  bookingConfirmationText,
  ownerMessageText,
} from "../domain/dialogue/sms-texts";
import type { CallConversation, ConversationTurn } from "../ports/conversation-store.port";
import { findUpcomingVisits } from "./change-booking";
import { alertOwnerOfLostLead, offerToFinishByText } from "./dropped-call-follow-up";
import { alertOwner } from "./alert-owner";

import {
  CallAnswer,
  CallDeps,
  dialLeg,
  LOST_CALL,
  RunContext,
  sayOf,
  UNKNOWN_NUMBER,
} from "./call-context";
import { findOffers, releaseHolds } from "./call-offers";

export type { CallAnswer, CallDeps, RunContext } from "./call-context";
export { CALENDAR_TIMEOUT_MS, findOffers } from "./call-offers";
export { answerWhisper, handleDialResult, whisperToCallee } from "./call-transfer";

/** Twilio's "A call comes in" webhook: find the tenant, recognise the caller, greet. */
export async function startCall(
  input: { callSid: string; from: string | null; to: string },
  deps: CallDeps,
): Promise<CallAnswer> {
  const business = await deps.businesses.findByPhoneNumber(input.to);
  if (!business) {
    deps.logger.warn("call.unknown-number", { callSid: input.callSid });
    return { business: null, instruction: UNKNOWN_NUMBER };
  }
  const existing = await deps.conversations.get(business.id, input.callSid);
  if (existing?.lastAnswer) return { business, instruction: existing.lastAnswer.instruction };

  const callerPhone = normaliseCaller(input.from, business);
  const found = callerPhone ? await deps.customers.findByPhone(business.id, callerPhone) : null;
  // A number known only from an SMS opt-out has no name: nobody to greet back.
  const customer = found?.name ? found : null;
  const now = deps.clock.now();
  const { state, say } = greet({ business, customer, callerPhone, now });
  const instruction: CallInstruction = { kind: "gather", say, step: 1 };
  const conversation: CallConversation = {
    id: input.callSid,
    businessId: business.id,
    channel: "call",
    callerPhone,
    customerId: customer?.id,
    startedAt: now,
    updatedAt: now,
    state,
    turns: [{ at: now, speaker: "receptionist", text: say.join(" ") }],
    lastAnswer: { key: "incoming", instruction },
    turnCount: 0,
    emergency: false,
    appointmentIds: [],
  };
  await deps.conversations.create(conversation);
  deps.logger.info("call.started", {
    businessId: business.id,
    callSid: input.callSid,
    knownCaller: Boolean(customer),
  });
  return { business, instruction };
}

/** One speech result from a <Gather>; `step` is the turn number in its action URL. */
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
  const business = await deps.businesses.getById(input.businessId);
  if (!business) return { business: null, instruction: UNKNOWN_NUMBER };
  const conversation = await deps.conversations.get(business.id, input.callSid);
  if (!conversation) return { business, instruction: LOST_CALL };

  const key = `turn-${input.step}`;
  // Twilio retried a request we already answered: same answer, no second booking or SMS.
  if (input.step <= conversation.turnCount && conversation.lastAnswer) {
    return { business, instruction: conversation.lastAnswer.instruction };
  }

  const customer = conversation.customerId
    ? await deps.customers.findByPhone(business.id, conversation.customerId)
    : null;
  const now = deps.clock.now();
  const ctx: TurnContext = { business, customer, callerPhone: conversation.callerPhone, now };
  const first = decideTurn(
    conversation.state,
    { speech: input.speech, confidence: input.confidence },
    ctx,
  );

  const turns: ConversationTurn[] = [
    {
      at: now,
      speaker: "caller",
      text: input.speech ?? "",
      ...(first.intent ? { intent: first.intent } : {}),
      ...(input.confidence !== null ? { confidence: input.confidence } : {}),
      ...(first.emergency ? { emergency: true } : {}),
    },
  ];
  const run = await carryOut(first, {
    business,
    customer,
    conversation,
    ctx,
    step: input.step,
    deps,
  });
  turns.push({ at: now, speaker: "receptionist", text: sayOf(run.instruction).join(" ") });

  const updated: CallConversation = {
    ...run.conversation,
    state: run.decision.state,
    turnCount: input.step,
    turns: [...conversation.turns, ...turns],
    updatedAt: now,
    lastAnswer: { key, instruction: run.instruction },
  };
  await deps.conversations.save(updated);
  return { business, instruction: run.instruction };
}

/**
 * Carries out the dialogue's side effects (availability, booking, SMS,
 * escalation) until it settles on something to say. A lost booking race
 * goes back to availability, so the loop is bounded.
 */
async function carryOut(
  first: TurnDecision,
  run: RunContext,
): Promise<{
  decision: TurnDecision;
  instruction: CallInstruction;
  conversation: CallConversation;
}> {
  let decision = first;
  let conversation = run.conversation;
  const { business, ctx, deps } = run;
  for (let rounds = 0; rounds < 4; rounds++) {
    const outcome = decision.outcome;
    switch (outcome.type) {
      case "listen":
        return {
          decision,
          conversation,
          instruction: { kind: "gather", say: outcome.say, step: run.step + 1 },
        };
      case "hang-up":
        return {
          decision,
          conversation: {
            ...conversation,
            outcome: conversation.outcome ?? "completed",
            endedAt: ctx.now,
          },
          instruction: { kind: "hang-up", say: outcome.say },
        };
      case "find-slots": {
        const offers = await findOffers(decision, run);
        decision = presentOffers(decision.state, offers, ctx, outcome.say);
        continue;
      }
      case "book": {
        const result = await book(decision, run);
        if (result.outcome === "slot-taken") {
          deps.logger.info("booking.slot-taken", {
            businessId: business.id,
            callSid: conversation.id,
          });
          decision = slotLost(decision.state);
          continue;
        }
        conversation = {
          ...conversation,
          outcome: "booked",
          appointmentIds: [...new Set([...conversation.appointmentIds, result.appointment.id])],
        };
        decision = bookingConfirmed(decision.state, result.appointment.id, ctx);
        continue;
      }
      case "escalate-emergency": {
        // The transfer matters more than the text: if the alert cannot be queued, still ring.
        await alertOwnerOfEmergency(outcome.emergency, decision.state, run).catch(
          (error: unknown) =>
            deps.logger.error("call.emergency-alert-not-queued", {
              businessId: business.id,
              callSid: conversation.id,
              error: error instanceof Error ? error.message : String(error),
            }),
        );
        const escalation = {
          reason: "emergency" as const,
          numbers: [business.ownerMobile, ...business.backupNumbers],
        };
        return {
          decision,
          conversation: { ...conversation, emergency: true, escalation },
          instruction: dialLeg(outcome.say, escalation.numbers, 0, business),
        };
      }
      case "transfer-to-owner": {
        const escalation = { reason: "human" as const, numbers: [business.ownerMobile] };
        return {
          decision,
          conversation: { ...conversation, escalation },
          instruction: dialLeg(outcome.say, escalation.numbers, 0, business),
        };
      }
      case "leave-message": {
        await leaveMessage(outcome.message, outcome.reason, run);
        conversation = { ...conversation, outcome: conversation.outcome ?? "message-taken" };
        const instruction: CallInstruction =
          decision.state.stage === "ended"
            ? { kind: "hang-up", say: outcome.say }
            : { kind: "gather", say: outcome.say, step: run.step + 1 };
        if (instruction.kind === "hang-up") conversation = { ...conversation, endedAt: ctx.now };
        return { decision, conversation, instruction };
      }
      // Moving or cancelling a booking. The customer's SMS, the owner's same-day alert and
      // the calendar follow from the appointment document changing (Firestore triggers).
      case "find-upcoming": {
        const visits = await findUpcomingVisits(outcome.lookup, business.id, ctx.now, deps);
        decision = upcomingFound(decision.state, visits, ctx);
        continue;
      }
      case "find-new-times": {
        const offers = await findOffers(decision, run);
        decision = asNewTimeChoice(presentOffers(decision.state, offers, ctx, outcome.say));
        continue;
      }
      case "cancel-appointment": {
        const cancelled = await deps.appointments.cancel(
          business.id,
          outcome.appointmentId,
          PHONE_CANCEL_REASON,
          ctx.now,
        );
        deps.logger.info("booking.cancelled-by-phone", {
          businessId: business.id,
          callSid: conversation.id,
          appointmentId: outcome.appointmentId,
          found: Boolean(cancelled),
        });
        decision = bookingCancelled(decision.state, cancelled, ctx);
        continue;
      }
      case "reschedule-appointment": {
        const result = await deps.appointments.reschedule(
          business.id,
          outcome.appointmentId,
          new Date(outcome.slot.start),
          new Date(outcome.slot.end),
          ctx.now,
        );
        deps.logger.info("booking.rescheduled-by-phone", {
          businessId: business.id,
          callSid: conversation.id,
          appointmentId: outcome.appointmentId,
          result: result.outcome,
        });
        if (result.outcome === "rescheduled") {
          await releaseHolds(deps, business.id, conversation.id);
          decision = bookingMoved(decision.state, result.appointment, ctx);
        } else if (result.outcome === "slot-taken") {
          decision = moveSlotLost(decision.state);
        } else {
          decision = bookingGone(decision.state, ctx);
        }
        continue;
      }
    }
  }
  deps.logger.error("call.dialogue-did-not-settle", {
    businessId: business.id,
    callSid: conversation.id,
  });
  return {
    decision,
    conversation,
    instruction: dialLeg(
      ["Let me put you through to someone."],
      [business.ownerMobile],
      0,
      business,
    ),
  };
}

export async function book(decision: TurnDecision, run: RunContext) {
  const { business, ctx, deps, conversation } = run;
  const { draft, chosen } = decision.state;
  if (!chosen || !draft.name || !draft.address || !draft.callbackNumber) {
    throw new Error("booking reached without a chosen slot and the caller's details");
  }
  const service = serviceFor(decision.state, ctx);
  const start = new Date(chosen.start);
  const appointment: Appointment = {
    // Deterministic: a retried turn books the same appointment, never a second one.
    id: `call-${conversation.id}-${start.getTime()}`,
    businessId: business.id,
    customerId: draft.callbackNumber,
    customerName: draft.name,
    customerPhone: draft.callbackNumber,
    address: draft.address,
    serviceId: service.id,
    serviceName: service.name,
    problem: draft.problem ?? service.name,
    start,
    end: new Date(start.getTime() + service.durationMinutes * 60_000),
    bufferMinutes: service.bufferMinutes ?? 0,
    status: "booked",
    source: conversation.id,
    createdAt: ctx.now,
  };
  const result = await deps.appointments.book(appointment);
  // The booking (or the next offers) replaces this caller's holds.
  await releaseHolds(deps, business.id, conversation.id);
  if (result.outcome === "slot-taken") return result;
  await deps.customers.upsert(business.id, {
    name: draft.name,
    phone: draft.callbackNumber,
    address: draft.address,
  });
  await deps.outbox.enqueue({
    id: `booking-confirmation-${result.appointment.id}`,
    businessId: business.id,
    to: result.appointment.customerPhone,
    body: bookingConfirmationText(business, result.appointment),
    purpose: "booking-confirmation",
    relatedId: result.appointment.id,
  });
  deps.logger.info("booking.created", {
    businessId: business.id,
    callSid: conversation.id,
    appointmentId: result.appointment.id,
    replayed: result.outcome === "already-booked",
  });
  return result;
}

async function alertOwnerOfEmergency(
  emergency: EmergencyDetection,
  state: DialogueState,
  run: RunContext,
): Promise<void> {
  const { business, conversation, deps, customer } = run;
  await deps.outbox.enqueue({
    id: `emergency-alert-${conversation.id}`,
    businessId: business.id,
    to: business.ownerMobile,
    body: emergencyAlertText({
      label: emergency.label,
      callerPhone: conversation.callerPhone,
      callerName: customer?.name ?? state.draft.name,
      address: state.draft.address ?? customer?.address,
      words: state.emergency?.words ?? emergency.matched,
    }),
    purpose: "owner-emergency-alert",
    relatedId: conversation.id,
  });
  deps.logger.warn("call.emergency", {
    businessId: business.id,
    callSid: conversation.id,
    kind: emergency.kind,
  });
}

async function leaveMessage(
  message: string,
  reason: MessageReason,
  run: RunContext,
): Promise<void> {
  const { business, conversation, deps, customer, ctx } = run;
  // A message is not an emergency: it waits for the end of the owner's quiet hours.
  await alertOwner(
    business,
    {
      outboxId: `owner-message-${conversation.id}-${run.step}`,
      purpose: "owner-message",
      body: ownerMessageText({
        reason,
        message,
        callerPhone: conversation.callerPhone,
        callerName: customer?.name ?? conversation.state.draft.name,
      }),
      relatedId: conversation.id,
    },
    ctx.now,
    deps,
  );
}

/** Twilio's call status callback: the call is over, however it ended. */
export async function recordCallEnded(
  input: { businessId: string; callSid: string; callStatus: string },
  deps: CallDeps,
): Promise<void> {
  // Whoever hung up, the times offered on this call are free for other callers now.
  await releaseHolds(deps, input.businessId, input.callSid);
  const conversation = await deps.conversations.get(input.businessId, input.callSid);
  if (!conversation || conversation.endedAt) return;
  // A booking cut off part-way is offered by text (docs/sms.md); never fails the callback.
  const texted = await offerToFinishByText(conversation, deps);
  await alertOwnerOfLostLead(conversation, texted === "queued", deps);
  const now = deps.clock.now();
  await deps.conversations.save({
    ...conversation,
    endedAt: now,
    updatedAt: now,
    outcome: conversation.outcome ?? "caller-hung-up",
    state: { ...conversation.state, stage: "ended" },
    turns: [
      ...conversation.turns,
      { at: now, speaker: "system", text: `Call ended (${input.callStatus}).` },
    ],
  });
}

function normaliseCaller(from: string | null, business: Business): string | null {
  if (!from) return null;
  const result = normalisePhoneNumber(from, business.defaultCountry);
  return result.ok ? result.e164 : null;
}
