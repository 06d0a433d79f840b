import { DateTime } from "luxon";
import { Business, defaultService, serviceById } from "../business/business";
import type { DialogueState, OfferedSlot } from "../dialogue/dialogue-state";
import { nationalFormat } from "../dialogue/sms-texts";
import type { EmergencyDetection } from "../emergency/emergency.classifier";
import type { Appointment } from "../scheduling/appointment";
import { spokenTime } from "../scheduling/availability";

/**
 * What the receptionist texts back. Short (one or two segments), with the
 * business's name first so the customer knows who it is, and never asking
 * the customer to reply with a carrier keyword (see carrier-keywords.ts).
 */

/** "Thu 26 Nov at 8 am", in the business's time zone. */
export function shortWhen(start: Date | string, timeZone: string): string {
  const instant = typeof start === "string" ? new Date(start) : start;
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  return `${local.toFormat("ccc d LLL")} at ${spokenTime(local)}`;
}

function visit(appointment: Appointment, business: Business): string {
  return `${appointment.serviceName.toLowerCase()} on ${shortWhen(appointment.start, business.timeZone)}`;
}

function callUs(business: Business): string {
  return `call us on ${nationalFormat(business.phoneNumber)}`;
}

export function helpText(business: Business): string {
  return (
    `${business.name}: texts about your bookings. For help ${callUs(business)}. ` +
    `Reply STOP to opt out.`
  );
}

export function optedInText(business: Business): string {
  return `${business.name}: you'll get texts from us again. Reply STOP to opt out.`;
}

export function confirmedText(business: Business, appointment: Appointment): string {
  return `${business.name}: thanks, your ${visit(appointment, business)} is confirmed. See you then!`;
}

export function cancelledText(business: Business, appointment: Appointment): string {
  return (
    `${business.name}: your ${visit(appointment, business)} is cancelled. ` +
    `Thanks for letting us know. To book again, ${callUs(business)}.`
  );
}

export function alreadyCancelledText(business: Business): string {
  return `${business.name}: that visit is already cancelled. To book again, ${callUs(business)}.`;
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

export function rescheduleOffersText(
  business: Business,
  appointment: Appointment,
  offers: readonly OfferedSlot[],
  preface = "",
): string {
  return (
    `${business.name}: ${preface}we can move your ${visit(appointment, business)} to ` +
    `${offersList(offers, business.timeZone)}. ${replyNumbers(offers.length)}, or tell us another day.`
  );
}

export function noTimesToMoveText(business: Business): string {
  return (
    `${business.name}: sorry, I can't see another free time in the next ${business.booking.horizonDays} days. ` +
    `I've asked ${business.ownerName} to call you to sort it out.`
  );
}

export function rescheduledText(business: Business, appointment: Appointment): string {
  return `${business.name}: done, your ${visit(appointment, business)} is booked. See you then!`;
}

export function whichTimeText(business: Business, offers: readonly OfferedSlot[]): string {
  return `${business.name}: which time would suit? ${offersList(offers, business.timeZone)}. ${replyNumbers(offers.length)}.`;
}

export function noAppointmentText(business: Business): string {
  return (
    `${business.name}: sorry, I can't find an upcoming visit for this number. ` +
    `If you'd like to book or change something, ${callUs(business)} and we'll help.`
  );
}

export function forwardedText(business: Business): string {
  return `${business.name}: thanks, I've passed that to ${business.ownerName}, who'll get back to you.`;
}

export function trouble(business: Business | null): string {
  const tail = business ? ` or ${callUs(business)}` : "";
  return `Sorry, something went wrong on our side. Please try again in a few minutes${tail}.`;
}

export function emergencyReplyText(business: Business, emergency: EmergencyDetection): string {
  return (
    `${business.name}: that sounds like an emergency (${emergency.label.toLowerCase()}). ${emergency.safetyAdvice} ` +
    `I've alerted ${business.ownerName}. For the fastest help call ${nationalFormat(business.phoneNumber)} now. ` +
    `If anyone is in danger, call 999.`
  );
}

/** The owner's copy of a text we could not act on ourselves. */
export function ownerForwardText(details: {
  customerName?: string;
  phone: string;
  text: string;
  appointment?: Appointment;
  timeZone: string;
  optedOut?: boolean;
}): string {
  const who = [details.customerName, details.phone].filter(Boolean).join(" ");
  const about = details.appointment
    ? ` (visit ${shortWhen(details.appointment.start, details.timeZone)})`
    : "";
  const note = details.optedOut ? " They have opted out of texts: call them." : "";
  return `Text from ${who}${about}: "${clip(details.text || "(picture, no text)", 300)}".${note}`;
}

/**
 * A lone CANCEL is a carrier opt-out, so we may not text back; it may also
 * mean "cancel my visit", which only the owner can check by calling.
 */
export function ownerCancelKeywordText(details: {
  customerName?: string;
  phone: string;
  appointment: Appointment;
  timeZone: string;
}): string {
  const who = [details.customerName, details.phone].filter(Boolean).join(" ");
  return (
    `${who} texted CANCEL, which stops all texts to them. They may want to cancel their ` +
    `${details.appointment.serviceName.toLowerCase()} on ${shortWhen(details.appointment.start, details.timeZone)}: ` +
    `please call them. The visit is still booked.`
  );
}

export function ownerRescheduleHelpText(details: {
  customerName?: string;
  phone: string;
  appointment: Appointment;
  timeZone: string;
}): string {
  const who = [details.customerName, details.phone].filter(Boolean).join(" ");
  return (
    `${who} asked by text to move their ${details.appointment.serviceName.toLowerCase()} on ` +
    `${shortWhen(details.appointment.start, details.timeZone)}, and no free time was found. Please call them.`
  );
}

/**
 * The text after a call dropped mid-booking: what we still need, or the
 * times on offer, so one reply carries the booking on.
 */
export function droppedCallText(business: Business, state: DialogueState): string {
  const service =
    (state.draft.serviceId && serviceById(business, state.draft.serviceId)) ||
    defaultService(business);
  const job = state.draft.serviceId ? service.name.toLowerCase() : (state.draft.problem ?? "visit");
  return `${business.name}: sorry we were cut off. Reply to finish booking your ${job}: ${nextStepText(business, state)}`;
}

/** The question that carries a booking on, worded for a text. */
export function nextStepText(business: Business, state: DialogueState): string {
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
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
