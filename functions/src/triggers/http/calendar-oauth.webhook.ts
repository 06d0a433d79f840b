import { onRequest } from "firebase-functions/v2/https";
import { FirebaseIdTokenVerifier } from "../../adapters/calendar/firebase-id-token.verifier";
import { authorizationUrl, exchangeCode, revokeGrant } from "../../adapters/calendar/google-oauth";
import { CALENDAR_SECRETS, calendarRuntime } from "../../calendar.bootstrap";
import { handleCalendarOAuthRequest } from "./calendar-oauth.handler";
import { FUNCTION_OPTIONS } from "../../function-options";
import { ipCounter } from "../../bootstrap";
import { clientIp, ipLimited } from "./ip-limit";

const verifier = new FirebaseIdTokenVerifier();

/**
 * Google Calendar connect flow for owners: {PUBLIC_WEBHOOK_BASE_URL}/calendarOAuth/start,
 * /callback (the redirect URI registered with Google), /status, /settings, /disconnect.
 * CORS is open because the dashboard calls it with a bearer token, never cookies.
 */
export const calendarOAuth = onRequest(
  { ...FUNCTION_OPTIONS.calendarOAuth, secrets: CALENDAR_SECRETS, cors: true },
  async (req, res) => {
    const runtime = calendarRuntime();
    const limited = await ipLimited(
      {
        endpoint: "calendarOAuth",
        ip: clientIp(req.header("x-forwarded-for"), req.ip),
        now: runtime.deps.clock.now(),
      },
      { counter: ipCounter(), logger: runtime.deps.logger },
    );
    if (limited) {
      res.set("Retry-After", limited.headers["Retry-After"]);
      res.status(limited.status).type(limited.contentType).send(limited.body);
      return;
    }
    const answer = await handleCalendarOAuthRequest(
      {
        method: req.method,
        path: req.url,
        authorization: req.header("authorization") ?? null,
        body: req.body as unknown,
      },
      {
        oauth: runtime.oauth,
        secrets: runtime.secrets,
        google: { authorizationUrl, exchangeCode, revokeGrant },
        connections: runtime.connections,
        verifier,
        appointments: runtime.deps.appointments,
        syncQueue: runtime.deps.queue,
        clock: runtime.deps.clock,
        logger: runtime.deps.logger,
        dashboardBaseUrl: runtime.dashboardBaseUrl,
      },
    );
    // Nothing here may be cached: state links are single-use, status changes.
    res.set("Cache-Control", "no-store");
    for (const [name, value] of Object.entries(answer.headers ?? {})) res.set(name, value);
    res.status(answer.status).type(answer.contentType).send(answer.body);
  },
);
