import type { ScreeningReason } from "../abuse/abuse-policy";
import type { MessageReason } from "../dialogue/dialogue-state";
import { shortWhen } from "../dialogue/wording";

/**
 * What the owner reads about a conversation: emergencies, messages, texts
 * passed on. Kept short: one or two segments, with what the reader needs to
 * act on. (What callers and customers hear and read is in dialogue/wording.ts.)
 */

export function emergencyAlertText(details: {
  label: string;
  callerPhone: string | null;
  callerName?: string;
  address?: string;
  words: string;
  /** How it reached us: a call is being transferred; a text needs a call back. */
  channel?: "call" | "sms";
  /** They opted out of texts: we told them nothing, and the owner must call, not text. */
  optedOut?: boolean;
}): string {
  const who = [details.callerName, details.callerPhone ?? "withheld number"]
    .filter(Boolean)
    .join(" ");
  const where = details.address ? ` at ${details.address}` : "";
  const next =
    details.channel !== "sms"
      ? "Transferring the call to you now."
      : details.optedOut
        ? "By text; they have opted out of texts and were sent nothing: call them now."
        : "By text: call them now.";
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

/**
 * A message a caller recorded: who, why, and what they said, or that it could
 * not be made out, with the recording's link to listen (a recording whose
 * words were made out is deleted at Twilio once they are stored, so it has
 * none). An emergency heard in the words leads, so the owner calls straight back.
 */
export function recordedMessageText(details: {
  reason?: MessageReason;
  /** Null when withheld; undefined when the call is not on record (the voice fallback's). */
  callerPhone: string | null | undefined;
  callerName?: string;
  /** Null when it could not be transcribed; "" when no words were made out. */
  transcript: string | null;
  durationSeconds: number;
  recordingUrl: string;
  emergencyLabel?: string;
}): string {
  const phone =
    details.callerPhone === undefined ? "a caller" : (details.callerPhone ?? "withheld number");
  const who = [details.callerName, phone].filter(Boolean).join(" ");
  const why = details.reason ? REASON_TEXT[details.reason] : "left a message";
  const seconds = `${details.durationSeconds} s`;
  const words = details.transcript?.trim() ?? "";
  const listen = words ? "" : ` Listen: ${details.recordingUrl}`;
  const said =
    details.transcript === null
      ? `Recorded message (${seconds}), not transcribed.`
      : details.transcript.trim() === ""
        ? `Recorded message (${seconds}): no words could be made out.`
        : `Said (${seconds}): "${clip(details.transcript.trim(), 300)}"`;
  const lead = details.emergencyLabel
    ? `EMERGENCY (${details.emergencyLabel}) in a message: ${who}. Call them now.`
    : `Message: ${who} ${why}.`;
  return `${lead} ${said}${listen}`;
}

interface VisitRef {
  serviceName: string;
  start: Date;
}

/** The owner's copy of a text we could not act on ourselves. */
export function ownerForwardText(details: {
  customerName?: string;
  phone: string;
  text: string;
  appointment?: VisitRef;
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
  appointment: VisitRef;
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
  appointment: VisitRef;
  timeZone: string;
}): string {
  const who = [details.customerName, details.phone].filter(Boolean).join(" ");
  return (
    `${who} asked by text to move their ${details.appointment.serviceName.toLowerCase()} on ` +
    `${shortWhen(details.appointment.start, details.timeZone)}, and no free time was found. Please call them.`
  );
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A limited or screened caller described an emergency (caller-gate.ts). */
export function emergencyFromTurnedAwayText(details: {
  label: string;
  callerPhone: string;
  why: "limited" | ScreeningReason;
  words: string;
}): string {
  const why =
    details.why === "limited" ? "rang many times in a few minutes" : "is on your screening list";
  return `EMERGENCY (${details.label}): ${details.callerPhone}, a number that ${why}, said: "${clip(details.words, 120)}". Call them back now.`;
}
