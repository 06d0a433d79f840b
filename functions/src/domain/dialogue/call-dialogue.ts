import { Business, defaultService, greetingFor, serviceById } from "../business/business";
import type { Customer } from "../customers/customer";
import type { EmergencyDetection } from "../emergency/emergency.classifier";
import {
  assessEmergency,
  confirmedEmergency,
  SafetyCheck,
} from "../emergency/emergency.classifier";
import { classifyUtterance, Intent } from "../nlu/intent.classifier";
import { extractSlots, parseYesNo } from "../nlu/slot-extractor";
import { normalisePhoneNumber } from "../phone/phone-number";
import { describeSlot, Slot } from "../scheduling/availability";
import type { OfferChoice } from "../scheduling/offers";
import {
  describePreference,
  fitsPreference,
  parseTimePreference,
  samePreference,
} from "../scheduling/time-preference";
import { describeOpeningHours } from "./opening-hours";
import { answerFromProfile } from "./profile-answers";
import {
  ChangeBookingOutcome,
  ChangeStep,
  changePrompt,
  NewTimeChoice,
  continueChange,
  startChange,
} from "./change-booking.dialogue";
import {
  DialogueState,
  DoneAction,
  initialDialogueState,
  MessageReason,
  OfferedSlot,
  PendingSafetyCheck,
} from "./dialogue-state";
import { joinWithAnd, looksLikeName, tidyName, withArticle } from "./spoken-words";
import { asksForOtherTimes, chooseOffer, offerBesideChosen, wantsOtherTimes } from "./offer-choice";

/** After this many unusable turns in a row the caller is offered a person. */
export const MAX_FAILED_TURNS = 3;
/** Twilio's speech confidence below which we ask again rather than guess. */
export const MIN_SPEECH_CONFIDENCE = 0.3;

export interface TurnContext {
  business: Business;
  customer: Customer | null;
  /** The caller's number in E.164, or null when withheld. */
  callerPhone: string | null;
  now: Date;
}

export interface TurnInput {
  speech: string | null;
  confidence: number | null;
}

/** What the call should do next; the use case carries out the side effects. */
export type TurnOutcome =
  | { type: "listen"; say: string[] }
  | { type: "hang-up"; say: string[] }
  | { type: "escalate-emergency"; say: string[]; emergency: EmergencyDetection }
  | { type: "transfer-to-owner"; say: string[] }
  /** Compute free slots and call presentOffers. */
  | { type: "find-slots"; say: string[] }
  /** Claim the slot and call bookingConfirmed or slotLost. */
  | { type: "book"; slot: OfferedSlot }
  /** Queue the message for the owner, then say and listen. */
  | { type: "leave-message"; say: string[]; message: string; reason: MessageReason }
  /** Moving or cancelling a booking: see change-booking.dialogue.ts. */
  | ChangeBookingOutcome;

export interface TurnDecision {
  state: DialogueState;
  outcome: TurnOutcome;
  intent: Intent | null;
  emergency: EmergencyDetection | null;
}

export function greet(ctx: TurnContext): { state: DialogueState; say: string[] } {
  const state = initialDialogueState();
  const opening = greetingFor(ctx.business);
  if (ctx.customer) {
    state.draft = {
      name: ctx.customer.name,
      address: ctx.customer.address,
      callbackNumber: ctx.customer.phone,
    };
    return {
      state,
      say: [
        opening,
        `Hello ${firstName(ctx.customer.name)}, good to hear from you again. How can I help today?`,
      ],
    };
  }
  return {
    state,
    say: [opening, "How can I help? You can tell me what's wrong, or ask to book a visit."],
  };
}

/**
 * One caller turn. The emergency check comes first, on every turn and at
 * any confidence, before anything else the caller is in the middle of. When
 * the signals are only partial, the safety question comes next.
 */
export function decideTurn(state: DialogueState, input: TurnInput, ctx: TurnContext): TurnDecision {
  const speech = (input.speech ?? "").trim();
  const extraPhrases = ctx.business.emergency.extraPhrases;
  const { detection: emergency, safetyCheck } = speech
    ? assessEmergency(speech, extraPhrases)
    : { detection: null, safetyCheck: null };
  if (emergency && !state.emergency) {
    // A clear emergency in the answer to a safety question is that emergency.
    const words = state.safetyCheck ? `${state.safetyCheck.words} / ${speech}` : speech;
    return escalateEmergency(leaveSafetyCheck(state), emergency, words, ctx);
  }
  if (state.stage === "safety-check" && state.safetyCheck) {
    return answerSafetyCheck(state, state.safetyCheck, input, speech, ctx);
  }
  // Asked whatever the recogniser's confidence: a question costs a few seconds, a miss a ceiling.
  if (safetyCheck && mayAsk(state, safetyCheck)) {
    return askSafetyQuestion(state, safetyCheck, speech, ctx);
  }

  const unusable =
    speech === "" || (input.confidence !== null && input.confidence < MIN_SPEECH_CONFIDENCE);
  if (unusable) {
    const apology =
      speech === "" ? "Sorry, I didn't hear anything." : "Sorry, I didn't quite catch that.";
    return notUnderstood(state, ctx, apology, null);
  }
  return routeTurn(state, speech, ctx);
}

/** The rest of a turn, once no emergency or safety question stands in the way. */
function routeTurn(state: DialogueState, speech: string, ctx: TurnContext): TurnDecision {
  const { intent } = classifyUtterance(speech, {
    extraEmergencyPhrases: ctx.business.emergency.extraPhrases,
    ownerName: ctx.business.ownerName,
  });
  if (intent === "human" && state.stage !== "taking-message") {
    return decision({ ...state, stage: "transferring" }, transferToOwner(ctx), intent);
  }
  if (intent === "repeat") {
    // "What?" is not a failed turn: say the last question again.
    return decision(state, { type: "listen", say: [repeatPrompt(state, ctx)] }, intent);
  }
  // Moving or cancelling has its own message step, which keeps the reason.
  if (
    intent === "callback" &&
    state.stage !== "taking-message" &&
    !state.stage.startsWith("change-")
  ) {
    return decision(
      { ...state, stage: "taking-message", messageReason: "callback", failedTurns: 0 },
      {
        type: "listen",
        say: [
          `Of course, ${ctx.business.ownerName} will call you back${spokenCallback(state, ctx)}. What would you like me to tell ${ctx.business.ownerName}?`,
        ],
      },
      intent,
    );
  }

  const next = { ...state, draft: { ...state.draft } };
  switch (state.stage) {
    case "awaiting-request":
    case "anything-else":
      return handleRequest(next, speech, intent, ctx);
    case "collecting":
      return handleDetail(next, speech, intent, ctx);
    case "confirming-address":
      return handleAddressCheck(next, speech, intent, ctx);
    case "choosing-slot":
      return handleSlotChoice(next, speech, intent, ctx);
    case "confirming-booking":
      return handleBookingConfirmation(next, speech, intent, ctx);
    case "amending":
      return handleAmendment(next, speech, intent, ctx);
    case "change-verifying-name":
    case "change-verifying-postcode":
    case "change-picking":
    case "change-confirming-cancel":
    case "change-choosing-time":
    case "change-confirming-move":
    case "change-nothing-found":
      return fromChangeStep(
        continueChange(
          next,
          speech,
          intent,
          ctx,
          next.stage === "change-choosing-time" ? newTimeChoice(next, speech, intent, ctx) : {},
        ),
        speech,
        intent,
        ctx,
      );
    case "taking-message":
      return decision(
        { ...next, stage: "ended", failedTurns: 0 },
        {
          type: "leave-message",
          say: [
            `Thanks, I've passed that on to ${ctx.business.ownerName}, who will call you back${spokenCallback(next, ctx)}. Goodbye.`,
          ],
          message: speech,
          reason: next.messageReason ?? "misunderstood",
        },
        intent,
      );
    case "transferring":
    case "ended":
    case "safety-check":
      return decision(next, { type: "hang-up", say: ["Thanks for calling. Goodbye."] }, intent);
  }
}

/** The offers for the caller, or an honest message when the diary is full. */
export function presentOffers(
  state: DialogueState,
  found: readonly Slot[] | OfferChoice,
  ctx: TurnContext,
  preface: string[] = [],
): TurnDecision {
  const { slots, fit } = "fit" in found ? found : { slots: found, fit: "any" as const };
  if (slots.length === 0) {
    return decision(
      { ...state, stage: "taking-message", messageReason: "misunderstood", offers: [] },
      {
        type: "listen",
        say: [
          ...preface,
          `I'm sorry, I can't see a free time in the next ${ctx.business.booking.horizonDays} days.`,
          `I'll ask ${ctx.business.ownerName} to call you to arrange one. Is there anything you'd like me to tell ${ctx.business.ownerName} about the job?`,
        ],
      },
      null,
    );
  }
  const offers = slots.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() }));
  // Say back what the caller asked for, and whether these times fit it.
  const wish = state.preference && fit !== "any" ? describePreference(state.preference) : "";
  const fitting = !wish
    ? []
    : fit === "preferred"
      ? [`Here's what I have ${wish}.`]
      : [`I'm sorry, I've nothing free ${wish}, so here are the nearest times.`];
  return decision(
    { ...state, stage: "choosing-slot", offers, chosen: undefined },
    { type: "listen", say: [...preface, ...fitting, offersSentence(offers, ctx)] },
    null,
  );
}

export function bookingConfirmed(
  state: DialogueState,
  appointmentId: string,
  ctx: TurnContext,
): TurnDecision {
  const when = state.chosen
    ? describeSlot(new Date(state.chosen.start), ctx.now, ctx.business.timeZone)
    : "";
  const texting = state.draft.callbackNumber
    ? ` I'll text a confirmation to the number ending ${lastDigits(state.draft.callbackNumber)}.`
    : "";
  // The caller's details carry over to another job on the same call; this job's do not.
  const { name, address, callbackNumber, problem } = state.draft;
  const service = serviceFor(state, ctx).name;
  const booked: DoneAction = {
    action: "booked",
    appointmentId,
    job: problem ? `${service}: ${problem}` : service,
  };
  return decision(
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
    {
      type: "listen",
      say: [`You're booked in for ${when}.${texting}`, "Is there anything else I can help with?"],
    },
    null,
  );
}

/** Someone else claimed the time between our offer and the caller's yes. */
export function slotLost(state: DialogueState): TurnDecision {
  // Not declined: the caller wanted that half-day, so nearby times are still offered.
  const lost = state.chosen ? [...(state.lostStarts ?? []), state.chosen.start] : state.lostStarts;
  return decision(
    { ...state, chosen: undefined, lostStarts: lost },
    { type: "find-slots", say: ["I'm sorry, that time has just been taken."] },
    null,
  );
}

/** Nobody accepted a transfer the caller asked for: take a message instead. */
export function ownerUnavailable(state: DialogueState, ctx: TurnContext): TurnDecision {
  return decision(
    { ...state, stage: "taking-message", messageReason: "owner-unavailable", failedTurns: 0 },
    {
      type: "listen",
      say: [
        `${ctx.business.ownerName} can't come to the phone right now.`,
        "Please tell me your message, and I'll pass it straight on.",
      ],
    },
    null,
  );
}

/** Nobody on the escalation ladder accepted an emergency. */
export function emergencyUnanswered(state: DialogueState, ctx: TurnContext): TurnDecision {
  const { ownerName, emergency } = ctx.business;
  return decision(
    { ...state, stage: "ended" },
    {
      type: "hang-up",
      say: [
        `I couldn't reach ${ownerName} just now, but ${ownerName} has your number and what you told me, and will call you back ${emergency.callbackPromise}.`,
        "If anyone is in danger, or it gets worse, call 999. Goodbye.",
      ],
    },
    null,
  );
}

/** At most once per kind a call, never once an emergency is under way or the call is ending. */
function mayAsk(state: DialogueState, check: SafetyCheck): boolean {
  if (state.emergency) return false;
  if (state.stage === "transferring" || state.stage === "ended") return false;
  return !(state.safetyAsked ?? []).includes(check.kind);
}

function askSafetyQuestion(
  state: DialogueState,
  check: SafetyCheck,
  speech: string,
  ctx: TurnContext,
): TurnDecision {
  const { intent } = classifyUtterance(speech, {
    extraEmergencyPhrases: ctx.business.emergency.extraPhrases,
    ownerName: ctx.business.ownerName,
  });
  const pending: PendingSafetyCheck = {
    kind: check.kind,
    question: check.question,
    words: speech,
    resumeStage: state.stage,
    unclearAnswers: 0,
  };
  return decision(
    {
      ...state,
      stage: "safety-check",
      safetyCheck: pending,
      safetyAsked: [...(state.safetyAsked ?? []), check.kind],
    },
    { type: "listen", say: [check.question] },
    intent,
  );
}

/** Small amounts or a denial in an answer that has no plain yes or no in it. */
const SAFE_ANSWER =
  /\b(?:not|isn't|it's not|nothing|only|just a|small|slow|slowly|a bit|little|tiny|drips?|dripping|stopped|under control|turned it off|it's off|fine|ok|okay)\b/i;
/** Answers we cannot read this many times are taken as a yes: in doubt, we escalate. */
export const MAX_UNCLEAR_SAFETY_ANSWERS = 2;

function answerSafetyCheck(
  state: DialogueState,
  pending: PendingSafetyCheck,
  input: TurnInput,
  speech: string,
  ctx: TurnContext,
): TurnDecision {
  const { intent } = speech
    ? classifyUtterance(speech, {
        extraEmergencyPhrases: ctx.business.emergency.extraPhrases,
        ownerName: ctx.business.ownerName,
      })
    : { intent: null };
  const answer = speech ? parseYesNo(speech) : null;
  const confirm = (): TurnDecision => {
    const emergency = confirmedEmergency(pending.kind, pending.words);
    const words = speech ? `${pending.words} / ${speech}` : pending.words;
    return escalateEmergency(leaveSafetyCheck(state), emergency, words, ctx);
  };
  if (answer === "yes") return confirm();
  if (answer === "no" || (speech && SAFE_ANSWER.test(speech))) {
    const resumed: DialogueState = { ...leaveSafetyCheck(state), failedTurns: 0 };
    const carried = routeTurn(resumed, pending.words, ctx);
    const thanks = "Thanks, that's good to know.";
    const outcome =
      "say" in carried.outcome
        ? { ...carried.outcome, say: [thanks, ...carried.outcome.say] }
        : carried.outcome;
    return { ...carried, outcome } as TurnDecision;
  }
  if (intent === "repeat") {
    return decision(state, { type: "listen", say: [pending.question] }, intent);
  }
  const unclearAnswers = pending.unclearAnswers + 1;
  if (unclearAnswers >= MAX_UNCLEAR_SAFETY_ANSWERS) return confirm();
  const lead = input.speech === null || speech === "" ? "Sorry, I didn't hear you." : "Sorry,";
  return decision(
    { ...state, safetyCheck: { ...pending, unclearAnswers } },
    { type: "listen", say: [`${lead} ${pending.question} Please say yes or no.`] },
    intent,
  );
}

/** Back to where the call was before the safety question, with the question settled. */
function leaveSafetyCheck(state: DialogueState): DialogueState {
  if (!state.safetyCheck) return state;
  const { safetyCheck, ...rest } = state;
  return { ...rest, stage: safetyCheck.resumeStage };
}

function escalateEmergency(
  state: DialogueState,
  emergency: EmergencyDetection,
  words: string,
  ctx: TurnContext,
): TurnDecision {
  const say = [
    `That sounds like an emergency: ${emergency.label.toLowerCase()}.`,
    emergency.safetyAdvice,
  ];
  const notes = ctx.customer?.propertyNotes;
  if (notes && !isGasKind(emergency.kind)) say.push(`From our records of your property: ${notes}`);
  say.push(
    `I'm alerting ${ctx.business.ownerName} right now and putting you through. Please stay on the line.`,
  );
  return {
    state: {
      ...state,
      stage: "transferring",
      emergency: { kind: emergency.kind, label: emergency.label, words },
    },
    outcome: { type: "escalate-emergency", say, emergency },
    intent: "emergency",
    emergency,
  };
}

function isGasKind(kind: string): boolean {
  return kind === "gas-smell" || kind === "carbon-monoxide";
}

function handleRequest(
  state: DialogueState,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): TurnDecision {
  if (
    state.stage === "anything-else" &&
    (parseYesNo(speech) === "no" ||
      /\b(that's all|that is all|nothing else|no thanks)\b/i.test(speech))
  ) {
    return decision(
      { ...state, stage: "ended" },
      { type: "hang-up", say: [`Thanks for calling ${ctx.business.name}. Goodbye.`] },
      intent,
    );
  }
  if (intent === "greeting" || GREETING_ONLY.test(speech.trim())) {
    return decision(
      state,
      {
        type: "listen",
        say: ["Hello! How can I help? You can tell me what's wrong, or ask to book a visit."],
      },
      intent,
    );
  }
  const slots = extractSlots(speech, ctx.business.services);
  switch (intent) {
    case "book":
      return startBooking(state, speech, ctx, intent);
    case "reschedule":
    case "cancel":
      return fromChangeStep(startChange(state, speech, intent, ctx), speech, intent, ctx);
    case "question":
      return answerQuestion(state, speech, ctx);
    case "unknown":
    case "emergency":
    case "human":
    case "callback":
    case "repeat":
      if (slots.serviceId || slots.problem) return startBooking(state, speech, ctx, intent);
      if (state.stage === "anything-else" && parseYesNo(speech) === "yes") {
        return decision(
          { ...state, stage: "awaiting-request", failedTurns: 0 },
          { type: "listen", say: ["Of course. What else can I help with?"] },
          intent,
        );
      }
      return notUnderstood(state, ctx, "Sorry, I didn't follow that.", intent);
  }
}

/** "Hello?" is not a failed turn: callers often greet back before saying why they rang. */
const GREETING_ONLY =
  /^(?:(?:yes|yeah|oh|um|er)[,.]? )?(?:hi|hello|hiya|hey|hello there|hi there|good (?:morning|afternoon|evening))[\s,.!?]*$/i;

function answerQuestion(state: DialogueState, speech: string, ctx: TurnContext): TurnDecision {
  const follow = "Is there anything else? I can book a visit for you too.";
  const next = { ...state, stage: "anything-else" as const, failedTurns: 0 };
  // Fees, prices, areas, payment, accreditations: from the business's profile, as stored.
  const fromProfile = answerFromProfile(speech, ctx.business);
  if (fromProfile?.say) {
    return decision(
      withDone(next, { action: "answered", job: fromProfile.topic }),
      { type: "listen", say: [fromProfile.say, follow] },
      "question",
    );
  }
  if (!fromProfile && /\b(open|opening|hours|close|shut|times?)\b/i.test(speech)) {
    return decision(
      withDone(next, { action: "answered", job: "opening hours" }),
      { type: "listen", say: [describeOpeningHours(ctx.business), follow] },
      "question",
    );
  }
  if (/\b(what (jobs|work|services)|what do you do|services)\b/i.test(speech)) {
    const names = ctx.business.services.map((s) => s.name.toLowerCase());
    return decision(
      withDone(next, { action: "answered", job: "what we do" }),
      {
        type: "listen",
        say: [`We can book ${joinWithAnd(names)}, and we handle emergencies.`, follow],
      },
      "question",
    );
  }
  return decision(
    next,
    {
      type: "leave-message",
      say: [
        `That's one for ${ctx.business.ownerName}, so I've passed your question on, and you'll get a call back${spokenCallback(state, ctx)}.`,
        follow,
      ],
      message: speech,
      reason: "question",
    },
    "question",
  );
}

function startBooking(
  state: DialogueState,
  speech: string,
  ctx: TurnContext,
  intent: Intent,
): TurnDecision {
  mergeDetails(state, speech, ctx);
  return continueCollecting({ ...state, failedTurns: 0 }, ctx, intent);
}

/** Takes every detail the caller gave, so nothing is asked twice. */
function mergeDetails(state: DialogueState, speech: string, ctx: TurnContext): void {
  const slots = extractSlots(speech, ctx.business.services);
  const draft = state.draft;
  if (slots.serviceId) draft.serviceId = slots.serviceId;
  if (slots.problem && !draft.problem) draft.problem = slots.problem;
  if (slots.name) draft.name = slots.name;
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
}

function continueCollecting(
  state: DialogueState,
  ctx: TurnContext,
  intent: Intent | null,
): TurnDecision {
  const draft = state.draft;
  draft.callbackNumber ??= ctx.callerPhone ?? undefined;
  const ask = (asking: DialogueState["asking"], question: string): TurnDecision =>
    decision(
      { ...state, stage: "collecting", asking },
      { type: "listen", say: [question] },
      intent,
    );

  if (!draft.problem && !draft.serviceId) {
    return ask("problem", "Of course. What's the problem you need help with?");
  }
  if (ctx.customer && draft.address && !state.addressConfirmed) {
    return decision(
      { ...state, stage: "confirming-address", asking: undefined },
      {
        type: "listen",
        say: [`Is the visit at ${draft.address}, and shall I put it under ${draft.name}?`],
      },
      intent,
    );
  }
  if (!draft.name) return ask("name", "Can I take your name, please?");
  if (!draft.address)
    return ask("address", "And what's the address for the visit, with the postcode?");
  if (!draft.callbackNumber)
    return ask("callback", "What's the best phone number to reach you on?");
  if (state.chosen) {
    // A corrected name or address: the time the caller chose still stands.
    return decision(
      { ...state, stage: "confirming-booking", asking: undefined },
      { type: "listen", say: ["Thanks, I've changed that.", readBack(state, ctx)] },
      intent,
    );
  }
  return decision(
    { ...state, stage: "choosing-slot", asking: undefined },
    { type: "find-slots", say: [] },
    intent,
  );
}

function handleDetail(
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
        if (/\d/.test(speech) || speech.split(/\s+/).length >= 3) {
          draft.address = speech;
          state.addressConfirmed = true;
        }
        break;
      case "callback":
        break;
    }
  }
  if (JSON.stringify(draft) === before) {
    return notUnderstood(state, ctx, "Sorry, I didn't get that.", intent);
  }
  return continueCollecting({ ...state, failedTurns: 0 }, ctx, intent);
}

/** The words before the first comma or digit, when they read as a name. */
function nameBeforeDetails(speech: string): string | null {
  const lead = speech
    .split(/[,\d]/)[0]
    .replace(/^(it's|it is|this is|i'm|i am|name's|my name's|my name is)\s+/i, "")
    .trim();
  return lead && lead !== speech.trim() && looksLikeName(lead) ? lead : null;
}

function handleAddressCheck(
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
    if (slots.name) draft.name = slots.name;
    return continueCollecting(
      { ...state, draft, addressConfirmed: Boolean(slots.address), failedTurns: 0 },
      ctx,
      intent,
    );
  }
  return notUnderstood(state, ctx, "Sorry, was that a yes or a no?", intent);
}

function handleSlotChoice(
  state: DialogueState,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): TurnDecision {
  const zone = ctx.business.timeZone;
  const preference = parseTimePreference(speech, ctx.now, zone);
  // "Anything on Thursday morning instead?" asks for new times, even when an offer fits.
  if (preference && asksForOtherTimes(speech) && !samePreference(preference, state.preference)) {
    return decision(
      {
        ...state,
        preference,
        declinedStarts: [...state.declinedStarts, ...state.offers.map((o) => o.start)],
        failedTurns: 0,
      },
      { type: "find-slots", say: ["Let me have a look."] },
      intent,
    );
  }
  // Only a time we offered can be chosen; anything else is a wish to look again.
  const index = chooseOffer(speech, state.offers, {
    now: ctx.now,
    timeZone: ctx.business.timeZone,
  });
  if (index !== null) {
    const chosen = state.offers[index];
    return decision(
      { ...state, chosen, stage: "confirming-booking", failedTurns: 0 },
      { type: "listen", say: [readBack({ ...state, chosen }, ctx)] },
      intent,
    );
  }
  // "Thursday afternoon?" A wish that two offers fit is an unclear choice.
  const offersFitting = preference
    ? state.offers.filter((o) => fitsPreference(new Date(o.start), preference, zone)).length
    : 0;
  if (preference && offersFitting === 0 && !samePreference(preference, state.preference)) {
    const declined = wantsOtherTimes(speech) ? state.offers.map((o) => o.start) : [];
    return decision(
      {
        ...state,
        preference,
        declinedStarts: [...state.declinedStarts, ...declined],
        failedTurns: 0,
      },
      { type: "find-slots", say: ["Let me have a look."] },
      intent,
    );
  }
  if (wantsOtherTimes(speech)) {
    return decision(
      {
        ...state,
        declinedStarts: [...state.declinedStarts, ...state.offers.map((o) => o.start)],
        failedTurns: 0,
      },
      { type: "find-slots", say: ["No problem, let me look further ahead."] },
      intent,
    );
  }
  return notUnderstood(state, ctx, "Sorry, which time would suit you?", intent);
}

function handleBookingConfirmation(
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
    return decision(
      { ...state, chosen: other, failedTurns: 0 },
      { type: "listen", say: [readBack({ ...state, chosen: other }, ctx)] },
      intent,
    );
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
      { type: "find-slots", say: ["Let me have a look."] },
      intent,
    );
  }
  if (answer === "yes" && state.chosen) {
    return decision(state, { type: "book", slot: state.chosen }, intent);
  }
  if (answer === "no") {
    return decision(
      { ...state, stage: "amending", failedTurns: 0 },
      {
        type: "listen",
        say: ["No problem. What would you like to change: the time, the name, or the address?"],
      },
      intent,
    );
  }
  return notUnderstood(state, ctx, "Sorry, shall I go ahead and book it? Yes or no?", intent);
}

function handleAmendment(
  state: DialogueState,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): TurnDecision {
  const preference = parseTimePreference(speech, ctx.now, ctx.business.timeZone);
  if (
    preference ||
    /\b(time|day|date|earlier|later|another|different|morning|afternoon|week)\b/i.test(speech)
  ) {
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
      { type: "find-slots", say: ["Of course."] },
      intent,
    );
  }
  const before = JSON.stringify(state.draft);
  mergeDetails(state, speech, ctx);
  if (JSON.stringify(state.draft) !== before) {
    return decision(
      { ...state, stage: "confirming-booking", failedTurns: 0 },
      { type: "listen", say: ["Thanks, I've changed that.", readBack(state, ctx)] },
      intent,
    );
  }
  if (/\bname\b/i.test(speech)) {
    return decision(
      { ...state, stage: "collecting", asking: "name", draft: { ...state.draft, name: undefined } },
      { type: "listen", say: ["What name should I put it under?"] },
      intent,
    );
  }
  if (/\baddress\b/i.test(speech)) {
    return decision(
      {
        ...state,
        stage: "collecting",
        asking: "address",
        draft: { ...state.draft, address: undefined },
      },
      { type: "listen", say: ["What's the right address, with the postcode?"] },
      intent,
    );
  }
  return notUnderstood(state, ctx, "Sorry, I didn't catch what to change.", intent);
}

/** Choosing a new time for a booking being moved works like choosing a time for a new one. */
function newTimeChoice(
  state: DialogueState,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): NewTimeChoice {
  const d = handleSlotChoice({ ...state, stage: "choosing-slot" }, speech, intent, ctx);
  if (d.state.stage === "confirming-booking" && d.state.chosen) return { chosen: d.state.chosen };
  if (d.outcome.type === "find-slots") return { lookAgain: { state: d.state, say: d.outcome.say } };
  return {};
}

/** Turns a step of the change-booking sub-dialogue into a decision of this one. */
function fromChangeStep(
  step: ChangeStep,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): TurnDecision {
  if ("retry" in step) return notUnderstood(step.state, ctx, step.retry, intent);
  if ("reroute" in step) return handleRequest(step.state, speech, intent, ctx);
  return { ...step, intent };
}

function transferToOwner(ctx: TurnContext): TurnOutcome {
  return {
    type: "transfer-to-owner",
    say: [`Of course. I'll try ${ctx.business.ownerName} for you now. Please hold.`],
  };
}

/**
 * A turn we could not use. The caller hears what we still need; after
 * MAX_FAILED_TURNS in a row they are put through to a person instead of
 * being asked again.
 */
function notUnderstood(
  state: DialogueState,
  ctx: TurnContext,
  apology: string,
  intent: Intent | null,
): TurnDecision {
  const failedTurns = state.failedTurns + 1;
  if (failedTurns >= MAX_FAILED_TURNS && state.stage === "taking-message") {
    // The owner has been tried already: pass the call on rather than ring them again.
    return decision(
      { ...state, failedTurns, stage: "ended" },
      {
        type: "leave-message",
        say: [
          `I'll ask ${ctx.business.ownerName} to call you back${spokenCallback(state, ctx)}. Goodbye.`,
        ],
        message: "(no message left)",
        reason: state.messageReason ?? "misunderstood",
      },
      intent,
    );
  }
  if (failedTurns >= MAX_FAILED_TURNS) {
    return decision(
      { ...state, failedTurns, stage: "transferring", messageReason: "misunderstood" },
      {
        type: "transfer-to-owner",
        say: [
          `I'm sorry, I'm not getting this right. Let me try ${ctx.business.ownerName} for you.`,
        ],
      },
      intent,
    );
  }
  return decision(
    { ...state, failedTurns },
    { type: "listen", say: [apology, repeatPrompt(state, ctx)] },
    intent,
  );
}

function repeatPrompt(state: DialogueState, ctx: TurnContext): string {
  switch (state.stage) {
    case "collecting":
      return {
        problem: "What's the problem you need help with?",
        name: "Can I take your name, please?",
        address: "What's the address for the visit, with the postcode?",
        callback: "What's the best phone number to reach you on?",
      }[state.asking ?? "problem"];
    case "confirming-address":
      return `Is the visit at ${state.draft.address}?`;
    case "choosing-slot":
      return offersSentence(state.offers, ctx);
    case "confirming-booking":
      return readBack(state, ctx);
    case "amending":
      return "What would you like to change: the time, the name, or the address?";
    case "taking-message":
      return "What message would you like me to pass on?";
    case "anything-else":
      return "Is there anything else I can help with?";
    case "safety-check":
      return state.safetyCheck?.question ?? "How can I help?";
    case "change-choosing-time":
      return offersSentence(state.offers, ctx);
    default:
      return (
        changePrompt(state, ctx) ??
        "You can tell me what's wrong, ask to book a visit, or ask for a person."
      );
  }
}

function offersSentence(offers: readonly OfferedSlot[], ctx: TurnContext): string {
  const spoken = offers.map((o) => describeSlot(new Date(o.start), ctx.now, ctx.business.timeZone));
  if (spoken.length === 1) return `The next free time is ${spoken[0]}. Would that suit you?`;
  return `I can offer ${offersWithOr(spoken)}. Which would suit you best? Or I can look for other times.`;
}

function readBack(state: DialogueState, ctx: TurnContext): string {
  const { draft, chosen } = state;
  const service = serviceFor(state, ctx);
  const when = chosen ? describeSlot(new Date(chosen.start), ctx.now, ctx.business.timeZone) : "";
  const phone = draft.callbackNumber
    ? `, and we'll text the number ending ${lastDigits(draft.callbackNumber)}`
    : "";
  return `So that's ${withArticle(service.name.toLowerCase())}, ${when}, at ${draft.address}, for ${draft.name}${phone}. Shall I book it?`;
}

export function serviceFor(state: DialogueState, ctx: TurnContext) {
  return (
    (state.draft.serviceId && serviceById(ctx.business, state.draft.serviceId)) ||
    defaultService(ctx.business)
  );
}

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

function lastDigits(phone: string): string {
  return phone.replace(/\D/g, "").slice(-4).split("").join(" ");
}

function spokenCallback(state: DialogueState, ctx: TurnContext): string {
  const number = state.draft.callbackNumber ?? ctx.callerPhone;
  return number ? ` on the number ending ${lastDigits(number)}` : "";
}

/** Offers are long phrases with commas of their own: "today at 1 pm; or tomorrow at 8 am". */
function offersWithOr(items: readonly string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join("; ")}; or ${items[items.length - 1]}`;
}

function decision(state: DialogueState, outcome: TurnOutcome, intent: Intent | null): TurnDecision {
  const recorded =
    outcome.type === "leave-message"
      ? withDone(state, { action: "message", reason: outcome.reason })
      : state;
  return { state: recorded, outcome, intent, emergency: null };
}

function withDone(state: DialogueState, done: DoneAction): DialogueState {
  return { ...state, done: [...(state.done ?? []), done] };
}
