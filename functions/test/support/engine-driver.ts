import { step } from "../../src/domain/dialogue/conversation-engine";
import type { TurnContext, TurnDecision } from "../../src/domain/dialogue/conversation-engine";
import type { DialogueState } from "../../src/domain/dialogue/dialogue-state";
import type { Appointment } from "../../src/domain/scheduling/appointment";
import type { Slot } from "../../src/domain/scheduling/availability";
import type { OfferChoice } from "../../src/domain/scheduling/offers";

/**
 * The conversation engine's one entry point, step(), named for each event
 * a test plays: what the caller said, or what came of a decision the
 * interpreter carried out. Nothing here decides anything.
 */

export function decideTurn(
  state: DialogueState,
  input: { speech: string | null; confidence: number | null },
  ctx: TurnContext,
): TurnDecision {
  return step(state, { type: "words", text: input.speech, confidence: input.confidence }, ctx);
}

export function presentOffers(
  state: DialogueState,
  found: readonly Slot[] | OfferChoice,
  ctx: TurnContext,
  preface: string[] = [],
): TurnDecision {
  return step(state, { type: "offers-found", found, preface }, ctx);
}

export function bookingConfirmed(
  state: DialogueState,
  appointmentId: string,
  ctx: TurnContext,
): TurnDecision {
  return step(state, { type: "booked", appointmentId }, ctx);
}

export function slotLost(state: DialogueState, ctx: TurnContext): TurnDecision {
  return step(state, { type: "slot-taken" }, ctx);
}

export function upcomingFound(
  state: DialogueState,
  appointments: readonly Appointment[],
  ctx: TurnContext,
): TurnDecision {
  return step(state, { type: "visits-found", appointments }, ctx);
}

export function bookingCancelled(
  state: DialogueState,
  appointment: Appointment | null,
  ctx: TurnContext,
): TurnDecision {
  return step(state, { type: "cancelled", appointment }, ctx);
}

export function bookingMoved(
  state: DialogueState,
  appointment: Appointment,
  ctx: TurnContext,
): TurnDecision {
  return step(state, { type: "moved", appointment }, ctx);
}

export function bookingGone(state: DialogueState, ctx: TurnContext): TurnDecision {
  return step(state, { type: "appointment-gone" }, ctx);
}

export function moveSlotLost(state: DialogueState, ctx: TurnContext): TurnDecision {
  return step(state, { type: "move-slot-taken" }, ctx);
}

export function ownerUnavailable(state: DialogueState, ctx: TurnContext): TurnDecision {
  return step(state, { type: "owner-unavailable" }, ctx);
}

export function emergencyUnanswered(state: DialogueState, ctx: TurnContext): TurnDecision {
  return step(state, { type: "emergency-unanswered" }, ctx);
}

export function messageRecorded(
  state: DialogueState,
  seconds: number,
  ctx: TurnContext,
): TurnDecision {
  return step(state, { type: "message-recorded", seconds }, ctx);
}
