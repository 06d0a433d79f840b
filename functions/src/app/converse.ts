import { readByRules, step } from "../domain/dialogue/conversation-engine";
import type {
  ConversationEvent,
  Moment,
  TurnContext,
  TurnDecision,
} from "../domain/dialogue/conversation-engine";
import { serviceFor } from "../domain/dialogue/conversation-engine";
import type { DialogueState, MessageReason } from "../domain/dialogue/dialogue-state";
import { spoken, texted } from "../domain/dialogue/wording";
import type { EmergencyDetection } from "../domain/emergency/emergency.classifier";
import { emergencyAlertText } from "../domain/notifications/owner-texts";
import type { Appointment } from "../domain/scheduling/appointment";
import type { CallWrites, CallWritesResult, HoldChange } from "../ports/call-writes.port";
import type { CallConversation, Escalation } from "../ports/conversation-store.port";
import { ownerAlertDelivery } from "./alert-owner";
import type { CallDeps, RunContext } from "./call-context";
import { secondReading, wantsSecondReading } from "./second-reading";

export type { ChannelPolicy } from "./call-context";
import { findOffers, heldSpans } from "./call-offers";
import { findUpcomingVisits } from "./change-booking";
import { errorText, logError, logInfo, logWarn } from "../logs";

/**
 * The one interpreter of the conversation engine, for every channel: it
 * carries the engine's decisions out through the ports (offers through
 * findFreeTimes, book, move, cancel, confirm, take a message, alert the
 * owner, transfer) and feeds what came of each back to the engine as an
 * event, until the engine settles on something to say. A channel renders
 * the reply: voice as TwiML, a text as an SMS.
 *
 * Writes are gathered in run.writes and committed once by the channel's
 * use case (converse() below); a booking is assumed to succeed, and if the
 * commit finds its time taken, the turn goes on from just before it.
 */

/**
 * The caller's words as the engine's event, for every channel. The rules
 * read them first (readByRules, the step's own classifiers); when they found
 * no intent or the turn is long, and never when they found an emergency, a
 * language model reads them a second time (app/second-reading.ts) and the
 * merged reading goes into the event as data. Without a model, with no key,
 * or when the model fails or adds nothing, the event is the words alone and
 * the turn runs on the rules exactly as before.
 */
export async function callerWords(
  state: DialogueState,
  words: { text: string | null; confidence: number | null },
  ctx: TurnContext,
  deps: Pick<CallDeps, "model" | "logger" | "degradation">,
): Promise<ConversationEvent> {
  const event: ConversationEvent = { type: "words", ...words };
  const model = deps.model;
  const rules = model ? readByRules(state, words, ctx) : null;
  if (!model || !rules || !words.text || !wantsSecondReading(words.text, rules, state.stage))
    return event;
  try {
    const merged = await secondReading(
      { business: ctx.business, stage: state.stage, utterance: words.text, rules },
      { model, logger: deps.logger, degradation: deps.degradation },
    );
    if (merged.modelAdded.length === 0) return event;
    const { intent, emergencyKind, slots } = merged;
    return { ...event, reading: { intent, emergencyKind, slots } };
  } catch (error) {
    // Telling the owner about a failing model failed: the caller still gets the rules' answer.
    logError(deps.logger, "model.second-reading-failed", {
      businessId: ctx.business.id,
      error: errorText(error),
    });
    return event;
  }
}

/** What the conversation answers, whatever the channel. */
export type Reply =
  | { kind: "listen"; say: string[]; moment?: Moment }
  | { kind: "end"; say: string[]; moment?: Moment }
  /** Put the caller through to a person (a text tells the customer the owner has it). */
  | {
      kind: "connect";
      say: string[];
      escalation: Escalation;
      emergency?: EmergencyDetection;
    };

/** Where a turn settled: what to answer, and the writes that go with it. */
export interface Settled {
  decision: TurnDecision;
  reply: Reply;
  conversation: CallConversation;
  writes: CallWrites;
  /** The appointment this turn books, committed with the rest. */
  booked?: Appointment;
  /** An appointment this turn cancelled, moved or confirmed, as it now stands. */
  touched?: Appointment;
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

/** How often a turn books again when another booking took its time first. */
const BOOKING_ATTEMPTS = 3;
/**
 * How often it offers again when others ringing or texting at the same
 * moment held its offers first; each round at least one of them wins, so this
 * covers that many simultaneous callers of one business before offering unheld.
 */
const HOLD_ATTEMPTS = 8;
/** Decisions carried out in one turn at most, so a turn always settles. */
const MAX_ROUNDS = 6;

/**
 * Runs one turn from its first decision to a committed answer: carries it
 * out, lets the channel add its own writes (`complete`), commits once, and
 * if another caller won a race for the same time, goes on from before it.
 */
export async function converse(
  first: TurnDecision,
  run: RunContext,
  complete: (settled: Settled) => CallWrites,
): Promise<Settled> {
  let settled = await carryOut(first, run);
  for (let attempt = 1; ; attempt++) {
    const writes = complete(settled);
    if (nothingToWrite(writes)) return settled;
    const result = await commitTurn(writes, settled, run);
    if (result.outcome === "committed") return settled;
    settled = await afterLostRace(result.outcome, settled, run, attempt);
  }
}

/**
 * Another caller got there first, and nothing of this turn was written. A
 * lost booking goes on from just before it ("that time has just gone");
 * lost holds mean offering again, and after a few tries offering without
 * holds (they only steer: the slot locks still decide every booking).
 */
async function afterLostRace(
  lost: "slot-taken" | "holds-taken",
  settled: Settled,
  run: RunContext,
  attempt: number,
): Promise<Settled> {
  const { business, conversation, deps } = run;
  logInfo(deps.logger, lost === "slot-taken" ? "booking.slot-taken" : "availability.hold-lost", {
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
  const next =
    lost === "slot-taken"
      ? step(from.decision.state, { type: "slot-taken" }, run.ctx)
      : from.decision;
  return carryOut(next, {
    ...run,
    conversation: from.conversation,
    writes: from.writes,
    // Lost offers: look among more of the best times, so simultaneous callers spread out.
    ...(lost === "holds-taken" ? { contention: attempt } : {}),
  });
}

function nothingToWrite(writes: CallWrites): boolean {
  return (
    !writes.conversation &&
    writes.turns.length === 0 &&
    writes.outbox.length === 0 &&
    writes.scheduled.length === 0 &&
    !writes.holds &&
    !writes.booking
  );
}

/** The writes without the conversation and transcript, which the turn adds again. */
function stripTurnWrites(writes: CallWrites): CallWrites {
  return { ...writes, conversation: undefined, turns: [] };
}

/**
 * Commits the turn. An emergency transfer goes ahead even when the commit
 * fails: ringing the owner matters more than the record of the call. A text
 * has no transfer: its owner alert is in the commit, so the failure stands and
 * the text is handled afresh (a redelivery, or the customer trying again).
 */
async function commitTurn(
  writes: CallWrites,
  settled: Settled,
  run: RunContext,
): Promise<CallWritesResult> {
  try {
    return await run.deps.writer.commit(writes);
  } catch (error) {
    const transfer = settled.conversation.emergency && settled.reply.kind === "connect";
    if (!transfer || run.channel.channel === "sms") throw error;
    logError(run.deps.logger, "call.emergency-not-saved", {
      businessId: run.business.id,
      callSid: run.conversation.id,
      error: errorText(error),
    });
    return { outcome: "committed" };
  }
}

/**
 * Carries out the engine's decisions until it settles on something to
 * say, collecting the writes in run.writes.
 */
export async function carryOut(first: TurnDecision, run: RunContext): Promise<Settled> {
  let decision = first;
  let conversation = run.conversation;
  let booked: Appointment | undefined;
  let touched: Appointment | undefined;
  let beforeBooking: Checkpoint | undefined;
  let beforeOffers: Checkpoint | undefined;
  const { business, ctx, deps, writes } = run;
  const checkpoint = (): Checkpoint => ({
    decision,
    conversation,
    writes: structuredClone(writes),
  });
  const settle = (reply: Reply, changed = conversation): Settled => ({
    decision,
    reply,
    conversation: changed,
    writes,
    ...(booked ? { booked } : {}),
    ...(touched ? { touched } : {}),
    ...(beforeBooking ? { beforeBooking } : {}),
    ...(beforeOffers ? { beforeOffers } : {}),
  });
  const next = (event: ConversationEvent) => {
    decision = step(decision.state, event, ctx);
  };
  for (let rounds = 0; rounds < MAX_ROUNDS; rounds++) {
    const outcome = decision.outcome;
    switch (outcome.type) {
      case "listen":
        return settle({ kind: "listen", say: outcome.say, ...moment(outcome.moment) });
      case "hang-up":
        return settle(
          { kind: "end", say: outcome.say, ...moment(outcome.moment) },
          { ...conversation, outcome: conversation.outcome ?? "completed", endedAt: ctx.now },
        );
      case "find-slots": {
        beforeOffers = checkpoint();
        const offers = await findOffers(decision, run);
        next({ type: "offers-found", found: offers, preface: outcome.say });
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
        next({ type: "booked", appointmentId: booked.id });
        continue;
      }
      case "escalate-emergency": {
        alertOwnerOfEmergency(outcome.emergency, decision.state, run);
        const escalation: Escalation = {
          reason: "emergency",
          numbers: [business.ownerMobile, ...business.backupNumbers],
        };
        return settle(
          { kind: "connect", say: outcome.say, escalation, emergency: outcome.emergency },
          { ...conversation, emergency: true, escalation },
        );
      }
      case "transfer-to-owner": {
        const escalation: Escalation = { reason: "human", numbers: [business.ownerMobile] };
        return settle(
          { kind: "connect", say: outcome.say, escalation },
          {
            ...conversation,
            escalation,
          },
        );
      }
      case "leave-message": {
        await leaveMessage(outcome.message, outcome.reason, decision.state, run);
        conversation = { ...conversation, outcome: conversation.outcome ?? "message-taken" };
        if (decision.state.stage === "ended") {
          return settle({ kind: "end", say: outcome.say }, { ...conversation, endedAt: ctx.now });
        }
        return settle({ kind: "listen", say: outcome.say });
      }
      case "message-recorded": {
        // The owner's alert comes with the recording's words (voiceRecording), not from here.
        return settle(
          { kind: "end", say: outcome.say },
          {
            ...conversation,
            outcome: conversation.outcome ?? "message-taken",
            endedAt: ctx.now,
          },
        );
      }
      // Moving, cancelling or confirming a booking. The customer's SMS, the owner's alert and
      // the calendar follow from the appointment document changing (Firestore triggers).
      case "find-upcoming": {
        const visits = await findUpcomingVisits(outcome.lookup, business.id, ctx.now, deps);
        next({ type: "visits-found", appointments: visits });
        continue;
      }
      case "cancel-appointment": {
        const cancelled = await deps.appointments.cancel(
          business.id,
          outcome.appointmentId,
          run.channel.cancelReason,
          ctx.now,
        );
        logInfo(deps.logger, "booking.cancelled-by-customer", {
          businessId: business.id,
          callSid: conversation.id,
          appointmentId: outcome.appointmentId,
          channel: run.channel.channel,
          found: Boolean(cancelled),
        });
        if (cancelled) touched = cancelled;
        next({ type: "cancelled", appointment: cancelled });
        continue;
      }
      case "reschedule-appointment": {
        const result = await deps.appointments.reschedule(
          business.id,
          outcome.appointmentId,
          new Date(outcome.slot.start),
          new Date(outcome.slot.end),
          ctx.now,
          run.channel.rescheduleReason,
        );
        logInfo(deps.logger, "booking.rescheduled-by-customer", {
          businessId: business.id,
          callSid: conversation.id,
          appointmentId: outcome.appointmentId,
          channel: run.channel.channel,
          result: result.outcome,
        });
        if (result.outcome === "rescheduled") {
          writes.holds = releaseHeld(decision.state, run);
          touched = result.appointment;
          next({ type: "moved", appointment: result.appointment });
        } else if (result.outcome === "slot-taken") {
          next({ type: "move-slot-taken" });
        } else {
          next({ type: "appointment-gone" });
        }
        continue;
      }
      case "confirm-appointment": {
        const appointment = await deps.appointments.get(business.id, outcome.appointmentId);
        if (appointment && appointment.status === "booked") {
          touched = appointment;
          await deps.appointments.annotate(business.id, appointment.id, {
            confirmation: "confirmed",
          });
        }
        next({
          type: "confirmed",
          appointment: appointment?.status === "booked" ? appointment : null,
        });
        continue;
      }
    }
  }
  logError(deps.logger, "call.dialogue-did-not-settle", {
    businessId: business.id,
    callSid: conversation.id,
  });
  return settle({
    kind: "connect",
    say: [spoken.putThrough()],
    escalation: { reason: "human", numbers: [business.ownerMobile] },
  });
}

function moment(m: Moment | undefined): { moment?: Moment } {
  return m ? { moment: m } : {};
}

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

/**
 * Adds the booking to the turn's writes: the appointment with its slot locks,
 * the customer, the confirmation text, and the end of the caller's holds.
 * The id is deterministic, so a retried turn books the same appointment.
 */
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
    body: texted.bookingConfirmation(business, appointment),
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
    id: run.channel.ids.emergencyAlert,
    businessId: business.id,
    to: business.ownerMobile,
    body: emergencyAlertText({
      label: emergency.label,
      callerPhone: conversation.callerPhone,
      callerName: customer?.name || state.draft.name,
      address: state.draft.address ?? customer?.address,
      words: state.emergency?.words ?? emergency.matched,
      channel: run.channel.channel === "sms" ? "sms" : "call",
      ...(run.channel.optedOut ? { optedOut: true } : {}),
    }),
    purpose: "owner-emergency-alert",
    relatedId: run.channel.ids.related,
  });
  logWarn(deps.logger, "call.emergency", {
    businessId: business.id,
    callSid: conversation.id,
    kind: emergency.kind,
    channel: run.channel.channel,
  });
}

async function leaveMessage(
  message: string,
  reason: MessageReason,
  state: DialogueState,
  run: RunContext,
): Promise<void> {
  const { business, ctx } = run;
  // A message is not an emergency: it waits for the end of the owner's quiet hours.
  const delivery = ownerAlertDelivery(
    business,
    {
      outboxId: run.channel.ids.ownerMessage,
      purpose: "owner-message",
      body: await run.channel.ownerMessage(message, reason, state),
      relatedId: run.channel.ids.related,
    },
    ctx.now,
  );
  if ("outbox" in delivery) run.writes.outbox.push(delivery.outbox);
  else run.writes.scheduled.push(delivery.scheduled);
}
