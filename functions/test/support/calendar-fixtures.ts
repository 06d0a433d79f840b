import { randomBytes } from "node:crypto";
import { CalendarSecrets } from "../../src/adapters/calendar/calendar-secrets";
import { GoogleCalendarAdapter } from "../../src/adapters/calendar/google-calendar.adapter";
import type { GoogleOAuthConfig } from "../../src/adapters/calendar/google-oauth";
import { FirestoreCalendarConnectionRepository } from "../../src/adapters/firestore/calendar-connection.repository";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { RecordingLogger } from "./in-memory-outbox.store";
import { GoogleFakeServer } from "./google-fake.server";

/** Shared set-up for tests of the Google Calendar integration against the local Google fake. */
export const TEST_CLIENT_ID = "1234-test.apps.googleusercontent.com";
export const TEST_CLIENT_SECRET = "test-client-secret";
export const TEST_TOKEN_KEY = randomBytes(32).toString("base64");

export function newGoogleFake(pageSize?: number): GoogleFakeServer {
  return new GoogleFakeServer({
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    pageSize,
  });
}

export function oauthConfigFor(fakeBaseUrl: string, redirectUri: string): GoogleOAuthConfig {
  return {
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    redirectUri,
    oauthBaseUrl: fakeBaseUrl,
    apiBaseUrl: fakeBaseUrl,
  };
}

export function testConnections(): FirestoreCalendarConnectionRepository {
  const secrets = new CalendarSecrets(TEST_TOKEN_KEY);
  return new FirestoreCalendarConnectionRepository(appFirestore(), () => secrets);
}

export interface AdapterWorld {
  adapter: GoogleCalendarAdapter;
  connections: FirestoreCalendarConnectionRepository;
  revoked: Array<{ businessId: string; reason: string }>;
  logger: RecordingLogger;
}

/** The real adapter and connection store, with the revoked-grant listener recording calls. */
export function adapterWorld(
  fakeBaseUrl: string,
  timeouts: { writeMs?: number } = {},
): AdapterWorld {
  const connections = testConnections();
  const revoked: AdapterWorld["revoked"] = [];
  const logger = new RecordingLogger();
  const adapter = new GoogleCalendarAdapter({
    oauth: oauthConfigFor(fakeBaseUrl, "http://127.0.0.1:1/calendarOAuth/callback"),
    credentials: connections,
    logger,
    writeTimeoutMs: timeouts.writeMs,
    onGrantRevoked: async (businessId, reason) => {
      revoked.push({ businessId, reason });
      await connections.markNeedsReconnect(businessId, new Date(), reason);
    },
  });
  return { adapter, connections, revoked, logger };
}

/** Connects a business as if its owner had just consented; returns the refresh token. */
export async function connectBusiness(
  fake: GoogleFakeServer,
  connections: FirestoreCalendarConnectionRepository,
  businessId: string,
): Promise<string> {
  const refreshToken = fake.grantRefreshToken();
  await connections.saveGrant(businessId, {
    refreshToken,
    scope: "https://www.googleapis.com/auth/calendar.events",
    uid: "owner-uid",
    at: new Date(),
  });
  return refreshToken;
}
