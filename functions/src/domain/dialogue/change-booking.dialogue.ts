import { DateTime } from "luxon";
import type { Business } from "../business/business";
import type { Customer } from "../customers/customer";
import type { Intent } from "../nlu/intent.classifier";
import { extractSlots, parseOrdinalChoice, parseYesNo } from "../nlu/slot-extractor";
import type { Appointment } from "../scheduling/appointment";
import { describeSlot, spokenTime } from "../scheduling/availability";
import { parseTimePreference } from "../scheduling/time-preference";
import type {
  BookingChange,
  DialogueState,
  DoneAction,
  OfferedSlot,
  UpcomingVisit,
} from "./dialogue-state";
import { looksLikeName, tidyName, withArticle } from "./spoken-words";

/**
 * Moving or cancelling a booking by phone. call-dialogue.ts routes the
 * "reschedule" and "cancel" intents and the change-* stages here; this file
 * does not import it (the dependency points one way), so it speaks in steps
 * that the main dialogue turns into decisions: a decision, a retry (counted
 * as a failed turn there), or a reroute back to the main request handling.
 *
 * Privacy: a caller whose number is not a customer's hears nothing about any
 * booking until the name AND the postcode they give match a customer with an
 * upcoming visit; a mismatch gets exactly the answer "nothing found" gets.
 */

/** The reason stored on a cancellation made through this dialogue. */
export const PHONE_CANCEL_REASON = "customer by phone";

/** At most this many upcoming visits are read out and offered to pick from. */
export const MAX_VISITS_READ = 4;

export interface ChangeContext {
  business: Business;
  customer: Customer | null;
  callerPhone: string | null;
  now: Date;
}

/** How the use case finds the caller's upcoming visits. */
export type VisitLookup =
  | { by: "caller-id"; customerId: string }
  | { by: "name-and-postcode"; name: string; postcode: string };

/** The side effects this sub-dialogue asks the use case for. */
export type ChangeBookingOutcome =
  /** List the upcoming visits and call upcomingFound. */
  | { type: "find-upcoming"; lookup: VisitLookup }
  /** Compute free slots for the draft's service, call presentOffers, then asNewTimeChoice. */
  | { type: "find-new-times"; say: string[] }
  /** Cancel it and call bookingCancelled. */
  | { type: "cancel-appointment"; appointmentId: string }
  /** Move it and call bookingMoved, moveSlotLost or bookingGone. */
  | { type: "reschedule-appointment"; appointmentId: string; slot: OfferedSlot };

type Reply =
  { type: "listen"; say: string[] } | { type: "hang-up"; say: string[] } | ChangeBookingOutcome;

export interface ChangeDecision {
  state: DialogueState;
  outcome: Reply;
  intent: Intent | null;
  emergency: null;
}

export type ChangeStep =
  | ChangeDecision
  /** Nothing usable: the main dialogue counts a failed turn and says this before asking again. */
  | { state: DialogueState; retry: string }
  /** Not about the booking after all: handle the words as a fresh request. */
  | { state: DialogueState; reroute: true };

/**
 * What the main dialogue's offer handling made of the caller's words, so
 * choosing a new time works exactly like choosing a time for a booking.
 */
export interface NewTimeChoice {
  /** The offer the caller named. */
  chosen?: OfferedSlot;
  /** None suit, or the caller asked for another time ("Friday afternoon?"): search again from this state. */
  lookAgain?: { state: DialogueState; say: string[] };
}

/** The caller asked to move or cancel a booking. */
export function startChange(
  state: DialogueState,
  speech: string,
  intent: "reschedule" | "cancel",
  ctx: ChangeContext,
): ChangeStep {
  const change: BookingChange = { action: intent, visits: [] };
  const preference =
    intent === "reschedule"
      ? parseTimePreference(speech, ctx.now, ctx.business.timeZone)
      : undefined;
  if (preference) change.preference = preference;
  const base: DialogueState = { ...state, failedTurns: 0, change, offers: [], chosen: undefined };
  if (ctx.customer) {
    return step(base, {
      type: "find-upcoming",
      lookup: { by: "caller-id", customerId: ctx.customer.id },
    });
  }
  // Someone ringing from another number may give both in one breath.
  const slots = extractSlots(speech, ctx.business.services);
  if (slots.name) change.claimedName = slots.name;
  const postcode = fullPostcode(speech);
  if (postcode) change.claimedPostcode = postcode;
  return askForIdentity(base, [
    `I can help with that. I don't recognise the number you're calling from, so I'll find the booking by its name and postcode.`,
  ]);
}

/** One caller turn in a change-* stage. */
export function continueChange(
  state: DialogueState,
  speech: string,
  intent: Intent,
  ctx: ChangeContext,
  newTime: NewTimeChoice,
): ChangeStep {
  const change = state.change;
  if (!change) return { state: { ...state, stage: "anything-else" }, reroute: true };
  switch (state.stage) {
    case "change-verifying-name":
    case "change-verifying-postcode":
      return handleIdentity(state, change, speech, ctx);
    case "change-picking":
      return handlePick(state, change, speech, ctx);
    case "change-confirming-cancel":
      return handleCancelConfirmation(state, change, speech);
    case "change-choosing-time":
      return handleNewTimeChoice(state, change, speech, intent, ctx, newTime);
    case "change-confirming-move":
      return handleMoveConfirmation(state, change, speech);
    case "change-nothing-found":
      return handleNothingFound(state, change, speech, ctx);
    default:
      return { state: { ...state, stage: "anything-else" }, reroute: true };
  }
}

/** The question to repeat for a change-* stage after a turn we could not use. */
export function changePrompt(state: DialogueState, ctx: ChangeContext): string | undefined {
  const change = state.change;
  switch (state.stage) {
    case "change-verifying-name":
      return "What name is the booking under?";
    case "change-verifying-postcode":
      return "What's the postcode of the address the booking is for?";
    case "change-picking":
      return change ? visitsQuestion(change, ctx) : undefined;
    case "change-confirming-cancel":
      return `Shall I cancel it? Yes or no?`;
    case "change-confirming-move":
      return `Shall I move it? Yes or no?`;
    case "change-nothing-found":
      return nothingFoundQuestion(ctx);
    default:
      return undefined;
  }
}

/** The use case listed the visits for the lookup the dialogue asked for. */
export function upcomingFound(
  state: DialogueState,
  appointments: readonly Appointment[],
  ctx: ChangeContext,
): ChangeDecision {
  const change = state.change ?? { action: "cancel" as const, visits: [] };
  const visits = appointments
    .filter((a) => a.status === "booked" && a.start.getTime() >= ctx.now.getTime())
    .slice(0, MAX_VISITS_READ)
    .map(toVisit);
  const found: BookingChange = { ...change, visits, visitId: undefined };
  const next: DialogueState = { ...state, change: found };
  if (visits.length === 0) {
    // The same words whether the details matched nobody or a customer with nothing booked.
    const none = ctx.customer
      ? "I can't see any upcoming visits booked for you."
      : "I'm sorry, I can't find an upcoming booking under those details.";
    return nothingFound(next, [none], ctx);
  }
  return decision(
    { ...next, stage: "change-picking" },
    { type: "listen", say: [visitsQuestion(found, ctx)] },
  );
}

/**
 * Offers for the new time come from the main dialogue's presentOffers; the
 * caller's answer belongs to this sub-dialogue, so the stage is ours.
 */
export function asNewTimeChoice<D extends { state: DialogueState }>(d: D): D {
  if (d.state.stage === "choosing-slot") {
    return { ...d, state: { ...d.state, stage: "change-choosing-time" } };
  }
  if (d.state.stage === "taking-message") {
    // No free time: the owner's message says it is about moving a booking.
    return { ...d, state: { ...d.state, messageReason: "reschedule" } };
  }
  return d;
}

export function bookingCancelled(
  state: DialogueState,
  cancelled: Appointment | null,
  ctx: ChangeContext,
): ChangeDecision {
  if (!cancelled) return bookingGone(state, ctx);
  const done = {
    action: "cancelled" as const,
    appointmentId: cancelled.id,
    job: cancelled.serviceName,
  };
  return decision(finished(state, cancelled.id, done), {
    type: "listen",
    say: [
      "That's cancelled. You'll get a text to confirm.",
      "Is there anything else I can help with?",
    ],
  });
}

export function bookingMoved(
  state: DialogueState,
  moved: Appointment,
  ctx: ChangeContext,
): ChangeDecision {
  const done = { action: "moved" as const, appointmentId: moved.id, job: moved.serviceName };
  return decision(finished(state, moved.id, done), {
    type: "listen",
    say: [
      `Done. Your ${moved.serviceName.toLowerCase()} is now on ${visitTime(moved.start, ctx)}. You'll get a text to confirm.`,
      "Is there anything else I can help with?",
    ],
  });
}

/** Someone else took the new time between the offer and the caller's yes. */
export function moveSlotLost(state: DialogueState): ChangeDecision {
  const lost = state.chosen ? [...(state.lostStarts ?? []), state.chosen.start] : state.lostStarts;
  return decision(
    { ...state, chosen: undefined, lostStarts: lost, stage: "change-choosing-time" },
    { type: "find-new-times", say: ["I'm sorry, that time has just been taken."] },
  );
}

/** The visit was cancelled or removed since we read it out (by the owner, or another call). */
export function bookingGone(state: DialogueState, ctx: ChangeContext): ChangeDecision {
  return nothingFound(
    state,
    ["I'm sorry, I can't find that booking any more. It may have been changed already."],
    ctx,
  );
}

function askForIdentity(state: DialogueState, preface: string[]): ChangeStep {
  const change = state.change;
  if (change?.claimedName && change.claimedPostcode) {
    return step(
      { ...state, stage: "change-verifying-postcode" },
      {
        type: "find-upcoming",
        lookup: {
          by: "name-and-postcode",
          name: change.claimedName,
          postcode: change.claimedPostcode,
        },
      },
    );
  }
  if (!change?.claimedName) {
    return step(
      { ...state, stage: "change-verifying-name" },
      { type: "listen", say: [...preface, "What name is the booking under?"] },
    );
  }
  return step(
    { ...state, stage: "change-verifying-postcode" },
    {
      type: "listen",
      say: [...preface, "And what's the postcode of the address the booking is for?"],
    },
  );
}

function handleIdentity(
  state: DialogueState,
  change: BookingChange,
  speech: string,
  ctx: ChangeContext,
): ChangeStep {
  const slots = extractSlots(speech, ctx.business.services);
  const postcode = fullPostcode(speech);
  if (!slots.name && !postcode && (wantsToStop(speech) || parseYesNo(speech) === "no")) {
    return { state: { ...leaveChange(state), stage: "anything-else" }, reroute: true };
  }
  const next: BookingChange = { ...change };
  if (postcode) next.claimedPostcode = postcode;
  if (slots.name) next.claimedName = slots.name;
  else if (state.stage === "change-verifying-name" && !postcode && looksLikeName(speech)) {
    next.claimedName = tidyName(speech);
  }
  const gotSomething =
    next.claimedName !== change.claimedName || next.claimedPostcode !== change.claimedPostcode;
  if (!gotSomething) {
    return {
      state,
      retry:
        state.stage === "change-verifying-postcode"
          ? "Sorry, I need the full postcode, both parts."
          : "Sorry, I didn't get the name.",
    };
  }
  return askForIdentity({ ...state, change: next, failedTurns: 0 }, []);
}

function handlePick(
  state: DialogueState,
  change: BookingChange,
  speech: string,
  ctx: ChangeContext,
): ChangeStep {
  const visits = change.visits;
  const answer = parseYesNo(speech);
  if (visits.length === 1) {
    if (answer === "yes") return proceed(state, change, visits[0], ctx, true);
    if (answer === "no") {
      return nothingFound(state, ["Sorry, that's the only upcoming booking I can see."], ctx);
    }
  }
  const index = pickVisit(speech, visits, ctx);
  if (index !== null) return proceed(state, change, visits[index], ctx, false);
  if (wantsToStop(speech))
    return { state: { ...leaveChange(state), stage: "anything-else" }, reroute: true };
  return {
    state,
    retry: visits.length === 1 ? "Sorry, was that a yes or a no?" : "Sorry, which one?",
  };
}

function proceed(
  state: DialogueState,
  change: BookingChange,
  visit: UpcomingVisit,
  ctx: ChangeContext,
  alreadyRead: boolean,
): ChangeStep {
  const picked: BookingChange = { ...change, visitId: visit.id };
  const which = alreadyRead
    ? []
    : [
        `That's the ${visit.serviceName.toLowerCase()} on ${visitTime(new Date(visit.start), ctx)}.`,
      ];
  if (change.action === "cancel") {
    return step(
      { ...state, change: picked, stage: "change-confirming-cancel", failedTurns: 0 },
      { type: "listen", say: [...which, "Shall I cancel it?"] },
    );
  }
  return step(
    {
      ...state,
      change: picked,
      stage: "change-choosing-time",
      failedTurns: 0,
      // Offers are for this visit's job, so they are as long as it is.
      draft: { ...state.draft, serviceId: visit.serviceId },
      // "Can I move it to Friday afternoon?" was said with the request.
      preference: change.preference,
      offers: [],
      chosen: undefined,
      declinedStarts: [],
      lostStarts: undefined,
    },
    { type: "find-new-times", say: [...which, "Let me find you a new time."] },
  );
}

function handleCancelConfirmation(
  state: DialogueState,
  change: BookingChange,
  speech: string,
): ChangeStep {
  const answer = parseYesNo(speech);
  if (answer === "yes" && change.visitId) {
    return step(state, { type: "cancel-appointment", appointmentId: change.visitId });
  }
  if (answer === "no") return keptAsItWas(state, "No problem, I've left it booked.");
  return { state, retry: "Sorry, shall I cancel it? Yes or no?" };
}

function handleNewTimeChoice(
  state: DialogueState,
  change: BookingChange,
  speech: string,
  intent: Intent,
  ctx: ChangeContext,
  newTime: NewTimeChoice,
): ChangeStep {
  const visit = change.visits.find((v) => v.id === change.visitId);
  if (newTime.chosen && visit) {
    const chosen = newTime.chosen;
    const when = describeSlot(new Date(chosen.start), ctx.now, ctx.business.timeZone);
    return step(
      { ...state, chosen, stage: "change-confirming-move", failedTurns: 0 },
      {
        type: "listen",
        say: [
          `So that's your ${visit.serviceName.toLowerCase()} moved from ${visitTime(new Date(visit.start), ctx)} to ${when}. Shall I move it?`,
        ],
      },
    );
  }
  if (intent === "cancel" && visit) {
    // "Actually, just cancel it."
    return step(
      {
        ...state,
        change: { ...change, action: "cancel" },
        stage: "change-confirming-cancel",
        failedTurns: 0,
      },
      { type: "listen", say: ["Of course. Shall I cancel it instead?"] },
    );
  }
  if (newTime.lookAgain) {
    return step(
      { ...newTime.lookAgain.state, stage: "change-choosing-time", failedTurns: 0 },
      { type: "find-new-times", say: newTime.lookAgain.say },
    );
  }
  return { state, retry: "Sorry, which time would suit you?" };
}

function handleMoveConfirmation(
  state: DialogueState,
  change: BookingChange,
  speech: string,
): ChangeStep {
  const answer = parseYesNo(speech);
  if (answer === "yes" && change.visitId && state.chosen) {
    return step(state, {
      type: "reschedule-appointment",
      appointmentId: change.visitId,
      slot: state.chosen,
    });
  }
  if (answer === "no") return keptAsItWas(state, "No problem, I've left your booking as it was.");
  return { state, retry: "Sorry, shall I move it? Yes or no?" };
}

function handleNothingFound(
  state: DialogueState,
  change: BookingChange,
  speech: string,
  ctx: ChangeContext,
): ChangeStep {
  if (
    /\b(message|call (?:me )?back|ring (?:me )?back|get back to me|speak to|talk to)\b/i.test(
      speech,
    )
  ) {
    return step(
      {
        ...leaveChange(state),
        stage: "taking-message",
        messageReason: change.action,
        failedTurns: 0,
      },
      {
        type: "listen",
        say: [`Of course. What would you like me to tell ${ctx.business.ownerName}?`],
      },
    );
  }
  // Booking a new visit, "no thanks", a question: the main dialogue's business.
  return { state: { ...leaveChange(state), stage: "anything-else" }, reroute: true };
}

function nothingFound(state: DialogueState, say: string[], ctx: ChangeContext): ChangeDecision {
  return decision(
    { ...state, stage: "change-nothing-found", failedTurns: 0 },
    { type: "listen", say: [...say, nothingFoundQuestion(ctx)] },
  );
}

function nothingFoundQuestion(ctx: ChangeContext): string {
  return `I can book a new visit, or take a message for ${ctx.business.ownerName} to call you back. Which would you like?`;
}

function keptAsItWas(state: DialogueState, said: string): ChangeStep {
  return step(
    { ...leaveChange(state), stage: "anything-else", failedTurns: 0 },
    { type: "listen", say: [said, "Is there anything else I can help with?"] },
  );
}

/** The change is done: back to the main dialogue with the caller's own details only. */
function finished(state: DialogueState, appointmentId: string, done: DoneAction): DialogueState {
  return {
    ...leaveChange(state),
    stage: "anything-else",
    failedTurns: 0,
    appointmentId,
    done: [...(state.done ?? []), done],
  };
}

function leaveChange(state: DialogueState): DialogueState {
  const { name, address, callbackNumber } = state.draft;
  return {
    ...state,
    change: undefined,
    draft: { name, address, callbackNumber },
    offers: [],
    chosen: undefined,
    declinedStarts: [],
    lostStarts: undefined,
    preference: undefined,
  };
}

function visitsQuestion(change: BookingChange, ctx: ChangeContext): string {
  const verb = change.action === "cancel" ? "cancel" : "move";
  const [first] = change.visits;
  if (change.visits.length === 1) {
    return `Your ${first.serviceName.toLowerCase()} on ${visitTime(new Date(first.start), ctx)} — is that the one?`;
  }
  const listed = change.visits.map(
    (v, i) =>
      `${ORDINALS[i]}, ${withArticle(v.serviceName.toLowerCase())} on ${visitTime(new Date(v.start), ctx)}`,
  );
  return `I can see ${change.visits.length} upcoming visits: ${listed.join("; ")}. Which one would you like to ${verb}?`;
}

const ORDINALS = ["the first", "the second", "the third", "the fourth"];

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** Which visit the caller means: "the second one", "the Friday one", "the 3rd", "the boiler service". */
function pickVisit(
  speech: string,
  visits: readonly UpcomingVisit[],
  ctx: ChangeContext,
): number | null {
  const ordinal = parseOrdinalChoice(speech, visits.length);
  if (ordinal !== null) return ordinal;
  const text = speech.toLowerCase();
  const today = DateTime.fromJSDate(ctx.now, { zone: ctx.business.timeZone }).startOf("day");
  const matches = visits
    .map((visit, index) => {
      const local = DateTime.fromISO(visit.start, { zone: ctx.business.timeZone });
      const dayDiff = Math.round(local.startOf("day").diff(today, "days").days);
      const day =
        text.includes(WEEKDAYS[local.weekday - 1]) ||
        new RegExp(`\\b${local.day}(?:st|nd|rd|th)?\\b(?!:)`).test(text) ||
        (dayDiff === 0 && /\btoday\b/.test(text)) ||
        (dayDiff === 1 && /\btomorrow\b/.test(text));
      const service = text.includes(visit.serviceName.toLowerCase());
      const month = text.includes(MONTHS[local.month - 1]);
      return { index, score: (day ? 2 : 0) + (service ? 2 : 0) + (month && day ? 1 : 0) };
    })
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score);
  if (matches.length === 0) return null;
  if (matches.length > 1 && matches[0].score === matches[1].score) return null;
  return matches[0].index;
}

/** A booked visit's time in full: "Thursday 26 November at 10:30 am". */
function visitTime(start: Date, ctx: ChangeContext): string {
  const local = DateTime.fromJSDate(start, { zone: ctx.business.timeZone });
  return `${local.toFormat("cccc d LLLL")} at ${spokenTime(local)}`;
}

function toVisit(a: Appointment): UpcomingVisit {
  return {
    id: a.id,
    start: a.start.toISOString(),
    end: a.end.toISOString(),
    serviceId: a.serviceId,
    serviceName: a.serviceName,
  };
}

/** A full postcode in the caller's words, typed or spelled out ("b s six six d r"). */
function fullPostcode(speech: string): string | undefined {
  for (const text of [speech, `postcode ${speech}`]) {
    const postcode = extractSlots(text, []).postcode;
    if (postcode && /\s\d[A-Z]{2}$/.test(postcode)) return postcode;
  }
  return undefined;
}

function wantsToStop(speech: string): boolean {
  return /\b(never ?mind|forget it|doesn't matter|that's all|no thanks|don't worry)\b/i.test(
    speech,
  );
}

function step(state: DialogueState, outcome: Reply): ChangeDecision {
  return decision(state, outcome);
}

function decision(state: DialogueState, outcome: Reply): ChangeDecision {
  return { state, outcome, intent: null, emergency: null };
}
