import { CalendarSecrets } from "./adapters/calendar/calendar-secrets";
import { GoogleCalendarAdapter } from "./adapters/calendar/google-calendar.adapter";
import type { GoogleOAuthConfig } from "./adapters/calendar/google-oauth";
import { FirestoreAppointmentRepository } from "./adapters/firestore/appointment.repository";
import { FirestoreBusinessRepository } from "./adapters/firestore/business.repository";
import {
  FirestoreCalendarConnectionRepository,
  FirestoreCalendarSyncQueue,
} from "./adapters/firestore/calendar-connection.repository";
import { appFirestore } from "./adapters/firestore/firestore-client";
import { FirestoreOutboxRepository } from "./adapters/firestore/outbox.repository";
import { functionsLoggerAdapter } from "./logs";
import { type CalendarSweepDeps, reportCalendarGrantRevoked } from "./app/calendar-sweep";
import {
  calendarTokenKey,
  dashboardBaseUrl,
  googleApiBaseUrl,
  googleOAuthBaseUrl,
  googleOAuthClientId,
  googleOAuthClientSecret,
  publicWebhookBaseUrl,
} from "./params";
import { systemClock } from "./ports/clock.port";
import { degradationReporterOn } from "./degradation.bootstrap";

/**
 * The real Google Calendar adapters, built from params at run time (never at
 * module load) and kept per instance while the configuration is unchanged.
 * Functions using these must declare the secrets in CALENDAR_SECRETS.
 */
export const CALENDAR_SECRETS = [googleOAuthClientSecret, calendarTokenKey];

/** The deployed name of the OAuth function; its callback URL is registered with Google. */
export const CALENDAR_OAUTH_FUNCTION = "calendarOAuth";

export interface CalendarRuntime {
  /** Undefined when GOOGLE_OAUTH_CLIENT_ID is empty: every business reads as not connected. */
  oauth: GoogleOAuthConfig | undefined;
  secrets: () => CalendarSecrets;
  connections: FirestoreCalendarConnectionRepository;
  adapter: GoogleCalendarAdapter;
  deps: CalendarSweepDeps;
  dashboardBaseUrl: string;
}

let runtime: { key: string; value: CalendarRuntime } | undefined;

function baseUrl(value: string): string {
  return value.replace(/\/+$/, "");
}

export function calendarRuntime(): CalendarRuntime {
  const clientId = googleOAuthClientId.value();
  const clientSecret = clientId ? googleOAuthClientSecret.value() : "";
  const keyText = clientId ? calendarTokenKey.value() : "";
  const config = {
    clientId,
    clientSecret,
    redirectUri: `${baseUrl(publicWebhookBaseUrl.value())}/${CALENDAR_OAUTH_FUNCTION}/callback`,
    oauthBaseUrl: googleOAuthBaseUrl.value(),
    apiBaseUrl: googleApiBaseUrl.value(),
  };
  const dashboard = baseUrl(dashboardBaseUrl.value());
  const key = JSON.stringify([config, keyText, dashboard]);
  if (runtime?.key === key) return runtime.value;

  const db = appFirestore();
  let secrets: CalendarSecrets | undefined;
  // Built on first use, so a missing key fails only what needs it, with a clear message.
  const getSecrets = () => (secrets ??= new CalendarSecrets(keyText));
  const connections = new FirestoreCalendarConnectionRepository(db, getSecrets);
  const businesses = new FirestoreBusinessRepository(db);
  const outbox = new FirestoreOutboxRepository(db);
  const logger = functionsLoggerAdapter;
  const oauth = clientId && clientSecret ? config : undefined;
  const adapter = new GoogleCalendarAdapter({
    oauth,
    credentials: connections,
    logger,
    onGrantRevoked: (businessId, reason) =>
      reportCalendarGrantRevoked(businessId, reason, {
        connections,
        businesses,
        outbox,
        clock: systemClock,
        logger,
        reconnectUrl: dashboard,
      }),
  });
  const value: CalendarRuntime = {
    oauth,
    secrets: getSecrets,
    connections,
    adapter,
    dashboardBaseUrl: dashboard,
    deps: {
      appointments: new FirestoreAppointmentRepository(db),
      businesses,
      calendar: adapter,
      feed: adapter,
      queue: new FirestoreCalendarSyncQueue(db),
      connections,
      outbox,
      clock: systemClock,
      logger,
      dashboardBaseUrl: dashboard,
      degradation: degradationReporterOn(db),
    },
  };
  runtime = { key, value };
  return value;
}
