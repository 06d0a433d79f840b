/**
 * The times anyone is offered, on a call or by text: business hours minus
 * booked jobs (with buffers and travel), the owner's calendar and other
 * callers' holds, then held for them.
 */
import { serviceFor, TurnDecision } from "../domain/dialogue/conversation-engine";
import { serviceById } from "../domain/business/business";
import { areaOf } from "../domain/scheduling/area";
import { availableSlots, BookedJob, BusyPeriod, Slot } from "../domain/scheduling/availability";
import { activeHoldsOfOthers, holdSpan } from "../domain/scheduling/hold";
import { byTime, OfferChoice, rankOffers, spreadAmongCallers } from "../domain/scheduling/offers";
import type { Business, Service } from "../domain/business/business";
import type { TimePreference } from "../domain/scheduling/time-preference";
import type { CalendarBusy } from "../ports/calendar-busy.port";
import type { HoldChange } from "../ports/call-writes.port";
import { CallDeps, RunContext } from "./call-context";
import { errorText, logWarn } from "../logs";

/** Candidates per offer a caller chooses among after losing offers to simultaneous callers. */
const CONTENDED_POOL = 4;

/** How long the owner's calendar may take before offering from Firestore alone. */
export const CALENDAR_TIMEOUT_MS = 2_000;
/** What a search for free times needs to know, whatever the channel. */
export interface FreeTimesRequest {
  business: Business;
  service: Service;
  now: Date;
  /** Who the offers are held for: a CallSid, or an SMS conversation. */
  holder: string;
  preference?: TimePreference;
  /** Times turned down, and times lost to another booking: not offered again. */
  declined: Date[];
  lost?: Date[];
  /** Where the job is, for travel between areas. */
  address?: string;
  /** An appointment being moved: its own time does not block it. */
  movingAppointmentId?: string;
  /** What the holder held before: released, except what is offered again. */
  heldBefore: Slot[];
  /** How many times others ringing at the same moment held this holder's offers first. */
  contention?: number;
  /**
   * Every free start in time order, unranked and held for nobody: the
   * dashboard's slot picker, where the owner chooses among them all.
   */
  every?: boolean;
}

export interface FreeTimes {
  choice: OfferChoice;
  /**
   * The new offers held for the holder (commit with the rest of the webhook's
   * writes); none without a hold store, or when others' holds could not be read.
   */
  holds?: HoldChange;
  /** Whether the owner's calendar busy time was subtracted ("ok"), or why not. */
  calendar: CalendarBusy["status"] | "no-calendar";
}

export type FreeTimesDeps = Pick<
  CallDeps,
  "appointments" | "calendarBusy" | "holds" | "logger" | "degradation"
>;

/**
 * The one offers path of every channel: business hours minus booked jobs
 * (with buffers and travel), the owner's Google Calendar and other callers'
 * holds, read together in one round trip, ranked by the caller's wish.
 */
export async function findFreeTimes(
  request: FreeTimesRequest,
  deps: FreeTimesDeps,
): Promise<FreeTimes> {
  const { business, service, now } = request;
  const horizonEnd = new Date(now.getTime() + (business.booking.horizonDays + 1) * 86_400_000);
  const [appointments, { busy: calendar, status: calendarStatus }, holds] = await Promise.all([
    deps.appointments.listBooked(business.id, now, horizonEnd),
    calendarBusy(request, horizonEnd, deps),
    othersHolds(request, horizonEnd, deps),
  ]);
  const jobs: BookedJob[] = appointments
    .filter((a) => a.id !== request.movingAppointmentId)
    .map((a) => ({
      start: a.start,
      end: a.end,
      bufferMinutes: serviceById(business, a.serviceId)?.bufferMinutes ?? 0,
      area: areaOf(a.address),
    }));
  const free = availableSlots({
    business,
    service,
    now,
    busy: [...calendar, ...(holds ?? [])],
    jobs,
    area: areaOf(request.address),
    exclude: [...request.declined, ...(request.lost ?? [])],
  });
  if (request.every) {
    return { choice: { fit: "any", slots: [...free] }, calendar: calendarStatus };
  }
  const ranked = rankOffers(free, {
    count: business.booking.offerCount * (request.contention ? CONTENDED_POOL : 1),
    timeZone: business.timeZone,
    now,
    avoid: request.declined,
    preference: request.preference,
  });
  const offered = request.contention
    ? spreadAmongCallers(
        ranked.slots,
        business.booking.offerCount,
        `${request.holder}/${request.contention}`,
      )
    : ranked.slots;
  return {
    choice: { fit: ranked.fit, slots: byTime(offered) },
    // New offers replace what the holder held; declined times are free for others again.
    ...(holds === null
      ? {}
      : {
          holds: {
            holder: request.holder,
            hold: offered.map((s) => holdSpan(s, service)),
            release: request.heldBefore,
            expiresAt: new Date(now.getTime() + business.booking.holdMinutes * 60_000),
            at: now,
          },
        }),
    calendar: calendarStatus,
  };
}

/** A conversation's offers: findFreeTimes for the caller's request, held with the turn's own commit. */
export async function findOffers(decision: TurnDecision, run: RunContext): Promise<OfferChoice> {
  const { state } = decision;
  const moving = state.change?.visits.find((v) => v.id === state.change?.visitId);
  const found = await findFreeTimes(
    {
      business: run.business,
      service: serviceFor(state, run.ctx),
      now: run.ctx.now,
      holder: run.conversation.id,
      preference: state.preference,
      declined: state.declinedStarts.map((s) => new Date(s)),
      // A visit's own time is no move at all.
      lost: [...(state.lostStarts ?? []), ...(moving ? [moving.start] : [])].map(
        (s) => new Date(s),
      ),
      // A visit being moved stays where it is.
      address: moving?.address ?? state.draft.address,
      movingAppointmentId: moving?.id,
      heldBefore: heldSpans(state, run),
      contention: run.contention,
    },
    run.deps,
  );
  if (found.holds) run.writes.holds = found.holds;
  return found.choice;
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
 * or takes longer than CALENDAR_TIMEOUT_MS: the caller never waits on it.
 * Out of reach, it is reported as the `calendar-unreachable` degradation: the
 * dashboard's item and the owner's text, once per alert window (report-degradation.ts).
 */
async function calendarBusy(
  request: FreeTimesRequest,
  to: Date,
  deps: FreeTimesDeps,
): Promise<{ busy: BusyPeriod[]; status: FreeTimes["calendar"] }> {
  const { business, now } = request;
  if (!deps.calendarBusy) return { busy: [], status: "no-calendar" };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<CalendarBusy>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: "unavailable", reason: `no answer in ${CALENDAR_TIMEOUT_MS} ms` }),
      CALENDAR_TIMEOUT_MS,
    );
  });
  const asked = deps.calendarBusy
    .busyBetween(business.id, now, to)
    .catch((error: unknown): CalendarBusy => ({
      status: "unavailable",
      reason: errorText(error),
    }));
  const answer = await Promise.race([asked, timedOut]).finally(() => clearTimeout(timer));
  if (answer.status === "ok") return { busy: answer.busy, status: "ok" };
  if (answer.status === "unavailable") {
    logWarn(deps.logger, "availability.calendar-fallback", {
      businessId: business.id,
      callSid: request.holder,
      reason: answer.reason,
    });
    // Never throws: telling the owner is best effort, the offers go ahead regardless.
    await deps.degradation?.report(business.id, "calendar-unreachable", answer.reason);
  }
  return { busy: [], status: answer.status };
}

/**
 * Other callers' live holds, as busy time; null without a hold store or when
 * it cannot be read (then offers are made unheld: holds only steer).
 */
async function othersHolds(
  request: FreeTimesRequest,
  to: Date,
  deps: FreeTimesDeps,
): Promise<BusyPeriod[] | null> {
  const { business, now, holder } = request;
  if (!deps.holds) return null;
  try {
    const holds = await deps.holds.listActive(business.id, now, to, now);
    return activeHoldsOfOthers(holds, holder, now);
  } catch (error) {
    logWarn(deps.logger, "availability.hold-failed", {
      businessId: business.id,
      callSid: holder,
      action: "list",
      error: errorText(error),
    });
    return null;
  }
}
