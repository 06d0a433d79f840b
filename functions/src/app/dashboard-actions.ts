/**
 * What the owner (or staff) changes from the dashboard. Each action checks
 * the caller's business and role (the callable wrappers pass the verified
 * token's claims), reuses the product's own steps (a move claims its time
 * through the appointment store like any booking; settings pass the tenant
 * schema) and records an audit entry: who, what, when, before and after.
 * The appointment-change trigger then texts the customer and the calendar
 * sync follows, exactly as for a move by phone or text.
 */
import { DateTime } from "luxon";
import { z } from "zod";
import {
  Business,
  businessSchema,
  defaultService,
  serviceById,
  serviceReferenceProblems,
  Service,
} from "../domain/business/business";
import { previewTemplate, TemplatePreview } from "../domain/notifications/notification-policy";
import type { Appointment } from "../domain/scheduling/appointment";
import type { Slot } from "../domain/scheduling/availability";
import type { AppointmentStore } from "../ports/appointment-store.port";
import type { CalendarBusySource } from "../ports/calendar-busy.port";
import type { HoldStore } from "../ports/hold-store.port";
import { findFreeTimes, FreeTimes, FreeTimesDeps } from "./call-offers";
import type { Clock } from "../ports/clock.port";
import type {
  AuditEntry,
  DashboardActor,
  DashboardMarks,
  SettingsStore,
} from "../ports/dashboard.port";
import type { Logger } from "../ports/logger.port";
import { DashboardAction, EDITABLE_SETTINGS, mayCall, ROLES } from "../shared/access";
import type { InputProblem } from "../shared/dashboard-contract";
import { logInfo } from "../logs";

export interface DashboardDeps {
  appointments: AppointmentStore;
  /** The owner's Google Calendar busy time and callers' holds: moves avoid them like offers do. */
  calendarBusy?: CalendarBusySource;
  holds?: HoldStore;
  settings: SettingsStore;
  marks: DashboardMarks;
  clock: Clock;
  logger: Logger;
}

/** Why an action was refused; the callable wrapper turns it into an HttpsError. */
export class ActionRefused extends Error {
  constructor(
    readonly code:
      | "unauthenticated"
      | "permission-denied"
      | "invalid-argument"
      | "not-found"
      | "failed-precondition",
    message: string,
    readonly problems: InputProblem[] = [],
  ) {
    super(message);
  }
}

/**
 * The rescheduleReason, and the start of the cancelReason, of a change made
 * from the dashboard: who made it. The owner is not texted about their own changes.
 */
export function dashboardReason(role: DashboardActor["role"]): string {
  return role === "owner" ? OWNER_DASHBOARD_REASON : "staff, from the dashboard";
}
export const OWNER_DASHBOARD_REASON = "the owner, from the dashboard";

const claimsSchema = z.object({
  businessId: z.string().min(1),
  role: z.enum(ROLES),
});

/**
 * The caller, if their verified token's claims make them a member of
 * `businessId` with a role allowed to do `action`. Refuses otherwise, with
 * the same answer whether the other business exists or not.
 */
export function authorize(
  auth: { uid: string; token: Record<string, unknown> } | undefined,
  action: DashboardAction,
  businessId: string,
): DashboardActor {
  if (!auth) throw new ActionRefused("unauthenticated", "sign in first");
  const claims = claimsSchema.safeParse(auth.token);
  if (!claims.success || claims.data.businessId !== businessId) {
    throw new ActionRefused("permission-denied", "not a member of this business");
  }
  if (!mayCall(action, claims.data.role)) {
    throw new ActionRefused("permission-denied", `a ${claims.data.role} may not ${action}`);
  }
  return { uid: auth.uid, businessId, role: claims.data.role };
}

async function loadBusiness(deps: DashboardDeps, businessId: string): Promise<Business> {
  const business = await deps.settings.load(businessId);
  if (!business) throw new ActionRefused("not-found", "no such business");
  return business;
}

async function bookedAppointment(
  deps: DashboardDeps,
  businessId: string,
  appointmentId: string,
): Promise<Appointment> {
  const appointment = await deps.appointments.get(businessId, appointmentId);
  if (!appointment) throw new ActionRefused("not-found", "no such appointment");
  if (appointment.status !== "booked") {
    throw new ActionRefused("failed-precondition", "this appointment is cancelled");
  }
  return appointment;
}

/** The audit entry of a change; the store commits it together with the change. */
function auditEntry(
  deps: DashboardDeps,
  actor: DashboardActor,
  action: DashboardAction,
  target: string,
  before: unknown,
  after: unknown,
): AuditEntry {
  return {
    action,
    target,
    actor: { uid: actor.uid, role: actor.role },
    at: deps.clock.now(),
    before: plain(before),
    after: plain(after),
  };
}

function logged(deps: DashboardDeps, actor: DashboardActor, entry: AuditEntry): void {
  logInfo(deps.logger, "dashboard.action", {
    businessId: actor.businessId,
    action: entry.action,
    target: entry.target,
  });
}

/** Dates as ISO strings, no undefined: what an audit document can hold. */
function plain(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

/** The service the appointment was booked as, or its own length when the service is gone. */
function serviceOf(business: Business, appointment: Appointment): Service {
  const known = serviceById(business, appointment.serviceId);
  if (known) return known;
  return {
    ...defaultService(business),
    id: appointment.serviceId,
    name: appointment.serviceName,
    durationMinutes: Math.round((appointment.end.getTime() - appointment.start.getTime()) / 60_000),
    bufferMinutes: appointment.bufferMinutes ?? 0,
  };
}

/**
 * The starts the booking rules allow for this appointment, from the one
 * offers path calls and texts use (findFreeTimes): opening hours, closed
 * dates, lead time, the service's limits, other jobs with their buffers and
 * travel, the daily job limit, the owner's Google Calendar busy time and
 * callers' live holds. The appointment never blocks itself. `day` (the
 * business's local date) narrows it to one day.
 */
export async function freeStartsFor(
  business: Business,
  appointment: Appointment,
  now: Date,
  deps: FreeTimesDeps,
  day?: string,
): Promise<{ slots: Slot[]; calendar: FreeTimes["calendar"] }> {
  const found = await findFreeTimes(
    {
      business,
      service: serviceOf(business, appointment),
      now,
      // Nobody holds times for the dashboard; every caller's hold is someone else's.
      holder: `dashboard/${appointment.id}`,
      declined: [],
      heldBefore: [],
      address: appointment.address,
      movingAppointmentId: appointment.id,
      every: true,
    },
    deps,
  );
  const slots = day
    ? found.choice.slots.filter(
        (s) => DateTime.fromJSDate(s.start, { zone: business.timeZone }).toISODate() === day,
      )
    : found.choice.slots;
  return { slots, calendar: found.calendar };
}

export async function moveOptions(
  actor: DashboardActor,
  input: { appointmentId: string; day?: string },
  deps: DashboardDeps,
): Promise<{ options: Array<{ start: string; end: string }>; calendarChecked: boolean }> {
  const business = await loadBusiness(deps, actor.businessId);
  const appointment = await bookedAppointment(deps, business.id, input.appointmentId);
  const { slots, calendar } = await freeStartsFor(
    business,
    appointment,
    deps.clock.now(),
    deps,
    input.day,
  );
  // A day view needs every start; without a day, the first few days' worth is plenty.
  const limited = input.day ? slots : slots.slice(0, 60);
  return {
    options: limited.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() })),
    calendarChecked:
      calendar === "ok" || calendar === "not-connected" || calendar === "no-calendar",
  };
}

export async function moveAppointment(
  actor: DashboardActor,
  input: { appointmentId: string; start: string },
  deps: DashboardDeps,
): Promise<{ appointment: { id: string; start: string; end: string } }> {
  const business = await loadBusiness(deps, actor.businessId);
  const appointment = await bookedAppointment(deps, business.id, input.appointmentId);
  const start = new Date(input.start);
  const now = deps.clock.now();
  const day = DateTime.fromJSDate(start, { zone: business.timeZone }).toISODate() ?? undefined;
  const { slots: free } = await freeStartsFor(business, appointment, now, deps, day);
  const slot = free.find((s) => s.start.getTime() === start.getTime());
  if (!slot) {
    throw new ActionRefused(
      "failed-precondition",
      "that time is not free under the booking rules; pick one of the offered times",
    );
  }
  const entry = auditEntry(
    deps,
    actor,
    "moveAppointment",
    `appointments/${appointment.id}`,
    { start: appointment.start, end: appointment.end },
    { start: slot.start, end: slot.end },
  );
  // The store claims the new time's locks atomically, like any booking (a race loses
  // cleanly), and stores the audit entry in the same transaction.
  const result = await deps.appointments.reschedule(
    business.id,
    appointment.id,
    slot.start,
    slot.end,
    now,
    dashboardReason(actor.role),
    entry,
  );
  if (result.outcome === "not-found") throw new ActionRefused("not-found", "no such appointment");
  if (result.outcome === "slot-taken") {
    throw new ActionRefused("failed-precondition", "that time has just been taken");
  }
  logged(deps, actor, entry);
  return {
    appointment: {
      id: appointment.id,
      start: slot.start.toISOString(),
      end: slot.end.toISOString(),
    },
  };
}

export async function cancelAppointment(
  actor: DashboardActor,
  input: { appointmentId: string; reason: string },
  deps: DashboardDeps,
): Promise<{ cancelled: true }> {
  const appointment = await deps.appointments.get(actor.businessId, input.appointmentId);
  if (!appointment) throw new ActionRefused("not-found", "no such appointment");
  // Cancelling twice is not an error, and records nothing new.
  if (appointment.status === "cancelled") return { cancelled: true };
  const reason = `${dashboardReason(actor.role)}: ${input.reason}`;
  const entry = auditEntry(
    deps,
    actor,
    "cancelAppointment",
    `appointments/${appointment.id}`,
    { status: appointment.status },
    { status: "cancelled", reason: input.reason },
  );
  // Stored with the cancellation, and only if this request is the one that cancels it.
  await deps.appointments.cancel(actor.businessId, appointment.id, reason, entry.at, entry);
  logged(deps, actor, entry);
  return { cancelled: true };
}

export async function markJobDone(
  actor: DashboardActor,
  input: { appointmentId: string; done: boolean },
  deps: DashboardDeps,
): Promise<{ done: boolean }> {
  await bookedAppointment(deps, actor.businessId, input.appointmentId);
  const before = await deps.marks.job(actor.businessId, input.appointmentId);
  if (Boolean(before) === input.done) return { done: input.done };
  const after = input.done
    ? { appointmentId: input.appointmentId, doneAt: deps.clock.now(), doneBy: actor.uid }
    : null;
  const entry = auditEntry(
    deps,
    actor,
    "markJobDone",
    `jobs/${input.appointmentId}`,
    before,
    after,
  );
  await deps.marks.setJob(actor.businessId, input.appointmentId, after, entry);
  logged(deps, actor, entry);
  return { done: input.done };
}

export async function setConversationHandled(
  actor: DashboardActor,
  input: { conversationId: string; handled: boolean },
  deps: DashboardDeps,
): Promise<{ handled: boolean }> {
  if (!(await deps.marks.conversationExists(actor.businessId, input.conversationId))) {
    throw new ActionRefused("not-found", "no such conversation");
  }
  const before = await deps.marks.inbox(actor.businessId, input.conversationId);
  if ((before?.handled ?? false) === input.handled) return { handled: input.handled };
  const after = { handled: input.handled, by: actor.uid, at: deps.clock.now() };
  const entry = auditEntry(
    deps,
    actor,
    "setConversationHandled",
    `inbox/${input.conversationId}`,
    before,
    after,
  );
  await deps.marks.setInbox(actor.businessId, input.conversationId, after, entry);
  logged(deps, actor, entry);
  return { handled: input.handled };
}

export async function acknowledgeAttention(
  actor: DashboardActor,
  input: { itemId: string },
  deps: DashboardDeps,
): Promise<{ acknowledged: true }> {
  const item = await deps.marks.attention(actor.businessId, input.itemId);
  if (!item) throw new ActionRefused("not-found", "no such item");
  if (item.acknowledgedAt) return { acknowledged: true };
  const at = deps.clock.now();
  const entry = auditEntry(deps, actor, "acknowledgeAttention", `attention/${input.itemId}`, item, {
    acknowledgedAt: at,
    acknowledgedBy: actor.uid,
  });
  await deps.marks.acknowledgeAttention(actor.businessId, input.itemId, actor.uid, at, entry);
  logged(deps, actor, entry);
  return { acknowledged: true };
}

/**
 * Replaces the given sections of the business's settings, after checking the
 * whole result against the tenant schema (the same one every call reads it
 * with). `dryRun` checks and previews without saving: the settings screen's
 * live template preview and validator errors come from here.
 */
export async function updateSettings(
  actor: DashboardActor,
  input: { settings: Record<string, unknown>; dryRun?: boolean },
  deps: DashboardDeps,
): Promise<{ saved: boolean; previews: TemplatePreview[] }> {
  const before = await loadBusiness(deps, actor.businessId);
  const changed = EDITABLE_SETTINGS.filter((key) => key in input.settings);
  const candidate: Record<string, unknown> = {
    ...before,
    ...input.settings,
    id: before.id,
    phoneNumber: before.phoneNumber,
  };
  // null clears a setting: back to the schema's default, absent when optional, refused when required.
  for (const key of changed) if (candidate[key] === null) delete candidate[key];
  const parsed = businessSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new ActionRefused(
      "invalid-argument",
      "some settings are not valid",
      parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join("."),
        message: issue.message,
      })),
    );
  }
  const business = parsed.data;
  const dangling = serviceReferenceProblems(business);
  if (dangling.length > 0) {
    throw new ActionRefused("invalid-argument", "some settings are not valid", dangling);
  }
  const previews = previewTemplate(business);
  if (input.dryRun) return { saved: false, previews };
  const pick = (b: Business) => Object.fromEntries(changed.map((key) => [key, b[key]]));
  const entry = auditEntry(deps, actor, "updateSettings", "settings", pick(before), pick(business));
  await deps.settings.save(business, entry);
  logged(deps, actor, entry);
  return { saved: true, previews };
}
