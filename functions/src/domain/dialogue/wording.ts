import { DateTime } from "luxon";
import type { ScreeningReason } from "../abuse/abuse-policy";
import type { Business } from "../business/business";
import type { EmergencyDetection } from "../emergency/emergency.classifier";
import { describeSlot, spokenTime } from "../scheduling/availability";
import { describePreference, TimePreference } from "../scheduling/time-preference";
import type { DialogueState, OfferedSlot, UpcomingVisit } from "./dialogue-state";
import { NATIONAL_GAS_EMERGENCY_NUMBER } from "../emergency/emergency-rules";
import { withArticle } from "./spoken-words";

/**
 * Every sentence a caller hears or a customer reads, in one place, per
 * channel: `spoken` for calls (and, word for word, anything a text has no
 * wording of its own for), `texted` for SMS. The conversation engine picks
 * which sentence to say and fills it with data; it holds no prose itself.
 * A tenant's own words (greeting, sign-off) come from its validated settings.
 */

export interface WordingContext {
  business: Business;
  now: Date;
}

/** "today at 1 pm", "tomorrow at 8 am", "Friday 27 November at 9 am". */
export function when(start: string | Date, w: WordingContext): string {
  return describeSlot(new Date(start), w.now, w.business.timeZone);
}

/** A booked visit's time in full: "Thursday 26 November at 10:30 am". */
export function visitTime(start: string | Date, w: WordingContext): string {
  const local = DateTime.fromJSDate(new Date(start), { zone: w.business.timeZone });
  return `${local.toFormat("cccc d LLLL")} at ${spokenTime(local)}`;
}

export function lastDigits(phone: string): string {
  return phone.replace(/\D/g, "").slice(-4).split("").join(" ");
}

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

/** " on the number ending 0 9 9 9", or nothing when we have no number. */
export function onTheNumber(phone: string | null | undefined): string {
  return phone ? ` on the number ending ${lastDigits(phone)}` : "";
}

/** Offers are long phrases with commas of their own: "today at 1 pm; or tomorrow at 8 am". */
function offersWithOr(items: readonly string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join("; ")}; or ${items[items.length - 1]}`;
}

const VISIT_ORDINALS = ["the first", "the second", "the third", "the fourth"];

/** What a caller hears. */
export const spoken = {
  greeting: (w: WordingContext) => greetingFor(w.business),
  /** When the voice turn itself failed or took too long (voice-webhook.handler.ts). */
  troubleOnMySide: () => "Sorry, I'm having trouble on my side.",
  callBackOrTextOwner: (business: Pick<Business, "name" | "ownerName" | "ownerMobile">) =>
    `Please call ${business.name} back in a minute, or text ${business.ownerName} on ${business.ownerMobile}.`,
  callBackInAMinute: () =>
    `Please call back in a minute. If you smell gas, call ${NATIONAL_GAS_EMERGENCY_NUMBER}.`,
  welcomeBack: (name: string) =>
    `Hello ${firstName(name)}, good to hear from you again. How can I help today?`,
  howCanIHelp: () => "How can I help? You can tell me what's wrong, or ask to book a visit.",
  helloBack: () => "Hello! How can I help? You can tell me what's wrong, or ask to book a visit.",
  goodbye: (w: WordingContext) =>
    w.business.signOff
      ? w.business.signOff.replaceAll("{business}", w.business.name)
      : `Thanks for calling ${w.business.name}. Goodbye.`,
  goodbyeShort: () => "Thanks for calling. Goodbye.",
  anythingElse: () => "Is there anything else I can help with?",
  whatElse: () => "Of course. What else can I help with?",

  // Not understood.
  heardNothing: () => "Sorry, I didn't hear anything.",
  notCaught: () => "Sorry, I didn't quite catch that.",
  didNotFollow: () => "Sorry, I didn't follow that.",
  didNotGet: () => "Sorry, I didn't get that.",
  yesOrNo: () => "Sorry, was that a yes or a no?",
  whichTime: () => "Sorry, which time would suit you?",
  whatToChange: () => "Sorry, I didn't catch what to change.",
  shallIBook: () => "Sorry, shall I go ahead and book it? Yes or no?",
  notGettingIt: (w: WordingContext) =>
    `I'm sorry, I'm not getting this right. Let me try ${w.business.ownerName} for you.`,
  fallbackPrompt: () => "You can tell me what's wrong, ask to book a visit, or ask for a person.",

  // A person, a message.
  tryingOwner: (w: WordingContext) =>
    `Of course. I'll try ${w.business.ownerName} for you now. Please hold.`,
  putThrough: () => "Let me put you through to someone.",
  callbackAsk: (w: WordingContext, phone: string | null | undefined) =>
    `Of course, ${w.business.ownerName} will call you back${onTheNumber(phone)}. What would you like me to tell ${w.business.ownerName}?`,
  messagePassedOn: (w: WordingContext, phone: string | null | undefined) =>
    `Thanks, I've passed that on to ${w.business.ownerName}, who will call you back${onTheNumber(phone)}. Goodbye.`,
  willCallBack: (w: WordingContext, phone: string | null | undefined) =>
    `I'll ask ${w.business.ownerName} to call you back${onTheNumber(phone)}. Goodbye.`,
  whatMessage: () => "What message would you like me to pass on?",
  ownerUnavailable: (w: WordingContext) =>
    `${w.business.ownerName} can't come to the phone right now.`,
  tellMeYourMessage: () => "Please tell me your message, and I'll pass it straight on.",
  /** On a call, before the tone of a recorded message (<Record>). */
  afterTheTone: () =>
    "Please speak after the tone. When you've finished, press the hash key or just hang up.",
  heardNoMessage: () => "Sorry, I didn't hear a message.",
  tellOwnerWhat: (w: WordingContext) =>
    `Of course. What would you like me to tell ${w.business.ownerName}?`,

  // Questions.
  questionFollowUp: () => "Is there anything else? I can book a visit for you too.",
  whatWeDo: (names: readonly string[], joined: string) =>
    names.length ? `We can book ${joined}, and we handle emergencies.` : "We handle emergencies.",
  questionPassedOn: (w: WordingContext, phone: string | null | undefined) =>
    `That's one for ${w.business.ownerName}, so I've passed your question on, and you'll get a call back${onTheNumber(phone)}.`,

  // Emergencies.
  soundsLikeEmergency: (e: EmergencyDetection) =>
    `That sounds like an emergency: ${e.label.toLowerCase()}.`,
  propertyNotes: (notes: string) => `From our records of your property: ${notes}`,
  alertingOwner: (w: WordingContext) =>
    `I'm alerting ${w.business.ownerName} right now and putting you through. Please stay on the line.`,
  emergencyUnanswered: (w: WordingContext) =>
    `I couldn't reach ${w.business.ownerName} just now, but ${w.business.ownerName} has your number and what you told me, and will call you back ${w.business.emergency.callbackPromise}.`,
  dangerCall999: () => "If anyone is in danger, or it gets worse, call 999. Goodbye.",
  safetyThanks: () => "Thanks, that's good to know.",
  safetyAgain: (question: string, heardNothing: boolean) =>
    `${heardNothing ? "Sorry, I didn't hear you." : "Sorry,"} ${question} Please say yes or no.`,

  // Booking.
  whatsTheProblem: () => "Of course. What's the problem you need help with?",
  askProblem: () => "What's the problem you need help with?",
  askName: () => "Can I take your name, please?",
  askAddress: () => "And what's the address for the visit, with the postcode?",
  repeatAddress: () => "What's the address for the visit, with the postcode?",
  askCallback: () => "What's the best phone number to reach you on?",
  checkAddressAndName: (address: string, name: string | undefined) =>
    `Is the visit at ${address}, and shall I put it under ${name}?`,
  checkAddress: (address: string | undefined) => `Is the visit at ${address}?`,
  changedThat: () => "Thanks, I've changed that.",
  letMeLook: () => "Let me have a look.",
  lookFurther: () => "No problem, let me look further ahead.",
  ofCourse: () => "Of course.",
  noFreeTime: (w: WordingContext) =>
    `I'm sorry, I can't see a free time in the next ${w.business.booking.horizonDays} days.`,
  ownerWillArrange: (w: WordingContext) =>
    `I'll ask ${w.business.ownerName} to call you to arrange one. Is there anything you'd like me to tell ${w.business.ownerName} about the job?`,
  offersFitWish: (p: TimePreference) => `Here's what I have ${describePreference(p)}.`,
  nothingFitsWish: (p: TimePreference) =>
    `I'm sorry, I've nothing free ${describePreference(p)}, so here are the nearest times.`,
  offers: (offers: readonly OfferedSlot[], w: WordingContext) => {
    const times = offers.map((o) => when(o.start, w));
    if (times.length === 1) return `The next free time is ${times[0]}. Would that suit you?`;
    return `I can offer ${offersWithOr(times)}. Which would suit you best? Or I can look for other times.`;
  },
  readBack: (state: DialogueState, serviceName: string, w: WordingContext) => {
    const { draft, chosen } = state;
    const at = chosen ? when(chosen.start, w) : "";
    const phone = draft.callbackNumber
      ? `, and we'll text the number ending ${lastDigits(draft.callbackNumber)}`
      : "";
    return `So that's ${withArticle(serviceName.toLowerCase())}, ${at}, at ${draft.address}, for ${draft.name}${phone}. Shall I book it?`;
  },
  whatToChangeAsk: () =>
    "No problem. What would you like to change: the time, the name, or the address?",
  whatToChangePrompt: () => "What would you like to change: the time, the name, or the address?",
  whichName: () => "What name should I put it under?",
  whichAddress: () => "What's the right address, with the postcode?",
  booked: (start: string, phone: string | undefined, w: WordingContext) =>
    `You're booked in for ${when(start, w)}.${phone ? ` I'll text a confirmation to the number ending ${lastDigits(phone)}.` : ""}`,
  timeJustTaken: () => "I'm sorry, that time has just been taken.",
  timesGone: () => "Sorry, the times I offered have gone now.",

  // Moving or cancelling.
  unknownNumberLookup: () =>
    "I can help with that. I don't recognise the number you're calling from, so I'll find the booking by its name and postcode.",
  askBookingName: () => "What name is the booking under?",
  askBookingPostcode: () => "And what's the postcode of the address the booking is for?",
  repeatBookingPostcode: () => "What's the postcode of the address the booking is for?",
  needFullPostcode: () => "Sorry, I need the full postcode, both parts.",
  didNotGetName: () => "Sorry, I didn't get the name.",
  whichOne: () => "Sorry, which one?",
  visits: (
    visits: readonly UpcomingVisit[],
    action: "cancel" | "reschedule",
    w: WordingContext,
  ) => {
    const [first] = visits;
    if (visits.length === 1) {
      return `Your ${first.serviceName.toLowerCase()} on ${visitTime(first.start, w)} — is that the one?`;
    }
    const listed = visits.map(
      (v, i) =>
        `${VISIT_ORDINALS[i]}, ${withArticle(v.serviceName.toLowerCase())} on ${visitTime(v.start, w)}`,
    );
    const verb = action === "cancel" ? "cancel" : "move";
    return `I can see ${visits.length} upcoming visits: ${listed.join("; ")}. Which one would you like to ${verb}?`;
  },
  noVisitsForYou: () => "I can't see any upcoming visits booked for you.",
  noVisitsUnderDetails: () => "I'm sorry, I can't find an upcoming booking under those details.",
  onlyBooking: () => "Sorry, that's the only upcoming booking I can see.",
  nothingFoundChoice: (w: WordingContext) =>
    `I can book a new visit, or take a message for ${w.business.ownerName} to call you back. Which would you like?`,
  thatVisit: (v: UpcomingVisit, w: WordingContext) =>
    `That's the ${v.serviceName.toLowerCase()} on ${visitTime(v.start, w)}.`,
  shallICancel: () => "Shall I cancel it?",
  shallICancelYesNo: () => "Shall I cancel it? Yes or no?",
  sorryShallICancel: () => "Sorry, shall I cancel it? Yes or no?",
  cancelInstead: () => "Of course. Shall I cancel it instead?",
  findNewTime: () => "Let me find you a new time.",
  moveReadBack: (v: UpcomingVisit, to: OfferedSlot, w: WordingContext) =>
    `So that's your ${v.serviceName.toLowerCase()} moved from ${visitTime(v.start, w)} to ${when(to.start, w)}. Shall I move it?`,
  shallIMoveYesNo: () => "Shall I move it? Yes or no?",
  sorryShallIMove: () => "Sorry, shall I move it? Yes or no?",
  leftBooked: () => "No problem, I've left it booked.",
  leftAsItWas: () => "No problem, I've left your booking as it was.",
  cancelled: () => "That's cancelled. You'll get a text to confirm.",
  moved: (serviceName: string, start: Date, w: WordingContext) =>
    `Done. Your ${serviceName.toLowerCase()} is now on ${visitTime(start, w)}. You'll get a text to confirm.`,
  bookingGone: () =>
    "I'm sorry, I can't find that booking any more. It may have been changed already.",
  confirmed: (serviceName: string, start: Date, w: WordingContext) =>
    `Thanks, your ${serviceName.toLowerCase()} on ${visitTime(start, w)} is confirmed.`,
  noUpcomingVisit: () => "I'm sorry, I can't find an upcoming visit for this number.",
  passedOnByText: (w: WordingContext) =>
    `Thanks, I've passed that to ${w.business.ownerName}, who'll get back to you.`,

  // Answers from the business's profile: the values exactly as stored, never estimated.
  notDone: (item: string) => `I'm afraid we don't do ${item}.`,
  accreditations: (joined: string) => `We're ${joined}.`,
  payBy: (joined: string) => `You can pay by ${joined}.`,
  areasCovered: (joined: string) => `We cover ${joined}.`,
  callOutFee: (fee: string, outOfHoursFee?: string) =>
    `Our call-out fee is ${fee}${outOfHoursFee ? `, or ${outOfHoursFee} outside opening hours` : ""}.`,
  callOutFeeOutOfHours: (fee: string) => `Our call-out fee outside opening hours is ${fee}.`,
  priceFree: (label: string) => `${label} is free.`,
  price: (label: string, amount: string) => `${label} is ${amount}.`,
  priceRange: (label: string, from: string, to: string) =>
    `${label} is usually between ${from} and ${to}, depending on the job.`,
  /** `days`: "Monday to Thursday, 8 am to 5:30 pm; Friday, 8 am to 4 pm; closed Saturday and Sunday". */
  openingHours: (days: readonly string[]) =>
    `We're open ${days.join("; ")}. Emergencies are answered any time.`,
  openOn: (days: string, hours: string) => `${days}, ${hours}`,
  closedOn: (days: string) => `closed ${days}`,

  // Before a conversation can start, or when the call's record is lost.
  notSetUp: () =>
    "Sorry, this number isn't set up to take calls yet. Please check the number and try again. Goodbye.",
  lostCall: () =>
    "Sorry, I've lost track of this call. Please call back and I'll help straight away. Goodbye.",
  lostPlace: () => "Sorry, I've lost my place in our conversation, so let's start again.",

  // A caller over their number's rate limit or screened (caller-gate.ts). Every such call
  // gets one chance to say what is wrong: the emergency check still runs on it.
  turnedAway: (businessName: string, why: "limited" | ScreeningReason) =>
    why === "limited"
      ? `Thanks for calling ${businessName}. We've had several calls from your number in the last few minutes, so I can't take another one just now.`
      : `Thanks for calling ${businessName}. I'm sorry, this line can't take calls from your number.`,
  ifEmergencyTellMe: () => "If this is an emergency, tell me what's happening now.",
  turnedAwayNotEmergency: () =>
    "Thank you. Please try again later, or send us a text on this number. Goodbye.",
  turnedAwayOwnerTexted: (ownerName: string, callbackPromise: string) =>
    `I've texted ${ownerName} about it now, and they'll call you back ${callbackPromise}.`,
  dangerCall999Goodbye: () => "If anyone is in danger, call 999. Goodbye.",

  // Putting a caller through: what the person rung hears before accepting, and the caller meanwhile.
  whisperEmergency: (who: string, label: string, words: string) =>
    `Emergency call from ${who}: ${label.toLowerCase()}. They said: ${words}. Press 1 to accept.`,
  whisperRequest: (who: string) =>
    `Call from ${who}, who asked to speak to you. Press 1 to accept.`,
  /** A number read out digit by digit, or that it was withheld. */
  callerNumber: (phone: string | null) => (phone ? phone.split("").join(" ") : "a withheld number"),
  notAccepted: () => "Not accepted. Goodbye.",
  connecting: () => "Connecting you now.",
  stillTrying: () => "I'm still trying to reach someone for you. Please stay on the line.",

  // The fallback answering a call the receptionist could not (voice-fallback.ts).
  fallbackSorry: (businessName: string | null) =>
    businessName
      ? `Sorry, ${businessName} can't take your call properly right now.`
      : "Sorry, we can't take your call properly right now.",
  fallbackFailed: () => "Sorry, we can't take your call right now.",
  fallbackGasAdvice: () =>
    `If you smell gas, call the gas emergency line on ${NATIONAL_GAS_EMERGENCY_NUMBER}.`,
  fallbackLeaveMessage: () =>
    "Please leave your name, your number and what you need after the tone, then hang up, and we'll call you back.",
  fallbackThanks: () => "Thank you. We'll call you back as soon as we can. Goodbye.",
};

/** The tenant's own greeting, with its name filled in. */
export function greetingFor(business: Business): string {
  return business.greeting.replaceAll("{business}", business.name);
}

/**
 * The reminder and change texts a tenant may reword (their notification
 * settings); these are the words they start from. {business}, {service},
 * {date}, {time}, {address} and {phone} are filled in when sent
 * (notification-policy.ts checks and renders them).
 */
export const TEXT_TEMPLATES = {
  reminder:
    "{business}: reminder, {service} on {date} at {time}, {address}. " +
    "Reply YES to confirm, 2 to cancel, 3 for a new time.",
  moved:
    "{business}: your {service} has moved to {date} at {time}, {address}. " +
    "Need to change it? Call {phone}.",
  cancelled:
    "{business}: your {service} on {date} at {time} is cancelled. " + "To book again call {phone}.",
} as const;

/** "Thu 26 Nov at 8 am", in the business's time zone. */
export function shortWhen(start: Date | string, timeZone: string): string {
  const local = DateTime.fromJSDate(new Date(start), { zone: timeZone });
  return `${local.toFormat("ccc d LLL")} at ${spokenTime(local)}`;
}

/** +441174960000 -> 0117 496 0000 for UK numbers; other numbers stay international. */
export function nationalFormat(e164: string): string {
  const uk = /^\+44(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return uk ? `0${uk[1]} ${uk[2]} ${uk[3]}` : e164;
}

interface VisitLike {
  serviceName: string;
  start: Date | string;
}

function visit(v: VisitLike, business: Business): string {
  return `${v.serviceName.toLowerCase()} on ${shortWhen(v.start, business.timeZone)}`;
}

function callUs(business: Business): string {
  return `call us on ${nationalFormat(business.phoneNumber)}`;
}

function seeYou(business: Business): string {
  return business.signOff
    ? business.signOff.replaceAll("{business}", business.name)
    : "See you then!";
}

/** Times on offer, numbered, so "1", "2" or "3" picks one. */
export function offersList(offers: readonly OfferedSlot[], timeZone: string): string {
  return offers.map((o, i) => `${i + 1}) ${shortWhen(o.start, timeZone)}`).join(", ");
}

function replyNumbers(count: number): string {
  if (count === 1) return "Reply 1 for that time";
  const numbers = Array.from({ length: count }, (_, i) => String(i + 1));
  return `Reply ${numbers.slice(0, -1).join(", ")} or ${numbers[numbers.length - 1]}`;
}

/**
 * What a customer reads. Short (one or two segments), with the business's
 * name first so the customer knows who it is, and never asking the customer
 * to reply with a carrier keyword (see carrier-keywords.ts).
 */
export const texted = {
  help: (business: Business) =>
    `${business.name}: texts about your bookings. For help ${callUs(business)}. Reply STOP to opt out.`,
  optedIn: (business: Business) =>
    `${business.name}: you'll get texts from us again. Reply STOP to opt out.`,
  confirmed: (business: Business, v: VisitLike) =>
    `${business.name}: thanks, your ${visit(v, business)} is confirmed. ${seeYou(business)}`,
  cancelled: (business: Business, v: VisitLike) =>
    `${business.name}: your ${visit(v, business)} is cancelled. Thanks for letting us know. To book again, ${callUs(business)}.`,
  alreadyCancelled: (business: Business) =>
    `${business.name}: that visit is already cancelled. To book again, ${callUs(business)}.`,
  /** Before fresh times, when the one chosen (or those offered) went meanwhile. */
  timeTakenPreface: () => "sorry, that time has just been taken. ",
  moveOffers: (business: Business, v: VisitLike, offers: readonly OfferedSlot[], preface = "") =>
    `${business.name}: ${preface}we can move your ${visit(v, business)} to ` +
    `${offersList(offers, business.timeZone)}. ${replyNumbers(offers.length)}, or tell us another day.`,
  noTimesToMove: (business: Business) =>
    `${business.name}: sorry, I can't see another free time in the next ${business.booking.horizonDays} days. ` +
    `I've asked ${business.ownerName} to call you to sort it out.`,
  moved: (business: Business, v: VisitLike) =>
    `${business.name}: done, your ${visit(v, business)} is booked. ${seeYou(business)}`,
  whichTime: (business: Business, offers: readonly OfferedSlot[]) =>
    `${business.name}: which time would suit? ${offersList(offers, business.timeZone)}. ${replyNumbers(offers.length)}.`,
  noAppointment: (business: Business) =>
    `${business.name}: sorry, I can't find an upcoming visit for this number. ` +
    `To book a visit, text us what the problem is, or ${callUs(business)}.`,
  /** A reply standing alone, signed with the business's name unless it already is. */
  asBusiness: (business: Business, text: string) =>
    text.startsWith(`${business.name}:`) ? text : `${business.name}: ${text}`,
  forwarded: (business: Business) =>
    `${business.name}: thanks, I've passed that to ${business.ownerName}, who'll get back to you.`,
  trouble: (business: Business | null) =>
    `Sorry, something went wrong on our side. Please try again in a few minutes${business ? ` or ${callUs(business)}` : ""}.`,
  emergency: (business: Business, emergency: EmergencyDetection) =>
    `${business.name}: that sounds like an emergency (${emergency.label.toLowerCase()}). ${emergency.safetyAdvice} ` +
    `I've alerted ${business.ownerName}. For the fastest help call ${nationalFormat(business.phoneNumber)} now. ` +
    `If anyone is in danger, call 999.`,
  bookingConfirmation: (business: Business, a: VisitLike & { address: string }) => {
    const local = DateTime.fromJSDate(new Date(a.start), { zone: business.timeZone });
    return (
      `${business.name}: you're booked for ${a.serviceName.toLowerCase()} on ` +
      `${local.toFormat("ccc d LLL")} at ${spokenTime(local)}, ${a.address}. ` +
      `Need to change it? Call ${nationalFormat(business.phoneNumber)}.`
    );
  },
  droppedCall: (business: Business, job: string, next: string) =>
    `${business.name}: sorry we were cut off. Reply to finish booking your ${job}: ${next}`,
  /** The question that carries a booking on, worded for a text (no business name: it follows one). */
  nextStep: (business: Business, state: DialogueState) => {
    const tz = business.timeZone;
    switch (state.stage) {
      case "collecting":
        return {
          problem: "what's the problem you need help with?",
          name: "what name should we put it under?",
          address: "what's the address for the visit, with the postcode?",
          callback: "what's the best number to reach you on?",
        }[state.asking ?? "problem"];
      case "confirming-address":
        return `is the visit at ${state.draft.address}? Reply yes, or send the right address.`;
      case "choosing-slot":
        return state.offers.length
          ? `we can do ${offersList(state.offers, tz)}. ${replyNumbers(state.offers.length)}.`
          : "when would suit you?";
      case "confirming-booking":
        return state.chosen
          ? `shall I book ${shortWhen(state.chosen.start, tz)} at ${state.draft.address}? Reply yes to book it, or tell me what to change.`
          : "when would suit you?";
      case "amending":
        return "what would you like to change: the time, the name or the address?";
      default:
        return "what can we help with?";
    }
  },
};
