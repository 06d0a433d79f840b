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
import {
  CallWrites,
  CallWritesResult,
  ConversationChanges,
  HoldChange,
  KeyedTurn,
  noWrites,
} from "../ports/call-writes.port";
import type { CallConversation } from "../ports/conversation-store.port";
import { findUpcomingVisits } from "./change-booking";
import { alertOwnerOfLostLead, offerToFinishByText } from "./dropped-call-follow-up";
import { ownerAlertDelivery } from "./alert-owner";

import {
  CallAnswer,
  CallDeps,
  dialLeg,
  LOST_CALL,
  RunContext,
  sayOf,
  UNKNOWN_NUMBER,
} from "./call-context";
import { findOffers, heldSpans } from "./call-offers";
import { turnKey } from "./call-turns";

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
  deps.logger.info("call.started", {
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
  const ctx: TurnContext = { business, customer, callerPhone: conversation.callerPhone, now };
  const first = decideTurn(
    conversation.state,
    { speech: input.speech, confidence: input.confidence },
    ctx,
  );
  const callerTurn: KeyedTurn = {
    key: turnKey(input.step, 0),
    at: now,
    speaker: "caller",
    text: input.speech ?? "",
    ...(first.intent ? { intent: first.intent } : {}),
    ...(input.confidence !== null ? { confidence: input.confidence } : {}),
    ...(first.emergency ? { emergency: true } : {}),
  };
  const run: RunContext = {
    business,
    customer,
    conversation,
    ctx,
    step: input.step,
    deps,
    writes: noWrites(business.id, conversation.id),
  };
  let settled = await carryOut(first, run);
  for (let attempt = 1; ; attempt++) {
    const writes = settled.writes;
    writes.conversation = {
      state: settled.decision.state,
      turnCount: input.step,
      lastAnswer: { key: `turn-${input.step}`, instruction: settled.instruction },
      updatedAt: now,
      ...conversationChanges(conversation, settled.conversation),
    };
    writes.turns.push(callerTurn, {
      key: turnKey(input.step, 1),
      at: now,
      speaker: "receptionist",
      text: sayOf(settled.instruction).join(" "),
    });
    const result = await commitTurn(writes, settled, run);
    if (result.outcome === "committed") break;
    settled = await afterLostRace(result.outcome, settled, run, attempt);
  }
  if (settled.booked) {
    deps.logger.info("booking.created", {
      businessId: business.id,
      callSid: conversation.id,
      appointmentId: settled.booked.id,
    });
  }
  return { business, instruction: settled.instruction };
}

/** How often a turn books again when another booking took its time first. */
const BOOKING_ATTEMPTS = 3;
/**
 * How often it offers again when callers ringing at the same moment held its
 * offers first; each round at least one of them wins, so this covers that
 * many simultaneous callers of one business before offering unheld.
 */
const HOLD_ATTEMPTS = 8;

/**
 * Another caller got there first, and nothing of this turn was written. A
 * lost booking goes on from just before it ("that time has just gone"); lost
 * holds mean offering again, and after a few tries offering without holds
 * (they only steer: the slot locks still decide every booking).
 */
async function afterLostRace(
  lost: "slot-taken" | "holds-taken",
  settled: Settled,
  run: RunContext,
  attempt: number,
): Promise<Settled> {
  const { business, conversation, deps } = run;
  deps.logger.info(lost === "slot-taken" ? "booking.slot-taken" : "availability.hold-lost", {
    businessId: business.id,
    callSid: conversation.id,
    attempt,
  });
  const from = lost === "slot-taken" ? settled.beforeBooking : settled.beforeOffers;
  if (!from) throw new Error(`${lost} without a booking or offers on this turn`);
  if (attempt >= (lost === "slot-taken" ? BOOKING_ATTEMPTS : HOLD_ATTEMPTS)) {
    if (lost === "slot-taken")
      throw new Error(`booking lost its race ${attempt} times on one turn`);
    return { ...settled, writes: { ...stripTurnWrites(settled.writes), holds: undefined } };
  }
  const next = lost === "slot-taken" ? slotLost(from.decision.state) : from.decision;
  return carryOut(next, {
    ...run,
    conversation: from.conversation,
    writes: from.writes,
    // Lost offers: look among more of the best times, so simultaneous callers spread out.
    ...(lost === "holds-taken" ? { contention: attempt } : {}),
  });
}

/** The writes without the conversation and transcript, which the turn adds again. */
function stripTurnWrites(writes: CallWrites): CallWrites {
  return { ...writes, conversation: undefined, turns: [] };
}

/**
 * Commits the turn. An emergency transfer goes ahead even when the commit
 * fails: ringing the owner matters more than the record of the call.
 */
async function commitTurn(
  writes: CallWrites,
  settled: Settled,
  run: RunContext,
): Promise<CallWritesResult> {
  try {
    return await run.deps.writer.commit(writes);
  } catch (error) {
    if (!settled.conversation.emergency || settled.instruction.kind !== "dial") throw error;
    run.deps.logger.error("call.emergency-not-saved", {
      businessId: run.business.id,
      callSid: run.conversation.id,
      error: error instanceof Error ? error.message : String(error),
    });
    return { outcome: "committed" };
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

/** Where a turn settled: what to say, and the writes that go with it. */
interface Settled {
  decision: TurnDecision;
  instruction: CallInstruction;
  conversation: CallConversation;
  writes: CallWrites;
  /** The appointment this turn books, committed with the rest. */
  booked?: Appointment;
  /** Where the turn stood before it booked: if the booking loses its race, it goes on from here. */
  beforeBooking?: Checkpoint;
  /** Where it stood before its last offers: if another caller held them first, it offers again. */
  beforeOffers?: Checkpoint;
}

interface Checkpoint {
  decision: TurnDecision;
  conversation: CallConversation;
  writes: CallWrites;
}

/**
 * Carries out the dialogue's side effects (availability, booking, SMS,
 * escalation) until it settles on something to say, collecting the writes
 * in run.writes. A booking is assumed to succeed; if its commit finds the
 * time taken, the turn goes on from just before it (handleCallTurn).
 */
async function carryOut(first: TurnDecision, run: RunContext): Promise<Settled> {
  let decision = first;
  let conversation = run.conversation;
  let booked: Appointment | undefined;
  let beforeBooking: Checkpoint | undefined;
  let beforeOffers: Checkpoint | undefined;
  const checkpoint = (): Checkpoint => ({
    decision,
    conversation,
    writes: structuredClone(writes),
  });
  const { business, ctx, deps, writes } = run;
  const settle = (instruction: CallInstruction, changed = conversation): Settled => ({
    decision,
    instruction,
    conversation: changed,
    writes,
    ...(booked ? { booked } : {}),
    ...(beforeBooking ? { beforeBooking } : {}),
    ...(beforeOffers ? { beforeOffers } : {}),
  });
  for (let rounds = 0; rounds < 4; rounds++) {
    const outcome = decision.outcome;
    switch (outcome.type) {
      case "listen":
        return settle({ kind: "gather", say: outcome.say, step: run.step + 1 });
      case "hang-up":
        return settle(
          { kind: "hang-up", say: outcome.say },
          { ...conversation, outcome: conversation.outcome ?? "completed", endedAt: ctx.now },
        );
      case "find-slots": {
        beforeOffers = checkpoint();
        const offers = await findOffers(decision, run);
        decision = presentOffers(decision.state, offers, ctx, outcome.say);
        continue;
      }
      case "book": {
        beforeBooking = checkpoint();
        booked = addBooking(decision, run);
        conversation = {
          ...conversation,
          outcome: "booked",
          appointmentIds: [...new Set([...conversation.appointmentIds, booked.id])],
        };
        decision = bookingConfirmed(decision.state, booked.id, ctx);
        continue;
      }
      case "escalate-emergency": {
        alertOwnerOfEmergency(outcome.emergency, decision.state, run);
        const escalation = {
          reason: "emergency" as const,
          numbers: [business.ownerMobile, ...business.backupNumbers],
        };
        return settle(dialLeg(outcome.say, escalation.numbers, 0, business), {
          ...conversation,
          emergency: true,
          escalation,
        });
      }
      case "transfer-to-owner": {
        const escalation = { reason: "human" as const, numbers: [business.ownerMobile] };
        return settle(dialLeg(outcome.say, escalation.numbers, 0, business), {
          ...conversation,
          escalation,
        });
      }
      case "leave-message": {
        leaveMessage(outcome.message, outcome.reason, run);
        conversation = { ...conversation, outcome: conversation.outcome ?? "message-taken" };
        if (decision.state.stage === "ended") {
          return settle(
            { kind: "hang-up", say: outcome.say },
            { ...conversation, endedAt: ctx.now },
          );
        }
        return settle({ kind: "gather", say: outcome.say, step: run.step + 1 });
      }
      // Moving or cancelling a booking. The customer's SMS, the owner's same-day alert and
      // the calendar follow from the appointment document changing (Firestore triggers).
      case "find-upcoming": {
        const visits = await findUpcomingVisits(outcome.lookup, business.id, ctx.now, deps);
        decision = upcomingFound(decision.state, visits, ctx);
        continue;
      }
      case "find-new-times": {
        beforeOffers = checkpoint();
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
          writes.holds = releaseHeld(decision.state, run);
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
  return settle(
    dialLeg(["Let me put you through to someone."], [business.ownerMobile], 0, business),
  );
}

/**
 * Adds the booking to the turn's writes: the appointment with its slot locks,
 * the customer, the confirmation text, and the end of the caller's holds.
 * The id is deterministic, so a retried turn books the same appointment.
 */
/** Frees the times this caller was offered: they booked or moved a visit. */
function releaseHeld(state: DialogueState, run: RunContext): HoldChange {
  return {
    holder: run.conversation.id,
    hold: [],
    release: heldSpans(state, run),
    expiresAt: run.ctx.now,
    at: run.ctx.now,
  };
}

export function addBooking(decision: TurnDecision, run: RunContext): Appointment {
  const { business, ctx, conversation, writes } = run;
  const { draft, chosen } = decision.state;
  if (!chosen || !draft.name || !draft.address || !draft.callbackNumber) {
    throw new Error("booking reached without a chosen slot and the caller's details");
  }
  const service = serviceFor(decision.state, ctx);
  const start = new Date(chosen.start);
  const appointment: Appointment = {
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
  writes.booking = {
    appointment,
    customer: { name: draft.name, phone: draft.callbackNumber, address: draft.address },
  };
  writes.outbox.push({
    id: `booking-confirmation-${appointment.id}`,
    businessId: business.id,
    to: appointment.customerPhone,
    body: bookingConfirmationText(business, appointment),
    purpose: "booking-confirmation",
    relatedId: appointment.id,
  });
  // The booking replaces this caller's holds.
  writes.holds = releaseHeld(decision.state, run);
  return appointment;
}

function alertOwnerOfEmergency(
  emergency: EmergencyDetection,
  state: DialogueState,
  run: RunContext,
): void {
  const { business, conversation, deps, customer } = run;
  run.writes.outbox.push({
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

function leaveMessage(message: string, reason: MessageReason, run: RunContext): void {
  const { business, conversation, customer, ctx } = run;
  // A message is not an emergency: it waits for the end of the owner's quiet hours.
  const delivery = ownerAlertDelivery(
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
  );
  if ("outbox" in delivery) run.writes.outbox.push(delivery.outbox);
  else run.writes.scheduled.push(delivery.scheduled);
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
