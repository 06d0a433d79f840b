import type { Business } from "../domain/business/business";

/** Who did something from the dashboard (from their verified ID token). */
export interface DashboardActor {
  uid: string;
  businessId: string;
  role: "owner" | "staff";
}

/** One change made from the dashboard: who, what, when, before and after. */
export interface AuditEntry {
  action: string;
  /** What it changed, e.g. "appointments/abc" or "settings". */
  target: string;
  actor: { uid: string; role: string };
  at: Date;
  before: unknown;
  after: unknown;
}

/** A job the business marked done (businesses/{b}/jobs/{appointmentId}). */
export interface JobRecord {
  appointmentId: string;
  doneAt: Date;
  doneBy: string;
}

/** The inbox state of a conversation (businesses/{b}/inbox/{conversationId}). */
export interface InboxMark {
  handled: boolean;
  by: string;
  at: Date;
}

/**
 * Marks the dashboard keeps beside the product's own documents, never inside
 * them. Every change is committed together with its audit entry: both or neither.
 */
export interface DashboardMarks {
  job(businessId: string, appointmentId: string): Promise<JobRecord | null>;
  setJob(
    businessId: string,
    appointmentId: string,
    record: JobRecord | null,
    audit: AuditEntry,
  ): Promise<void>;
  conversationExists(businessId: string, conversationId: string): Promise<boolean>;
  inbox(businessId: string, conversationId: string): Promise<InboxMark | null>;
  setInbox(
    businessId: string,
    conversationId: string,
    mark: InboxMark,
    audit: AuditEntry,
  ): Promise<void>;
  /** The attention item's acknowledgement, or null when there is no such item. */
  attention(
    businessId: string,
    itemId: string,
  ): Promise<{ acknowledgedAt: Date | null; acknowledgedBy: string | null } | null>;
  acknowledgeAttention(
    businessId: string,
    itemId: string,
    by: string,
    at: Date,
    audit: AuditEntry,
  ): Promise<void>;
}

/** Reads a business afresh (no cache: the dashboard edits it) and saves it whole, with its audit entry. */
export interface SettingsStore {
  load(businessId: string): Promise<Business | null>;
  save(business: Business, audit: AuditEntry): Promise<void>;
}
