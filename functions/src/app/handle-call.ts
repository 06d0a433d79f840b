import { DateTime } from "luxon";
import type { Business } from "../domain/business/business";
import type { Customer } from "../domain/customers/customer";
import type { CallInstruction } from "../domain/dialogue/call-instruction";
import {
  bookingConfirmed,
  decideTurn,
  emergencyUnanswered,
  greet,
  ownerUnavailable,
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
import { serviceById } from "../domain/business/business";
import { areaOf } from "../domain/scheduling/area";
import { availableSlots, BookedJob, BusyPeriod, Slot } from "../domain/scheduling/availability";
import { activeHoldsOfOthers, holdSpan } from "../domain/scheduling/hold";
import { byTime, OfferChoice, rankOffers } from "../domain/scheduling/offers";
import type { Appointment } from "../domain/scheduling/appointment";
import {
  emergencyAlertText,
  emergencyUnansweredText,
  bookingConfirmationText,
  ownerMessageText,
} from "../domain/dialogue/sms-texts";
import type { AppointmentStore } from "../ports/appointment-store.port";
import type { BusinessDirectory } from "../ports/business-directory.port";
import type { CalendarBusy, CalendarBusySource } from "../ports/calendar-busy.port";
import type { Clock } from "../ports/clock.port";
import type {
  CallConversation,
  ConversationStore,
  ConversationTurn,
} from "../ports/conversation-store.port";
import type { CustomerStore } from "../ports/customer-store.port";
import type { HoldStore } from "../ports/hold-store.port";
import type { Logger } from "../ports/logger.port";
import type { OutboxQueue } from "../ports/outbox.port";
import { findUpcomingVisits } from "./change-booking";
import { alertOwnerOfLostLead, offerToFinishByText } from "./dropped-call-follow-up";
import type { SmsConversations } from "../ports/sms-conversation.port";
import type { ScheduledSmsQueue } from "../ports/scheduled-sms.port";
import { alertOwner } from "./alert-owner";

export interface CallDeps {
  businesses: BusinessDirectory;
  customers: CustomerStore;
  appointments: AppointmentStore;
  conversations: ConversationStore;
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
}

/** The answer of a webhook, and the business it belongs to (for URLs and speech hints). */
export interface CallAnswer {
  business: Business | null;
  instruction: CallInstruction;
}

const UNKNOWN_NUMBER: CallInstruction = {
  kind: "hang-up",
  say: [
    "Sorry, this number isn't set up to take calls yet. Please check the number and try again. Goodbye.",
  ],
};

const LOST_CALL: CallInstruction = {
  kind: "hang-up",
  say: [
    "Sorry, I've lost track of this call. Please call back and I'll help straight away. Goodbye.",
  ],
};

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

export interface RunContext {
  business: Business;
  customer: Customer | null;
  conversation: CallConversation;
  ctx: TurnContext;
  step: number;
  deps: CallDeps;
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

/** How long the owner's calendar may take before offering from Firestore alone. */
export const CALENDAR_TIMEOUT_MS = 2_000;
/** Candidates ranked per offer, to replace offers another caller holds first. */
const SPARE_OFFERS = 4;
/** Fresh looks at others' holds when every candidate was held by someone else first. */
const HOLD_PASSES = 3;

/**
 * Free times for the caller, honouring any time they asked for: business
 * hours minus booked jobs (with buffers and travel), the owner's calendar,
 * and other callers' holds; then held for this caller for a few minutes.
 */
export async function findOffers(decision: TurnDecision, run: RunContext): Promise<OfferChoice> {
  const { business, ctx, deps, conversation } = run;
  const { state } = decision;
  const service = serviceFor(state, ctx);
  const horizonEnd = new Date(ctx.now.getTime() + (business.booking.horizonDays + 1) * 86_400_000);
  // Declined offers are free for others now; a fresh search holds afresh.
  if (state.offers.length > 0) await releaseHolds(deps, business.id, conversation.id);
  const [appointments, calendar] = await Promise.all([
    deps.appointments.listBooked(business.id, ctx.now, horizonEnd),
    calendarBusy(run, horizonEnd),
  ]);
  const jobs: BookedJob[] = appointments.map((a) => ({
    start: a.start,
    end: a.end,
    bufferMinutes: serviceById(business, a.serviceId)?.bufferMinutes ?? 0,
    area: areaOf(a.address),
  }));
  const declined = state.declinedStarts.map((s) => new Date(s));
  const lost = (state.lostStarts ?? []).map((s) => new Date(s));
  const count = business.booking.offerCount;
  const held: Slot[] = [];
  const refused: Slot[] = [];
  let fit: OfferChoice["fit"] = "any";
  let unheld: Slot[] = [];
  for (let pass = 1; pass <= HOLD_PASSES && held.length < count; pass++) {
    // Read afresh each pass: callers ringing at the same moment may have just held times.
    const holds = await othersHolds(run, horizonEnd);
    // Best first, with spares for times another caller holds first.
    const ranked = rankOffers(
      availableSlots({
        business,
        service,
        now: ctx.now,
        busy: [...calendar, ...holds, ...refused],
        jobs,
        area: areaOf(state.draft.address),
        exclude: [...declined, ...lost, ...held.map((s) => s.start)],
      }),
      {
        count: count * SPARE_OFFERS,
        timeZone: business.timeZone,
        now: ctx.now,
        avoid: [...declined, ...held.map((s) => s.start)],
        preference: state.preference,
      },
    );
    if (pass === 1) {
      fit = ranked.fit;
      unheld = ranked.slots.slice(0, count);
    } else if (ranked.fit !== fit) {
      break; // what is left no longer fits the caller's wish the way the first offers did
    }
    let next = 0;
    let takenThisPass = 0;
    while (held.length < count && next < ranked.slots.length) {
      const batch = ranked.slots.slice(next, next + count - held.length);
      next += batch.length;
      const taken = await holdOffers(batch, service, run);
      held.push(...batch.filter((s) => !taken.includes(s)));
      refused.push(...taken);
      takenThisPass += taken.length;
    }
    // Fewer free times than offers is not contention: look again only if others held ours.
    if (takenThisPass === 0) break;
  }
  // Holds only steer: rather than "no free time", offer unheld times and let the locks decide.
  return { fit, slots: byTime(held.length > 0 ? held : unheld) };
}

/**
 * The owner's calendar busy time, or none when it is not connected, fails,
 * or takes longer than CALENDAR_TIMEOUT_MS: the call never waits on it.
 */
async function calendarBusy(run: RunContext, to: Date): Promise<BusyPeriod[]> {
  const { deps, business, ctx, conversation } = run;
  if (!deps.calendarBusy) return [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<CalendarBusy>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: "unavailable", reason: `no answer in ${CALENDAR_TIMEOUT_MS} ms` }),
      CALENDAR_TIMEOUT_MS,
    );
  });
  const asked = deps.calendarBusy
    .busyBetween(business.id, ctx.now, to)
    .catch((error: unknown): CalendarBusy => ({
      status: "unavailable",
      reason: error instanceof Error ? error.message : String(error),
    }));
  const answer = await Promise.race([asked, timedOut]).finally(() => clearTimeout(timer));
  if (answer.status === "ok") return answer.busy;
  if (answer.status === "unavailable") {
    deps.logger.warn("availability.calendar-fallback", {
      businessId: business.id,
      callSid: conversation.id,
      reason: answer.reason,
    });
    await noteCalendarFallback(run);
  }
  return [];
}

/**
 * Tells the owner, once a day, that offers were made without their calendar,
 * so they can check for clashes with personal events. Never blocks the call.
 */
async function noteCalendarFallback(run: RunContext): Promise<void> {
  const { deps, business, ctx } = run;
  const day = DateTime.fromJSDate(ctx.now, { zone: business.timeZone }).toISODate();
  await deps.outbox
    .enqueue({
      id: `owner-calendar-unavailable-${day}`,
      businessId: business.id,
      to: business.ownerMobile,
      body:
        `${business.name}: your Google Calendar couldn't be reached, so today's call offers ` +
        "used only the bookings made here. Check new bookings against your personal events.",
      purpose: "owner-calendar-unavailable",
    })
    .catch((error: unknown) =>
      deps.logger.error("availability.calendar-note-not-queued", {
        businessId: business.id,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
}

/** Other callers' live holds, as busy time; none if the hold store cannot be read. */
async function othersHolds(run: RunContext, to: Date): Promise<BusyPeriod[]> {
  const { deps, business, ctx, conversation } = run;
  if (!deps.holds) return [];
  try {
    const holds = await deps.holds.listActive(business.id, ctx.now, to, ctx.now);
    return activeHoldsOfOthers(holds, conversation.id, ctx.now);
  } catch (error) {
    logHoldFailure(deps, business.id, conversation.id, "list", error);
    return [];
  }
}

/** Holds the offers for this caller; returns the ones someone else held first. */
async function holdOffers(
  slots: readonly Slot[],
  service: ReturnType<typeof serviceFor>,
  run: RunContext,
): Promise<Slot[]> {
  const { deps, business, ctx, conversation } = run;
  if (!deps.holds || slots.length === 0) return [];
  const expiresAt = new Date(ctx.now.getTime() + business.booking.holdMinutes * 60_000);
  try {
    const { refused } = await deps.holds.hold(
      business.id,
      conversation.id,
      slots.map((s) => holdSpan(s, service)),
      ctx.now,
      expiresAt,
    );
    return slots.filter((s) => refused.some((r) => r.start.getTime() === s.start.getTime()));
  } catch (error) {
    // Holds only steer offers; the slot locks still decide every booking.
    logHoldFailure(deps, business.id, conversation.id, "hold", error);
    return [];
  }
}

/** Frees this call's holds: after booking, on new offers, when the caller hangs up. */
async function releaseHolds(deps: CallDeps, businessId: string, callSid: string) {
  if (!deps.holds) return;
  await deps.holds
    .releaseAll(businessId, callSid)
    .catch((error: unknown) => logHoldFailure(deps, businessId, callSid, "release", error));
}

function logHoldFailure(
  deps: CallDeps,
  businessId: string,
  callSid: string,
  action: string,
  error: unknown,
): void {
  deps.logger.warn("availability.hold-failed", {
    businessId,
    callSid,
    action,
    error: error instanceof Error ? error.message : String(error),
  });
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

function dialLeg(
  say: string[],
  numbers: readonly string[],
  leg: number,
  business: Business,
): CallInstruction {
  return { kind: "dial", say, to: numbers[leg], leg, ringSeconds: business.emergency.ringSeconds };
}

/** What the person being rung hears before they accept. */
export async function whisperToCallee(
  input: { businessId: string; callSid: string; leg: number },
  deps: CallDeps,
): Promise<CallAnswer> {
  const business = await deps.businesses.getById(input.businessId);
  const conversation = business ? await deps.conversations.get(business.id, input.callSid) : null;
  if (!conversation) return { business, instruction: { kind: "hang-up", say: [] } };
  const who = conversation.state.draft.name ?? spokenNumber(conversation.callerPhone);
  const emergency = conversation.state.emergency;
  const say = emergency
    ? `Emergency call from ${who}: ${emergency.label.toLowerCase()}. They said: ${emergency.words}. Press 1 to accept.`
    : `Call from ${who}, who asked to speak to you. Press 1 to accept.`;
  return { business, instruction: { kind: "whisper", say, leg: input.leg } };
}

/** The rung person's key press: 1 accepts and connects, anything else declines. */
export async function answerWhisper(
  input: { businessId: string; callSid: string; leg: number; digits: string | null },
  deps: CallDeps,
): Promise<CallAnswer> {
  const business = await deps.businesses.getById(input.businessId);
  if (input.digits !== "1" || !business) {
    return { business, instruction: { kind: "hang-up", say: ["Not accepted. Goodbye."] } };
  }
  await deps.conversations.markAccepted(input.businessId, input.callSid, input.leg);
  deps.logger.info("call.transfer-accepted", {
    businessId: input.businessId,
    callSid: input.callSid,
    leg: input.leg,
  });
  return { business, instruction: { kind: "connect", say: ["Connecting you now."] } };
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
  const finish = async (
    instruction: CallInstruction,
    changes: Partial<CallConversation>,
    note: string,
  ) => {
    await deps.conversations.save({
      ...conversation,
      ...changes,
      updatedAt: now,
      turns: [
        ...conversation.turns,
        { at: now, speaker: "system", text: note },
        ...(sayOf(instruction).length
          ? [{ at: now, speaker: "receptionist" as const, text: sayOf(instruction).join(" ") }]
          : []),
      ],
      lastAnswer: { key, instruction },
    });
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
        dialLeg(
          ["I'm still trying to reach someone for you. Please stay on the line."],
          escalation.numbers,
          nextLeg,
          business,
        ),
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
    const decision = emergencyUnanswered(conversation.state, ctx);
    await deps.outbox.enqueue({
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
    deps.logger.warn("call.emergency-unanswered", {
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
  const decision = ownerUnavailable(conversation.state, ctx);
  const say = decision.outcome.type === "listen" ? decision.outcome.say : [];
  return finish(
    { kind: "gather", say, step: conversation.turnCount + 1 },
    { state: decision.state },
    note,
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

function spokenNumber(phone: string | null): string {
  return phone ? phone.split("").join(" ") : "a withheld number";
}

function sayOf(instruction: CallInstruction): string[] {
  return instruction.kind === "whisper" ? [instruction.say] : instruction.say;
}
