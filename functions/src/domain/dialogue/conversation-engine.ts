import type { EmergencyDetection } from "../emergency/emergency.classifier";
import {
  assessEmergency,
  confirmedEmergency,
  SafetyCheck,
} from "../emergency/emergency.classifier";
import { classifyUtterance, Intent } from "../nlu/intent.classifier";
import type { RulesReading } from "../nlu/model-reading";
import {
  asksForAnotherBooking,
  asksOpeningHours,
  asksWhatWeDo,
  isGreetingOnly,
  mentionsExistingBooking,
  saysInstead,
  saysThatsAll,
  soundsSafe,
} from "../nlu/answer-recogniser";
import { extractSlots, parseYesNo } from "../nlu/slot-extractor";
import { parseTimePreference } from "../scheduling/time-preference";
import type { Appointment } from "../scheduling/appointment";
import { parseReply } from "../sms/reply-parser";
import {
  bookingConfirmed,
  continueCollecting,
  handleAddressCheck,
  handleAmendment,
  handleBookingConfirmation,
  handleDetail,
  handleSlotChoice,
  presentOffers,
  slotLost,
  startBooking,
} from "./booking.flow";
import {
  answerReminder,
  bookingCancelled,
  bookingConfirmedByReply,
  bookingGone,
  bookingMoved,
  continueChange,
  leaveChange,
  leavesChange,
  moveSlotLost,
  startChange,
  toVisit,
  upcomingFound,
} from "./change.flow";
import type { DialogueState, PendingSafetyCheck, Stage } from "./dialogue-state";
import { initialDialogueState } from "./dialogue-state";
import {
  callbackNumber,
  ConversationEvent,
  decision,
  listen,
  notUnderstood,
  offeredSlotId,
  readingOf,
  repeatPrompt,
  staleOffers,
  transferToOwner,
  TurnContext,
  TurnDecision,
  withDone,
  wording,
} from "./engine-core";
import { describeOpeningHours } from "./opening-hours";
import { answerFromProfile } from "./profile-answers";
import { joinWithAnd } from "./spoken-words";
import { spoken } from "./wording";

export type {
  Channel,
  ConversationEvent,
  Moment,
  TurnContext,
  TurnDecision,
  TurnOutcome,
  TurnReading,
  VisitLookup,
} from "./engine-core";
export { MAX_FAILED_TURNS, serviceFor } from "./engine-core";

/**
 * The conversation engine: one pure step from the conversation's state and
 * an event (the caller's words, or what came of a decision carried out) to
 * the new state and the next decision, for calls, texts and web chat alike.
 * Booking (booking.flow.ts), moving or cancelling (change.flow.ts),
 * questions and emergencies are its flows; the interpreter in
 * app/converse.ts carries its decisions out through the ports, and each
 * channel renders its words (wording.ts).
 */

/** Twilio's speech confidence below which we ask again rather than guess. */
export const MIN_SPEECH_CONFIDENCE = 0.3;
/** Answers we cannot read this many times are taken as a yes: in doubt, we escalate. */
export const MAX_UNCLEAR_SAFETY_ANSWERS = 2;

/** Stages in the middle of something the caller's next words carry on. */
export const MID_CONVERSATION_STAGES: readonly Stage[] = [
  "collecting",
  "confirming-address",
  "choosing-slot",
  "confirming-booking",
  "amending",
  "taking-message",
  "safety-check",
  "change-verifying-name",
  "change-verifying-postcode",
  "change-picking",
  "change-confirming-cancel",
  "change-choosing-time",
  "change-confirming-move",
  "change-nothing-found",
];

/** Stages of a booking started and not finished. */
export const MID_BOOKING_STAGES: readonly Stage[] = [
  "collecting",
  "confirming-address",
  "choosing-slot",
  "confirming-booking",
  "amending",
];

/** The opening of a conversation, recognising a known caller. */
export function greet(
  ctx: TurnContext,
  stage: Stage = "awaiting-request",
): { state: DialogueState; say: string[] } {
  const state = initialDialogueState(stage);
  const opening = spoken.greeting(wording(ctx));
  if (ctx.customer) {
    state.draft = {
      name: ctx.customer.name,
      address: ctx.customer.address,
      callbackNumber: ctx.customer.phone,
    };
    return { state, say: [opening, spoken.welcomeBack(ctx.customer.name)] };
  }
  return { state, say: [opening, spoken.howCanIHelp()] };
}

/** The engine's one entry point. */
export function step(
  state: DialogueState,
  event: ConversationEvent,
  ctx: TurnContext,
): TurnDecision {
  switch (event.type) {
    case "words": {
      const { text, confidence, reading } = event;
      // A second reading computed before the step is data for these words only.
      const withReading =
        reading && text ? { ...ctx, reading: { ...reading, utterance: text } } : ctx;
      return decideTurn(state, { speech: text, confidence }, withReading);
    }
    case "offers-found":
      return presentOffers(state, event.found, ctx, event.preface);
    case "booked":
      return bookingConfirmed(state, event.appointmentId, ctx);
    case "slot-taken":
      return slotLost(state);
    case "visits-found":
      return state.reply
        ? reminderVisitFound(state, event.appointments, ctx)
        : upcomingFound(state, event.appointments, ctx);
    case "cancelled":
      return bookingCancelled(state, event.appointment, ctx);
    case "moved":
      return bookingMoved(state, event.appointment, ctx);
    case "move-slot-taken":
      return moveSlotLost(state);
    case "appointment-gone":
      return bookingGone(state, ctx);
    case "confirmed":
      return bookingConfirmedByReply(state, event.appointment, ctx);
    case "message-recorded":
      return messageRecorded(state, event.seconds, ctx);
    case "owner-unavailable":
      return ownerUnavailable(state, ctx);
    case "emergency-unanswered":
      return emergencyUnanswered(state, ctx);
  }
}

/**
 * What the rules make of a caller's words at this point of the conversation,
 * in the shape a second reading is merged with (model-reading.ts): the
 * intent, an emergency found, the details already known or said, and the
 * ids of the times on offer. Null when the turn is unusable (silence, or
 * speech the recogniser was unsure of): nothing to read a second time.
 * The same classifiers the step uses, so the two never disagree.
 */
export function readByRules(
  state: DialogueState,
  input: { text: string | null; confidence: number | null },
  ctx: TurnContext,
): RulesReading | null {
  const speech = (input.text ?? "").trim();
  if (speech === "" || (input.confidence !== null && input.confidence < MIN_SPEECH_CONFIDENCE)) {
    return null;
  }
  const { detection } = assessEmergency(speech, ctx.business.emergency.extraPhrases);
  const said = extractSlots(speech, ctx.business.services);
  const draft = state.draft;
  const slots: RulesReading["slots"] = {};
  const name = draft.name ?? said.name;
  const address = draft.address ?? said.address;
  const serviceId = draft.serviceId ?? said.serviceId;
  if (name) slots.name = name;
  if (address) slots.address = address;
  if (said.postcode) slots.postcode = said.postcode;
  if (serviceId) slots.serviceId = serviceId;
  if (parseTimePreference(speech, ctx.now, ctx.business.timeZone)) slots.timeWish = speech;
  return {
    intent: classify(speech, ctx),
    emergencyKind: state.emergency?.kind ?? detection?.kind ?? null,
    slots,
    offeredSlotIds: state.offers.map(offeredSlotId),
  };
}

interface TurnInput {
  speech: string | null;
  confidence: number | null;
}

/**
 * One caller turn. The emergency check comes first, on every turn and at
 * any confidence, before anything else the caller is in the middle of. When
 * the signals are only partial, the safety question comes next.
 */
function decideTurn(state: DialogueState, input: TurnInput, ctx: TurnContext): TurnDecision {
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
  // An emergency the rules missed and a second reading found: escalated the same way.
  const modelKind = speech ? readingOf(ctx, speech)?.emergencyKind : null;
  if (modelKind && !state.emergency) {
    const words = state.safetyCheck ? `${state.safetyCheck.words} / ${speech}` : speech;
    return escalateEmergency(
      leaveSafetyCheck(state),
      confirmedEmergency(modelKind, speech),
      words,
      ctx,
    );
  }
  if (state.stage === "safety-check" && state.safetyCheck) {
    return answerSafetyCheck(state, state.safetyCheck, input, speech, ctx);
  }
  // Asked whatever the recogniser's confidence: a question costs a few seconds, a miss a ceiling.
  if (safetyCheck && mayAsk(state, safetyCheck)) {
    return askSafetyQuestion(state, safetyCheck, speech, ctx);
  }
  if (state.stage === "texting") return answerText(state, speech, ctx);

  const unusable =
    speech === "" || (input.confidence !== null && input.confidence < MIN_SPEECH_CONFIDENCE);
  if (unusable) {
    const apology = speech === "" ? spoken.heardNothing() : spoken.notCaught();
    return notUnderstood(state, ctx, apology, null);
  }
  return routeTurn(state, speech, ctx);
}

function classify(speech: string, ctx: TurnContext): Intent {
  return classifyUtterance(speech, {
    extraEmergencyPhrases: ctx.business.emergency.extraPhrases,
    ownerName: ctx.business.ownerName,
  }).intent;
}

const BOOKING_STAGES: readonly Stage[] = [
  "collecting",
  "confirming-address",
  "choosing-slot",
  "confirming-booking",
  "amending",
];

/** "Actually, can I cancel my booking instead?": about a visit already booked, not this one. */
function changesMind(intent: Intent, speech: string): intent is "cancel" | "reschedule" {
  if (intent === "cancel") return saysInstead(speech) || mentionsExistingBooking(speech);
  return intent === "reschedule" && mentionsExistingBooking(speech);
}

/**
 * The rest of a turn, once no emergency or safety question stands in the
 * way. An answer is read against the whole conversation: a person asked
 * for, a change of mind, a question in the middle of a booking, times gone
 * stale, before the stage's own question.
 */
function routeTurn(state: DialogueState, speech: string, ctx: TurnContext): TurnDecision {
  // The second reading's intent is the rules' own unless they found none.
  const intent = readingOf(ctx, speech)?.intent ?? classify(speech, ctx);
  const w = wording(ctx);
  if (intent === "human" && state.stage !== "taking-message") {
    return decision({ ...state, stage: "transferring" }, transferToOwner(ctx), intent);
  }
  if (intent === "repeat") {
    // "What?" is not a failed turn: say the last question again.
    return listen(state, [repeatPrompt(state, ctx)], intent);
  }
  // Moving or cancelling has its own message step, which keeps the reason.
  if (
    intent === "callback" &&
    state.stage !== "taking-message" &&
    !state.stage.startsWith("change-")
  ) {
    return listen(
      { ...state, stage: "taking-message", messageReason: "callback", failedTurns: 0 },
      [spoken.callbackAsk(w, callbackNumber(state, ctx))],
      intent,
    );
  }
  const inBooking = BOOKING_STAGES.includes(state.stage);
  // A change of mind in the middle of a booking: "actually, can I cancel instead?"
  if (inBooking && changesMind(intent, speech)) {
    const { name, address, callbackNumber: phone } = state.draft;
    return startChange(
      { ...state, draft: { name, address, callbackNumber: phone }, preference: undefined },
      speech,
      intent,
      ctx,
    );
  }
  // A question in the middle of a booking is answered, and the booking goes on.
  if (inBooking && intent === "question") {
    const answer = answerFromProfile(speech, ctx.business);
    if (answer?.say) {
      return listen(
        withDone(state, { action: "answered", job: answer.topic }),
        [answer.say, repeatPrompt(state, ctx)],
        intent,
      );
    }
  }
  // Times offered a while ago (a text answered the next day) may have gone: look again.
  const choosing = [
    "choosing-slot",
    "confirming-booking",
    "change-choosing-time",
    "change-confirming-move",
  ];
  if (choosing.includes(state.stage) && staleOffers(state, ctx)) {
    return decision(
      {
        ...state,
        stage: state.change?.visitId ? "change-choosing-time" : "choosing-slot",
        offers: [],
        chosen: undefined,
      },
      { type: "find-slots", say: [spoken.timesGone()] },
      intent,
    );
  }

  const next = { ...state, draft: { ...state.draft } };
  switch (state.stage) {
    case "awaiting-request":
    case "anything-else":
    case "texting":
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
      if (leavesChange(next, speech)) {
        return handleRequest({ ...leaveChange(next), stage: "anything-else" }, speech, intent, ctx);
      }
      return continueChange(next, speech, intent, ctx);
    case "taking-message":
      return decision(
        { ...next, stage: "ended", failedTurns: 0 },
        {
          type: "leave-message",
          say: [spoken.messagePassedOn(w, callbackNumber(next, ctx))],
          message: speech,
          reason: next.messageReason ?? "misunderstood",
        },
        intent,
      );
    case "transferring":
    case "ended":
    case "safety-check":
      return decision(next, { type: "hang-up", say: [spoken.goodbyeShort()] }, intent);
  }
}

function handleRequest(
  state: DialogueState,
  speech: string,
  intent: Intent,
  ctx: TurnContext,
): TurnDecision {
  if (state.stage === "anything-else" && (parseYesNo(speech) === "no" || saysThatsAll(speech))) {
    return decision(
      { ...state, stage: "ended" },
      { type: "hang-up", say: [spoken.goodbye(wording(ctx))] },
      intent,
    );
  }
  if (intent === "greeting" || isGreetingOnly(speech)) {
    return listen(state, [spoken.helloBack()], intent);
  }
  const slots = extractSlots(speech, ctx.business.services);
  switch (intent) {
    case "book":
      return startBooking(state, speech, ctx, intent);
    case "reschedule":
    case "cancel":
      return startChange(state, speech, intent, ctx);
    case "question":
      return answerQuestion(state, speech, ctx);
    case "unknown":
    case "emergency":
    case "human":
    case "callback":
    case "repeat":
      if (slots.serviceId || slots.problem) return startBooking(state, speech, ctx, intent);
      if (state.stage === "anything-else" && parseYesNo(speech) === "yes") {
        return listen(
          { ...state, stage: "awaiting-request", failedTurns: 0 },
          [spoken.whatElse()],
          intent,
        );
      }
      return notUnderstood(state, ctx, spoken.didNotFollow(), intent);
  }
}

/**
 * A text with no conversation in progress. Thanks needs nothing; anything
 * else is read once the customer's upcoming visits are known (textRead),
 * since the same words mean one thing from a customer with a visit booked
 * ("YES", "can you bring a washer") and another from someone without one.
 */
function answerText(state: DialogueState, text: string, ctx: TurnContext): TurnDecision {
  if (parseReply(text, { optedOut: false, offerCount: 0 }).kind === "thanks") {
    return decision(
      { ...state, stage: "ended" },
      { type: "hang-up", say: [], moment: "thanks" },
      null,
    );
  }
  const phone = ctx.callerPhone;
  if (!phone) return textRead({ ...state, reply: undefined }, text, [], ctx);
  return decision(
    { ...state, reply: { kind: "text", words: text } },
    { type: "find-upcoming", lookup: { by: "caller-id", customerId: phone } },
    null,
  );
}

/** The visits a text with nothing in progress may be about were found. */
function reminderVisitFound(
  state: DialogueState,
  appointments: readonly Appointment[],
  ctx: TurnContext,
): TurnDecision {
  const reply = state.reply;
  const rest: DialogueState = { ...state, reply: undefined };
  const upcoming = appointments.filter(
    (a) => a.status === "booked" && a.start.getTime() >= ctx.now.getTime(),
  );
  if (!reply) return textRead(rest, "", upcoming, ctx);
  if (reply.kind !== "text") {
    // A reminder reply already read (a state from before texts were read here).
    const appointment = upcoming.find((a) => a.confirmation === "requested") ?? upcoming[0];
    if (!appointment) return noUpcomingVisit(rest);
    return answerReminder(rest, reply.kind, toVisit(appointment), reply.words, ctx);
  }
  return textRead(rest, reply.words, upcoming, ctx);
}

/**
 * A text opening a conversation, read with the customer's upcoming visits
 * in hand. With a visit booked, a reply to a reminder acts on it (the one
 * we asked them to confirm, else the next), a question the profile answers
 * is answered, and only a plainly new job starts a booking: anything else
 * ("can you bring a washer", "what time will you get here") is about the
 * visit, and goes to the owner. With none, the text is a request like a
 * caller's first words: a booking, a change (there is nothing to change),
 * a question, or a message for the owner.
 */
function textRead(
  state: DialogueState,
  text: string,
  upcoming: readonly Appointment[],
  ctx: TurnContext,
): TurnDecision {
  const reply = parseReply(text, { optedOut: false, offerCount: 0 });
  const intent = readingOf(ctx, text)?.intent ?? classify(text, ctx);
  const slots = extractSlots(text, ctx.business.services);
  const opening: DialogueState = { ...state, stage: "awaiting-request", failedTurns: 0 };
  const replyKind =
    reply.kind === "confirm" || reply.kind === "cancel" || reply.kind === "reschedule"
      ? reply.kind
      : null;
  const greetingOnly = intent === "greeting" || isGreetingOnly(text);
  if (upcoming.length > 0) {
    if (intent === "book" && asksForAnotherBooking(text)) {
      return startBooking(opening, text, ctx, intent);
    }
    if (replyKind && intent !== "book") {
      const appointment = upcoming.find((a) => a.confirmation === "requested") ?? upcoming[0];
      return answerReminder(state, replyKind, toVisit(appointment), text, ctx);
    }
    if (intent === "cancel" || intent === "reschedule") {
      // Worded unlike a reply to a reminder: which visit, read back before anything is changed.
      return upcomingFound({ ...opening, change: { action: intent, visits: [] } }, upcoming, ctx);
    }
    if (intent === "question") {
      const answer = answerFromProfile(text, ctx.business);
      if (answer?.say) return answered(opening, answer.say, answer.topic);
    }
    if (greetingOnly) return helloByText(state, intent);
    return passTextOn(state, text, intent, ctx);
  }
  const wantsVisit = intent === "book" || Boolean(slots.serviceId || slots.problem);
  if (wantsVisit && intent !== "question") return startBooking(opening, text, ctx, "book");
  if (replyKind && intent !== "question") return noUpcomingVisit(state);
  switch (intent) {
    case "question":
      return answerQuestion(opening, text, ctx);
    case "greeting":
      return helloByText(state, intent);
    default:
      if (greetingOnly) return helloByText(state, intent);
      // Words we cannot act on, a call back or a person asked for: the owner reads them.
      return passTextOn(state, text, intent, ctx);
  }
}

/** "Hi": nothing is opened yet, so their next text is read afresh, visits and all. */
function helloByText(state: DialogueState, intent: Intent | null): TurnDecision {
  return listen({ ...state, stage: "texting", failedTurns: 0 }, [spoken.helloBack()], intent);
}

/** The customer's words go to the owner, who gets back to them. */
function passTextOn(
  state: DialogueState,
  text: string,
  intent: Intent | null,
  ctx: TurnContext,
): TurnDecision {
  return decision(
    { ...state, stage: "ended" },
    {
      type: "leave-message",
      say: [spoken.passedOnByText(wording(ctx))],
      message: text,
      reason: "question",
    },
    intent,
  );
}

function noUpcomingVisit(state: DialogueState): TurnDecision {
  return decision(
    { ...state, stage: "ended" },
    { type: "hang-up", say: [spoken.noUpcomingVisit()], moment: "no-appointment" },
    null,
  );
}

function answered(state: DialogueState, answer: string, topic: string): TurnDecision {
  return listen(
    withDone({ ...state, stage: "anything-else" }, { action: "answered", job: topic }),
    [answer, spoken.questionFollowUp()],
    "question",
  );
}

function answerQuestion(state: DialogueState, speech: string, ctx: TurnContext): TurnDecision {
  const w = wording(ctx);
  const follow = spoken.questionFollowUp();
  const next = { ...state, stage: "anything-else" as const, failedTurns: 0 };
  // Fees, prices, areas, payment, accreditations: from the business's profile, as stored.
  const fromProfile = answerFromProfile(speech, ctx.business);
  if (fromProfile?.say) {
    return listen(
      withDone(next, { action: "answered", job: fromProfile.topic }),
      [fromProfile.say, follow],
      "question",
    );
  }
  if (!fromProfile && asksOpeningHours(speech)) {
    return listen(
      withDone(next, { action: "answered", job: "opening hours" }),
      [describeOpeningHours(ctx.business), follow],
      "question",
    );
  }
  if (asksWhatWeDo(speech)) {
    const names = ctx.business.services.map((s) => s.name.toLowerCase());
    return listen(
      withDone(next, { action: "answered", job: "what we do" }),
      [spoken.whatWeDo(names, joinWithAnd(names)), follow],
      "question",
    );
  }
  return decision(
    next,
    {
      type: "leave-message",
      say: [spoken.questionPassedOn(w, callbackNumber(state, ctx)), follow],
      message: speech,
      reason: "question",
    },
    "question",
  );
}

/**
 * The message a caller recorded on a call: thanked and goodbye. Nothing
 * recorded (silence) is an unusable turn like any other: asked again, and
 * after MAX_FAILED_TURNS the owner is asked to call back without a message.
 */
function messageRecorded(state: DialogueState, seconds: number, ctx: TurnContext): TurnDecision {
  if (seconds <= 0) return notUnderstood(state, ctx, spoken.heardNoMessage(), null);
  return decision(
    { ...state, stage: "ended", failedTurns: 0 },
    {
      type: "message-recorded",
      say: [spoken.messagePassedOn(wording(ctx), callbackNumber(state, ctx))],
      reason: state.messageReason ?? "callback",
      seconds,
    },
    null,
  );
}

/** Nobody accepted a transfer the caller asked for: take a message instead. */
export function ownerUnavailable(state: DialogueState, ctx: TurnContext): TurnDecision {
  return listen(
    { ...state, stage: "taking-message", messageReason: "owner-unavailable", failedTurns: 0 },
    [spoken.ownerUnavailable(wording(ctx)), spoken.tellMeYourMessage()],
    null,
  );
}

/** Nobody on the escalation ladder accepted an emergency. */
export function emergencyUnanswered(state: DialogueState, ctx: TurnContext): TurnDecision {
  return decision(
    { ...state, stage: "ended" },
    {
      type: "hang-up",
      say: [spoken.emergencyUnanswered(wording(ctx)), spoken.dangerCall999()],
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
  const pending: PendingSafetyCheck = {
    kind: check.kind,
    question: check.question,
    words: speech,
    resumeStage: state.stage,
    unclearAnswers: 0,
  };
  return listen(
    {
      ...state,
      stage: "safety-check",
      safetyCheck: pending,
      safetyAsked: [...(state.safetyAsked ?? []), check.kind],
    },
    [check.question],
    classify(speech, ctx),
  );
}

function answerSafetyCheck(
  state: DialogueState,
  pending: PendingSafetyCheck,
  input: TurnInput,
  speech: string,
  ctx: TurnContext,
): TurnDecision {
  const intent = speech ? classify(speech, ctx) : null;
  const answer = speech ? parseYesNo(speech) : null;
  const confirm = (): TurnDecision => {
    const emergency = confirmedEmergency(pending.kind, pending.words);
    const words = speech ? `${pending.words} / ${speech}` : pending.words;
    return escalateEmergency(leaveSafetyCheck(state), emergency, words, ctx);
  };
  if (answer === "yes") return confirm();
  if (answer === "no" || (speech && soundsSafe(speech))) {
    const resumed: DialogueState = { ...leaveSafetyCheck(state), failedTurns: 0 };
    // Back where the call was, carrying on with what the caller first said.
    const carried =
      resumed.stage === "texting"
        ? answerText(resumed, pending.words, ctx)
        : routeTurn(resumed, pending.words, ctx);
    const thanks = spoken.safetyThanks();
    const outcome =
      "say" in carried.outcome
        ? { ...carried.outcome, say: [thanks, ...carried.outcome.say] }
        : carried.outcome;
    return { ...carried, outcome } as TurnDecision;
  }
  if (intent === "repeat") return listen(state, [pending.question], intent);
  const unclearAnswers = pending.unclearAnswers + 1;
  if (unclearAnswers >= MAX_UNCLEAR_SAFETY_ANSWERS) return confirm();
  return listen(
    { ...state, safetyCheck: { ...pending, unclearAnswers } },
    [spoken.safetyAgain(pending.question, input.speech === null || speech === "")],
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
  const say = [spoken.soundsLikeEmergency(emergency), emergency.safetyAdvice];
  const notes = ctx.customer?.propertyNotes;
  if (notes && !isGasKind(emergency.kind)) say.push(spoken.propertyNotes(notes));
  say.push(spoken.alertingOwner(wording(ctx)));
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

export { continueCollecting };
