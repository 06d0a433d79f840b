import { DateTime } from "luxon";
import { nationalPhone, shortDate, shortTime } from "./notification-policy";

/**
 * The owner's texts about the diary: who, their number, the job, when and
 * where, in one SMS where possible and never more than two. Plain ASCII, so
 * a stray curly quote never halves what fits. Emergency alerts are elsewhere
 * (notifications/owner-texts.ts) and always go.
 */

export interface AlertAppointment {
  customerName: string;
  customerPhone: string;
  serviceName: string;
  problem?: string;
  address: string;
  start: Date;
}

/** Free text is clipped so the alert stays within two segments whatever was said. */
const MAX_NAME = 40;
const MAX_JOB = 60;
const MAX_ADDRESS = 70;
const MAX_REASON = 40;

export function newBookingAlertText(a: AlertAppointment, zone: string, now: Date): string {
  return `New booking: ${who(a)}, ${job(a)}, ${when(a.start, zone, now)}, ${where(a)}.`;
}

export function cancellationAlertText(
  a: AlertAppointment & { cancelReason?: string },
  zone: string,
  now: Date,
): string {
  const reason = a.cancelReason ? ` (${clip(a.cancelReason, MAX_REASON)})` : "";
  return `Cancelled${reason}: ${who(a)}, ${job(a)}, was ${when(a.start, zone, now)}, ${where(a)}.`;
}

export function scheduleChangeAlertText(
  a: AlertAppointment,
  previousStart: Date,
  zone: string,
  now: Date,
): string {
  return (
    `Moved: ${who(a)}, ${job(a)}, from ${when(previousStart, zone, now)} ` +
    `to ${when(a.start, zone, now)}, ${where(a)}.`
  );
}

/** A caller who hung up part-way through booking: a lead the owner may want to ring back. */
export function lostLeadAlertText(lead: {
  callerName?: string;
  callerPhone: string | null;
  serviceName?: string;
  problem?: string;
  address?: string;
  textedToFinish: boolean;
}): string {
  const name = clip(lead.callerName || "Unknown caller", MAX_NAME);
  const phone = lead.callerPhone ? nationalPhone(lead.callerPhone) : "number withheld";
  const wanted = lead.serviceName
    ? job({ serviceName: lead.serviceName, problem: lead.problem })
    : clip(lead.problem || "a visit", MAX_JOB);
  const where = lead.address ? `, ${clip(lead.address, MAX_ADDRESS)}` : "";
  const next = lead.textedToFinish ? "We've texted them to finish booking." : "Call them back.";
  return `Missed lead: ${name} ${phone} hung up while booking ${wanted}${where}. ${next}`;
}

function who(a: AlertAppointment): string {
  return `${clip(a.customerName || "Unknown caller", MAX_NAME)} ${nationalPhone(a.customerPhone)}`;
}

function job(a: Pick<AlertAppointment, "serviceName" | "problem">): string {
  const service = a.serviceName.toLowerCase();
  const problem = a.problem?.trim();
  // The caller's words say more than the service name, unless they are the same.
  const detail =
    problem && problem.toLowerCase() !== service
      ? `${service} - ${clip(problem, MAX_JOB)}`
      : service;
  return clip(detail, MAX_JOB + 20);
}

function where(a: AlertAppointment): string {
  return clip(a.address || "no address given", MAX_ADDRESS);
}

/** "today 9am", "tomorrow 1:15pm", or "Thu 26 Nov 9am". */
export function when(instant: Date, zone: string, now: Date): string {
  const local = DateTime.fromJSDate(instant, { zone });
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  const days = Math.round(local.startOf("day").diff(today, "days").days);
  const day = days === 0 ? "today" : days === 1 ? "tomorrow" : shortDate(local);
  return `${day} ${shortTime(local)}`;
}

function clip(text: string, max: number): string {
  const clean = text.replace(/\s+/g, " ").trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 3)}...`;
}
