import { DateTime } from "luxon";
import type { Intent } from "../nlu/intent.classifier";
import { asksForMessage, fullPostcode, namesDay, wantsToStop } from "../nlu/answer-recogniser";
import { extractSlots, parseOrdinalChoice, parseYesNo } from "../nlu/slot-extractor";
import type { Appointment } from "../scheduling/appointment";
import { parseTimePreference } from "../scheduling/time-preference";
import type { BookingChange, DialogueState, DoneAction, UpcomingVisit } from "./dialogue-state";
import { chooseTime } from "./booking.flow";
import {
  decision,
  listen,
  notUnderstood,
  TurnContext,
  TurnDecision,
  withDone,
  wording,
} from "./engine-core";
import { looksLikeName, tidyName } from "./spoken-words";
import { spoken } from "./wording";
import { MONTHS, WEEKDAYS } from "../scheduling/calendar-words";

/**
 * Moving or cancelling a booking, a flow of the conversation engine, by
 * phone or by text. The engine's router sends the "reschedule" and
 * "cancel" intents and the change-* stages here, and takes back any answer
 * that leaves the change (leavesChange) before it does.
 *
 * Privacy: a caller whose number is not a customer's hears nothing about any
 * booking until the name AND the postcode they give match a customer with an
 * upcoming visit; a mismatch gets exactly the answer "nothing found" gets.
 */

/** At most this many upcoming visits are read out and offered to pick from. */
export const MAX_VISITS_READ = 4;

/** The caller asked to move or cancel a booking. */
export function startChange(
  state: DialogueState,
  speech: string,
  intent: "reschedule" | "cancel",
  ctx: TurnContext,
): TurnDecision {
  const change: BookingChange = { action: intent, visits: [] };
  const preference =
    intent === "reschedule"
      ? parseTimePreference(speech, ctx.now, ctx.business.timeZone)
      : undefined;
  if (preference) change.preference = preference;
  const base: DialogueState = { ...state, failedTurns: 0, change, offers: [], chosen: undefined };
  if (ctx.customer) {
    // A known caller (or texter): their own visits.
    return decision(
      { ...base, stage: "change-picking" },
      { type: "find-upcoming", lookup: { by: "caller-id", customerId: ctx.customer.id } },
      intent,
    );
  }
  // Someone ringing from another number may give both in one breath.
  const slots = extractSlots(speech, ctx.business.services);
  if (slots.name && looksLikeName(slots.name)) change.claimedName = slots.name;
  const postcode = fullPostcode(speech);
  if (postcode) change.claimedPostcode = postcode;
  return askForIdentity(base, [spoken.unknownNumberLookup()], intent);
}

/** Whether the caller's words leave the change: "never mind", or a new booking after nothing was found. */
export function leavesChange(state: DialogueState, speech: string): boolean {
  if (!state.change) return true;
  switch (state.stage) {
    case "change-verifying-name":
    case "change-verifying-postcode": {
      const slots = extractSlots(speech, []);
      return (
        !slots.name && !fullPostcode(speech) && (wantsToStop(speech) || parseYesNo(speech) === "no")
      );
    }
    case "change-picking":
      return wantsToStop(speech) && parseOrdinalChoice(speech, state.change.visits.length) === null;
    case "change-nothing-found":
      return !asksForMessage(speech);
    default:
      return false;
  }
}

/** One caller turn in a change-* stage that stays with the change. */
export function continueChange(
  state: DialogueState,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): TurnDecision {
  const change = state.change as BookingChange;
  switch (state.stage) {
    case "change-verifying-name":
    case "change-verifying-postcode":
      return handleIdentity(state, change, speech, intent, ctx);
    case "change-picking":
      return handlePick(state, change, speech, intent, ctx);
    case "change-confirming-cancel":
      return handleCancelConfirmation(state, change, speech, intent, ctx);
    case "change-choosing-time":
      return handleNewTimeChoice(state, change, speech, intent, ctx);
    case "change-confirming-move":
      return handleMoveConfirmation(state, change, speech, intent, ctx);
    default:
      // change-nothing-found, asking for a message (leavesChange took everything else).
      return listen(
        {
          ...leaveChange(state),
          stage: "taking-message",
          messageReason: change.action,
          failedTurns: 0,
        },
        [spoken.tellOwnerWhat(wording(ctx))],
        intent,
      );
  }
}

/**
 * A reply to a reminder about one visit ("YES", "2", "can we do Friday
 * instead"): the visit is known, so nothing is looked up or read back.
 */
export function answerReminder(
  state: DialogueState,
  reply: "confirm" | "cancel" | "reschedule",
  visit: UpcomingVisit,
  speech: string,
  ctx: TurnContext,
): TurnDecision {
  if (reply === "confirm") {
    return decision(state, { type: "confirm-appointment", appointmentId: visit.id }, null);
  }
  const change: BookingChange = { action: reply, visits: [visit], visitId: visit.id };
  if (reply === "cancel") {
    // Their reply to "reply 2 to cancel" is the yes.
    return decision(
      { ...state, change, stage: "change-confirming-cancel" },
      { type: "cancel-appointment", appointmentId: visit.id },
      "cancel",
    );
  }
  const preference = parseTimePreference(speech, ctx.now, ctx.business.timeZone) ?? undefined;
  return proceed(state, { ...change, ...(preference ? { preference } : {}) }, visit, ctx, true);
}

/** The interpreter listed the visits for the lookup the engine asked for. */
export function upcomingFound(
  state: DialogueState,
  appointments: readonly Appointment[],
  ctx: TurnContext,
): TurnDecision {
  const change = state.change ?? { action: "cancel" as const, visits: [] };
  const visits = appointments
    .filter((a) => a.status === "booked" && a.start.getTime() >= ctx.now.getTime())
    .slice(0, MAX_VISITS_READ)
    .map(toVisit);
  const found: BookingChange = { ...change, visits, visitId: undefined };
  const next: DialogueState = { ...state, change: found };
  if (visits.length === 0) {
    // The same words whether the details matched nobody or a customer with nothing booked.
    const none = ctx.customer ? spoken.noVisitsForYou() : spoken.noVisitsUnderDetails();
    return nothingFound(next, [none], ctx);
  }
  return listen(
    { ...next, stage: "change-picking" },
    [spoken.visits(visits, found.action, wording(ctx))],
    null,
  );
}

export function bookingCancelled(
  state: DialogueState,
  cancelled: Appointment | null,
  ctx: TurnContext,
): TurnDecision {
  if (!cancelled) return bookingGone(state, ctx);
  const done = {
    action: "cancelled" as const,
    appointmentId: cancelled.id,
    job: cancelled.serviceName,
  };
  return listen(
    finished(state, cancelled.id, done),
    [spoken.cancelled(), spoken.anythingElse()],
    null,
    "cancelled",
  );
}

export function bookingMoved(
  state: DialogueState,
  moved: Appointment,
  ctx: TurnContext,
): TurnDecision {
  const done = { action: "moved" as const, appointmentId: moved.id, job: moved.serviceName };
  return listen(
    finished(state, moved.id, done),
    [spoken.moved(moved.serviceName, moved.start, wording(ctx)), spoken.anythingElse()],
    null,
    "moved",
  );
}

export function bookingConfirmedByReply(
  state: DialogueState,
  confirmed: Appointment | null,
  ctx: TurnContext,
): TurnDecision {
  if (!confirmed) return bookingGone(state, ctx);
  return listen(
    { ...state, stage: "anything-else", failedTurns: 0 },
    [spoken.confirmed(confirmed.serviceName, confirmed.start, wording(ctx))],
    null,
    "confirmed",
  );
}

/** Someone else took the new time between the offer and the caller's yes. */
export function moveSlotLost(state: DialogueState): TurnDecision {
  const lost = state.chosen ? [...(state.lostStarts ?? []), state.chosen.start] : state.lostStarts;
  return decision(
    { ...state, chosen: undefined, lostStarts: lost, stage: "change-choosing-time" },
    { type: "find-slots", say: [spoken.timeJustTaken()] },
    null,
  );
}

/** The visit was cancelled or removed since we read it out (by the owner, or another call). */
export function bookingGone(state: DialogueState, ctx: TurnContext): TurnDecision {
  const gone = nothingFound(state, [spoken.bookingGone()], ctx);
  return listen(
    gone.state,
    "say" in gone.outcome ? gone.outcome.say : [],
    null,
    "appointment-gone",
  );
}

function askForIdentity(
  state: DialogueState,
  preface: string[],
  intent: Intent | null,
): TurnDecision {
  const change = state.change;
  if (change?.claimedName && change.claimedPostcode) {
    return decision(
      { ...state, stage: "change-verifying-postcode" },
      {
        type: "find-upcoming",
        lookup: {
          by: "name-and-postcode",
          name: change.claimedName,
          postcode: change.claimedPostcode,
        },
      },
      intent,
    );
  }
  if (!change?.claimedName) {
    return listen(
      { ...state, stage: "change-verifying-name" },
      [...preface, spoken.askBookingName()],
      intent,
    );
  }
  return listen(
    { ...state, stage: "change-verifying-postcode" },
    [...preface, spoken.askBookingPostcode()],
    intent,
  );
}

function handleIdentity(
  state: DialogueState,
  change: BookingChange,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): TurnDecision {
  const slots = extractSlots(speech, ctx.business.services);
  const postcode = fullPostcode(speech);
  const next: BookingChange = { ...change };
  if (postcode) next.claimedPostcode = postcode;
  if (slots.name && looksLikeName(slots.name)) next.claimedName = slots.name;
  else if (state.stage === "change-verifying-name" && !postcode && looksLikeName(speech)) {
    next.claimedName = tidyName(speech);
  }
  const gotSomething =
    next.claimedName !== change.claimedName || next.claimedPostcode !== change.claimedPostcode;
  if (!gotSomething) {
    const retry =
      state.stage === "change-verifying-postcode"
        ? spoken.needFullPostcode()
        : spoken.didNotGetName();
    return notUnderstood(state, ctx, retry, intent);
  }
  return askForIdentity({ ...state, change: next, failedTurns: 0 }, [], intent);
}

function handlePick(
  state: DialogueState,
  change: BookingChange,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): TurnDecision {
  const visits = change.visits;
  const answer = parseYesNo(speech);
  if (visits.length === 1) {
    if (answer === "yes") return proceed(state, change, visits[0], ctx, true);
    if (answer === "no") return nothingFound(state, [spoken.onlyBooking()], ctx);
  }
  const index = pickVisit(speech, visits, ctx);
  if (index !== null) return proceed(state, change, visits[index], ctx, false);
  return notUnderstood(
    state,
    ctx,
    visits.length === 1 ? spoken.yesOrNo() : spoken.whichOne(),
    intent,
  );
}

function proceed(
  state: DialogueState,
  change: BookingChange,
  visit: UpcomingVisit,
  ctx: TurnContext,
  alreadyRead: boolean,
): TurnDecision {
  const picked: BookingChange = { ...change, visitId: visit.id };
  const which = alreadyRead ? [] : [spoken.thatVisit(visit, wording(ctx))];
  if (change.action === "cancel") {
    return listen(
      { ...state, change: picked, stage: "change-confirming-cancel", failedTurns: 0 },
      [...which, spoken.shallICancel()],
      null,
    );
  }
  return decision(
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
    {
      type: "find-slots",
      say: [...which, ...(ctx.channel === "sms" ? [] : [spoken.findNewTime()])],
    },
    null,
  );
}

function handleCancelConfirmation(
  state: DialogueState,
  change: BookingChange,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): TurnDecision {
  const answer = parseYesNo(speech);
  if (answer === "yes" && change.visitId) {
    return decision(state, { type: "cancel-appointment", appointmentId: change.visitId }, intent);
  }
  if (answer === "no") return keptAsItWas(state, spoken.leftBooked(), intent);
  return notUnderstood(state, ctx, spoken.sorryShallICancel(), intent);
}

function handleNewTimeChoice(
  state: DialogueState,
  change: BookingChange,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): TurnDecision {
  const visit = change.visits.find((v) => v.id === change.visitId);
  const choice = chooseTime(state, speech, ctx);
  if (choice.kind === "chosen" && visit) {
    const chosen = choice.slot;
    if (ctx.channel === "sms") {
      // A numbered choice from the texted list is the customer's answer in full.
      return decision(
        { ...state, chosen, stage: "change-confirming-move", failedTurns: 0 },
        { type: "reschedule-appointment", appointmentId: visit.id, slot: chosen },
        intent,
      );
    }
    return listen(
      { ...state, chosen, stage: "change-confirming-move", failedTurns: 0 },
      [spoken.moveReadBack(visit, chosen, wording(ctx))],
      intent,
    );
  }
  if (intent === "cancel" && visit) {
    // "Actually, just cancel it."
    return listen(
      {
        ...state,
        change: { ...change, action: "cancel" },
        stage: "change-confirming-cancel",
        failedTurns: 0,
      },
      [spoken.cancelInstead()],
      intent,
    );
  }
  if (choice.kind === "look-again") {
    return decision(
      { ...choice.state, stage: "change-choosing-time", failedTurns: 0 },
      { type: "find-slots", say: ctx.channel === "sms" ? [] : choice.say },
      intent,
    );
  }
  if (ctx.channel === "sms" && parseYesNo(speech) === "yes") {
    return listen(state, [spoken.whichTime()], intent, "which-time");
  }
  return notUnderstood(state, ctx, spoken.whichTime(), intent);
}

function handleMoveConfirmation(
  state: DialogueState,
  change: BookingChange,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): TurnDecision {
  const answer = parseYesNo(speech);
  if (answer === "yes" && change.visitId && state.chosen) {
    return decision(
      state,
      { type: "reschedule-appointment", appointmentId: change.visitId, slot: state.chosen },
      intent,
    );
  }
  if (answer === "no") return keptAsItWas(state, spoken.leftAsItWas(), intent);
  return notUnderstood(state, ctx, spoken.sorryShallIMove(), intent);
}

function nothingFound(state: DialogueState, say: string[], ctx: TurnContext): TurnDecision {
  return listen(
    { ...state, stage: "change-nothing-found", failedTurns: 0 },
    [...say, spoken.nothingFoundChoice(wording(ctx))],
    null,
  );
}

function keptAsItWas(state: DialogueState, said: string, intent: Intent | null): TurnDecision {
  return listen(
    { ...leaveChange(state), stage: "anything-else", failedTurns: 0 },
    [said, spoken.anythingElse()],
    intent,
  );
}

/** The change is done: back to the conversation with the caller's own details only. */
function finished(state: DialogueState, appointmentId: string, done: DoneAction): DialogueState {
  return {
    ...withDone(leaveChange(state), done),
    stage: "anything-else",
    failedTurns: 0,
    appointmentId,
  };
}

/** Leaves the change, keeping only the caller's own details. */
export function leaveChange(state: DialogueState): DialogueState {
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

/** Which visit the caller means: "the second one", "the Friday one", "the 3rd", "the boiler service". */
function pickVisit(
  speech: string,
  visits: readonly UpcomingVisit[],
  ctx: TurnContext,
): number | null {
  const ordinal = parseOrdinalChoice(speech, visits.length);
  if (ordinal !== null) return ordinal;
  const text = speech.toLowerCase();
  const today = DateTime.fromJSDate(ctx.now, { zone: ctx.business.timeZone }).startOf("day");
  const matches = visits
    .map((visit, index) => {
      const local = DateTime.fromISO(visit.start, { zone: ctx.business.timeZone });
      const dayDiff = Math.round(local.startOf("day").diff(today, "days").days);
      const day = namesDay(text, {
        weekday: WEEKDAYS[local.weekday - 1],
        dayOfMonth: local.day,
        daysFromToday: dayDiff,
      });
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

export function toVisit(a: Appointment): UpcomingVisit {
  return {
    id: a.id,
    start: a.start.toISOString(),
    end: a.end.toISOString(),
    serviceId: a.serviceId,
    serviceName: a.serviceName,
    address: a.address,
    ...(a.confirmation === "requested" ? { confirmationRequested: true } : {}),
  };
}
