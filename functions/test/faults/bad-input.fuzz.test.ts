import { strict as assert } from "node:assert";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import fc from "fast-check";
import { z } from "zod";
import type { Firestore } from "firebase-admin/firestore";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import type { Business } from "../../src/domain/business/business";
import type { DashboardAction } from "../../src/shared/access";
import { newMessageSid } from "../../src/tools/sms-simulator";
import { DEMO_ACCOUNT_SID, newSid } from "../../src/tools/simulator/twilio-params";
import { calendarOAuth } from "../../src/triggers/http/calendar-oauth.webhook";
import { call, ownerOf } from "../support/dashboard-callables";
import { createTestTenant } from "../support/firestore-tenant";
import { startWebhooksTestServer, WebhooksTestServer } from "../support/webhooks-test-server";
import { suiteGoogle } from "./fault-world";

/**
 * Property-based fuzzing of every webhook and callable body: arbitrary
 * bodies, and valid ones broken in one place, are refused with a 4xx (or the
 * callable's invalid-argument / permission error), never a 5xx or "internal",
 * and leave Firestore exactly as it was. Twilio requests are signed with the
 * twilio library's own helper, so the fuzzing reaches the body checks.
 *
 * FUZZ_SEED=<n> repeats a run; FUZZ_RUNS=<n> changes how many inputs each target gets.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const options = { seed: SEED, numRuns: RUNS, endOnFailure: false };
const ran: Record<string, number> = {};

/** Every document's path and update time: any write changes it. */
async function fingerprint(db: Firestore): Promise<string> {
  const seen: string[] = [];
  const walk = async (collections: FirebaseFirestore.CollectionReference[]): Promise<void> => {
    for (const collection of collections) {
      // A public endpoint counts every request per IP before reading it (abuse-protection.md):
      // those counters are the limit working, not data the bad input wrote.
      if (collection.id === "ipRateCounters") continue;
      const refs = await collection.listDocuments();
      const snapshots = refs.length > 0 ? await db.getAll(...refs) : [];
      for (const s of snapshots) {
        const t = s.updateTime;
        seen.push(`${s.ref.path}@${t ? `${t.seconds}.${t.nanoseconds}` : "-"}`);
      }
      for (const ref of refs) await walk(await ref.listCollections());
    }
  };
  await walk(await db.listCollections());
  return seen.sort().join("\n");
}

/** Strings as they arrive in forms: any text, including the odd and the long. */
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom("", " ", "null", "0", "-1", "1e309", "NaN", "%00", "<Response/>"),
  fc.string({ minLength: 2001, maxLength: 2100 }),
);
const formBody = fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), text, { maxKeys: 8 });

/** A valid body with one of its checked fields broken: removed, or made unacceptable. */
function broken(
  valid: () => Record<string, string>,
  checked: Record<string, (value: string) => boolean>,
  optional: string[] = [],
) {
  return fc
    .record({
      field: fc.constantFrom(...Object.keys(checked)),
      how: fc.constantFrom("remove", "replace"),
      value: text,
    })
    .map(({ field, how, value }) => {
      const body = valid();
      if (how === "remove") delete body[field];
      else body[field] = value;
      return { body, field, how, value };
    })
    .filter(({ body, field, how }) =>
      how === "remove" ? !optional.includes(field) : !checked[field](body[field]),
    );
}

/** Ids no Firestore document can have, or that would name another path: the hostile ones. */
const hostileId = fc.oneof(
  fc.constantFrom(".", "..", "__x__", "a/b", "/", "a//b", "x".repeat(1600)),
  fc.string({ minLength: 1, maxLength: 20 }).map((s) => `${s}/${s}`),
);

const isCallSid = (v: string) => /^CA[0-9a-fA-F]{32}$/.test(v);
const isMessageSid = (v: string) => /^(SM|MM)[0-9a-fA-F]{32}$/.test(v);
const isRecordingSid = (v: string) => /^RE[0-9a-fA-F]{32}$/.test(v);
/** A length in range, counted as the handlers' schemas count it. */
const length = (min: number, max: number) => (v: string) =>
  z.string().min(min).max(max).safeParse(v).success;
/** What a URL field accepts (a broken value is one this refuses). */
const isUrl = (v: string) => z.string().url().max(500).safeParse(v).success;
/** A whole number in range, read as z.coerce does ("" and " " are 0). */
const wholeNumber = (max: number) => (v: string) =>
  Number.isInteger(Number(v)) && Number(v) >= 0 && Number(v) <= max;
const RECORDING_URL = `https://api.twilio.com/2010-04-01/Accounts/${DEMO_ACCOUNT_SID}/Recordings/RE${"0".repeat(32)}`;

describe("bad input: fuzzed webhook and callable bodies", function () {
  this.timeout(180_000);
  let server: WebhooksTestServer;
  let oauthServer: Server;
  let oauthBase = "";
  let business: Business;
  let db: Firestore;

  before(async () => {
    console.log(
      `      [fuzz] seed ${SEED}, ${RUNS} runs per target (repeat with FUZZ_SEED=${SEED})`,
    );
    server = await startWebhooksTestServer();
    // Configured, so the callback's checks are reached (not "not configured").
    await suiteGoogle();
    const app = express();
    app.use(express.json());
    type Args = Parameters<typeof calendarOAuth>;
    app.use("/calendarOAuth", (req, res) => {
      void calendarOAuth(req as unknown as Args[0], res as unknown as Args[1]);
    });
    oauthServer = await new Promise((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    oauthBase = `http://127.0.0.1:${(oauthServer.address() as AddressInfo).port}`;
    business = await createTestTenant();
    db = appFirestore();
  });
  after(async () => {
    await new Promise((resolve) => oauthServer.close(resolve));
    await server.stop();
    console.log(
      `      [fuzz] runs per target: ${Object.entries(ran)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ")}`,
    );
  });

  /** Posts a signed Twilio webhook; the answer's status. */
  async function signedPost(path: string, body: Record<string, string>): Promise<number> {
    const url = `${server.baseUrl}${path}`;
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": getExpectedTwilioSignature(server.authToken, url, body),
      },
      body: new URLSearchParams(body).toString(),
    });
    await response.text();
    return response.status;
  }

  /** The database as the last input left it (unchanged, while every input passes). */
  let known: string | undefined;

  /** The property every target shares: a 4xx, and not one document written. */
  async function refusedUnchanged(
    target: string,
    send: () => Promise<number>,
    accepted: (status: number) => boolean = (status) => status >= 400 && status < 500,
  ): Promise<void> {
    const before = known ?? (await fingerprint(db));
    const status = await send();
    ran[target] = (ran[target] ?? 0) + 1;
    known = await fingerprint(db);
    assert.ok(accepted(status), `${target} answered ${status}`);
    assert.equal(known, before, `${target} wrote to Firestore`);
  }

  interface WebhookTarget {
    name: string;
    path: () => string;
    valid: () => Record<string, string>;
    checked: Record<string, (value: string) => boolean>;
    /** Checked fields a body may leave out. */
    optional?: string[];
    /**
     * Whether an arbitrary body is well formed after all (a route whose fields are all
     * optional): then any answer but a 5xx will do, and it still writes nothing.
     */
    wellFormed?: (body: Record<string, string>) => boolean;
  }

  const callSid = newSid("CA");
  const webhooks: WebhookTarget[] = [
    {
      name: "voice incoming",
      path: () => "/voice/incoming",
      valid: () => ({
        CallSid: newSid("CA"),
        From: "+447700900999",
        To: business.phoneNumber,
        AccountSid: DEMO_ACCOUNT_SID,
      }),
      checked: { CallSid: isCallSid, From: length(0, 32), To: length(3, 32) },
      optional: ["From"],
    },
    {
      name: "voice turn",
      path: () => `/voice/turn?b=${encodeURIComponent(business.id)}&step=1`,
      valid: () => ({
        CallSid: callSid,
        SpeechResult: "my tap is dripping",
        Confidence: "0.9",
        AccountSid: DEMO_ACCOUNT_SID,
      }),
      checked: {
        CallSid: isCallSid,
        SpeechResult: length(0, 2000),
        // Read as a number, as z.coerce does ("" is 0).
        Confidence: (v) => Number(v) >= 0 && Number(v) <= 1,
      },
      optional: ["SpeechResult", "Confidence"],
    },
    {
      name: "voice status callback",
      path: () => "/voice/status",
      valid: () => ({
        CallSid: callSid,
        CallStatus: "completed",
        To: business.phoneNumber,
        AccountSid: DEMO_ACCOUNT_SID,
      }),
      checked: { CallSid: isCallSid, CallStatus: length(1, 32), To: length(3, 32) },
    },
    {
      name: "voice dial result",
      path: () => `/voice/dial-result?b=${encodeURIComponent(business.id)}&c=${callSid}&leg=0`,
      valid: () => ({
        CallSid: callSid,
        DialCallStatus: "no-answer",
        AccountSid: DEMO_ACCOUNT_SID,
      }),
      checked: {
        CallSid: isCallSid,
        DialCallStatus: (v) =>
          ["completed", "answered", "busy", "no-answer", "failed", "canceled"].includes(v),
      },
    },
    {
      name: "voice recorded message",
      path: () => `/voice/recorded?b=${encodeURIComponent(business.id)}&step=2`,
      valid: () => ({
        CallSid: callSid,
        RecordingUrl: RECORDING_URL,
        RecordingDuration: "12",
        Digits: "#",
        AccountSid: DEMO_ACCOUNT_SID,
      }),
      checked: {
        CallSid: isCallSid,
        RecordingUrl: isUrl,
        RecordingDuration: wholeNumber(3600),
        Digits: length(0, 10),
      },
      optional: ["RecordingUrl", "RecordingDuration", "Digits"],
    },
    {
      name: "voice whisper accept",
      path: () => `/voice/whisper-accept?b=${encodeURIComponent(business.id)}&c=${callSid}&leg=0`,
      valid: () => ({ Digits: "1", AccountSid: DEMO_ACCOUNT_SID }),
      checked: { Digits: length(0, 10) },
      optional: ["Digits"],
      wellFormed: (body) => body.Digits === undefined || body.Digits.length <= 10,
    },
    {
      name: "voice turned away",
      path: () => `/voice/turned-away?b=${encodeURIComponent(business.id)}&why=limited`,
      valid: () => ({
        CallSid: newSid("CA"),
        From: "+447700900999",
        SpeechResult: "water pouring through my ceiling",
        AccountSid: DEMO_ACCOUNT_SID,
      }),
      checked: { CallSid: isCallSid, From: length(0, 32), SpeechResult: length(0, 2000) },
      optional: ["From", "SpeechResult"],
    },
    {
      name: "voice fallback",
      path: () => "/voiceFallback",
      valid: () => ({
        CallSid: newSid("CA"),
        From: "+447700900999",
        To: business.phoneNumber,
        ErrorCode: "11200",
        AccountSid: DEMO_ACCOUNT_SID,
      }),
      checked: {
        CallSid: isCallSid,
        From: length(0, 32),
        To: length(3, 32),
        ErrorCode: length(0, 10),
      },
      optional: ["From", "ErrorCode"],
    },
    {
      name: "voice fallback recorded",
      path: () => "/voiceFallback/recorded",
      valid: () => ({
        CallSid: newSid("CA"),
        From: "+447700900999",
        To: business.phoneNumber,
        RecordingUrl: RECORDING_URL,
        RecordingDuration: "12",
        AccountSid: DEMO_ACCOUNT_SID,
      }),
      checked: {
        CallSid: isCallSid,
        From: length(0, 32),
        To: length(3, 32),
        RecordingUrl: isUrl,
        RecordingDuration: wholeNumber(3600),
      },
      optional: ["From", "RecordingUrl", "RecordingDuration"],
    },
    {
      name: "voice recording callback",
      path: () => `/voiceRecording?b=${encodeURIComponent(business.id)}`,
      valid: () => ({
        CallSid: newSid("CA"),
        RecordingSid: newSid("RE"),
        RecordingUrl: RECORDING_URL,
        RecordingStatus: "completed",
        RecordingDuration: "12",
        AccountSid: DEMO_ACCOUNT_SID,
      }),
      checked: {
        CallSid: isCallSid,
        RecordingSid: isRecordingSid,
        RecordingUrl: isUrl,
        RecordingStatus: length(1, 32),
        RecordingDuration: wholeNumber(3600),
      },
      optional: ["RecordingDuration"],
    },
    {
      name: "sms inbound",
      path: () => "/sms/incoming",
      valid: () => ({
        MessageSid: newMessageSid(),
        From: "+447700900999",
        To: business.phoneNumber,
        Body: "YES",
        NumMedia: "0",
        AccountSid: DEMO_ACCOUNT_SID,
      }),
      checked: {
        MessageSid: isMessageSid,
        From: length(3, 32),
        To: length(3, 32),
        Body: length(0, 1600),
        // Read as a number, as z.coerce does ("" and " " are 0).
        NumMedia: (v) => Number.isInteger(Number(v)) && Number(v) >= 0 && Number(v) <= 10,
      },
      optional: ["Body", "NumMedia"],
    },
    {
      name: "sms status callback",
      path: () => `/smsStatusCallback/${encodeURIComponent(business.id)}/no-such-message`,
      valid: () => ({
        MessageSid: newMessageSid(),
        MessageStatus: "delivered",
        AccountSid: DEMO_ACCOUNT_SID,
      }),
      checked: {
        MessageSid: isMessageSid,
        MessageStatus: (v) => /^[a-z][a-z_-]{0,31}$/.test(v),
        ErrorCode: (v) => /^\d{0,6}$/.test(v),
      },
      optional: ["ErrorCode"],
    },
  ];

  /** Posts a webhook unsigned, or signed with another token or for another URL or body. */
  async function forgedPost(
    path: string,
    body: Record<string, string>,
    how: "unsigned" | "empty" | "other-token" | "other-url" | "other-body",
  ): Promise<number> {
    const url = `${server.baseUrl}${path}`;
    const signature =
      how === "unsigned"
        ? null
        : how === "empty"
          ? ""
          : how === "other-token"
            ? getExpectedTwilioSignature(`${server.authToken}x`, url, body)
            : how === "other-url"
              ? getExpectedTwilioSignature(server.authToken, `${url}x`, body)
              : getExpectedTwilioSignature(server.authToken, url, { ...body, Extra: "1" });
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(signature === null ? {} : { "x-twilio-signature": signature }),
      },
      body: new URLSearchParams(body).toString(),
    });
    await response.text();
    return response.status;
  }

  for (const target of webhooks) {
    describe(target.name, () => {
      it("refuses arbitrary signed bodies with a 4xx and writes nothing", async () => {
        await fc.assert(
          fc.asyncProperty(formBody, (body) =>
            refusedUnchanged(
              target.name,
              () => signedPost(target.path(), body),
              target.wellFormed?.(body) ? (status) => status < 500 : undefined,
            ),
          ),
          options,
        );
      });

      it("refuses unsigned or forged requests, valid bodies or not, with a 4xx and writes nothing", async () => {
        const how = fc.constantFrom(
          "unsigned" as const,
          "empty" as const,
          "other-token" as const,
          "other-url" as const,
          "other-body" as const,
        );
        const body = fc.oneof(
          formBody,
          fc.constant(null).map(() => target.valid()),
        );
        await fc.assert(
          fc.asyncProperty(body, how, (b, h) =>
            refusedUnchanged(target.name, () => forgedPost(target.path(), b, h)),
          ),
          options,
        );
      });

      it("refuses a valid body broken in one field with a 4xx and writes nothing", async () => {
        await fc.assert(
          fc.asyncProperty(broken(target.valid, target.checked, target.optional), ({ body }) =>
            refusedUnchanged(target.name, () => signedPost(target.path(), body)),
          ),
          options,
        );
      });
    });
  }

  describe("voice turn query", () => {
    it("refuses an arbitrary business or step with a 4xx and writes nothing", async () => {
      const query = fc.dictionary(fc.constantFrom("b", "step", "c", "leg", "x"), text, {
        maxKeys: 4,
      });
      await fc.assert(
        fc.asyncProperty(
          query,
          fc.constantFrom("turn", "recorded", "dial-result", "whisper", "turned-away"),
          (q, route) => {
            const search = new URLSearchParams(q).toString();
            return refusedUnchanged("voice query", () =>
              signedPost(`/voice/${route}?${search}`, {
                CallSid: "CA-not-a-call",
                AccountSid: DEMO_ACCOUNT_SID,
              }),
            );
          },
        ),
        options,
      );
    });

    it("refuses a whisper answer's arbitrary business, call or leg with a 4xx and writes nothing", async () => {
      const query = fc.dictionary(fc.constantFrom("b", "c", "leg", "x"), text, { maxKeys: 4 });
      await fc.assert(
        fc.asyncProperty(query, (q) =>
          refusedUnchanged("voice query", () =>
            signedPost(`/voice/whisper-accept?${new URLSearchParams(q).toString()}`, {
              Digits: "1",
              AccountSid: DEMO_ACCOUNT_SID,
            }),
          ),
        ),
        options,
      );
    });

    it("refuses a recording callback's arbitrary business with a 4xx and writes nothing", async () => {
      const query = fc.dictionary(fc.constantFrom("b", "x"), text, { maxKeys: 2 });
      await fc.assert(
        fc.asyncProperty(query, (q) =>
          refusedUnchanged("voice recording callback", () =>
            signedPost(`/voiceRecording?${new URLSearchParams(q).toString()}`, {
              CallSid: newSid("CA"),
              RecordingSid: newSid("RE"),
              RecordingUrl: RECORDING_URL,
              RecordingStatus: "completed",
              RecordingDuration: "12",
              AccountSid: DEMO_ACCOUNT_SID,
            }),
          ),
        ),
        options,
      );
    });
  });

  describe("a transfer accepted for a call we do not know", () => {
    it("is not a 5xx and writes nothing", async () => {
      await refusedUnchanged(
        "voice whisper accept",
        () =>
          signedPost(
            `/voice/whisper-accept?b=${encodeURIComponent(business.id)}&c=${newSid("CA")}&leg=0`,
            { Digits: "1", AccountSid: DEMO_ACCOUNT_SID },
          ),
        (status) => status < 500,
      );
    });
  });

  describe("ids in webhook URLs", () => {
    it("refuses a business or message id that cannot name a document with a 4xx", async () => {
      const route = fc.constantFrom(
        "turn",
        "recorded",
        "dial-result",
        "whisper",
        "whisper-accept",
        "turned-away",
        "recording-callback",
        "status-callback",
      );
      await fc.assert(
        fc.asyncProperty(route, hostileId, (r, id) => {
          const b = encodeURIComponent(id);
          if (r === "status-callback") {
            // A well-formed callback for a message we do not know is acknowledged (200), so
            // Twilio stops; what matters is that no id in the URL can make it fail or write.
            return refusedUnchanged(
              "sms status callback",
              () =>
                signedPost(`/smsStatusCallback/${b}/${b}`, {
                  MessageSid: newMessageSid(),
                  MessageStatus: "delivered",
                  AccountSid: DEMO_ACCOUNT_SID,
                }),
              (status) => status < 500,
            );
          }
          if (r === "recording-callback") {
            return refusedUnchanged("voice recording callback", () =>
              signedPost(`/voiceRecording?b=${b}`, {
                CallSid: callSid,
                RecordingSid: newSid("RE"),
                RecordingUrl: RECORDING_URL,
                RecordingStatus: "completed",
                RecordingDuration: "12",
                AccountSid: DEMO_ACCOUNT_SID,
              }),
            );
          }
          return refusedUnchanged("voice query", () =>
            signedPost(`/voice/${r}?b=${b}&step=1&c=${callSid}&leg=0&why=limited`, {
              CallSid: callSid,
              SpeechResult: "hello",
              DialCallStatus: "no-answer",
              Digits: "1",
              AccountSid: DEMO_ACCOUNT_SID,
            }),
          );
        }),
        options,
      );
    });
  });

  describe("calendar OAuth callback", () => {
    it("refuses an arbitrary or forged state, code and error with a 4xx and writes nothing", async () => {
      const query = fc.dictionary(fc.constantFrom("state", "code", "error", "scope"), text, {
        maxKeys: 4,
      });
      await fc.assert(
        fc.asyncProperty(query, (q) =>
          refusedUnchanged("calendar OAuth callback", async () => {
            const response = await fetch(
              `${oauthBase}/calendarOAuth/callback?${new URLSearchParams(q).toString()}`,
            );
            await response.text();
            return response.status;
          }),
        ),
        options,
      );
    });
  });

  describe("calendar OAuth owner routes", () => {
    it("refuse a request without a valid owner's ID token, whatever its query or body, with a 4xx and write nothing", async () => {
      const route = fc.constantFrom(
        ["GET", "/start"],
        ["GET", "/status"],
        ["POST", "/settings"],
        ["POST", "/disconnect"],
      );
      const query = fc.oneof(
        fc.dictionary(fc.constantFrom("business", "format", "x"), text, { maxKeys: 3 }),
        fc.constant(null).map(() => ({ business: business.id })),
      );
      // What an HTTP header can carry: printable ASCII.
      const headerText = text.filter((t) => /^[\x20-\x7e]*$/.test(t));
      const authorization = fc.option(
        fc.oneof(
          headerText,
          headerText.map((t) => `Bearer ${t}`),
          fc.constant("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."),
        ),
        { nil: undefined },
      );
      const body = fc.dictionary(fc.string({ maxLength: 16 }), fc.jsonValue(), { maxKeys: 4 });
      await fc.assert(
        fc.asyncProperty(route, query, authorization, body, ([method, path], q, auth, b) =>
          refusedUnchanged("calendar OAuth owner routes", async () => {
            const response = await fetch(
              `${oauthBase}/calendarOAuth${path}?${new URLSearchParams(q).toString()}`,
              {
                method,
                headers: {
                  ...(auth === undefined ? {} : { authorization: auth }),
                  ...(method === "POST" ? { "content-type": "application/json" } : {}),
                },
                ...(method === "POST" ? { body: JSON.stringify(b) } : {}),
              },
            );
            await response.text();
            return response.status;
          }),
        ),
        options,
      );
    });
  });

  describe("dashboard callables", () => {
    const valid = (action: DashboardAction): Record<string, unknown> => {
      const b = business.id;
      switch (action) {
        case "moveOptions":
          return { businessId: b, appointmentId: "apt-1", day: "2026-12-10" };
        case "moveAppointment":
          return { businessId: b, appointmentId: "apt-1", start: "2026-12-10T10:00:00Z" };
        case "cancelAppointment":
          return { businessId: b, appointmentId: "apt-1", reason: "customer asked" };
        case "markJobDone":
          return { businessId: b, appointmentId: "apt-1", done: true };
        case "setConversationHandled":
          return { businessId: b, conversationId: "CA1", handled: true };
        case "acknowledgeAttention":
          return { businessId: b, itemId: "item-1" };
        case "updateSettings":
          return { businessId: b, settings: { greeting: "Hello" }, dryRun: true };
        case "setCallerScreening":
          return { businessId: b, number: "+447700900777", screened: true };
        case "exportCustomerData":
          return { businessId: b, phone: "+447700900777" };
        case "deleteCustomerData":
          return { businessId: b, phone: "+447700900777", confirm: "+447700900777" };
      }
    };
    /** The ids each callable reads documents by (updateSettings only its business's). */
    const ID_FIELDS: Record<DashboardAction, string[]> = {
      moveOptions: ["appointmentId"],
      moveAppointment: ["appointmentId"],
      cancelAppointment: ["appointmentId"],
      markJobDone: ["appointmentId"],
      setConversationHandled: ["conversationId"],
      acknowledgeAttention: ["itemId"],
      updateSettings: ["businessId"],
      setCallerScreening: ["number"],
      exportCustomerData: ["phone"],
      deleteCustomerData: ["phone"],
    };
    const REFUSALS = [
      "invalid-argument",
      "permission-denied",
      "unauthenticated",
      "not-found",
      "failed-precondition",
    ];

    /** Calls as the business's owner; the HttpsError code it was refused with. */
    async function refusalCode(action: DashboardAction, data: unknown): Promise<number> {
      try {
        await call(action, data, ownerOf(business));
      } catch (error) {
        const code = String((error as { code?: unknown }).code);
        assert.ok(REFUSALS.includes(code), `${action} failed with "${code}"`);
        return 400;
      }
      return 200; // accepted: refusedUnchanged fails it
    }

    const wrongType = fc.oneof(
      fc.constant(null),
      fc.integer(),
      fc.boolean(),
      fc.array(fc.jsonValue(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 }),
    );

    for (const action of Object.keys(ID_FIELDS) as DashboardAction[]) {
      describe(action, () => {
        it("refuses arbitrary data, with or without its own business id, and writes nothing", async () => {
          const data = fc.oneof(
            fc.jsonValue(),
            fc
              .dictionary(fc.string({ maxLength: 16 }), fc.jsonValue(), { maxKeys: 5 })
              .map((d) => ({ ...d, businessId: business.id })),
          );
          await fc.assert(
            fc.asyncProperty(data, (d) =>
              refusedUnchanged(`callable ${action}`, () => refusalCode(action, d)),
            ),
            options,
          );
        });

        it("refuses an id that cannot name a document, and writes nothing", async () => {
          const data = fc
            .record({ field: fc.constantFrom(...ID_FIELDS[action]), value: hostileId })
            .map(({ field, value }) => ({ ...valid(action), [field]: value }));
          await fc.assert(
            fc.asyncProperty(data, (d) =>
              refusedUnchanged(`callable ${action}`, () => refusalCode(action, d)),
            ),
            options,
          );
        });

        it("refuses a valid body with one field of the wrong type and writes nothing", async () => {
          const fields = Object.keys(valid(action)).filter((f) => f !== "businessId");
          const mutated = fc
            .record({ field: fc.constantFrom(...fields), value: wrongType })
            .filter(({ field, value }) => typeof value !== typeof valid(action)[field])
            .map(({ field, value }) => ({ ...valid(action), [field]: value }));
          await fc.assert(
            fc.asyncProperty(mutated, (d) =>
              refusedUnchanged(`callable ${action}`, () => refusalCode(action, d)),
            ),
            options,
          );
        });
      });
    }
  });
});
