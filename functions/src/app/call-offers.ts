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
import { CallDeps, RunContext } from "./call-context";

/** How long the owner's calendar may take before offering from Firestore alone. */
export const CALENDAR_TIMEOUT_MS = 2_000;
/** Candidates ranked per offer, to replace offers another caller holds first. */
const SPARE_OFFERS = 4;
/** Fresh looks at others' holds when every candidate was held by someone else first. */
const HOLD_PASSES = 3;

/**
 * Free times for the caller, honouring any time they asked for: business
 * hours minus booked jobs (with buffers and travel), the owner's calendar,
 * and other callers' holds; then held for this caller for a few minutes.
 */
export async function findOffers(decision: TurnDecision, run: RunContext): Promise<OfferChoice> {
  const { business, ctx, deps, conversation } = run;
  const { state } = decision;
  const service = serviceFor(state, ctx);
  const horizonEnd = new Date(ctx.now.getTime() + (business.booking.horizonDays + 1) * 86_400_000);
  // Declined offers are free for others now; a fresh search holds afresh.
  if (state.offers.length > 0) await releaseHolds(deps, business.id, conversation.id);
  const [appointments, calendar] = await Promise.all([
    deps.appointments.listBooked(business.id, ctx.now, horizonEnd),
    calendarBusy(run, horizonEnd),
  ]);
  const jobs: BookedJob[] = appointments.map((a) => ({
    start: a.start,
    end: a.end,
    bufferMinutes: serviceById(business, a.serviceId)?.bufferMinutes ?? 0,
    area: areaOf(a.address),
  }));
  const declined = state.declinedStarts.map((s) => new Date(s));
  const lost = (state.lostStarts ?? []).map((s) => new Date(s));
  const count = business.booking.offerCount;
  const held: Slot[] = [];
  const refused: Slot[] = [];
  let fit: OfferChoice["fit"] = "any";
  let unheld: Slot[] = [];
  for (let pass = 1; pass <= HOLD_PASSES && held.length < count; pass++) {
    // Read afresh each pass: callers ringing at the same moment may have just held times.
    const holds = await othersHolds(run, horizonEnd);
    // Best first, with spares for times another caller holds first.
    const ranked = rankOffers(
      availableSlots({
        business,
        service,
        now: ctx.now,
        busy: [...calendar, ...holds, ...refused],
        jobs,
        area: areaOf(state.draft.address),
        exclude: [...declined, ...lost, ...held.map((s) => s.start)],
      }),
      {
        count: count * SPARE_OFFERS,
        timeZone: business.timeZone,
        now: ctx.now,
        avoid: [...declined, ...held.map((s) => s.start)],
        preference: state.preference,
      },
    );
    if (pass === 1) {
      fit = ranked.fit;
      unheld = ranked.slots.slice(0, count);
    } else if (ranked.fit !== fit) {
      break; // what is left no longer fits the caller's wish the way the first offers did
    }
    let next = 0;
    let takenThisPass = 0;
    while (held.length < count && next < ranked.slots.length) {
      const batch = ranked.slots.slice(next, next + count - held.length);
      next += batch.length;
      const taken = await holdOffers(batch, service, run);
      held.push(...batch.filter((s) => !taken.includes(s)));
      refused.push(...taken);
      takenThisPass += taken.length;
    }
    // Fewer free times than offers is not contention: look again only if others held ours.
    if (takenThisPass === 0) break;
  }
  // Holds only steer: rather than "no free time", offer unheld times and let the locks decide.
  return { fit, slots: byTime(held.length > 0 ? held : unheld) };
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
    await noteCalendarFallback(run);
  }
  return [];
}

/**
 * Tells the owner, once a day, that offers were made without their calendar,
 * so they can check for clashes with personal events. Never blocks the call.
 */
async function noteCalendarFallback(run: RunContext): Promise<void> {
  const { deps, business, ctx } = run;
  const day = DateTime.fromJSDate(ctx.now, { zone: business.timeZone }).toISODate();
  await deps.outbox
    .enqueue({
      id: `owner-calendar-unavailable-${day}`,
      businessId: business.id,
      to: business.ownerMobile,
      body:
        `${business.name}: your Google Calendar couldn't be reached, so today's call offers ` +
        "used only the bookings made here. Check new bookings against your personal events.",
      purpose: "owner-calendar-unavailable",
    })
    .catch((error: unknown) =>
      deps.logger.error("availability.calendar-note-not-queued", {
        businessId: business.id,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
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

/** Holds the offers for this caller; returns the ones someone else held first. */
async function holdOffers(
  slots: readonly Slot[],
  service: ReturnType<typeof serviceFor>,
  run: RunContext,
): Promise<Slot[]> {
  const { deps, business, ctx, conversation } = run;
  if (!deps.holds || slots.length === 0) return [];
  const expiresAt = new Date(ctx.now.getTime() + business.booking.holdMinutes * 60_000);
  try {
    const { refused } = await deps.holds.hold(
      business.id,
      conversation.id,
      slots.map((s) => holdSpan(s, service)),
      ctx.now,
      expiresAt,
    );
    return slots.filter((s) => refused.some((r) => r.start.getTime() === s.start.getTime()));
  } catch (error) {
    // Holds only steer offers; the slot locks still decide every booking.
    logHoldFailure(deps, business.id, conversation.id, "hold", error);
    return [];
  }
}

/** Frees this call's holds: after booking, on new offers, when the caller hangs up. */
export async function releaseHolds(deps: CallDeps, businessId: string, callSid: string) {
  if (!deps.holds) return;
  await deps.holds
    .releaseAll(businessId, callSid)
    .catch((error: unknown) => logHoldFailure(deps, businessId, callSid, "release", error));
}

function logHoldFailure(
  deps: CallDeps,
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
