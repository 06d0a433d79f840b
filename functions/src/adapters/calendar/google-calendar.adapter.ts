import { createHash } from "node:crypto";
import {
  appointmentRefFromEventId,
  type CalendarEventDraft,
} from "../../domain/calendar/calendar-event";
import type { BusyPeriod } from "../../domain/scheduling/availability";
import type { CalendarBusy, CalendarBusySource } from "../../ports/calendar-busy.port";
import type {
  CalendarChangeFeed,
  CalendarChanges,
  CalendarEventChange,
  CalendarEventWriter,
  CalendarWriteResult,
  GrantRevokedListener,
} from "../../ports/calendar-sync.port";
import type { Logger } from "../../ports/logger.port";
import type { CalendarCredentials } from "../firestore/calendar-connection.repository";
import {
  type CalendarApi,
  calendarApi,
  classifyGoogleError,
  type GoogleFailure,
  type GoogleOAuthClient,
  type GoogleOAuthConfig,
  newOAuthClient,
} from "./google-oauth";
import { logInfo, logWarn } from "../../logs";

/** Where the adapter finds a business's grant; the Firestore connection repository in production. */
export interface CalendarCredentialSource {
  credentials(businessId: string): Promise<CalendarCredentials | undefined>;
  saveSyncToken(businessId: string, syncToken: string | undefined): Promise<void>;
}

export interface GoogleCalendarOptions {
  /** Undefined when the integration is not configured: every business is then "not connected". */
  oauth: GoogleOAuthConfig | undefined;
  credentials: CalendarCredentialSource;
  onGrantRevoked: GrantRevokedListener;
  logger: Logger;
  /** Busy time is read while a caller waits: answer fast or not at all. */
  busyTimeoutMs?: number;
  writeTimeoutMs?: number;
}

interface Connected {
  api: CalendarApi;
  credentials: CalendarCredentials;
}

/**
 * The owner's Google Calendar through the real googleapis client: busy time
 * (freebusy), our appointment events (insert/patch/delete under deterministic
 * ids) and the owner's changes to them (events.list with a sync token).
 *
 * A refresh token Google refuses (invalid_grant) is reported once through
 * onGrantRevoked, which marks the connection "needs-reconnect"; from then on
 * this business reads as not connected, so bookings carry on from Firestore.
 */
export class GoogleCalendarAdapter
  implements CalendarBusySource, CalendarEventWriter, CalendarChangeFeed
{
  /** OAuth clients per business keep their access token between calls on a warm instance. */
  private readonly clients = new Map<string, { fingerprint: string; client: GoogleOAuthClient }>();

  constructor(private readonly options: GoogleCalendarOptions) {}

  private async connect(businessId: string, timeoutMs: number): Promise<Connected | undefined> {
    const oauth = this.options.oauth;
    if (!oauth) return undefined;
    const credentials = await this.options.credentials.credentials(businessId);
    if (!credentials || credentials.status !== "connected") return undefined;
    const fingerprint = createHash("sha256").update(credentials.refreshToken).digest("hex");
    let cached = this.clients.get(businessId);
    if (cached?.fingerprint !== fingerprint) {
      const client = await newOAuthClient(oauth);
      client.setCredentials({ refresh_token: credentials.refreshToken });
      cached = { fingerprint, client };
      this.clients.set(businessId, cached);
    }
    return { api: await calendarApi(oauth, cached.client, timeoutMs), credentials };
  }

  /** Turns a failure into what callers need, reporting a revoked grant on the way. */
  private async failed(businessId: string, error: unknown): Promise<GoogleFailure> {
    const failure = classifyGoogleError(error);
    if (failure.kind === "revoked") {
      this.clients.delete(businessId);
      await this.options.onGrantRevoked(businessId, failure.reason);
    }
    return failure;
  }

  private async writeFailure(businessId: string, error: unknown): Promise<CalendarWriteResult> {
    const failure = await this.failed(businessId, error);
    switch (failure.kind) {
      case "revoked":
        return { status: "not-connected" };
      case "transient":
      case "permanent":
        return { status: failure.kind, reason: failure.reason };
      default:
        return { status: "permanent", reason: `unexpected ${failure.kind}` };
    }
  }

  async busyBetween(businessId: string, from: Date, to: Date): Promise<CalendarBusy> {
    const connected = await this.connect(businessId, this.options.busyTimeoutMs ?? 3_000);
    if (!connected) return { status: "not-connected" };
    const ids = connected.credentials.busyCalendarIds;
    try {
      const response = await connected.api.freebusy.query({
        requestBody: {
          timeMin: from.toISOString(),
          timeMax: to.toISOString(),
          items: ids.map((id) => ({ id })),
        },
      });
      const calendars = response.data.calendars ?? {};
      const busy: BusyPeriod[] = [];
      const failedIds: string[] = [];
      for (const id of ids) {
        const entry = calendars[id];
        if (!entry || (entry.errors?.length ?? 0) > 0) {
          failedIds.push(id);
          continue;
        }
        for (const period of entry.busy ?? []) {
          if (period.start && period.end) {
            busy.push({ start: new Date(period.start), end: new Date(period.end) });
          }
        }
      }
      if (failedIds.length === ids.length) {
        return { status: "unavailable", reason: `freebusy failed for ${failedIds.join(", ")}` };
      }
      if (failedIds.length > 0) {
        logWarn(this.options.logger, "calendar.busy-partial", {
          businessId,
          failed: failedIds.length,
        });
      }
      return { status: "ok", busy: busy.sort((a, b) => a.start.getTime() - b.start.getTime()) };
    } catch (error) {
      const failure = await this.failed(businessId, error);
      if (failure.kind === "revoked") return { status: "not-connected" };
      const reason = "reason" in failure ? failure.reason : failure.kind;
      return { status: "unavailable", reason };
    }
  }

  async writeEvent(
    businessId: string,
    event: CalendarEventDraft,
    plan: "insert" | "patch",
  ): Promise<CalendarWriteResult> {
    const connected = await this.connect(businessId, this.options.writeTimeoutMs ?? 10_000);
    if (!connected) return { status: "not-connected" };
    const calendarId = connected.credentials.eventCalendarId;
    const body = toGoogleEvent(event);
    const insert = () =>
      connected.api.events.insert({ calendarId, requestBody: body, sendUpdates: "none" });
    const patch = () =>
      connected.api.events.patch({
        calendarId,
        eventId: event.id,
        requestBody: body,
        sendUpdates: "none",
      });
    try {
      if (plan === "insert") {
        try {
          await insert();
        } catch (error) {
          // 409: the id exists, so an earlier try got through. Make sure it shows the latest.
          if (classifyGoogleError(error).kind !== "conflict") throw error;
          await patch();
        }
      } else {
        try {
          await patch();
        } catch (error) {
          const kind = classifyGoogleError(error).kind;
          if (kind !== "not-found" && kind !== "gone") throw error;
          await insert();
        }
      }
      return { status: "done", eventId: event.id };
    } catch (error) {
      return this.writeFailure(businessId, error);
    }
  }

  async deleteEvent(businessId: string, eventId: string): Promise<CalendarWriteResult> {
    const connected = await this.connect(businessId, this.options.writeTimeoutMs ?? 10_000);
    if (!connected) return { status: "not-connected" };
    try {
      await connected.api.events.delete({
        calendarId: connected.credentials.eventCalendarId,
        eventId,
        sendUpdates: "none",
      });
      return { status: "done", eventId };
    } catch (error) {
      const kind = classifyGoogleError(error).kind;
      // Deleted already (by an earlier try, or by the owner): the goal is reached.
      if (kind === "not-found" || kind === "gone") return { status: "done", eventId };
      return this.writeFailure(businessId, error);
    }
  }

  async changesSince(businessId: string): Promise<CalendarChanges> {
    const connected = await this.connect(businessId, this.options.writeTimeoutMs ?? 10_000);
    if (!connected) return { status: "not-connected" };
    let syncToken = connected.credentials.syncToken;
    let fullResync = syncToken === undefined;
    for (;;) {
      try {
        const listed = await listAll(connected, syncToken);
        return {
          status: "ok",
          changes: listed.changes,
          checkpoint: listed.nextSyncToken,
          fullResync,
        };
      } catch (error) {
        const failure = await this.failed(businessId, error);
        if (failure.kind === "gone" && syncToken !== undefined) {
          // Google forgot our place: list everything again (our changes are idempotent).
          logInfo(this.options.logger, "calendar.full-resync", { businessId });
          syncToken = undefined;
          fullResync = true;
          continue;
        }
        if (failure.kind === "revoked") return { status: "not-connected" };
        const reason = "reason" in failure ? failure.reason : failure.kind;
        return { status: "transient", reason };
      }
    }
  }

  async commitChanges(businessId: string, checkpoint: string): Promise<void> {
    await this.options.credentials.saveSyncToken(businessId, checkpoint);
  }
}

const MAX_PAGES = 50;

async function listAll(
  connected: Connected,
  syncToken: string | undefined,
): Promise<{ changes: CalendarEventChange[]; nextSyncToken: string }> {
  const changes: CalendarEventChange[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await connected.api.events.list({
      calendarId: connected.credentials.eventCalendarId,
      showDeleted: true,
      maxResults: 250,
      ...(syncToken ? { syncToken } : {}),
      ...(pageToken ? { pageToken } : {}),
    });
    for (const item of response.data.items ?? []) {
      const change = toChange(item);
      if (change) changes.push(change);
    }
    if (response.data.nextPageToken) {
      pageToken = response.data.nextPageToken;
      continue;
    }
    if (!response.data.nextSyncToken) throw new Error("events.list ended without nextSyncToken");
    return { changes, nextSyncToken: response.data.nextSyncToken };
  }
  throw new Error(`events.list did not finish within ${MAX_PAGES} pages`);
}

interface ListedEvent {
  id?: string | null;
  status?: string | null;
  start?: { dateTime?: string | null } | null;
  end?: { dateTime?: string | null } | null;
}

/** Our events only (recognised by their id); all-day or odd shapes are left alone. */
function toChange(item: ListedEvent): CalendarEventChange | undefined {
  const ref = item.id ? appointmentRefFromEventId(item.id) : undefined;
  if (!item.id || !ref) return undefined;
  if (item.status === "cancelled") return { eventId: item.id, ref, cancelled: true };
  const start = item.start?.dateTime ? new Date(item.start.dateTime) : undefined;
  const end = item.end?.dateTime ? new Date(item.end.dateTime) : undefined;
  if (!start || !end || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    return undefined;
  }
  return { eventId: item.id, ref, cancelled: false, start, end };
}

function toGoogleEvent(event: CalendarEventDraft) {
  return {
    id: event.id,
    summary: event.summary,
    description: event.description,
    location: event.location,
    start: event.start,
    end: event.end,
    extendedProperties: { private: event.privateProperties },
    // The owner's own reminders apply; the customer is never invited from here.
    reminders: { useDefault: true },
  };
}
