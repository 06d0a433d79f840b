import type * as CalendarModule from "googleapis/build/src/apis/calendar/index.js";

/**
 * Google's OAuth 2.0 endpoints and the Calendar v3 client, loaded lazily:
 * the calendar module costs about 0.2 s on a cold start (all of googleapis
 * about 1 s), so only the code paths that talk to Google load it, and only
 * the calendar part. The OAuth2 client comes from the same module, so its
 * version always matches the one the Calendar client expects.
 */
type CalendarModuleType = typeof CalendarModule;
export type GoogleOAuthClient = InstanceType<CalendarModuleType["auth"]["OAuth2"]>;
export type CalendarApi = CalendarModule.calendar_v3.Calendar;

let calendarModule: Promise<CalendarModuleType> | undefined;

export function loadCalendarModule(): Promise<CalendarModuleType> {
  calendarModule ??= import("googleapis/build/src/apis/calendar/index.js");
  return calendarModule;
}

/** The scopes we ask for: write our events, read busy time. Nothing else of the owner's. */
export const CALENDAR_SCOPES = [
  "https://www.googleapis.com/auth/calendar.events",
  "https://www.googleapis.com/auth/calendar.freebusy",
] as const;

export interface GoogleOAuthConfig {
  clientId: string;
  clientSecret: string;
  /** PUBLIC_WEBHOOK_BASE_URL + "/calendarOAuth/callback", registered in the Google Cloud console. */
  redirectUri: string;
  /** GOOGLE_OAUTH_BASE_URL: empty in production; a local server's base URL in tests. */
  oauthBaseUrl?: string;
  /** GOOGLE_API_BASE_URL: empty in production (https://www.googleapis.com). */
  apiBaseUrl?: string;
}

/** Google's endpoints, or all three under one local base URL when overridden. */
function endpoints(config: GoogleOAuthConfig) {
  const base = config.oauthBaseUrl?.replace(/\/+$/, "");
  if (!base) return undefined;
  return {
    oauth2AuthBaseUrl: `${base}/o/oauth2/v2/auth`,
    oauth2TokenUrl: `${base}/token`,
    oauth2RevokeUrl: `${base}/revoke`,
  };
}

export async function newOAuthClient(config: GoogleOAuthConfig): Promise<GoogleOAuthClient> {
  const { auth } = await loadCalendarModule();
  return new auth.OAuth2({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    endpoints: endpoints(config),
    // A 401 refreshes the access token and retries once, even before its expiry time.
    forceRefreshOnFailure: true,
  });
}

export async function calendarApi(
  config: GoogleOAuthConfig,
  auth: GoogleOAuthClient,
  timeoutMs: number,
): Promise<CalendarApi> {
  const { calendar } = await loadCalendarModule();
  const base = config.apiBaseUrl?.replace(/\/+$/, "");
  return calendar({
    version: "v3",
    auth,
    ...(base ? { rootUrl: `${base}/` } : {}),
    timeout: timeoutMs,
    // Retries are ours to decide (the platform's, the sweep's), not hidden inside a request.
    retry: false,
  });
}

export async function authorizationUrl(config: GoogleOAuthConfig, state: string): Promise<string> {
  const client = await newOAuthClient(config);
  return client.generateAuthUrl({
    access_type: "offline",
    // Always show consent, so Google always returns a refresh token (also on reconnect).
    prompt: "consent",
    scope: [...CALENDAR_SCOPES],
    include_granted_scopes: true,
    state,
  });
}

export interface GrantedTokens {
  refreshToken?: string;
  scope: string;
}

export async function exchangeCode(
  config: GoogleOAuthConfig,
  code: string,
): Promise<GrantedTokens> {
  const client = await newOAuthClient(config);
  const { tokens } = await client.getToken(code);
  return { refreshToken: tokens.refresh_token ?? undefined, scope: tokens.scope ?? "" };
}

export async function revokeGrant(config: GoogleOAuthConfig, refreshToken: string): Promise<void> {
  const client = await newOAuthClient(config);
  await client.revokeToken(refreshToken);
}

/** How a failed call to Google should be treated. */
export type GoogleFailure =
  | { kind: "revoked"; reason: string }
  | { kind: "not-found" }
  | { kind: "gone" }
  | { kind: "conflict" }
  | { kind: "transient"; reason: string }
  | { kind: "permanent"; reason: string };

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  status?: unknown;
  response?: { status?: unknown; data?: unknown };
}

const RATE_LIMIT_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"]);

export function classifyGoogleError(error: unknown): GoogleFailure {
  const e = (typeof error === "object" && error !== null ? error : {}) as ErrorLike;
  const status = typeof e.response?.status === "number" ? e.response.status : undefined;
  const data = e.response?.data as
    { error?: string | { errors?: Array<{ reason?: string }>; message?: string } } | undefined;
  const message = typeof e.message === "string" ? e.message : String(error);
  // The token endpoint refusing our refresh token: the owner revoked access or it expired.
  if (data?.error === "invalid_grant") return { kind: "revoked", reason: "invalid_grant" };
  if (status === undefined) return { kind: "transient", reason: `network: ${message}` };
  if (status === 404) return { kind: "not-found" };
  if (status === 410) return { kind: "gone" };
  if (status === 409) return { kind: "conflict" };
  if (status === 429 || status >= 500) return { kind: "transient", reason: `HTTP ${status}` };
  const reasons =
    typeof data?.error === "object" ? (data.error.errors ?? []).map((x) => x.reason ?? "") : [];
  if (status === 403 && reasons.some((r) => RATE_LIMIT_REASONS.has(r))) {
    return { kind: "transient", reason: `HTTP 403 ${reasons.join(",")}` };
  }
  // A 401 that survived the client's refresh-and-retry: try again later rather than give up.
  if (status === 401) return { kind: "transient", reason: "HTTP 401 after token refresh" };
  return { kind: "permanent", reason: `HTTP ${status} ${message}`.slice(0, 300) };
}
