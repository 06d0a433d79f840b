import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import type { AppointmentRef } from "../../domain/calendar/calendar-event";
import type {
  CalendarConnections,
  CalendarSyncQueue,
  CalendarSyncQueueItem,
} from "../../ports/calendar-sync.port";
import type { AuditEntry } from "../../ports/dashboard.port";
import type { CalendarSecrets, EncryptedToken } from "../calendar/calendar-secrets";
import { auditRef, auditToFirestore } from "./audit-entry";
import { isAlreadyExists } from "./converters";
import { paths } from "./paths";

/**
 * The Google Calendar connection of each business, in the server-only
 * document businesses/{b}/private/calendar (firestore.rules deny clients
 * everything). The refresh token is stored only encrypted; nothing here
 * ever hands it to a client.
 */

export const DEFAULT_CALENDAR_ID = "primary";

export const calendarSettingsSchema = z.object({
  /** Calendars whose events count as busy time when offering slots. */
  busyCalendarIds: z.array(z.string().min(1).max(256)).min(1).max(20),
  /** The calendar our appointment events are written to. */
  eventCalendarId: z.string().min(1).max(256),
});
export type CalendarSettings = z.infer<typeof calendarSettingsSchema>;

export const DEFAULT_CALENDAR_SETTINGS: CalendarSettings = {
  busyCalendarIds: [DEFAULT_CALENDAR_ID],
  eventCalendarId: DEFAULT_CALENDAR_ID,
};

const timestamp = z.instanceof(Timestamp).transform((t) => t.toDate());

const storedSchema = z.object({
  status: z.enum(["connected", "needs-reconnect"]),
  refreshToken: z.object({
    v: z.literal(1),
    iv: z.string(),
    tag: z.string(),
    ct: z.string(),
  }),
  scope: z.string().default(""),
  connectedAt: timestamp,
  connectedBy: z.string().optional(),
  busyCalendarIds: z.array(z.string()).min(1).default([DEFAULT_CALENDAR_ID]),
  eventCalendarId: z.string().min(1).default(DEFAULT_CALENDAR_ID),
  /** events.list sync token for eventCalendarId; absent means a full sync next. */
  syncToken: z.string().optional(),
  needsReconnectSince: timestamp.optional(),
  lastError: z.string().optional(),
});

/** What the owner (and the dashboard) may see: never the token. */
export interface CalendarConnectionView extends CalendarSettings {
  status: "connected" | "needs-reconnect" | "not-connected";
  connectedAt?: Date;
  needsReconnectSince?: Date;
}

/** What the calendar adapter works with: the decrypted refresh token stays in server memory. */
export interface CalendarCredentials extends CalendarSettings {
  status: "connected" | "needs-reconnect";
  refreshToken: string;
  syncToken?: string;
}

export class FirestoreCalendarConnectionRepository implements CalendarConnections {
  constructor(
    private readonly db: Firestore,
    /** Built on first use: only paths that touch the token need the key. */
    private readonly secrets: () => CalendarSecrets,
  ) {}

  private ref(businessId: string) {
    return this.db.doc(paths.calendarConnection(businessId));
  }

  private async read(businessId: string) {
    const snapshot = await this.ref(businessId).get();
    return snapshot.exists ? storedSchema.parse(snapshot.data()) : undefined;
  }

  async view(businessId: string): Promise<CalendarConnectionView> {
    const stored = await this.read(businessId);
    if (!stored) return { status: "not-connected", ...DEFAULT_CALENDAR_SETTINGS };
    return {
      status: stored.status,
      busyCalendarIds: stored.busyCalendarIds,
      eventCalendarId: stored.eventCalendarId,
      connectedAt: stored.connectedAt,
      needsReconnectSince: stored.needsReconnectSince,
    };
  }

  async credentials(businessId: string): Promise<CalendarCredentials | undefined> {
    const stored = await this.read(businessId);
    if (!stored) return undefined;
    return {
      status: stored.status,
      refreshToken: this.secrets().decrypt(stored.refreshToken as EncryptedToken, businessId),
      busyCalendarIds: stored.busyCalendarIds,
      eventCalendarId: stored.eventCalendarId,
      syncToken: stored.syncToken,
    };
  }

  /**
   * Stores a fresh grant, keeping the business's calendar settings, and pulls
   * changes at once. `audit` (the owner connecting) is written in the same batch.
   */
  async saveGrant(
    businessId: string,
    grant: { refreshToken: string; scope: string; uid: string; at: Date },
    audit?: AuditEntry,
  ): Promise<void> {
    const existing = await this.read(businessId).catch(() => undefined);
    const settings = existing
      ? { busyCalendarIds: existing.busyCalendarIds, eventCalendarId: existing.eventCalendarId }
      : DEFAULT_CALENDAR_SETTINGS;
    const batch = this.db.batch();
    batch.set(this.ref(businessId), {
      status: "connected",
      refreshToken: this.secrets().encrypt(grant.refreshToken, businessId),
      scope: grant.scope,
      connectedAt: Timestamp.fromDate(grant.at),
      connectedBy: grant.uid,
      ...settings,
      updatedAt: Timestamp.fromDate(grant.at),
    });
    if (audit) batch.set(auditRef(this.db, businessId), auditToFirestore(audit));
    await batch.commit();
    await this.schedulePull(businessId, grant.at);
  }

  /** False when nothing is connected; `audit` is written in the same batch as the change. */
  async saveSettings(
    businessId: string,
    settings: CalendarSettings,
    at: Date,
    audit?: AuditEntry,
  ): Promise<boolean> {
    const existing = await this.read(businessId);
    if (!existing) return false;
    const batch = this.db.batch();
    batch.update(this.ref(businessId), {
      busyCalendarIds: settings.busyCalendarIds,
      eventCalendarId: settings.eventCalendarId,
      // A sync token belongs to one calendar: another one starts with a full sync.
      ...(settings.eventCalendarId !== existing.eventCalendarId
        ? { syncToken: FieldValue.delete() }
        : {}),
      updatedAt: Timestamp.fromDate(at),
    });
    if (audit) batch.set(auditRef(this.db, businessId), auditToFirestore(audit));
    await batch.commit();
    return true;
  }

  async saveSyncToken(businessId: string, syncToken: string | undefined): Promise<void> {
    await this.ref(businessId).update({
      syncToken: syncToken ?? FieldValue.delete(),
    });
  }

  /** Forgets the grant and its pulls; `audit` (the owner disconnecting) in the same batch. */
  async remove(businessId: string, audit?: AuditEntry | null): Promise<void> {
    const batch = this.db.batch();
    batch.delete(this.ref(businessId));
    batch.delete(this.db.doc(paths.calendarPull(businessId)));
    if (audit) batch.set(auditRef(this.db, businessId), auditToFirestore(audit));
    await batch.commit();
  }

  async markNeedsReconnect(
    businessId: string,
    at: Date,
    reason: string,
  ): Promise<"marked" | "unchanged"> {
    const stored = await this.read(businessId);
    if (!stored || stored.status === "needs-reconnect") return "unchanged";
    await this.ref(businessId).update({
      status: "needs-reconnect",
      needsReconnectSince: Timestamp.fromDate(at),
      lastError: reason.slice(0, 500),
      updatedAt: Timestamp.fromDate(at),
    });
    await this.db.doc(paths.calendarPull(businessId)).delete();
    return "marked";
  }

  async duePulls(now: Date, limit: number): Promise<string[]> {
    const snapshot = await this.db
      .collection(paths.calendarPulls())
      .where("dueAt", "<=", Timestamp.fromDate(now))
      .orderBy("dueAt")
      .limit(limit)
      .get();
    return snapshot.docs.map((doc) => String(doc.get("businessId")));
  }

  async schedulePull(businessId: string, dueAt: Date): Promise<void> {
    // Only while connected: a pull scheduled for a removed connection would never stop.
    const stored = await this.read(businessId).catch(() => undefined);
    if (!stored || stored.status !== "connected") return;
    await this.db
      .doc(paths.calendarPull(businessId))
      .set({ businessId, dueAt: Timestamp.fromDate(dueAt) });
  }

  /** "replayed" when this state value was used before: each connect link works once. */
  async claimOAuthState(
    nonce: string,
    claim: { businessId: string; at: Date; expiresAt: Date },
  ): Promise<"claimed" | "replayed"> {
    try {
      await this.db.doc(paths.calendarOAuthState(nonce)).create({
        businessId: claim.businessId,
        usedAt: Timestamp.fromDate(claim.at),
        expiresAt: Timestamp.fromDate(claim.expiresAt),
      });
      return "claimed";
    } catch (error) {
      if (isAlreadyExists(error)) return "replayed";
      throw error;
    }
  }
}

const queueItemSchema = z.object({
  businessId: z.string().min(1),
  appointmentId: z.string().min(1),
  attempts: z.number().int().min(0),
  dueAt: timestamp,
});

/** calendarSyncQueue/{businessId}_{appointmentId}: top-level, indexed by dueAt alone. */
export class FirestoreCalendarSyncQueue implements CalendarSyncQueue {
  constructor(private readonly db: Firestore) {}

  async schedule(item: CalendarSyncQueueItem): Promise<void> {
    await this.db.doc(paths.calendarSyncQueueItem(item.businessId, item.appointmentId)).set({
      businessId: item.businessId,
      appointmentId: item.appointmentId,
      attempts: item.attempts,
      dueAt: Timestamp.fromDate(item.dueAt),
    });
  }

  async remove(ref: AppointmentRef): Promise<void> {
    await this.db.doc(paths.calendarSyncQueueItem(ref.businessId, ref.appointmentId)).delete();
  }

  async due(now: Date, limit: number): Promise<CalendarSyncQueueItem[]> {
    const snapshot = await this.db
      .collection(paths.calendarSyncQueue())
      .where("dueAt", "<=", Timestamp.fromDate(now))
      .orderBy("dueAt")
      .limit(limit)
      .get();
    return snapshot.docs.map((doc) => queueItemSchema.parse(doc.data()));
  }
}
