import { strict as assert } from "node:assert";
import { spoken } from "../../src/domain/dialogue/wording";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import type { FallbackContact, FallbackDirectory } from "../../src/ports/fallback-directory.port";
import { SmsSendError } from "../../src/ports/sms-gateway.port";
import type { VoiceFallbackDeps } from "../../src/app/voice-fallback";
import { handleVoiceFallbackRequest } from "../../src/triggers/http/voice-fallback.handler";
import { RecordingLogger, ScriptedSmsGateway } from "../support/in-memory-outbox.store";

const BASE = "https://europe-west2-demo-test.cloudfunctions.net";
const TOKEN = "fallback-test-token";
const BUSINESS_NUMBER = "+441179460000";
const CALLER = "+447700900123";
const OPERATOR = "+447700900555";
const CALL_SID = `CA${"a".repeat(32)}`;
const RECORDING = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1";

const DAVE: FallbackContact = {
  businessId: "bristol-plumbing",
  businessName: "Bristol Plumbing",
  ownerMobile: "+447700900001",
};

class Directory implements FallbackDirectory {
  lookups = 0;
  constructor(private readonly answer: () => Promise<FallbackContact | null>) {}
  contactFor(): Promise<FallbackContact | null> {
    this.lookups += 1;
    return this.answer();
  }
}

function signed(path: string, params: Record<string, string>, token = TOKEN) {
  return {
    method: "POST",
    path,
    signature: getExpectedTwilioSignature(token, `${BASE}/voiceFallback${path}`, params),
    body: params,
  };
}

const call = (extra: Record<string, string> = {}) => ({
  CallSid: CALL_SID,
  From: CALLER,
  To: BUSINESS_NUMBER,
  ErrorCode: "11200",
  ...extra,
});

describe("the voice fallback (Twilio's fallback URL)", () => {
  let sms: ScriptedSmsGateway;
  let logger: RecordingLogger;

  beforeEach(() => {
    sms = new ScriptedSmsGateway();
    logger = new RecordingLogger();
  });

  const config = (directory: FallbackDirectory, overrides: Partial<VoiceFallbackDeps> = {}) => ({
    publicBaseUrl: BASE,
    authToken: TOKEN,
    deps: {
      directory,
      sms,
      operatorNumber: OPERATOR,
      logger,
      nowMs: Date.now,
      lookupMs: 200,
      smsMs: 200,
      ...overrides,
    },
  });

  const fallbackLog = () => logger.lines.filter((l) => l.event === "voice.fallback");

  describe("when the main webhook failed on a call to a known business", () => {
    it("apologises by name, offers a recording, and texts the owner who called", async () => {
      const directory = new Directory(async () => DAVE);
      const answer = await handleVoiceFallbackRequest(signed("/", call()), config(directory));
      assert.equal(answer.status, 200);
      assert.equal(answer.contentType, "text/xml");
      assert.match(answer.body, /Sorry, Bristol Plumbing can't take your call/);
      assert.match(answer.body, /0800 111 999/);
      assert.match(
        answer.body,
        /<Record [^>]*action="https:\/\/europe-west2-demo-test\.cloudfunctions\.net\/voiceFallback\/recorded"/,
      );
      assert.match(
        answer.body,
        /<Record [^>]*recordingStatusCallback="https:\/\/europe-west2-demo-test\.cloudfunctions\.net\/voiceRecording\?b=bristol-plumbing"/,
        "the message is sent on to be transcribed",
      );
      assert.equal(sms.sent.length, 1);
      assert.equal(sms.sent[0].to, DAVE.ownerMobile);
      assert.equal(sms.sent[0].from, BUSINESS_NUMBER);
      assert.match(sms.sent[0].body, /could not take a call from \+447700900123/);
      const [log] = fallbackLog();
      assert.equal(log.level, "error");
      assert.equal(log.fields.businessId, "bristol-plumbing");
      assert.equal(log.fields.callSid, CALL_SID);
      assert.equal(log.fields.outcome, "owner");
      assert.equal(log.fields.errorCode, "11200");
      assert.equal(typeof log.fields.latencyMs, "number");
      assert.doesNotMatch(JSON.stringify(logger.lines), /\+44\d{6}/, "no phone number in the logs");
    });

    it("texts the owner the recording when the caller leaves a message", async () => {
      const directory = new Directory(async () => DAVE);
      const answer = await handleVoiceFallbackRequest(
        signed("/recorded", call({ RecordingUrl: RECORDING, RecordingDuration: "23" })),
        config(directory),
      );
      assert.equal(answer.status, 200);
      assert.match(answer.body, /We'll call you back/);
      assert.doesNotMatch(answer.body, /<Record/);
      assert.equal(sms.sent.length, 1);
      assert.equal(
        sms.sent[0].body,
        `Bristol Plumbing: voicemail from ${CALLER}, 23 s: ${RECORDING}`,
      );
    });

    it("texts nobody again when the caller hung up without a message", async () => {
      const answer = await handleVoiceFallbackRequest(
        signed("/recorded", call({ RecordingDuration: "0" })),
        config(new Directory(async () => DAVE)),
      );
      assert.equal(answer.status, 200);
      assert.equal(sms.sent.length, 0);
      assert.equal(fallbackLog()[0].fields.outcome, "none");
    });
  });

  describe("when the business cannot be read", () => {
    it("with Firestore unavailable: a generic apology, the recording, and a text to the operator", async () => {
      const directory = new Directory(() =>
        Promise.reject(new Error("14 UNAVAILABLE: No connection established")),
      );
      const answer = await handleVoiceFallbackRequest(signed("/", call()), config(directory));
      assert.equal(answer.status, 200);
      assert.ok(answer.body.includes(spoken.fallbackSorry(null)), answer.body);
      assert.match(answer.body, /<Record /);
      assert.doesNotMatch(answer.body, /recordingStatusCallback/, "no business to file it under");
      assert.equal(sms.sent.length, 1);
      assert.equal(sms.sent[0].to, OPERATOR);
      assert.match(
        sms.sent[0].body,
        /a call to \+441179460000 from \+447700900123 could not be answered/,
      );
      assert.ok(logger.lines.some((l) => l.event === "voice.fallback-lookup-failed"));
      assert.equal(fallbackLog()[0].fields.outcome, "operator");
      assert.equal(fallbackLog()[0].fields.businessId, undefined);
    });

    it("with Firestore hanging: answers within the lookup bound", async () => {
      const directory = new Directory(() => new Promise(() => undefined));
      const started = Date.now();
      const answer = await handleVoiceFallbackRequest(signed("/", call()), config(directory));
      assert.ok(Date.now() - started < 2_000, "answered without waiting on the hung lookup");
      assert.match(answer.body, /<Record /);
      assert.equal(sms.sent[0].to, OPERATOR);
    });

    it("with no operator number: still apologises and records, and logs that nobody was texted", async () => {
      const directory = new Directory(async () => null);
      const answer = await handleVoiceFallbackRequest(
        signed("/", call()),
        config(directory, { operatorNumber: "" }),
      );
      assert.match(answer.body, /<Record /);
      assert.equal(sms.sent.length, 0);
      assert.equal(fallbackLog()[0].fields.outcome, "nobody");
    });
  });

  it("still answers the caller when the owner's text fails", async () => {
    sms.failNext(
      new SmsSendError({ permanent: false, message: "Twilio 503: down", httpStatus: 503 }),
    );
    const answer = await handleVoiceFallbackRequest(
      signed("/", call()),
      config(new Directory(async () => DAVE)),
    );
    assert.equal(answer.status, 200);
    assert.match(answer.body, /<Record /);
    assert.equal(fallbackLog()[0].fields.outcome, "failed");
    assert.ok(logger.lines.some((l) => l.event === "voice.fallback-alert-failed"));
  });

  it("without Twilio credentials, says the text was simulated rather than sent", async () => {
    const answer = await handleVoiceFallbackRequest(
      signed("/", call()),
      config(new Directory(async () => DAVE), { sms: null }),
    );
    assert.equal(answer.status, 200);
    assert.equal(fallbackLog()[0].fields.outcome, "simulated");
  });

  describe("refuses before reading or texting anything", () => {
    const refused = async (request: Parameters<typeof handleVoiceFallbackRequest>[0]) => {
      const directory = new Directory(async () => DAVE);
      const answer = await handleVoiceFallbackRequest(request, config(directory));
      assert.equal(directory.lookups, 0);
      assert.equal(sms.sent.length, 0);
      return answer;
    };

    it("a request without a signature: 403", async () => {
      const answer = await refused({ ...signed("/", call()), signature: null });
      assert.equal(answer.status, 403);
    });

    it("a request signed with another token: 403", async () => {
      const answer = await refused(signed("/", call(), "not-our-token"));
      assert.equal(answer.status, 403);
    });

    it("a signed body whose CallSid is malformed: 400 naming the field", async () => {
      const answer = await refused(signed("/", call({ CallSid: "not-a-call" })));
      assert.equal(answer.status, 400);
      assert.match(answer.body, /CallSid: CallSid must look like CA/);
    });

    it("a signed body without the called number: 400", async () => {
      const params = call();
      delete (params as Partial<typeof params>).To;
      const answer = await refused(signed("/", params));
      assert.equal(answer.status, 400);
      assert.match(answer.body, /To:/);
    });

    it("a recording whose URL is not a URL: 400", async () => {
      const answer = await refused(
        signed("/recorded", call({ RecordingUrl: "nope", RecordingDuration: "3" })),
      );
      assert.equal(answer.status, 400);
      assert.match(answer.body, /RecordingUrl/);
    });

    it("an unknown route: 404", async () => {
      const answer = await refused(signed("/elsewhere", call()));
      assert.equal(answer.status, 404);
    });
  });
});
