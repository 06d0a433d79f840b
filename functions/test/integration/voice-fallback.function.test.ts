import { strict as assert } from "node:assert";
import { spoken } from "../../src/domain/dialogue/wording";
import { getFirestore } from "firebase-admin/firestore";
import { getApps, initializeApp } from "firebase-admin/app";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { FirestoreFallbackDirectory } from "../../src/adapters/firestore/fallback-directory";
import { paths } from "../../src/adapters/firestore/paths";
import { TwilioSmsSender } from "../../src/adapters/twilio/twilio-sms.sender";
import { freePort } from "../../src/tools/firestore-backend";
import { handleVoiceFallbackRequest } from "../../src/triggers/http/voice-fallback.handler";
import { createTestTenant } from "../support/firestore-tenant";
import { RecordingLogger } from "../support/in-memory-outbox.store";
import { fakeAccountSid, TwilioFakeServer } from "../support/twilio-fake.server";
import { startWebhooksTestServer, WebhooksTestServer } from "../support/webhooks-test-server";

/**
 * The deployed voiceFallback function over HTTP: real Firestore for the
 * lookup, the real twilio client against a local Twilio for the owner's text.
 */
const OPERATOR = "+447700900555";
const CALLER = "+447700900123";
const ENV = ["TWILIO_ACCOUNT_SID", "TWILIO_API_BASE_URL", "FALLBACK_ALERT_NUMBER"] as const;

describe("the voiceFallback function, over HTTP, against Firestore and a local Twilio", function () {
  this.timeout(30_000);
  let server: WebhooksTestServer;
  let twilio: TwilioFakeServer;
  const accountSid = fakeAccountSid();
  const saved: Partial<Record<(typeof ENV)[number], string | undefined>> = {};
  let counter = 0;

  before(async () => {
    server = await startWebhooksTestServer();
    twilio = new TwilioFakeServer({ accountSid, authToken: server.authToken });
    const { baseUrl } = await twilio.start();
    for (const key of ENV) saved[key] = process.env[key];
    process.env.TWILIO_ACCOUNT_SID = accountSid;
    process.env.TWILIO_API_BASE_URL = baseUrl;
    process.env.FALLBACK_ALERT_NUMBER = OPERATOR;
  });
  after(async () => {
    for (const key of ENV) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await twilio.stop();
    await server.stop();
  });
  beforeEach(() => twilio.reset());

  async function post(path: string, params: Record<string, string>) {
    const url = `${server.baseUrl}/voiceFallback${path}`;
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": getExpectedTwilioSignature(server.authToken, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    return { status: response.status, body: await response.text() };
  }

  const callTo = (to: string) => {
    counter += 1;
    return {
      CallSid: `CA${String(counter).padStart(32, "0")}`,
      From: CALLER,
      To: to,
      ErrorCode: "11200",
    };
  };

  it("answers a call to a business, texts its owner through Twilio, and takes the message", async () => {
    const business = await createTestTenant();
    const answered = await post("", callTo(business.phoneNumber));
    assert.equal(answered.status, 200);
    assert.match(answered.body, new RegExp(`Sorry, ${business.name} can't take your call`));
    assert.match(
      answered.body,
      new RegExp(`<Record [^>]*action="${server.baseUrl}/voiceFallback/recorded"`),
    );
    const [text] = twilio.sentMessages();
    assert.equal(text.to, business.ownerMobile);
    assert.equal(text.from, business.phoneNumber);
    assert.ok(twilio.sendRequests().every((r) => r.authorized));

    const recording = `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Recordings/RE1`;
    const left = await post("/recorded", {
      ...callTo(business.phoneNumber),
      RecordingUrl: recording,
      RecordingDuration: "17",
    });
    assert.equal(left.status, 200);
    assert.match(
      twilio.sentMessages()[1].body,
      new RegExp(`voicemail from \\${CALLER}, 17 s: ${recording}`),
    );
  });

  it("still reaches the owner when the rest of the business's settings are broken", async () => {
    const business = await createTestTenant();
    await appFirestore()
      .doc(paths.business(business.id))
      .update({ hours: "not hours", services: 7 });
    const answered = await post("", callTo(business.phoneNumber));
    assert.equal(answered.status, 200);
    assert.equal(twilio.sentMessages()[0].to, business.ownerMobile);
  });

  it("for a number routed nowhere, apologises generically and texts the operator", async () => {
    const answered = await post("", callTo("+441179469999"));
    assert.equal(answered.status, 200);
    assert.ok(answered.body.includes(spoken.fallbackSorry(null)), answered.body);
    assert.match(answered.body, /<Record /);
    assert.equal(twilio.sentMessages()[0].to, OPERATOR);
  });

  it("refuses a forged request with 403 and a malformed one with 400, texting nobody", async () => {
    const business = await createTestTenant();
    const forged = await fetch(`${server.baseUrl}/voiceFallback`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": "forged",
      },
      body: new URLSearchParams(callTo(business.phoneNumber)).toString(),
    });
    assert.equal(forged.status, 403);
    const malformed = await post("", { ...callTo(business.phoneNumber), CallSid: "CAnope" });
    assert.equal(malformed.status, 400);
    assert.equal(twilio.sendRequests().length, 0);
  });

  it("with Firestore unreachable, answers within its bound and texts the operator", async () => {
    const port = await freePort(); // nothing listens there
    const app =
      getApps().find((a) => a.name === "fallback-dead-firestore") ??
      initializeApp({ projectId: "demo-bristol-plumbing" }, "fallback-dead-firestore");
    const dead = getFirestore(app);
    dead.settings({ host: `127.0.0.1:${port}`, ssl: false });
    const logger = new RecordingLogger();
    const params = callTo("+441179460123");
    const path = "/";
    const started = Date.now();
    const answer = await handleVoiceFallbackRequest(
      {
        method: "POST",
        path,
        signature: getExpectedTwilioSignature(
          server.authToken,
          `${server.baseUrl}/voiceFallback${path}`,
          params,
        ),
        body: params,
      },
      {
        publicBaseUrl: server.baseUrl,
        authToken: server.authToken,
        deps: {
          directory: new FirestoreFallbackDirectory(dead),
          sms: new TwilioSmsSender({
            accountSid,
            authToken: server.authToken,
            apiBaseUrl: process.env.TWILIO_API_BASE_URL,
          }),
          operatorNumber: OPERATOR,
          logger,
          nowMs: Date.now,
          lookupMs: 1_500,
        },
      },
    );
    assert.ok(Date.now() - started < 6_000, `took ${Date.now() - started} ms`);
    assert.equal(answer.status, 200);
    assert.match(answer.body, /<Record /);
    assert.equal(twilio.sentMessages()[0].to, OPERATOR);
    const log = logger.lines.find((l) => l.event === "voice.fallback");
    assert.equal(log?.fields.outcome, "operator");
    await dead.terminate();
  });
});
