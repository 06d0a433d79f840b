/**
 * The owner's privacy and screening actions (docs/privacy.md,
 * docs/abuse-protection.md): screen a number or allow it again; export or
 * delete everything about one customer. Each is checked by the dashboard
 * callable wrapper (signed in, input by zod, business and role) and each
 * writes its audit entry with its change, atomically.
 */
import { isBusinessNumber, ScreeningEntry } from "../domain/abuse/abuse-policy";
import type { BusinessDirectory } from "../ports/business-directory.port";
import type { Clock } from "../ports/clock.port";
import type { AuditEntry, DashboardActor } from "../ports/dashboard.port";
import type { Logger } from "../ports/logger.port";
import type {
  CustomerData,
  CustomerRecords,
  ErasedCounts,
  ScreeningList,
} from "../ports/privacy.port";
import { customerReference } from "./customer-reference";
import { ActionRefused } from "./dashboard-actions";
import { logInfo } from "../logs";

export interface PrivacyDeps {
  businesses: BusinessDirectory;
  screening: ScreeningList;
  records: CustomerRecords;
  clock: Clock;
  logger: Logger;
}

function auditEntry(
  actor: DashboardActor,
  action: string,
  target: string,
  at: Date,
  before: unknown,
  after: unknown,
): AuditEntry {
  return {
    action,
    target,
    actor: { uid: actor.uid, role: actor.role },
    at,
    before: before === undefined ? null : (JSON.parse(JSON.stringify(before)) as unknown),
    after: after === undefined ? null : (JSON.parse(JSON.stringify(after)) as unknown),
  };
}

/**
 * Screens a number (its calls hear a short message, its texts get no reply)
 * or allows it again; an allowed number is never screened automatically
 * (short calls) nor by the known-spam list until the owner screens it.
 */
export async function setCallerScreening(
  actor: DashboardActor,
  input: { number: string; screened: boolean },
  deps: PrivacyDeps,
): Promise<{ status: ScreeningEntry["status"] }> {
  const business = await deps.businesses.getById(actor.businessId);
  if (!business) throw new ActionRefused("not-found", "no such business");
  if (isBusinessNumber(business, input.number)) {
    throw new ActionRefused("invalid-argument", "that is one of the business's own numbers", [
      { path: "number", message: "your own, staff and backup numbers are never screened" },
    ]);
  }
  const status = input.screened ? "screened" : "allowed";
  const before = await deps.screening.entry(actor.businessId, input.number);
  // Asked twice, recorded once.
  if (before?.status === status) return { status };
  const now = deps.clock.now();
  const entry: ScreeningEntry = {
    number: input.number,
    status,
    reason: input.screened ? "owner" : (before?.reason ?? "owner"),
    since: now,
    ...(before?.shortCalls !== undefined ? { shortCalls: before.shortCalls } : {}),
    turnedAway: before?.turnedAway ?? 0,
    updatedBy: actor.uid,
  };
  const audit = auditEntry(
    actor,
    "setCallerScreening",
    `screening/${input.number}`,
    now,
    before ? { status: before.status, reason: before.reason } : null,
    { status: entry.status, reason: entry.reason },
  );
  await deps.screening.save(actor.businessId, entry, audit);
  logInfo(deps.logger, "dashboard.action", {
    businessId: actor.businessId,
    action: "setCallerScreening",
    target: status,
  });
  return { status };
}

function countsOf(data: CustomerData) {
  return {
    customer: data.customer ? 1 : 0,
    appointments: data.appointments.length,
    conversations: data.conversations.length,
    turns: data.conversations.reduce((n, c) => n + c.turns.length, 0),
    outbox: data.outbox.length,
    inboundTexts: data.inboundTexts.length,
    scheduledTexts: data.scheduledTexts.length,
  };
}

function isEmpty(data: CustomerData): boolean {
  return Object.values(countsOf(data)).every((n) => n === 0);
}

/**
 * Everything the business holds about one customer, as JSON: their customer
 * document, appointments, conversations with their turns and summaries,
 * texts sent and received, texts waiting to be sent. The export is audited
 * before it is returned: an export whose audit entry cannot be stored is not
 * given out.
 */
export async function exportCustomerData(
  actor: DashboardActor,
  input: { phone: string },
  deps: PrivacyDeps,
): Promise<{ exportedAt: string; phone: string; data: CustomerData }> {
  const data = await deps.records.collect(actor.businessId, input.phone);
  if (isEmpty(data)) throw new ActionRefused("not-found", "nothing is held about that number");
  const now = deps.clock.now();
  await deps.records.recordExport(
    actor.businessId,
    auditEntry(
      actor,
      "exportCustomerData",
      customerReference(input.phone),
      now,
      null,
      countsOf(data),
    ),
  );
  logInfo(deps.logger, "dashboard.action", {
    businessId: actor.businessId,
    action: "exportCustomerData",
  });
  return { exportedAt: now.toISOString(), phone: input.phone, data };
}

/**
 * Deletes everything about one customer: their customer document,
 * conversations with turns and summaries, texts sent, received and waiting.
 * Their past appointments are kept anonymised (no name, number, address or
 * problem: the business keeps its count of jobs done); a customer with jobs
 * still booked is refused until those are cancelled or done.
 */
export async function deleteCustomerData(
  actor: DashboardActor,
  input: { phone: string },
  deps: PrivacyDeps,
): Promise<{ erased: ErasedCounts }> {
  const now = deps.clock.now();
  const upcoming = await deps.records.upcomingBooked(actor.businessId, input.phone, now);
  if (upcoming > 0) {
    throw new ActionRefused(
      "failed-precondition",
      `this customer has ${upcoming} job${upcoming === 1 ? "" : "s"} still booked; cancel ${upcoming === 1 ? "it" : "them"} first`,
    );
  }
  const data = await deps.records.collect(actor.businessId, input.phone);
  if (isEmpty(data)) throw new ActionRefused("not-found", "nothing is held about that number");
  const audit = auditEntry(
    actor,
    "deleteCustomerData",
    customerReference(input.phone),
    now,
    countsOf(data),
    null,
  );
  const erased = await deps.records.erase(actor.businessId, input.phone, audit, now);
  logInfo(deps.logger, "dashboard.action", {
    businessId: actor.businessId,
    action: "deleteCustomerData",
  });
  return { erased };
}
