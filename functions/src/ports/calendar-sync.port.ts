import type { AppointmentRef, CalendarEventDraft } from "../domain/calendar/calendar-event";
import type { CalendarWritePlan } from "../domain/calendar/calendar-sync.rules";

/**
 * The owner's Google Calendar as the sync use cases see it. Failures come
 * back as values: "not-connected" (never connected, disconnected, or the
 * grant was revoked) means there is nothing to do; "transient" is worth
 * retrying; "permanent" is not.
 */
export type CalendarWriteResult =
  | { status: "done"; eventId: string }
  | { status: "not-connected" }
  | { status: "transient"; reason: string }
  | { status: "permanent"; reason: string };

export interface CalendarEventWriter {
  /** Writes the event under its deterministic id; "insert" of an id that exists patches it. */
  writeEvent(
    businessId: string,
    event: CalendarEventDraft,
    plan: Exclude<CalendarWritePlan, "delete">,
  ): Promise<CalendarWriteResult>;
  /** Deleting an event that is gone already is done, not an error. */
  deleteEvent(businessId: string, eventId: string): Promise<CalendarWriteResult>;
}

/** One of our events as the owner left it in Google Calendar. */
export interface CalendarEventChange {
  eventId: string;
  ref: AppointmentRef;
  cancelled: boolean;
  /** Absent for cancelled events. */
  start?: Date;
  end?: Date;
}

export type CalendarChanges =
  | {
      status: "ok";
      /** Only events this product created; personal events are busy time, nothing more. */
      changes: CalendarEventChange[];
      /** Stored with commitChanges() once the changes are applied, so none is lost. */
      checkpoint: string;
      /** True when Google forgot our place (410) and everything was listed again. */
      fullResync: boolean;
    }
  | { status: "not-connected" }
  | { status: "transient"; reason: string };

export interface CalendarChangeFeed {
  changesSince(businessId: string): Promise<CalendarChanges>;
  commitChanges(businessId: string, checkpoint: string): Promise<void>;
}

/** The business's connection, as far as the use cases need it: never its tokens. */
export interface CalendarConnections {
  /** "marked" the first time; "unchanged" when already marked or not connected at all. */
  markNeedsReconnect(businessId: string, at: Date, reason: string): Promise<"marked" | "unchanged">;
  /** Connected businesses whose Google changes are due to be pulled. */
  duePulls(now: Date, limit: number): Promise<string[]>;
  schedulePull(businessId: string, dueAt: Date): Promise<void>;
}

/** Called by the calendar adapter when Google says the refresh token is dead (invalid_grant). */
export type GrantRevokedListener = (businessId: string, reason: string) => Promise<void>;

export interface CalendarSyncQueueItem extends AppointmentRef {
  attempts: number;
  dueAt: Date;
}

/** Appointments whose sync failed and that the sweep should try again, by due time. */
export interface CalendarSyncQueue {
  schedule(item: CalendarSyncQueueItem): Promise<void>;
  remove(ref: AppointmentRef): Promise<void>;
  due(now: Date, limit: number): Promise<CalendarSyncQueueItem[]>;
}
