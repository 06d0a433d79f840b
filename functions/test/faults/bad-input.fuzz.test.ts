import { strict as assert } from "node:assert";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import fc from "fast-check";
import type { Firestore } from "firebase-admin/firestore";
import functionsTest from "firebase-functions-test";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import type { Business } from "../../src/domain/business/business";
import type { DashboardAction } from "../../src/shared/access";
import { newMessageSid } from "../../src/tools/sms-simulator";
import { DEMO_ACCOUNT_SID, newSid } from "../../src/tools/simulator/twilio-params";
import { acknowledgeAttention } from "../../src/triggers/callable/acknowledge-attention.callable";
import { cancelAppointment } from "../../src/triggers/callable/cancel-appointment.callable";
import { markJobDone } from "../../src/triggers/callable/mark-job-done.callable";
import { moveAppointment } from "../../src/triggers/callable/move-appointment.callable";
import { moveOptions } from "../../src/triggers/callable/move-options.callable";
import { setConversationHandled } from "../../src/triggers/callable/set-conversation-handled.callable";
import { updateSettings } from "../../src/triggers/callable/update-settings.callable";
import { setCallerScreening } from "../../src/triggers/callable/set-caller-screening.callable";
import { exportCustomerData } from "../../src/triggers/callable/export-customer-data.callable";
import { deleteCustomerData } from "../../src/triggers/callable/delete-customer-data.callable";
import { calendarOAuth } from "../../src/triggers/http/calendar-oauth.webhook";
import { createTestTenant } from "../support/firestore-tenant";
import { TEST_PROJECT_ID } from "../support/root-hooks";
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
const length = (min: number, max: number) => (v: string) => v.length >= min && v.length <= max;

describe("bad input: fuzzed webhook and callable bodies", function () {
  this.timeout(180_000);
  let server: WebhooksTestServer;
  let oauthServer: Server;
  let oauthBase = "";
  let business: Business;
  let db: Firestore;
  const fft = functionsTest({ projectId: TEST_PROJECT_ID });

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
    fft.cleanup();
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

  for (const target of webhooks) {
    describe(target.name, () => {
      it("refuses arbitrary signed bodies with a 4xx and writes nothing", async () => {
        await fc.assert(
          fc.asyncProperty(formBody, (body) =>
            refusedUnchanged(target.name, () => signedPost(target.path(), body)),
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
        fc.asyncProperty(query, fc.constantFrom("turn", "dial-result", "whisper"), (q, route) => {
          const search = new URLSearchParams(q).toString();
          return refusedUnchanged("voice query", () =>
            signedPost(`/voice/${route}?${search}`, {
              CallSid: "CA-not-a-call",
              AccountSid: DEMO_ACCOUNT_SID,
            }),
          );
        }),
        options,
      );
    });
  });

  describe("ids in webhook URLs", () => {
    it("refuses a business or message id that cannot name a document with a 4xx", async () => {
      const route = fc.constantFrom(
        "turn",
        "dial-result",
        "whisper",
        "whisper-accept",
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
          return refusedUnchanged("voice query", () =>
            signedPost(`/voice/${r}?b=${b}&step=1&c=${callSid}&leg=0`, {
              CallSid: callSid,
              SpeechResult: "hello",
              DialCallStatus: "no-answer",
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

  describe("dashboard callables", () => {
    const callables: Record<DashboardAction, unknown> = {
      moveOptions: fft.wrap(moveOptions),
      moveAppointment: fft.wrap(moveAppointment),
      cancelAppointment: fft.wrap(cancelAppointment),
      markJobDone: fft.wrap(markJobDone),
      setConversationHandled: fft.wrap(setConversationHandled),
      acknowledgeAttention: fft.wrap(acknowledgeAttention),
      updateSettings: fft.wrap(updateSettings),
      setCallerScreening: fft.wrap(setCallerScreening),
      exportCustomerData: fft.wrap(exportCustomerData),
      deleteCustomerData: fft.wrap(deleteCustomerData),
    };
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
      const wrapped = callables[action] as (request: unknown) => Promise<unknown>;
      const auth = {
        uid: `${business.id}-owner`,
        token: { businessId: business.id, role: "owner" },
      };
      try {
        await wrapped({ data, auth, rawRequest: {}, acceptsStreaming: false });
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

    for (const action of Object.keys(callables) as DashboardAction[]) {
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
