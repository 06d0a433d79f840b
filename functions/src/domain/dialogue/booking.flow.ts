import type { Intent } from "../nlu/intent.classifier";
import {
  asksAboutTime,
  looksLikeAddress,
  mentionsAddress,
  mentionsName,
  wordsBeforeDetails,
} from "../nlu/answer-recogniser";
import { extractSlots, parseYesNo } from "../nlu/slot-extractor";
import { normalisePhoneNumber } from "../phone/phone-number";
import type { Slot } from "../scheduling/availability";
import type { OfferChoice } from "../scheduling/offers";
import { fitsPreference, parseTimePreference, samePreference } from "../scheduling/time-preference";
import type { DialogueState, DoneAction, OfferedSlot } from "./dialogue-state";
import { serviceById } from "../business/business";
import {
  decision,
  listen,
  notUnderstood,
  offeredSlotId,
  readingOf,
  serviceFor,
  TurnContext,
  TurnDecision,
  withDone,
  wording,
} from "./engine-core";
import { asksForOtherTimes, chooseOffer, offerBesideChosen, wantsOtherTimes } from "./offer-choice";
import { looksLikeName, tidyName } from "./spoken-words";
import { spoken } from "./wording";

/**
 * Booking a visit, a flow of the conversation engine: the job, the caller's
 * details, the offers and the read-back. Choosing among offered times
 * (chooseTime) and presenting offers serve moving a booking too.
 */

export function startBooking(
  state: DialogueState,
  speech: string,
  ctx: TurnContext,
  intent: Intent,
): TurnDecision {
  mergeDetails(state, speech, ctx);
  return continueCollecting({ ...state, failedTurns: 0 }, ctx, intent);
}

/** Takes every detail the caller gave, so nothing is asked twice. */
export function mergeDetails(state: DialogueState, speech: string, ctx: TurnContext): void {
  const slots = extractSlots(speech, ctx.business.services);
  const draft = state.draft;
  if (slots.serviceId) draft.serviceId = slots.serviceId;
  if (slots.problem && !draft.problem) draft.problem = slots.problem;
  if (slots.name && looksLikeName(slots.name)) draft.name = slots.name;
  if (slots.address) {
    draft.address = slots.address;
    state.addressConfirmed = true;
  }
  if (slots.phone) {
    // Spoken digits ("07700 900555") become E.164, the form SMS and customer records use.
    const phone = normalisePhoneNumber(slots.phone, ctx.business.defaultCountry);
    if (phone.ok) draft.callbackNumber = phone.e164;
  }
  // "...can someone come tomorrow morning": the offers will honour it.
  const preference = parseTimePreference(speech, ctx.now, ctx.business.timeZone);
  if (preference) state.preference = preference;
  fillFromSecondReading(state, speech, ctx, Boolean(preference));
}

/**
 * Details a second reading of these words found and the rules did not: they
 * fill gaps only, a name only if it reads as one, a service only if the
 * business offers it. A time wish steers the offers, like one said plainly;
 * only times offered and confirmed are ever booked.
 */
function fillFromSecondReading(
  state: DialogueState,
  speech: string,
  ctx: TurnContext,
  hadTimeWish: boolean,
): void {
  const reading = readingOf(ctx, speech);
  if (!reading) return;
  const { name, address, postcode, serviceId, timeWish } = reading.slots;
  const draft = state.draft;
  if (!draft.serviceId && serviceId && serviceById(ctx.business, serviceId)) {
    draft.serviceId = serviceId;
  }
  if (!draft.name && name && looksLikeName(name)) draft.name = tidyName(name);
  if (!draft.address && address) {
    const withPostcode =
      postcode &&
      !address.toUpperCase().replace(/\s/g, "").includes(postcode.toUpperCase().replace(/\s/g, ""))
        ? `${address}, ${postcode}`
        : address;
    draft.address = withPostcode;
    state.addressConfirmed = true;
  }
  if (!hadTimeWish && timeWish) {
    const wish = parseTimePreference(timeWish, ctx.now, ctx.business.timeZone);
    if (wish) state.preference = wish;
  }
}

export function continueCollecting(
  state: DialogueState,
  ctx: TurnContext,
  intent: Intent | null,
): TurnDecision {
  const draft = state.draft;
  draft.callbackNumber ??= ctx.callerPhone ?? undefined;
  const ask = (asking: DialogueState["asking"], question: string): TurnDecision =>
    listen({ ...state, stage: "collecting", asking }, [question], intent);

  if (!draft.problem && !draft.serviceId) return ask("problem", spoken.whatsTheProblem());
  if (ctx.customer && draft.address && !state.addressConfirmed) {
    return listen(
      { ...state, stage: "confirming-address", asking: undefined },
      [spoken.checkAddressAndName(draft.address, draft.name)],
      intent,
    );
  }
  if (!draft.name) return ask("name", spoken.askName());
  if (!draft.address) return ask("address", spoken.askAddress());
  if (!draft.callbackNumber) return ask("callback", spoken.askCallback());
  if (state.chosen) {
    // A corrected name or address: the time the caller chose still stands.
    const next: DialogueState = { ...state, stage: "confirming-booking", asking: undefined };
    return listen(next, [spoken.changedThat(), readBack(next, ctx)], intent, "read-back");
  }
  return decision(
    { ...state, stage: "choosing-slot", asking: undefined },
    { type: "find-slots", say: [] },
    intent,
  );
}

export function handleDetail(
  state: DialogueState,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): TurnDecision {
  const before = JSON.stringify(state.draft);
  mergeDetails(state, speech, ctx);
  const draft = state.draft;
  // "Sam Patel, 12 Oak Road, Bristol BS6 5AB": the name comes before the address.
  if (state.asking === "name" && !draft.name) {
    const lead = nameBeforeDetails(speech);
    if (lead) draft.name = tidyName(lead);
  }
  const gotNothingNew = JSON.stringify(draft) === before;
  // A bare answer to the question we asked ("Sarah Jones", "12 Park Street") fills that detail.
  if (gotNothingNew) {
    switch (state.asking) {
      case "problem":
        draft.problem = speech;
        break;
      case "name":
        if (looksLikeName(speech)) draft.name = tidyName(speech);
        break;
      case "address":
        if (looksLikeAddress(speech)) {
          draft.address = speech;
          state.addressConfirmed = true;
        }
        break;
      case "callback":
        break;
    }
  }
  if (JSON.stringify(draft) === before) {
    return notUnderstood(state, ctx, spoken.didNotGet(), intent);
  }
  return continueCollecting({ ...state, failedTurns: 0 }, ctx, intent);
}

/** The words before the first comma or digit, when they read as a name (not a postcode's letters). */
function nameBeforeDetails(speech: string): string | null {
  const lead = wordsBeforeDetails(speech);
  return lead && looksLikeName(lead) ? lead : null;
}

export function handleAddressCheck(
  state: DialogueState,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): TurnDecision {
  const answer = parseYesNo(speech);
  const slots = extractSlots(speech, ctx.business.services);
  if (answer === "yes" && !slots.address) {
    return continueCollecting({ ...state, addressConfirmed: true, failedTurns: 0 }, ctx, intent);
  }
  if (answer === "no" || slots.address || slots.name) {
    const draft = { ...state.draft };
    if (slots.address) draft.address = slots.address;
    else delete draft.address;
    if (slots.name && looksLikeName(slots.name)) draft.name = slots.name;
    return continueCollecting(
      { ...state, draft, addressConfirmed: Boolean(slots.address), failedTurns: 0 },
      ctx,
      intent,
    );
  }
  return notUnderstood(state, ctx, spoken.yesOrNo(), intent);
}

/** What the caller's words make of the times on offer, for a new booking or a move. */
export type TimeChoice =
  | { kind: "chosen"; slot: OfferedSlot }
  /** None suit, or another time was asked for: search again from `state`, saying `say`. */
  | { kind: "look-again"; state: DialogueState; say: string[] }
  | { kind: "unclear" };

/** Only a time we offered can be chosen; anything else is a wish to look again, or unclear. */
export function chooseTime(state: DialogueState, speech: string, ctx: TurnContext): TimeChoice {
  const zone = ctx.business.timeZone;
  const preference = parseTimePreference(speech, ctx.now, zone);
  const declineAll = [...state.declinedStarts, ...state.offers.map((o) => o.start)];
  // "Anything on Thursday morning instead?" asks for new times, even when an offer fits.
  if (preference && asksForOtherTimes(speech) && !samePreference(preference, state.preference)) {
    return {
      kind: "look-again",
      state: { ...state, preference, declinedStarts: declineAll, failedTurns: 0 },
      say: [spoken.letMeLook()],
    };
  }
  const index = chooseOffer(speech, state.offers, { now: ctx.now, timeZone: zone });
  if (index !== null) return { kind: "chosen", slot: state.offers[index] };
  // A second reading may point at one of the times offered, and only at one of those.
  const picked = readingOf(ctx, speech)?.slots.chosenSlotId;
  const offered = picked ? state.offers.find((o) => offeredSlotId(o) === picked) : undefined;
  if (offered) return { kind: "chosen", slot: offered };
  // "Thursday afternoon?" A wish that two offers fit is an unclear choice.
  const offersFitting = preference
    ? state.offers.filter((o) => fitsPreference(new Date(o.start), preference, zone)).length
    : 0;
  if (preference && offersFitting === 0 && !samePreference(preference, state.preference)) {
    const declined = wantsOtherTimes(speech) ? declineAll : state.declinedStarts;
    return {
      kind: "look-again",
      state: { ...state, preference, declinedStarts: declined, failedTurns: 0 },
      say: [spoken.letMeLook()],
    };
  }
  if (wantsOtherTimes(speech)) {
    return {
      kind: "look-again",
      state: { ...state, declinedStarts: declineAll, failedTurns: 0 },
      say: [spoken.lookFurther()],
    };
  }
  return { kind: "unclear" };
}

export function handleSlotChoice(
  state: DialogueState,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): TurnDecision {
  const choice = chooseTime(state, speech, ctx);
  switch (choice.kind) {
    case "chosen": {
      const next: DialogueState = {
        ...state,
        chosen: choice.slot,
        stage: "confirming-booking",
        failedTurns: 0,
      };
      return listen(next, [readBack(next, ctx)], intent, "read-back");
    }
    case "look-again":
      return decision(choice.state, { type: "find-slots", say: choice.say }, intent);
    case "unclear":
      return notUnderstood(state, ctx, spoken.whichTime(), intent);
  }
}

export function handleBookingConfirmation(
  state: DialogueState,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): TurnDecision {
  const answer = parseYesNo(speech);
  // "Actually the earlier one": another of the offered times, read back afresh.
  const index =
    (state.chosen && offerBesideChosen(speech, state.offers, state.chosen)) ??
    chooseOffer(speech, state.offers, { now: ctx.now, timeZone: ctx.business.timeZone });
  const other = index !== null ? state.offers[index] : undefined;
  if (other && other.start !== state.chosen?.start && answer !== "yes") {
    const next: DialogueState = { ...state, chosen: other, failedTurns: 0 };
    return listen(next, [readBack(next, ctx)], intent, "read-back");
  }
  // "Yes, but can it be Friday?" names another time: that is not a yes to this one.
  const preference = parseTimePreference(speech, ctx.now, ctx.business.timeZone);
  const chosenStart = state.chosen ? new Date(state.chosen.start) : undefined;
  if (
    preference &&
    chosenStart &&
    !fitsPreference(chosenStart, preference, ctx.business.timeZone)
  ) {
    return decision(
      { ...state, preference, chosen: undefined, stage: "choosing-slot", failedTurns: 0 },
      { type: "find-slots", say: [spoken.letMeLook()] },
      intent,
    );
  }
  // A yes that also names another name or address is a correction, not a yes to this booking.
  const slots = extractSlots(speech, ctx.business.services);
  const corrects =
    (slots.address && slots.address !== state.draft.address) ||
    (slots.name && looksLikeName(slots.name) && slots.name !== state.draft.name);
  if (corrects) return handleAmendment(state, speech, intent, ctx);
  if (answer === "yes" && state.chosen) {
    return decision(state, { type: "book", slot: state.chosen }, intent);
  }
  if (answer === "no") {
    return listen(
      { ...state, stage: "amending", failedTurns: 0 },
      [spoken.whatToChangeAsk()],
      intent,
    );
  }
  return notUnderstood(state, ctx, spoken.shallIBook(), intent);
}

export function handleAmendment(
  state: DialogueState,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): TurnDecision {
  const preference = parseTimePreference(speech, ctx.now, ctx.business.timeZone);
  if (preference || asksAboutTime(speech)) {
    const declined = state.chosen
      ? [...state.declinedStarts, state.chosen.start]
      : state.declinedStarts;
    return decision(
      {
        ...state,
        preference: preference ?? state.preference,
        chosen: undefined,
        declinedStarts: declined,
        stage: "choosing-slot",
        failedTurns: 0,
      },
      { type: "find-slots", say: [spoken.ofCourse()] },
      intent,
    );
  }
  const before = JSON.stringify(state.draft);
  mergeDetails(state, speech, ctx);
  if (JSON.stringify(state.draft) !== before) {
    const next: DialogueState = { ...state, stage: "confirming-booking", failedTurns: 0 };
    return listen(next, [spoken.changedThat(), readBack(next, ctx)], intent, "read-back");
  }
  if (mentionsName(speech)) {
    return listen(
      { ...state, stage: "collecting", asking: "name", draft: { ...state.draft, name: undefined } },
      [spoken.whichName()],
      intent,
    );
  }
  if (mentionsAddress(speech)) {
    return listen(
      {
        ...state,
        stage: "collecting",
        asking: "address",
        draft: { ...state.draft, address: undefined },
      },
      [spoken.whichAddress()],
      intent,
    );
  }
  return notUnderstood(state, ctx, spoken.whatToChange(), intent);
}

/**
 * The offers found for the caller: for a new booking, or for the visit
 * being moved; an honest message when the diary is full.
 */
export function presentOffers(
  state: DialogueState,
  found: readonly Slot[] | OfferChoice,
  ctx: TurnContext,
  preface: string[] = [],
): TurnDecision {
  const w = wording(ctx);
  const moving = Boolean(state.change?.visitId);
  const { slots, fit } = "fit" in found ? found : { slots: found, fit: "any" as const };
  if (slots.length === 0) {
    const next: DialogueState = {
      ...state,
      stage: "taking-message",
      // The owner's message says it is about moving a booking.
      messageReason: moving ? "reschedule" : "misunderstood",
      offers: [],
    };
    return listen(
      next,
      [...preface, spoken.noFreeTime(w), spoken.ownerWillArrange(w)],
      null,
      moving ? "no-move-times" : "no-times",
    );
  }
  const offers = slots.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() }));
  // Say back what the caller asked for, and whether these times fit it.
  const wish = state.preference && fit !== "any" ? state.preference : undefined;
  const fitting = !wish
    ? []
    : fit === "preferred"
      ? [spoken.offersFitWish(wish)]
      : [spoken.nothingFitsWish(wish)];
  return listen(
    {
      ...state,
      stage: moving ? "change-choosing-time" : "choosing-slot",
      offers,
      chosen: undefined,
    },
    [...preface, ...fitting, spoken.offers(offers, w)],
    null,
    moving ? "move-offers" : "offers",
  );
}

export function bookingConfirmed(
  state: DialogueState,
  appointmentId: string,
  ctx: TurnContext,
): TurnDecision {
  // The caller's details carry over to another job on the same call; this job's do not.
  const { name, address, callbackNumber, problem } = state.draft;
  const service = serviceFor(state, ctx).name;
  const booked: DoneAction = {
    action: "booked",
    appointmentId,
    job: problem ? `${service}: ${problem}` : service,
  };
  const say = state.chosen
    ? [spoken.booked(state.chosen.start, callbackNumber, wording(ctx)), spoken.anythingElse()]
    : [spoken.anythingElse()];
  return listen(
    {
      ...withDone(state, booked),
      stage: "anything-else",
      appointmentId,
      failedTurns: 0,
      draft: { name, address, callbackNumber },
      offers: [],
      chosen: undefined,
      declinedStarts: [],
      lostStarts: undefined,
      preference: undefined,
    },
    say,
    null,
    "booked",
  );
}

/** Someone else claimed the time between our offer and the caller's yes. */
export function slotLost(state: DialogueState): TurnDecision {
  // Not declined: the caller wanted that half-day, so nearby times are still offered.
  const lost = state.chosen ? [...(state.lostStarts ?? []), state.chosen.start] : state.lostStarts;
  return decision(
    {
      ...state,
      chosen: undefined,
      lostStarts: lost,
      stage: state.change?.visitId ? "change-choosing-time" : "choosing-slot",
    },
    { type: "find-slots", say: [spoken.timeJustTaken()] },
    null,
  );
}

export function readBack(state: DialogueState, ctx: TurnContext): string {
  return spoken.readBack(state, serviceFor(state, ctx).name, wording(ctx));
}
