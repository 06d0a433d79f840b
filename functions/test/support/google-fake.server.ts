import { randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local HTTP server speaking the parts of Google's OAuth 2.0 endpoints and
 * Calendar API v3 the product uses, so the real googleapis client can be
 * pointed at it (rootUrl, OAuth2Client endpoints). It checks what it receives
 * (client credentials, redirect URI, bearer tokens, event ids), keeps
 * calendars in memory with sync tokens, and fails on demand.
 *
 *   GET  /o/oauth2/v2/auth        the consent screen: consents at once, redirects with a code
 *   POST /token                   authorization_code and refresh_token grants
 *   POST /revoke?token=           revokes a refresh token
 *   POST /calendar/v3/freeBusy
 *   POST|GET /calendar/v3/calendars/{cal}/events          insert, list (syncToken, pageToken)
 *   GET|PATCH|DELETE /calendar/v3/calendars/{cal}/events/{id}
 */

export type GoogleOp =
  | "consent"
  | "token.code"
  | "token.refresh"
  | "revoke"
  | "freebusy"
  | "events.insert"
  | "events.patch"
  | "events.delete"
  | "events.get"
  | "events.list";

export interface RecordedGoogleRequest {
  op: GoogleOp | "unknown";
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** The bearer token sent to the Calendar API, if any. */
  accessToken?: string;
}

export interface FakeEvent {
  id: string;
  status: "confirmed" | "cancelled";
  summary?: string;
  description?: string;
  location?: string;
  start?: { dateTime?: string; timeZone?: string; date?: string };
  end?: { dateTime?: string; timeZone?: string; date?: string };
  extendedProperties?: { private?: Record<string, string> };
  updated: string;
  /** Change sequence number, for sync tokens. */
  seq: number;
}

export type GoogleFault =
  | { status: number; body?: unknown }
  /** Waits before answering normally (the change still happens, as on a slow Google). */
  | { delayMs: number };

export interface GoogleFakeOptions {
  clientId: string;
  clientSecret: string;
  /** How many events.list items per page. */
  pageSize?: number;
}

const API = "/calendar/v3";

export class GoogleFakeServer {
  readonly requests: RecordedGoogleRequest[] = [];
  private server: http.Server | undefined;
  private baseUrl = "";
  private readonly calendars = new Map<string, Map<string, FakeEvent>>();
  private readonly codes = new Map<string, { redirectUri: string; scope: string }>();
  /** refresh token -> still valid */
  private readonly refreshTokens = new Map<string, boolean>();
  /** access token -> refresh token it came from, and whether it has expired */
  private readonly accessTokens = new Map<string, { refreshToken: string; expired: boolean }>();
  private readonly faults = new Map<GoogleOp, GoogleFault[]>();
  private seq = 0;
  /** Sync tokens issued before this sequence number answer 410 Gone. */
  private oldestValidSeq = 0;

  constructor(private readonly options: GoogleFakeOptions) {}

  async start(): Promise<{ baseUrl: string }> {
    this.server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return { baseUrl: this.baseUrl };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  reset(): void {
    this.requests.length = 0;
    this.calendars.clear();
    this.codes.clear();
    this.refreshTokens.clear();
    this.accessTokens.clear();
    this.faults.clear();
  }

  // ---- test controls -------------------------------------------------------

  /** The next `times` requests of this kind get this answer instead. */
  failNext(op: GoogleOp, fault: GoogleFault, times = 1): void {
    const queue = this.faults.get(op) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(op, queue);
  }

  /** Forgets the failures queued by failNext that no request has taken yet. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** A refresh token as if the owner had consented earlier. */
  grantRefreshToken(): string {
    const token = `1//refresh-${randomBytes(8).toString("hex")}`;
    this.refreshTokens.set(token, true);
    return token;
  }

  /** The owner removes our access in their Google account, or the grant expires. */
  revokeRefreshToken(token: string): void {
    this.refreshTokens.set(token, false);
  }

  isRefreshTokenValid(token: string): boolean {
    return this.refreshTokens.get(token) === true;
  }

  /** Every access token issued so far stops working (401), as after an hour. */
  expireAccessTokens(): void {
    for (const entry of this.accessTokens.values()) entry.expired = true;
  }

  /** Google forgets every sync token issued so far: the next incremental list gets 410. */
  invalidateSyncTokens(): void {
    this.oldestValidSeq = this.seq + 1;
  }

  events(calendarId = "primary"): FakeEvent[] {
    return [...(this.calendars.get(calendarId)?.values() ?? [])].map((e) => structuredClone(e));
  }

  event(eventId: string, calendarId = "primary"): FakeEvent | undefined {
    const found = this.calendars.get(calendarId)?.get(eventId);
    return found ? structuredClone(found) : undefined;
  }

  /** Something in the owner's own diary (not ours). */
  addPersonalEvent(start: Date, end: Date, calendarId = "primary", summary = "Dentist"): string {
    const id = `personal${randomBytes(6).toString("hex")}`;
    this.store(calendarId, {
      id,
      status: "confirmed",
      summary,
      start: { dateTime: start.toISOString() },
      end: { dateTime: end.toISOString() },
    });
    return id;
  }

  /** The owner drags an event to another time in Google Calendar. */
  ownerMoves(eventId: string, start: Date, end: Date, calendarId = "primary"): void {
    const event = this.require(calendarId, eventId);
    this.store(calendarId, {
      ...event,
      start: { dateTime: start.toISOString(), timeZone: event.start?.timeZone },
      end: { dateTime: end.toISOString(), timeZone: event.end?.timeZone },
    });
  }

  /** The owner deletes an event in Google Calendar. */
  ownerDeletes(eventId: string, calendarId = "primary"): void {
    this.store(calendarId, { ...this.require(calendarId, eventId), status: "cancelled" });
  }

  requestsFor(op: GoogleOp): RecordedGoogleRequest[] {
    return this.requests.filter((r) => r.op === op);
  }

  // ---- protocol ------------------------------------------------------------

  private require(calendarId: string, eventId: string): FakeEvent {
    const event = this.calendars.get(calendarId)?.get(eventId);
    if (!event) throw new Error(`no event ${eventId} in ${calendarId}`);
    return event;
  }

  private store(calendarId: string, event: Omit<FakeEvent, "seq" | "updated">): FakeEvent {
    this.seq += 1;
    const stored = { ...event, seq: this.seq, updated: new Date().toISOString() } as FakeEvent;
    const calendar = this.calendars.get(calendarId) ?? new Map<string, FakeEvent>();
    calendar.set(event.id, stored);
    this.calendars.set(calendarId, calendar);
    return stored;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const raw = await new Promise<string>((resolve) => {
      let data = "";
      req.on("data", (chunk: Buffer) => (data += chunk.toString("utf8")));
      req.on("end", () => resolve(data));
    });
    const contentType = req.headers["content-type"] ?? "";
    let body: unknown = raw;
    if (contentType.includes("application/json") && raw) body = JSON.parse(raw);
    if (contentType.includes("application/x-www-form-urlencoded")) {
      body = Object.fromEntries(new URLSearchParams(raw));
    }
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
    const route = this.route(req.method ?? "GET", url.pathname);
    const recorded: RecordedGoogleRequest = {
      op: route?.op ?? "unknown",
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      accessToken: auth?.[1],
    };
    this.requests.push(recorded);
    const reply = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        ...(payload === undefined ? {} : { "content-type": "application/json; charset=UTF-8" }),
        ...headers,
      });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    if (!route) return reply(404, apiError(404, "notFound", `no fake route ${url.pathname}`));

    const fault = this.faults.get(route.op)?.shift();
    if (fault && "delayMs" in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault && "status" in fault) {
      return reply(fault.status, fault.body ?? apiError(fault.status, "backendError", "injected"));
    }

    if (route.op.startsWith("token") || route.op === "revoke" || route.op === "consent") {
      const answer = this.oauth(route.op, url, body);
      return reply(answer.status, answer.body, answer.headers);
    }
    // The Calendar API: a live access token, or 401 (the client then refreshes once).
    const token = auth ? this.accessTokens.get(auth[1]) : undefined;
    if (!token || token.expired || !this.isRefreshTokenValid(token.refreshToken)) {
      return reply(401, apiError(401, "authError", "Invalid Credentials"));
    }
    const answer = this.calendar(route, url, body);
    return reply(answer.status, answer.body);
  }

  private route(
    method: string,
    path: string,
  ): { op: GoogleOp; calendarId?: string; eventId?: string } | undefined {
    if (method === "GET" && path === "/o/oauth2/v2/auth") return { op: "consent" };
    if (method === "POST" && path === "/token") return { op: "token.code" };
    if (method === "POST" && path === "/revoke") return { op: "revoke" };
    if (method === "POST" && path === `${API}/freeBusy`) return { op: "freebusy" };
    const m = new RegExp(`^${API}/calendars/([^/]+)/events(?:/([^/]+))?$`).exec(path);
    if (!m) return undefined;
    const calendarId = decodeURIComponent(m[1]);
    const eventId = m[2] ? decodeURIComponent(m[2]) : undefined;
    if (!eventId) {
      if (method === "POST") return { op: "events.insert", calendarId };
      if (method === "GET") return { op: "events.list", calendarId };
      return undefined;
    }
    const op = ({ GET: "events.get", PATCH: "events.patch", DELETE: "events.delete" } as const)[
      method as "GET" | "PATCH" | "DELETE"
    ];
    return op ? { op, calendarId, eventId } : undefined;
  }

  private oauth(
    op: GoogleOp,
    url: URL,
    body: unknown,
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    const form = (typeof body === "object" && body ? body : {}) as Record<string, string>;
    if (op === "consent") {
      const q = Object.fromEntries(url.searchParams);
      if (q.client_id !== this.options.clientId || !q.redirect_uri) {
        return { status: 400, body: { error: "invalid_client" } };
      }
      const code = `4/code-${randomBytes(8).toString("hex")}`;
      this.codes.set(code, { redirectUri: q.redirect_uri, scope: q.scope ?? "" });
      const back = new URL(q.redirect_uri);
      back.searchParams.set("code", code);
      if (q.state) back.searchParams.set("state", q.state);
      back.searchParams.set("scope", q.scope ?? "");
      return { status: 302, headers: { location: back.toString() } };
    }
    if (op === "revoke") {
      const token = url.searchParams.get("token") ?? form.token;
      if (!token || !this.refreshTokens.has(token))
        return { status: 400, body: { error: "invalid_token" } };
      this.refreshTokens.set(token, false);
      return { status: 200, body: {} };
    }
    if (
      form.client_id !== this.options.clientId ||
      form.client_secret !== this.options.clientSecret
    ) {
      return { status: 401, body: { error: "invalid_client", error_description: "Unauthorized" } };
    }
    if (form.grant_type === "authorization_code") {
      const issued = form.code ? this.codes.get(form.code) : undefined;
      // Codes are single-use, and only for the redirect URI they were issued to.
      if (!issued || issued.redirectUri !== form.redirect_uri) {
        return {
          status: 400,
          body: { error: "invalid_grant", error_description: "Malformed auth code." },
        };
      }
      this.codes.delete(form.code);
      const refreshToken = this.grantRefreshToken();
      return {
        status: 200,
        body: {
          access_token: this.issueAccessToken(refreshToken),
          refresh_token: refreshToken,
          expires_in: 3599,
          scope: issued.scope,
          token_type: "Bearer",
        },
      };
    }
    if (form.grant_type === "refresh_token") {
      this.requests[this.requests.length - 1].op = "token.refresh";
      if (!form.refresh_token || !this.isRefreshTokenValid(form.refresh_token)) {
        return {
          status: 400,
          body: { error: "invalid_grant", error_description: "Token has been expired or revoked." },
        };
      }
      return {
        status: 200,
        body: {
          access_token: this.issueAccessToken(form.refresh_token),
          expires_in: 3599,
          token_type: "Bearer",
        },
      };
    }
    return { status: 400, body: { error: "unsupported_grant_type" } };
  }

  private issueAccessToken(refreshToken: string): string {
    const token = `ya29.fake-${randomBytes(8).toString("hex")}`;
    this.accessTokens.set(token, { refreshToken, expired: false });
    return token;
  }

  private calendar(
    route: { op: GoogleOp; calendarId?: string; eventId?: string },
    url: URL,
    body: unknown,
  ): { status: number; body?: unknown } {
    const calendarId = route.calendarId ?? "primary";
    const input = (typeof body === "object" && body ? body : {}) as Partial<FakeEvent>;
    const existing = route.eventId ? this.calendars.get(calendarId)?.get(route.eventId) : undefined;
    switch (route.op) {
      case "freebusy":
        return { status: 200, body: this.freeBusy(body) };
      case "events.insert": {
        if (!input.id || !/^[a-v0-9]{5,1024}$/.test(input.id)) {
          return { status: 400, body: apiError(400, "invalid", "Invalid resource id value.") };
        }
        // Google keeps deleted events' ids too: reusing one is a conflict.
        if (this.calendars.get(calendarId)?.has(input.id)) {
          return {
            status: 409,
            body: apiError(409, "duplicate", "The requested identifier already exists."),
          };
        }
        return {
          status: 200,
          body: this.store(calendarId, { ...input, id: input.id, status: "confirmed" }),
        };
      }
      case "events.get":
        return existing
          ? { status: 200, body: existing }
          : { status: 404, body: apiError(404, "notFound", "Not Found") };
      case "events.patch": {
        if (!existing) return { status: 404, body: apiError(404, "notFound", "Not Found") };
        return {
          status: 200,
          body: this.store(calendarId, { ...existing, ...input, id: existing.id }),
        };
      }
      case "events.delete": {
        if (!existing) return { status: 404, body: apiError(404, "notFound", "Not Found") };
        if (existing.status === "cancelled") {
          return { status: 410, body: apiError(410, "deleted", "Resource has been deleted") };
        }
        this.store(calendarId, { ...existing, status: "cancelled" });
        return { status: 204 };
      }
      case "events.list":
        return this.list(calendarId, url);
      default:
        return { status: 404, body: apiError(404, "notFound", "Not Found") };
    }
  }

  private list(calendarId: string, url: URL): { status: number; body?: unknown } {
    const syncToken = url.searchParams.get("syncToken");
    const pageToken = url.searchParams.get("pageToken");
    const showDeleted = url.searchParams.get("showDeleted") === "true";
    let since = 0;
    if (syncToken) {
      const m = /^sync-(\d+)$/.exec(syncToken);
      if (!m || Number(m[1]) < this.oldestValidSeq) {
        return {
          status: 410,
          body: apiError(
            410,
            "fullSyncRequired",
            "Sync token is no longer valid, a full sync is required.",
          ),
        };
      }
      since = Number(m[1]);
    }
    // A page token carries the snapshot: the sequence number at the first page, and an offset.
    const [upTo, offset] = pageToken ? pageToken.split(":").map(Number) : [this.seq, 0];
    const all = [...(this.calendars.get(calendarId)?.values() ?? [])]
      .filter((e) => e.seq > since && e.seq <= upTo)
      // A full sync leaves out deleted events unless asked; an incremental one always includes them.
      .filter((e) => syncToken || showDeleted || e.status !== "cancelled")
      .sort((a, b) => a.seq - b.seq);
    const size = this.options.pageSize ?? 250;
    const items = all.slice(offset, offset + size);
    const more = offset + size < all.length;
    return {
      status: 200,
      body: {
        kind: "calendar#events",
        items,
        ...(more
          ? { nextPageToken: `${upTo}:${offset + size}` }
          : { nextSyncToken: `sync-${upTo}` }),
      },
    };
  }

  private freeBusy(body: unknown) {
    const request = body as { timeMin: string; timeMax: string; items: Array<{ id: string }> };
    const from = new Date(request.timeMin).getTime();
    const to = new Date(request.timeMax).getTime();
    const calendars: Record<string, unknown> = {};
    for (const { id } of request.items) {
      const events = this.calendars.get(id);
      if (!events && id !== "primary") {
        calendars[id] = { busy: [], errors: [{ domain: "global", reason: "notFound" }] };
        continue;
      }
      const busy = [...(events?.values() ?? [])]
        .filter((e) => e.status === "confirmed" && e.start?.dateTime && e.end?.dateTime)
        .map((e) => ({
          start: new Date(e.start?.dateTime ?? ""),
          end: new Date(e.end?.dateTime ?? ""),
        }))
        .filter((p) => p.start.getTime() < to && p.end.getTime() > from)
        .sort((a, b) => a.start.getTime() - b.start.getTime())
        .map((p) => ({ start: p.start.toISOString(), end: p.end.toISOString() }));
      calendars[id] = { busy };
    }
    return {
      kind: "calendar#freeBusy",
      timeMin: request.timeMin,
      timeMax: request.timeMax,
      calendars,
    };
  }
}

function apiError(code: number, reason: string, message: string) {
  return { error: { code, message, errors: [{ domain: "global", reason, message }] } };
}
