import { DateTime } from "luxon";
import type { Business } from "../business/business";
import type { Appointment } from "../scheduling/appointment";
import { spokenTime } from "../scheduling/availability";
import type { MessageReason } from "./dialogue-state";

/**
 * The texts of the SMS a call sends. Kept short: one or two segments,
 * with what the reader needs to act on.
 */

export function bookingConfirmationText(business: Business, appointment: Appointment): string {
  const local = DateTime.fromJSDate(appointment.start, { zone: business.timeZone });
  return (
    `${business.name}: you're booked for ${appointment.serviceName.toLowerCase()} on ` +
    `${local.toFormat("ccc d LLL")} at ${spokenTime(local)}, ${appointment.address}. ` +
    `Need to change it? Call ${nationalFormat(business.phoneNumber)}.`
  );
}

export function emergencyAlertText(details: {
  label: string;
  callerPhone: string | null;
  callerName?: string;
  address?: string;
  words: string;
  /** How it reached us: a call is being transferred; a text needs a call back. */
  channel?: "call" | "sms";
}): string {
  const who = [details.callerName, details.callerPhone ?? "withheld number"]
    .filter(Boolean)
    .join(" ");
  const where = details.address ? ` at ${details.address}` : "";
  const next =
    details.channel === "sms" ? "By text: call them now." : "Transferring the call to you now.";
  const said = details.channel === "sms" ? "Texted" : "Said";
  return `EMERGENCY (${details.label}): ${who}${where}. ${said}: "${clip(details.words, 120)}". ${next}`;
}

export function emergencyUnansweredText(details: {
  label: string;
  callerPhone: string | null;
  callbackPromise: string;
}): string {
  return (
    `MISSED EMERGENCY (${details.label}): nobody accepted the transfer. ` +
    `Call back ${details.callerPhone ?? "(number withheld)"} now: they were told you'd ring ${details.callbackPromise}.`
  );
}

const REASON_TEXT: Record<MessageReason, string> = {
  reschedule: "wants to move a booking",
  cancel: "wants to cancel a booking",
  question: "has a question",
  "owner-unavailable": "asked for you",
  misunderstood: "needs a call back",
  callback: "asked you to call back",
};

export function ownerMessageText(details: {
  reason: MessageReason;
  message: string;
  callerPhone: string | null;
  callerName?: string;
}): string {
  const who = [details.callerName, details.callerPhone ?? "withheld number"]
    .filter(Boolean)
    .join(" ");
  return `Message: ${who} ${REASON_TEXT[details.reason]}. Said: "${clip(details.message, 200)}"`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** +441174960000 -> 0117 496 0000 for UK numbers; other numbers stay international. */
export function nationalFormat(e164: string): string {
  const uk = /^\+44(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return uk ? `0${uk[1]} ${uk[2]} ${uk[3]}` : e164;
}
