import type { ScreeningEntry } from "../domain/abuse/abuse-policy";
import type { AuditEntry } from "./dashboard.port";

/** What a deletion removed or anonymised, by kind. */
export interface ErasedCounts {
  customer: number;
  appointmentsAnonymised: number;
  conversations: number;
  turns: number;
  summaries: number;
  outbox: number;
  inboundTexts: number;
  scheduledTexts: number;
}

/** The business's screening list, as the owner sees and changes it. */
export interface ScreeningList {
  entry(businessId: string, number: string): Promise<ScreeningEntry | null>;
  /** Saves the entry together with its audit entry: both or neither. */
  save(businessId: string, entry: ScreeningEntry, audit: AuditEntry): Promise<void>;
}

/** Stored documents as plain JSON: timestamps as ISO strings. */
export type PlainDocument = { id: string; path: string } & Record<string, unknown>;

/** Everything the business holds about one customer (docs/privacy.md). */
export interface CustomerData {
  customer: PlainDocument | null;
  appointments: PlainDocument[];
  conversations: Array<PlainDocument & { turns: PlainDocument[]; summary: PlainDocument | null }>;
  outbox: PlainDocument[];
  inboundTexts: PlainDocument[];
  scheduledTexts: PlainDocument[];
}

export interface CustomerRecords {
  collect(businessId: string, phone: string): Promise<CustomerData>;
  /** Jobs still booked from `now` on: a deletion waits until they are cancelled or done. */
  upcomingBooked(businessId: string, phone: string, now: Date): Promise<number>;
  /** Records that an export was made (the export itself is only read). */
  recordExport(businessId: string, audit: AuditEntry): Promise<void>;
  /**
   * Deletes the customer's documents and anonymises their appointments, in
   * batches; the last batch removes the customer document with the audit
   * entry, so an interrupted deletion is finished by asking again.
   */
  erase(businessId: string, phone: string, audit: AuditEntry, now: Date): Promise<ErasedCounts>;
}
