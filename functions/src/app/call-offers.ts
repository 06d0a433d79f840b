/**
 * The times a caller is offered: business hours minus booked jobs (with
 * buffers and travel), the owner's calendar and other callers' holds, then
 * held for this caller. Part of the call use cases (handle-call.ts).
 */
import { DateTime } from "luxon";
import { serviceFor, TurnDecision } from "../domain/dialogue/call-dialogue";
import { serviceById } from "../domain/business/business";
import { areaOf } from "../domain/scheduling/area";
import { availableSlots, BookedJob, BusyPeriod, Slot } from "../domain/scheduling/availability";
import { activeHoldsOfOthers, holdSpan } from "../domain/scheduling/hold";
import { byTime, OfferChoice, rankOffers } from "../domain/scheduling/offers";
import type { CalendarBusy } from "../ports/calendar-busy.port";
import { RunContext } from "./call-context";

/** How long the owner's calendar may take before offering from Firestore alone. */
export const CALENDAR_TIMEOUT_MS = 2_000;
/**
 * Free times for the caller, honouring any time they asked for: business
 * hours minus booked jobs (with buffers and travel), the owner's calendar,
 * and other callers' holds, read together in one round trip. The offers are
 * held for this caller by the turn's own commit (run.writes.holds).
 */
export async function findOffers(decision: TurnDecision, run: RunContext): Promise<OfferChoice> {
  const { business, ctx, deps, conversation } = run;
  const { state } = decision;
  const service = serviceFor(state, ctx);
  const horizonEnd = new Date(ctx.now.getTime() + (business.booking.horizonDays + 1) * 86_400_000);
  const [appointments, calendar, holds] = await Promise.all([
    deps.appointments.listBooked(business.id, ctx.now, horizonEnd),
    calendarBusy(run, horizonEnd),
    othersHolds(run, horizonEnd),
  ]);
  const jobs: BookedJob[] = appointments.map((a) => ({
    start: a.start,
    end: a.end,
    bufferMinutes: serviceById(business, a.serviceId)?.bufferMinutes ?? 0,
    area: areaOf(a.address),
  }));
  const declined = state.declinedStarts.map((s) => new Date(s));
  const lost = (state.lostStarts ?? []).map((s) => new Date(s));
  const ranked = rankOffers(
    availableSlots({
      business,
      service,
      now: ctx.now,
      busy: [...calendar, ...holds],
      jobs,
      area: areaOf(state.draft.address),
      exclude: [...declined, ...lost],
    }),
    {
      count: business.booking.offerCount,
      timeZone: business.timeZone,
      now: ctx.now,
      avoid: declined,
      preference: state.preference,
    },
  );
  // New offers replace what this caller held; declined times are free for others again.
  run.writes.holds = {
    holder: conversation.id,
    hold: ranked.slots.map((s) => holdSpan(s, service)),
    release: heldSpans(state, run),
    expiresAt: new Date(ctx.now.getTime() + business.booking.holdMinutes * 60_000),
    at: ctx.now,
  };
  return { fit: ranked.fit, slots: byTime(ranked.slots) };
}

/** What this caller holds now: the times last offered to them, with the job's clean-up. */
export function heldSpans(state: TurnDecision["state"], run: Pick<RunContext, "ctx">): Slot[] {
  const service = serviceFor(state, run.ctx);
  return state.offers.map((o) =>
    holdSpan({ start: new Date(o.start), end: new Date(o.end) }, service),
  );
}

/**
 * The owner's calendar busy time, or none when it is not connected, fails,
 * or takes longer than CALENDAR_TIMEOUT_MS: the call never waits on it.
 */
async function calendarBusy(run: RunContext, to: Date): Promise<BusyPeriod[]> {
  const { deps, business, ctx, conversation } = run;
  if (!deps.calendarBusy) return [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<CalendarBusy>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: "unavailable", reason: `no answer in ${CALENDAR_TIMEOUT_MS} ms` }),
      CALENDAR_TIMEOUT_MS,
    );
  });
  const asked = deps.calendarBusy
    .busyBetween(business.id, ctx.now, to)
    .catch((error: unknown): CalendarBusy => ({
      status: "unavailable",
      reason: error instanceof Error ? error.message : String(error),
    }));
  const answer = await Promise.race([asked, timedOut]).finally(() => clearTimeout(timer));
  if (answer.status === "ok") return answer.busy;
  if (answer.status === "unavailable") {
    deps.logger.warn("availability.calendar-fallback", {
      businessId: business.id,
      callSid: conversation.id,
      reason: answer.reason,
    });
    noteCalendarFallback(run);
  }
  return [];
}

/**
 * Tells the owner, once a day, that offers were made without their calendar,
 * so they can check for clashes with personal events. Never blocks the call.
 */
function noteCalendarFallback(run: RunContext): void {
  const { business, ctx } = run;
  const day = DateTime.fromJSDate(ctx.now, { zone: business.timeZone }).toISODate();
  run.writes.outbox.push({
    id: `owner-calendar-unavailable-${day}`,
    businessId: business.id,
    to: business.ownerMobile,
    body:
      `${business.name}: your Google Calendar couldn't be reached, so today's call offers ` +
      "used only the bookings made here. Check new bookings against your personal events.",
    purpose: "owner-calendar-unavailable",
  });
}

/** Other callers' live holds, as busy time; none if the hold store cannot be read. */
async function othersHolds(run: RunContext, to: Date): Promise<BusyPeriod[]> {
  const { deps, business, ctx, conversation } = run;
  if (!deps.holds) return [];
  try {
    const holds = await deps.holds.listActive(business.id, ctx.now, to, ctx.now);
    return activeHoldsOfOthers(holds, conversation.id, ctx.now);
  } catch (error) {
    logHoldFailure(deps, business.id, conversation.id, "list", error);
    return [];
  }
}

function logHoldFailure(
  deps: RunContext["deps"],
  businessId: string,
  callSid: string,
  action: string,
  error: unknown,
): void {
  deps.logger.warn("availability.hold-failed", {
    businessId,
    callSid,
    action,
    error: error instanceof Error ? error.message : String(error),
  });
}
