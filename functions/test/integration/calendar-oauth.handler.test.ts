import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { Timestamp } from "firebase-admin/firestore";
import { CalendarSecrets } from "../../src/adapters/calendar/calendar-secrets";
import {
  authorizationUrl,
  exchangeCode,
  revokeGrant,
} from "../../src/adapters/calendar/google-oauth";
import { FirestoreAppointmentRepository } from "../../src/adapters/firestore/appointment.repository";
import {
  FirestoreCalendarConnectionRepository,
  FirestoreCalendarSyncQueue,
} from "../../src/adapters/firestore/calendar-connection.repository";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { paths } from "../../src/adapters/firestore/paths";
import {
  type CalendarOAuthDeps,
  handleCalendarOAuthRequest,
  type IdTokenVerifier,
} from "../../src/triggers/http/calendar-oauth.handler";
import { newGoogleFake, oauthConfigFor, TEST_TOKEN_KEY } from "../support/calendar-fixtures";
import { ManualClock, RecordingLogger } from "../support/in-memory-outbox.store";

/** Firebase ID tokens the test hands out: token -> uid and custom claims. */
class FakeIdTokens implements IdTokenVerifier {
  private readonly tokens = new Map<string, { uid: string; claims: Record<string, unknown> }>();
  mint(uid: string, claims: Record<string, unknown>): string {
    const token = `id-token-${randomUUID()}`;
    this.tokens.set(token, { uid, claims });
    return token;
  }
  async verify(idToken: string) {
    const found = this.tokens.get(idToken);
    if (!found) throw new Error("auth/argument-error");
    return found;
  }
}

describe("the calendarOAuth handler over HTTP", () => {
  const google = newGoogleFake();
  const tokens = new FakeIdTokens();
  const clock = new ManualClock(new Date());
  let server: Server;
  let base = "";
  let deps: CalendarOAuthDeps;
  let businessId = "";
  let ownerToken = "";

  before(async () => {
    const { baseUrl: googleUrl } = await google.start();
    const app = express();
    app.use(express.json());
    app.use("/calendarOAuth", (req, res) => {
      void handleCalendarOAuthRequest(
        {
          method: req.method,
          path: req.url,
          authorization: req.header("authorization") ?? null,
          body: req.body as unknown,
        },
        deps,
      ).then((answer) => {
        for (const [k, v] of Object.entries(answer.headers ?? {})) res.set(k, v);
        res.status(answer.status).type(answer.contentType).send(answer.body);
      });
    });
    server = await new Promise((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/calendarOAuth`;
    const secrets = new CalendarSecrets(TEST_TOKEN_KEY);
    const db = appFirestore();
    deps = {
      oauth: oauthConfigFor(googleUrl, `${base}/callback`),
      secrets: () => secrets,
      google: { authorizationUrl, exchangeCode, revokeGrant },
      connections: new FirestoreCalendarConnectionRepository(db, () => secrets),
      verifier: tokens,
      appointments: new FirestoreAppointmentRepository(db),
      syncQueue: new FirestoreCalendarSyncQueue(db),
      clock,
      logger: new RecordingLogger(),
      dashboardBaseUrl: "https://dash.example",
    };
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await google.stop();
  });
  beforeEach(() => {
    google.reset();
    businessId = `oauth-${randomUUID()}`;
    ownerToken = tokens.mint(`uid-${businessId}`, { businessId, role: "owner" });
  });

  const get = (path: string, token?: string) =>
    fetch(`${base}${path}`, {
      redirect: "manual",
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  /** A second later each time, so the audit log's entries come in order. */
  const post = (path: string, token: string, body: unknown = {}) => {
    clock.advance(1_000);
    return fetch(`${base}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  };

  /** The business's audit log, oldest first. */
  async function audit(): Promise<Array<Record<string, unknown>>> {
    const snapshot = await appFirestore().collection(paths.audit(businessId)).get();
    return snapshot.docs
      .map((d) => d.data())
      .sort((a, b) => (a.at as Timestamp).toMillis() - (b.at as Timestamp).toMillis());
  }

  /** Start -> Google's consent screen (which consents) -> the callback URL Google sends the owner to. */
  async function consent(): Promise<string> {
    const start = await get(`/start?business=${businessId}`, ownerToken);
    assert.equal(start.status, 302);
    const atGoogle = await fetch(start.headers.get("location") ?? "", { redirect: "manual" });
    assert.equal(atGoogle.status, 302);
    return atGoogle.headers.get("location") ?? "";
  }

  describe("GET /start", () => {
    it("sends the owner to Google's consent screen for offline calendar access", async () => {
      const response = await get(`/start?business=${businessId}`, ownerToken);

      assert.equal(response.status, 302);
      const url = new URL(response.headers.get("location") ?? "");
      assert.equal(url.pathname, "/o/oauth2/v2/auth");
      assert.equal(url.searchParams.get("access_type"), "offline");
      assert.equal(url.searchParams.get("prompt"), "consent");
      assert.equal(url.searchParams.get("redirect_uri"), `${base}/callback`);
      assert.match(url.searchParams.get("scope") ?? "", /calendar\.events/);
      assert.match(url.searchParams.get("scope") ?? "", /calendar\.freebusy/);
      assert.ok(url.searchParams.get("state"));
    });

    it("answers the URL as JSON for the dashboard's fetch()", async () => {
      const response = await get(`/start?business=${businessId}&format=json`, ownerToken);

      assert.equal(response.status, 200);
      assert.match(((await response.json()) as { url: string }).url, /\/o\/oauth2\/v2\/auth\?/);
    });

    it("refuses without a token (401), with a bad token (401), or for another business (403)", async () => {
      assert.equal((await get(`/start?business=${businessId}`)).status, 401);
      assert.equal((await get(`/start?business=${businessId}`, "forged")).status, 401);
      const otherOwner = tokens.mint("uid-other", { businessId: "other", role: "owner" });
      assert.equal((await get(`/start?business=${businessId}`, otherOwner)).status, 403);
      const staff = tokens.mint("uid-staff", { businessId, role: "staff" });
      assert.equal((await get(`/start?business=${businessId}`, staff)).status, 403);
    });
  });

  describe("GET /callback", () => {
    it("stores the grant encrypted, server-side, and tells the owner it worked", async () => {
      const callback = await consent();

      const response = await fetch(callback);

      assert.equal(response.status, 200);
      assert.match(await response.text(), /Google Calendar connected/);
      const stored = await appFirestore().doc(paths.calendarConnection(businessId)).get();
      assert.equal(stored.get("status"), "connected");
      assert.deepEqual(stored.get("busyCalendarIds"), ["primary"]);
      assert.equal(stored.get("eventCalendarId"), "primary");
      const [issued] = google.requestsFor("token.code");
      assert.equal((issued.body as Record<string, string>).redirect_uri, `${base}/callback`);
      assert.ok(!JSON.stringify(stored.data()).includes("1//refresh-"), "no plaintext token");
      const credentials = await deps.connections.credentials(businessId);
      assert.match(credentials?.refreshToken ?? "", /^1\/\/refresh-/);
    });

    it("records the connection in the audit log, with who connected and never the token", async () => {
      await fetch(await consent());

      const entries = await audit();
      assert.equal(entries.length, 1);
      const [entry] = entries;
      assert.equal(entry.action, "connectCalendar");
      assert.equal(entry.target, "calendar");
      assert.deepEqual(entry.actor, { uid: `uid-${businessId}`, role: "owner" });
      assert.equal((entry.at as Timestamp).toMillis(), clock.now().getTime());
      assert.deepEqual(entry.before, { status: "not-connected" });
      assert.equal((entry.after as { status: string }).status, "connected");
      assert.ok(!JSON.stringify(entry).includes("refresh-"), "no token in the audit log");
    });

    it("accepts each link once: a replay is refused", async () => {
      const callback = await consent();
      assert.equal((await fetch(callback)).status, 200);

      const replay = await fetch(callback);

      assert.equal(replay.status, 400);
      assert.match(await replay.text(), /used already/);
      assert.equal(google.requestsFor("token.code").length, 1);
      assert.equal((await audit()).length, 1, "the replay records nothing");
    });

    it("refuses a missing, forged or expired state before talking to Google", async () => {
      const callback = new URL(await consent());
      const code = callback.searchParams.get("code") ?? "";
      const state = callback.searchParams.get("state") ?? "";
      const [payload] = state.split(".");
      const otherBusiness = Buffer.from(
        JSON.stringify({
          ...JSON.parse(Buffer.from(payload, "base64url").toString()),
          b: "victim",
        }),
      ).toString("base64url");

      const missing = await fetch(`${base}/callback?code=${code}`);
      const forged = await fetch(
        `${base}/callback?code=${code}&state=${otherBusiness}.${state.split(".")[1]}`,
      );
      clock.advance(11 * 60_000);
      const expired = await fetch(callback);
      clock.advance(-11 * 60_000);

      assert.equal(missing.status, 400);
      assert.match(await missing.text(), /no state/);
      assert.equal(forged.status, 400);
      assert.match(await forged.text(), /not one we issued/);
      assert.equal(expired.status, 400);
      assert.match(await expired.text(), /expired/);
      assert.equal(google.requestsFor("token.code").length, 0);
      assert.deepEqual(await audit(), []);
    });

    it("answers 502 when Google refuses the code", async () => {
      const callback = await consent();
      google.failNext("token.code", { status: 400, body: { error: "invalid_grant" } });

      const response = await fetch(callback);

      assert.equal(response.status, 502);
      assert.equal((await deps.connections.view(businessId)).status, "not-connected");
      assert.deepEqual(await audit(), [], "nothing connected, nothing recorded");
    });
  });

  describe("once connected", () => {
    beforeEach(async () => {
      assert.equal((await fetch(await consent())).status, 200);
    });

    it("shows the status and settings, never the token", async () => {
      const response = await get(`/status?business=${businessId}`, ownerToken);

      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body.status, "connected");
      assert.deepEqual(Object.keys(body).sort(), [
        "busyCalendarIds",
        "connectedAt",
        "eventCalendarId",
        "needsReconnectSince",
        "status",
      ]);
    });

    it("saves which calendars count as busy and which receives events", async () => {
      const response = await post(`/settings?business=${businessId}`, ownerToken, {
        busyCalendarIds: ["primary", "family@group.calendar.google.com"],
        eventCalendarId: "jobs@group.calendar.google.com",
      });

      assert.equal(response.status, 200);
      const view = await deps.connections.view(businessId);
      assert.deepEqual(view.busyCalendarIds, ["primary", "family@group.calendar.google.com"]);
      assert.equal(view.eventCalendarId, "jobs@group.calendar.google.com");
      const bad = await post(`/settings?business=${businessId}`, ownerToken, {
        busyCalendarIds: [],
      });
      assert.equal(bad.status, 400);
      const entries = await audit();
      assert.deepEqual(
        entries.map((e) => e.action),
        ["connectCalendar", "updateCalendarSettings"],
        "the refused change records nothing",
      );
      assert.deepEqual(entries[1].before, {
        busyCalendarIds: ["primary"],
        eventCalendarId: "primary",
      });
      assert.deepEqual(entries[1].after, {
        busyCalendarIds: ["primary", "family@group.calendar.google.com"],
        eventCalendarId: "jobs@group.calendar.google.com",
      });
    });

    it("disconnects: revokes the grant at Google and forgets it", async () => {
      const { refreshToken } = (await deps.connections.credentials(businessId)) ?? {
        refreshToken: "",
      };

      const response = await post(`/disconnect?business=${businessId}`, ownerToken);

      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: "not-connected", revokedAtGoogle: true });
      assert.equal(google.isRefreshTokenValid(refreshToken), false);
      assert.equal(google.requestsFor("revoke")[0].query.token, refreshToken);
      const stored = await appFirestore().doc(paths.calendarConnection(businessId)).get();
      assert.equal(stored.exists, false);
      const entry = (await audit()).at(-1);
      assert.equal(entry?.action, "disconnectCalendar");
      assert.equal(entry?.target, "calendar");
      assert.deepEqual(entry?.actor, { uid: `uid-${businessId}`, role: "owner" });
      assert.equal((entry?.before as { status: string }).status, "connected");
      assert.deepEqual(entry?.after, { status: "not-connected", revokedAtGoogle: true });
      assert.ok(!JSON.stringify(entry).includes(refreshToken), "no token in the audit log");
    });

    it("records nothing when someone else tries to disconnect, or nothing is connected", async () => {
      const stranger = tokens.mint("uid-stranger", { businessId: "another", role: "owner" });
      const staff = tokens.mint("uid-staff", { businessId, role: "staff" });
      assert.equal((await post(`/disconnect?business=${businessId}`, stranger)).status, 403);
      assert.equal((await post(`/disconnect?business=${businessId}`, staff)).status, 403);
      assert.equal((await deps.connections.view(businessId)).status, "connected");
      assert.equal((await post(`/disconnect?business=${businessId}`, ownerToken)).status, 200);
      assert.equal((await post(`/disconnect?business=${businessId}`, ownerToken)).status, 200);
      assert.deepEqual(
        (await audit()).map((e) => e.action),
        ["connectCalendar", "disconnectCalendar"],
      );
    });

    it("still forgets the grant when Google cannot be reached to revoke it", async () => {
      google.failNext("revoke", { status: 503 }, 5);

      const response = await post(`/disconnect?business=${businessId}`, ownerToken);

      assert.deepEqual(await response.json(), { status: "not-connected", revokedAtGoogle: false });
      assert.equal((await deps.connections.view(businessId)).status, "not-connected");
      assert.deepEqual((await audit()).at(-1)?.after, {
        status: "not-connected",
        revokedAtGoogle: false,
      });
    });
  });
});
