import { Business, defaultService, serviceById } from "../business/business";
import type { Customer } from "../customers/customer";
import type { EmergencyDetection } from "../emergency/emergency.classifier";
import type { Intent } from "../nlu/intent.classifier";
import type { MergedReading, ModelSlots } from "../nlu/model-reading";
import type { Appointment } from "../scheduling/appointment";
import type { Slot } from "../scheduling/availability";
import type { OfferChoice } from "../scheduling/offers";
import type { TimePreference } from "../scheduling/time-preference";
import type { DialogueState, DoneAction, MessageReason, OfferedSlot } from "./dialogue-state";
import { spoken, WordingContext } from "./wording";

/**
 * The parts every flow of the conversation engine shares: what a turn
 * knows, what it may decide, and how a turn that could not be used is
 * answered. The flows (booking.flow.ts, change.flow.ts) and the engine's
 * router (conversation-engine.ts) build on this; nothing here imports them.
 */

/** After this many unusable turns in a row the caller is offered a person. */
export const MAX_FAILED_TURNS = 3;

/** The channel a conversation runs on; the engine's words are the same, its renderers are not. */
export type Channel = "voice" | "sms";

export interface TurnContext {
  business: Business;
  customer: Customer | null;
  /** The caller's number in E.164, or null when withheld. */
  callerPhone: string | null;
  now: Date;
  /** Voice when absent. By text a numbered choice of a new time moves the visit at once. */
  channel?: Channel;
  /** A second reading of this turn's words (the rules' and a language model's, merged), if any. */
  reading?: TurnReading;
}

/**
 * The reading of one caller turn the interpreter computed before the step:
 * the rules' own, with a language model's second opinion merged in
 * (mergeModelReading). Data only: the engine never asks a model. It applies
 * to `utterance` alone, never to earlier words carried on (a safety
 * question's first words).
 */
export interface TurnReading extends Pick<MergedReading, "intent" | "emergencyKind"> {
  utterance: string;
  slots: Partial<ModelSlots>;
}

/** The id of an offered time, as a language model is shown it and may choose it. */
export function offeredSlotId(slot: Pick<OfferedSlot, "start">): string {
  return slot.start;
}

/** The turn's second reading, when it is of these very words. */
export function readingOf(ctx: TurnContext, speech: string): TurnReading | null {
  return ctx.reading && ctx.reading.utterance.trim() === speech.trim() ? ctx.reading : null;
}

/** How the interpreter finds the caller's upcoming visits. */
export type VisitLookup =
  | { by: "caller-id"; customerId: string }
  | { by: "name-and-postcode"; name: string; postcode: string };

/**
 * What the caller did, or what came of a decision the interpreter carried
 * out. The engine's one entry point, step(), takes any of them.
 */
export type ConversationEvent =
  /** Words said or texted; null or "" is silence. `reading`: a second reading of them, if any. */
  | {
      type: "words";
      text: string | null;
      confidence: number | null;
      reading?: Omit<TurnReading, "utterance">;
    }
  | { type: "offers-found"; found: readonly Slot[] | OfferChoice; preface: string[] }
  | { type: "booked"; appointmentId: string }
  /** Someone else claimed the time between the offer and the caller's yes. */
  | { type: "slot-taken" }
  | { type: "visits-found"; appointments: readonly Appointment[] }
  | { type: "cancelled"; appointment: Appointment | null }
  | { type: "moved"; appointment: Appointment }
  | { type: "move-slot-taken" }
  | { type: "appointment-gone" }
  | { type: "confirmed"; appointment: Appointment | null }
  /**
   * A call's message was recorded (<Record>) rather than said as a turn:
   * `seconds` long, 0 when the caller said nothing. Its words reach the owner
   * from the recording (transcribed), not from this event.
   */
  | { type: "message-recorded"; seconds: number }
  /** Nobody accepted a transfer the caller asked for. */
  | { type: "owner-unavailable" }
  /** Nobody on the escalation ladder accepted an emergency. */
  | { type: "emergency-unanswered" };

/**
 * Where a reply stands, so a channel can word it its own way (a text
 * numbers the offers); voice speaks `say` as it is.
 */
export type Moment =
  | "offers"
  | "move-offers"
  | "read-back"
  | "booked"
  | "moved"
  | "cancelled"
  | "confirmed"
  | "no-times"
  | "no-move-times"
  | "appointment-gone"
  | "no-appointment"
  | "which-time"
  | "thanks";

/** What the conversation should do next; the interpreter (app/converse.ts) carries it out. */
export type TurnOutcome =
  | { type: "listen"; say: string[]; moment?: Moment }
  | { type: "hang-up"; say: string[]; moment?: Moment }
  | { type: "escalate-emergency"; say: string[]; emergency: EmergencyDetection }
  | { type: "transfer-to-owner"; say: string[] }
  /** Find free times (for a new booking, or for the visit being moved): answer offers-found. */
  | { type: "find-slots"; say: string[] }
  /** Book the chosen time: answer booked, or slot-taken. */
  | { type: "book"; slot: OfferedSlot }
  /** Queue the message for the owner, then say and listen (or end, at stage "ended"). */
  | { type: "leave-message"; say: string[]; message: string; reason: MessageReason }
  /**
   * The caller recorded their message on a call: say and end. The owner's
   * alert comes with the recording's transcript (app/transcribe-recorded-message.ts).
   */
  | { type: "message-recorded"; say: string[]; reason: MessageReason; seconds: number }
  /** List the caller's upcoming visits: answer visits-found. */
  | { type: "find-upcoming"; lookup: VisitLookup }
  /** Answer cancelled. */
  | { type: "cancel-appointment"; appointmentId: string }
  /** Answer moved, move-slot-taken or appointment-gone. */
  | { type: "reschedule-appointment"; appointmentId: string; slot: OfferedSlot }
  /** The customer confirmed a visit a reminder asked about: answer confirmed. */
  | { type: "confirm-appointment"; appointmentId: string };

export interface TurnDecision {
  state: DialogueState;
  outcome: TurnOutcome;
  intent: Intent | null;
  emergency: EmergencyDetection | null;
}

export function wording(ctx: TurnContext): WordingContext {
  return { business: ctx.business, now: ctx.now };
}

export function decision(
  state: DialogueState,
  outcome: TurnOutcome,
  intent: Intent | null,
): TurnDecision {
  const recorded =
    outcome.type === "leave-message"
      ? withDone(state, { action: "message", reason: outcome.reason })
      : outcome.type === "message-recorded"
        ? withDone(state, { action: "message", reason: outcome.reason, seconds: outcome.seconds })
        : state;
  return { state: recorded, outcome, intent, emergency: null };
}

export function listen(
  state: DialogueState,
  say: string[],
  intent: Intent | null,
  moment?: Moment,
): TurnDecision {
  return decision(state, { type: "listen", say, ...(moment ? { moment } : {}) }, intent);
}

export function withDone(state: DialogueState, done: DoneAction): DialogueState {
  return { ...state, done: [...(state.done ?? []), done] };
}

export function serviceFor(state: DialogueState, ctx: Pick<TurnContext, "business">) {
  return (
    (state.draft.serviceId && serviceById(ctx.business, state.draft.serviceId)) ||
    defaultService(ctx.business)
  );
}

/** The number a call back goes to: the one given, else the one calling. */
export function callbackNumber(state: DialogueState, ctx: TurnContext): string | null {
  return state.draft.callbackNumber ?? ctx.callerPhone;
}

export function transferToOwner(ctx: TurnContext): TurnOutcome {
  return { type: "transfer-to-owner", say: [spoken.tryingOwner(wording(ctx))] };
}

/**
 * A turn we could not use. The caller hears what we still need; after
 * MAX_FAILED_TURNS in a row they are put through to a person instead of
 * being asked again.
 */
export function notUnderstood(
  state: DialogueState,
  ctx: TurnContext,
  apology: string,
  intent: Intent | null,
): TurnDecision {
  const w = wording(ctx);
  const failedTurns = state.failedTurns + 1;
  if (failedTurns >= MAX_FAILED_TURNS && state.stage === "taking-message") {
    // The owner has been tried already: pass the call on rather than ring them again.
    return decision(
      { ...state, failedTurns, stage: "ended" },
      {
        type: "leave-message",
        say: [spoken.willCallBack(w, callbackNumber(state, ctx))],
        message: "(no message left)",
        reason: state.messageReason ?? "misunderstood",
      },
      intent,
    );
  }
  if (failedTurns >= MAX_FAILED_TURNS) {
    return decision(
      { ...state, failedTurns, stage: "transferring", messageReason: "misunderstood" },
      { type: "transfer-to-owner", say: [spoken.notGettingIt(w)] },
      intent,
    );
  }
  return listen({ ...state, failedTurns }, [apology, repeatPrompt(state, ctx)], intent);
}

/** The question the caller is answering, asked again. */
export function repeatPrompt(state: DialogueState, ctx: TurnContext): string {
  const w = wording(ctx);
  const change = state.change;
  switch (state.stage) {
    case "collecting":
      return {
        problem: spoken.askProblem(),
        name: spoken.askName(),
        address: spoken.repeatAddress(),
        callback: spoken.askCallback(),
      }[state.asking ?? "problem"];
    case "confirming-address":
      return spoken.checkAddress(state.draft.address);
    case "choosing-slot":
    case "change-choosing-time":
      return spoken.offers(state.offers, w);
    case "confirming-booking":
      return spoken.readBack(state, serviceFor(state, ctx).name, w);
    case "amending":
      return spoken.whatToChangePrompt();
    case "taking-message":
      return spoken.whatMessage();
    case "anything-else":
      return spoken.anythingElse();
    case "safety-check":
      return state.safetyCheck?.question ?? spoken.howCanIHelp();
    case "change-verifying-name":
      return spoken.askBookingName();
    case "change-verifying-postcode":
      return spoken.repeatBookingPostcode();
    case "change-picking":
      return change ? spoken.visits(change.visits, change.action, w) : spoken.fallbackPrompt();
    case "change-confirming-cancel":
      return spoken.shallICancelYesNo();
    case "change-confirming-move":
      return spoken.shallIMoveYesNo();
    case "change-nothing-found":
      return spoken.nothingFoundChoice(w);
    default:
      return spoken.fallbackPrompt();
  }
}

/** Times offered or chosen that can no longer be booked (past, or inside the lead time). */
export function staleOffers(state: DialogueState, ctx: TurnContext): boolean {
  const earliest = ctx.now.getTime() + ctx.business.booking.minLeadMinutes * 60_000;
  const starts = [
    ...state.offers.map((o) => o.start),
    ...(state.chosen ? [state.chosen.start] : []),
  ];
  return starts.some((s) => new Date(s).getTime() < earliest);
}

export type { TimePreference };
