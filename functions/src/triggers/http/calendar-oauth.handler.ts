import { z } from "zod";
import type { CalendarSecrets } from "../../adapters/calendar/calendar-secrets";
import { checkOAuthState, issueOAuthState } from "../../adapters/calendar/oauth-state";
import type { GoogleOAuthConfig, GrantedTokens } from "../../adapters/calendar/google-oauth";
import {
  type CalendarConnectionView,
  type CalendarCredentials,
  calendarSettingsSchema,
  type CalendarSettings,
} from "../../adapters/firestore/calendar-connection.repository";
import type { AppointmentStore } from "../../ports/appointment-store.port";
import { documentIdSchema } from "../../shared/document-id";
import type { CalendarSyncQueue } from "../../ports/calendar-sync.port";
import type { Clock } from "../../ports/clock.port";
import type { AuditEntry } from "../../ports/dashboard.port";
import type { Logger } from "../../ports/logger.port";
import { errorText, logError, logInfo, logWarn } from "../../logs";

/**
 * The owner connects, configures and disconnects Google Calendar:
 *
 *   GET  /start?business=B       owner's ID token -> 302 to Google's consent screen
 *                                (?format=json answers {"url": ...} for a fetch() from the dashboard)
 *   GET  /callback?code&state    Google sends the owner back here; the grant is stored encrypted
 *   GET  /status?business=B      connection state and settings (never a token)
 *   POST /settings?business=B    {"busyCalendarIds": [...], "eventCalendarId": "..."}
 *   POST /disconnect?business=B  revoke at Google, forget the grant
 *
 * Every route but /callback needs `Authorization: Bearer <Firebase ID token>`
 * of the business's owner (custom claims businessId and role "owner").
 * /callback is authenticated by its `state`: signed, bound to the business
 * and owner, expiring after 10 minutes, and accepted once.
 */

export interface OAuthHttpRequest {
  method: string;
  /** Path and query after the function's URL, e.g. "/start?business=acme". */
  path: string;
  authorization: string | null;
  body: unknown;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export interface VerifiedOwner {
  uid: string;
  claims: Record<string, unknown>;
}

/** Checks a Firebase Auth ID token; throws when it is not valid. */
export interface IdTokenVerifier {
  verify(idToken: string): Promise<VerifiedOwner>;
}

/** Google's side of the flow; the real one is in adapters/calendar/google-oauth.ts. */
export interface GoogleOAuthFlow {
  authorizationUrl(config: GoogleOAuthConfig, state: string): Promise<string>;
  exchangeCode(config: GoogleOAuthConfig, code: string): Promise<GrantedTokens>;
  revokeGrant(config: GoogleOAuthConfig, refreshToken: string): Promise<void>;
}

/** The connection repository's methods this handler uses. */
export interface ConnectionAdmin {
  view(businessId: string): Promise<CalendarConnectionView>;
  credentials(businessId: string): Promise<CalendarCredentials | undefined>;
  /** Each change is written with its audit entry (businesses/{b}/audit): both or neither. */
  saveGrant(
    businessId: string,
    grant: { refreshToken: string; scope: string; uid: string; at: Date },
    audit: AuditEntry,
  ): Promise<void>;
  saveSettings(
    businessId: string,
    settings: CalendarSettings,
    at: Date,
    audit: AuditEntry,
  ): Promise<boolean>;
  /** `audit` null when nothing was connected: nothing changed to record. */
  remove(businessId: string, audit: AuditEntry | null): Promise<void>;
  claimOAuthState(
    nonce: string,
    claim: { businessId: string; at: Date; expiresAt: Date },
  ): Promise<"claimed" | "replayed">;
}

export interface CalendarOAuthDeps {
  oauth: GoogleOAuthConfig | undefined;
  secrets: () => CalendarSecrets;
  google: GoogleOAuthFlow;
  connections: ConnectionAdmin;
  verifier: IdTokenVerifier;
  appointments: AppointmentStore;
  syncQueue: CalendarSyncQueue;
  clock: Clock;
  logger: Logger;
  /** Where the callback page sends the owner back to; may be empty. */
  dashboardBaseUrl: string;
}

/** Upcoming appointments copied into a newly connected calendar. */
const BACKFILL_DAYS = 90;

const businessQuery = z.object({ business: documentIdSchema(100) });
const startQuery = businessQuery.extend({
  format: z.enum(["redirect", "json"]).default("redirect"),
});
const callbackQuery = z.object({
  state: z.string().max(2000).optional(),
  code: z.string().min(1).max(2000).optional(),
  error: z.string().max(200).optional(),
});

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function handleCalendarOAuthRequest(
  req: OAuthHttpRequest,
  deps: CalendarOAuthDeps,
): Promise<HttpAnswer> {
  const [pathname, search = ""] = req.path.split("?");
  const query = Object.fromEntries(new URLSearchParams(search));
  try {
    switch (`${req.method} ${pathname}`) {
      case "GET /start":
        return await start(req, query, deps);
      case "GET /callback":
        return await callback(query, deps);
      case "GET /status": {
        const { businessId } = await requireOwner(req, query, deps);
        return json(200, publicView(await deps.connections.view(businessId)));
      }
      case "POST /settings":
        return await settings(req, query, deps);
      case "POST /disconnect":
        return await disconnect(req, query, deps);
      default:
        return text(404, `No route ${req.method} ${pathname}.`);
    }
  } catch (error) {
    if (error instanceof HttpError) return text(error.status, error.message);
    logError(deps.logger, "calendar.oauth-failed", {
      route: pathname,
      error: errorText(error),
    });
    return text(500, "Something went wrong; please try again.");
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(400, `Bad request: ${issue.path.join(".") || "body"} ${issue.message}`);
  }
  return parsed.data;
}

async function requireOwner(
  req: OAuthHttpRequest,
  query: Record<string, string>,
  deps: CalendarOAuthDeps,
): Promise<{ businessId: string; uid: string }> {
  const { business } = parse(businessQuery, query);
  const match = /^Bearer (\S+)$/.exec(req.authorization ?? "");
  if (!match) throw new HttpError(401, "Sign in: send Authorization: Bearer <Firebase ID token>.");
  let owner: VerifiedOwner;
  try {
    owner = await deps.verifier.verify(match[1]);
  } catch {
    throw new HttpError(401, "The ID token is not valid; sign in again.");
  }
  if (owner.claims.businessId !== business || owner.claims.role !== "owner") {
    throw new HttpError(403, "Only the business's owner can manage its calendar.");
  }
  return { businessId: business, uid: owner.uid };
}

function requireConfigured(deps: CalendarOAuthDeps): GoogleOAuthConfig {
  if (!deps.oauth)
    throw new HttpError(503, "Google Calendar is not configured for this deployment.");
  return deps.oauth;
}

async function start(
  req: OAuthHttpRequest,
  query: Record<string, string>,
  deps: CalendarOAuthDeps,
): Promise<HttpAnswer> {
  const owner = await requireOwner(req, query, deps);
  const { format } = parse(startQuery, query);
  const oauth = requireConfigured(deps);
  const state = issueOAuthState(deps.secrets(), owner, deps.clock.now());
  const url = await deps.google.authorizationUrl(oauth, state);
  if (format === "json") return json(200, { url });
  return {
    status: 302,
    contentType: "text/plain",
    body: "Redirecting to Google.",
    headers: { Location: url },
  };
}

async function callback(
  query: Record<string, string>,
  deps: CalendarOAuthDeps,
): Promise<HttpAnswer> {
  const q = parse(callbackQuery, query);
  const oauth = requireConfigured(deps);
  const now = deps.clock.now();
  const checked = checkOAuthState(deps.secrets(), q.state, now);
  if (!checked.ok) {
    const why = {
      missing: "The link has no state parameter.",
      forged: "The link's state parameter is not one we issued.",
      expired: "The link has expired.",
    }[checked.reason];
    throw new HttpError(400, `${why} Start connecting Google Calendar again from the dashboard.`);
  }
  const { businessId, uid, nonce, expiresAt } = checked.state;
  const claim = await deps.connections.claimOAuthState(nonce, { businessId, at: now, expiresAt });
  if (claim === "replayed") {
    throw new HttpError(
      400,
      "This link was used already. Start connecting again from the dashboard.",
    );
  }
  if (q.error)
    return page(200, "Google Calendar was not connected", `Google said: ${q.error}.`, deps);
  if (!q.code) throw new HttpError(400, "Google sent no authorization code.");

  let tokens: GrantedTokens;
  try {
    tokens = await deps.google.exchangeCode(oauth, q.code);
  } catch (error) {
    logWarn(deps.logger, "calendar.code-exchange-failed", {
      businessId,
      error: errorText(error),
    });
    throw new HttpError(
      502,
      "Google did not accept the authorization. Please try connecting again.",
    );
  }
  if (!tokens.refreshToken) {
    throw new HttpError(502, "Google returned no long-lived grant. Please try connecting again.");
  }
  const before = await deps.connections.view(businessId);
  await deps.connections.saveGrant(
    businessId,
    { refreshToken: tokens.refreshToken, scope: tokens.scope, uid, at: now },
    calendarAudit("connectCalendar", uid, now, auditView(before), {
      status: "connected",
      scope: tokens.scope,
    }),
  );
  const queued = await backfill(businessId, now, deps);
  logInfo(deps.logger, "calendar.connected", { businessId, backfill: queued });
  return page(
    200,
    "Google Calendar connected",
    "New and upcoming appointments will appear in your calendar within a few minutes. You can close this tab.",
    deps,
  );
}

/** Queues upcoming appointments so the sweep copies them into the new calendar. */
async function backfill(businessId: string, now: Date, deps: CalendarOAuthDeps): Promise<number> {
  const until = new Date(now.getTime() + BACKFILL_DAYS * 86_400_000);
  const upcoming = await deps.appointments.listBooked(businessId, now, until);
  for (const appointment of upcoming) {
    await deps.syncQueue.schedule({
      businessId,
      appointmentId: appointment.id,
      attempts: 0,
      dueAt: now,
    });
  }
  return upcoming.length;
}

async function settings(
  req: OAuthHttpRequest,
  query: Record<string, string>,
  deps: CalendarOAuthDeps,
): Promise<HttpAnswer> {
  const { businessId, uid } = await requireOwner(req, query, deps);
  const body = parse(calendarSettingsSchema, req.body);
  const before = await deps.connections.view(businessId);
  const now = deps.clock.now();
  const saved =
    before.status !== "not-connected" &&
    (await deps.connections.saveSettings(
      businessId,
      body,
      now,
      calendarAudit("updateCalendarSettings", uid, now, calendarsOf(before), calendarsOf(body)),
    ));
  if (!saved) throw new HttpError(409, "Connect Google Calendar before choosing calendars.");
  return json(200, publicView(await deps.connections.view(businessId)));
}

async function disconnect(
  req: OAuthHttpRequest,
  query: Record<string, string>,
  deps: CalendarOAuthDeps,
): Promise<HttpAnswer> {
  const { businessId, uid } = await requireOwner(req, query, deps);
  const before = await deps.connections.view(businessId);
  const credentials = await deps.connections.credentials(businessId).catch(() => undefined);
  let revokedAtGoogle = false;
  if (credentials && deps.oauth) {
    try {
      await deps.google.revokeGrant(deps.oauth, credentials.refreshToken);
      revokedAtGoogle = true;
    } catch (error) {
      // Forget it here anyway; the owner can remove access in their Google account too.
      logWarn(deps.logger, "calendar.revoke-failed", {
        businessId,
        error: errorText(error),
      });
    }
  }
  const now = deps.clock.now();
  await deps.connections.remove(
    businessId,
    before.status === "not-connected"
      ? null
      : calendarAudit("disconnectCalendar", uid, now, auditView(before), {
          status: "not-connected",
          revokedAtGoogle,
        }),
  );
  logInfo(deps.logger, "calendar.disconnected", { businessId, revokedAtGoogle });
  return json(200, { status: "not-connected", revokedAtGoogle });
}

/**
 * The audit entry of an owner's change to their calendar connection, as the
 * dashboard's callables write theirs: who, what, when, before and after (never a token).
 */
function calendarAudit(
  action: "connectCalendar" | "updateCalendarSettings" | "disconnectCalendar",
  uid: string,
  at: Date,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): AuditEntry {
  return { action, target: "calendar", actor: { uid, role: "owner" }, at, before, after };
}

/** A connection as its audit entry records it: state, when, and the calendars chosen. */
function auditView(view: CalendarConnectionView): Record<string, unknown> {
  return {
    status: view.status,
    ...(view.connectedAt ? { connectedAt: view.connectedAt.toISOString() } : {}),
    ...(view.status === "not-connected" ? {} : calendarsOf(view)),
  };
}

function calendarsOf(settings: CalendarSettings): Record<string, unknown> {
  return { busyCalendarIds: settings.busyCalendarIds, eventCalendarId: settings.eventCalendarId };
}

function publicView(view: CalendarConnectionView): Record<string, unknown> {
  return {
    status: view.status,
    busyCalendarIds: view.busyCalendarIds,
    eventCalendarId: view.eventCalendarId,
    connectedAt: view.connectedAt?.toISOString() ?? null,
    needsReconnectSince: view.needsReconnectSince?.toISOString() ?? null,
  };
}

function json(status: number, value: unknown): HttpAnswer {
  return { status, contentType: "application/json", body: JSON.stringify(value) };
}

function text(status: number, message: string): HttpAnswer {
  return { status, contentType: "text/plain", body: message };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(status: number, title: string, message: string, deps: CalendarOAuthDeps): HttpAnswer {
  const back = deps.dashboardBaseUrl
    ? `<p><a href="${escapeHtml(deps.dashboardBaseUrl)}">Back to the dashboard</a></p>`
    : "";
  return {
    status,
    contentType: "text/html",
    body:
      `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
      `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${back}</body></html>`,
  };
}
