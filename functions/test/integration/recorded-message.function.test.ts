import { strict as assert } from "node:assert";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { paths } from "../../src/adapters/firestore/paths";
import { recordingTurnKey } from "../../src/adapters/firestore/recorded-message.repository";
import { GoogleSpeechToText } from "../../src/adapters/speech/google-speech-to-text";
import type { TranscribeDeps } from "../../src/app/transcribe-recorded-message";
import { recordedMessageDeps } from "../../src/bootstrap";
import { writeWav } from "../../src/domain/speech/wav";
import { FirestoreRecordingDeletionQueue } from "../../src/adapters/firestore/recording-deletion.repository";
import { TwilioRecordingRemover } from "../../src/adapters/twilio/twilio-recording.remover";
import { twilioFakeForSuite } from "../support/twilio-fake.server";
import type { Timestamp } from "firebase-admin/firestore";
import { createTestTenant } from "../support/firestore-tenant";
import { fakeGoogleAuthClient, GoogleSpeechFakeServer } from "../support/google-speech-fake.server";
import { fetchTransport } from "../../src/tools/simulator/transport";
import { simulatedCall } from "../support/simulated-call";
import { startWebhooksTestServer, WebhooksTestServer } from "../support/webhooks-test-server";

/** Two seconds of 8 kHz audio, as Twilio's WAV of a short message. */
const WAV = writeWav({ sampleRateHertz: 8000, pcm: Buffer.alloc(32_000) });

describe("a message left on a call, recorded and transcribed, against Firestore", function () {
  this.timeout(60_000);
  const speechServer = new GoogleSpeechFakeServer();
  const { fake: twilio, accountSid, config: twilioApi } = twilioFakeForSuite();
  const fetched: string[] = [];
  let server: WebhooksTestServer;
  let speech: GoogleSpeechToText;

  before(async () => {
    const port = await speechServer.start();
    speech = new GoogleSpeechToText({
      timeoutMs: 2_000,
      clientOptions: {
        apiEndpoint: "127.0.0.1",
        port,
        protocol: "http",
        authClient: fakeGoogleAuthClient(),
      },
    });
    // The stores, outbox and alerts as deployed; speech at the local server, Twilio's WAV from here.
    const deps = (): TranscribeDeps => ({
      ...recordedMessageDeps(),
      speech,
      recordings: {
        fetchWav: async (url) => {
          fetched.push(url);
          return WAV;
        },
      },
      retryDelayMs: 10,
      transcribeMs: 15_000,
      // Recordings deleted through the twilio client, at the local Twilio-speaking server.
      recordingDeletion: {
        remover: new TwilioRecordingRemover(twilioApi(), { retryDelayMs: 10 }),
        queue: new FirestoreRecordingDeletionQueue(appFirestore()),
      },
    });
    server = await startWebhooksTestServer("test-auth-token", deps);
  });
  after(async () => {
    await server.stop();
    await speechServer.stop();
  });
  beforeEach(() => {
    speechServer.requests.splice(0);
    fetched.splice(0);
  });

  async function docs(collectionPath: string) {
    const snapshot = await appFirestore().collection(collectionPath).get();
    return snapshot.docs.map(
      (d) => ({ id: d.id, ...d.data() }) as Record<string, unknown> & { id: string },
    );
  }

  /** The recording status callback the simulator posted, as Twilio would post it again. */
  function resend(printedBefore: Array<{ url: string; params: Record<string, string> }>) {
    const { url, params } = printedBefore[0];
    return fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": getExpectedTwilioSignature(server.authToken, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
  }

  /** Plays the call, keeping what the simulator posted to voiceRecording. */
  async function call(businessPhone: string, lines: string[]) {
    const posted: Array<{ url: string; params: Record<string, string> }> = [];
    const http = fetchTransport();
    const result = await simulatedCall(server, { phoneNumber: businessPhone }, lines, {
      transport: (request) => {
        if (request.url.includes("/voiceRecording")) {
          posted.push({
            url: request.url,
            params: Object.fromEntries(new URLSearchParams(request.body ?? "")),
          });
        }
        return http(request);
      },
    });
    return { ...result, posted };
  }

  it("puts the words on the call's transcript and texts them to the owner, with who called and why", async () => {
    const business = await createTestTenant();
    speechServer.reply({
      kind: "transcript",
      text: "it's Sue at 4 Elm Road, the kitchen tap is dripping, any day next week is fine",
      confidence: 0.84,
    });
    const { transcript, said, posted } = await call(business.phoneNumber, [
      "can you ask Dave to call me back please",
      "it's Sue at 4 Elm Road, the kitchen tap is dripping, any day next week is fine",
    ]);
    assert.equal(transcript.ended, "hangup");
    assert.match(said[1], /What would you like me to tell Dave\?.*after the tone/);
    assert.match(said[2], /passed that on to Dave/);
    assert.equal(posted.length, 1);
    assert.equal(posted[0].params.RecordingStatus, "completed");
    assert.equal(fetched.length, 1);
    assert.equal(speechServer.requests[0].config.model, "telephony");
    assert.equal(speechServer.requests[0].config.languageCode, "en-GB");

    const callSid = transcript.callSid;
    const turns = await docs(paths.conversationTurns(business.id, callSid));
    const recorded = turns.find((t) => t.id === recordingTurnKey(posted[0].params.RecordingSid));
    assert.ok(recorded, `no recorded message among ${turns.map((t) => t.id).join(", ")}`);
    assert.equal(recorded.speaker, "caller");
    assert.match(String(recorded.text), /kitchen tap is dripping/);
    const recording = recorded.recording as Record<string, unknown>;
    assert.equal(recording.transcribed, true);
    assert.equal(recording.url, posted[0].params.RecordingUrl);
    assert.ok(recorded.expireAt, "kept no longer than the business's recordingDays");
    assert.ok(turns.some((t) => t.speaker === "system" && /Message recorded/.test(String(t.text))));
    const conversation = await appFirestore().doc(paths.conversation(business.id, callSid)).get();
    assert.equal(conversation.get("outcome"), "message-taken");

    const outbox = await docs(paths.outbox(business.id));
    const alerts = outbox.filter((m) => m.purpose === "owner-message");
    assert.equal(alerts.length, 1, JSON.stringify(outbox));
    assert.equal(alerts[0].to, business.ownerMobile);
    assert.match(
      String(alerts[0].body),
      /^Message: \+447700900999 asked you to call back\. Said \(\d+ s\): "it's Sue at 4 Elm Road, the kitchen tap is dripping/,
    );
    assert.doesNotMatch(String(alerts[0].body), /Listen:/, "its audio is deleted: no link");

    // The words stored, the audio is deleted at Twilio and nothing is left queued.
    const sid = posted[0].params.RecordingSid;
    assert.deepEqual(
      twilio.recordingDeletes().map((r) => r.path),
      [`/2010-04-01/Accounts/${accountSid}/Recordings/${sid}.json`],
    );
    const after = await appFirestore()
      .doc(paths.callTurn(business.id, callSid, recordingTurnKey(sid)))
      .get();
    assert.ok(after.get("recording.deletedAt"), "the turn says its audio is gone");
    assert.equal(
      (await appFirestore().doc(paths.recordingDeletion(business.id, sid)).get()).exists,
      false,
    );
  });

  it("transcribes, stores and texts once when Twilio posts the same recording again", async () => {
    const business = await createTestTenant();
    speechServer.reply({
      kind: "transcript",
      text: "please ring me about a quote",
      confidence: 0.9,
    });
    const { transcript, posted } = await call(business.phoneNumber, [
      "could Dave ring me back",
      "please ring me about a quote",
    ]);
    const again = await resend(posted);
    assert.equal(again.status, 204);
    const third = await resend(posted);
    assert.equal(third.status, 204);
    assert.equal(speechServer.requests.length, 1, "transcribed once");
    const turns = await docs(paths.conversationTurns(business.id, transcript.callSid));
    assert.equal(turns.filter((t) => t.recording).length, 1);
    const outbox = await docs(paths.outbox(business.id));
    assert.equal(outbox.filter((m) => m.purpose === "owner-message").length, 1);
  });

  it("keeps the message and still texts the owner the link when transcription keeps failing", async () => {
    const business = await createTestTenant();
    speechServer.reply(
      { kind: "error", status: 503, message: "try later" },
      { kind: "error", status: 503, message: "try later" },
      { kind: "error", status: 503, message: "try later" },
    );
    const { transcript, posted } = await call(business.phoneNumber, [
      "can you get Dave to call me back",
      "it's about my boiler service",
    ]);
    assert.equal(speechServer.requests.length, 3, "tried three times");
    const turns = await docs(paths.conversationTurns(business.id, transcript.callSid));
    const recorded = turns.find((t) => t.recording);
    assert.ok(recorded);
    assert.equal(recorded.text, "(a recorded message that could not be transcribed)");
    const recording = recorded.recording as Record<string, unknown>;
    assert.equal(recording.transcribed, false);
    assert.equal(recording.attempts, 3);
    assert.match(String(recording.error), /try later|503|Unavailable/i);
    const outbox = await docs(paths.outbox(business.id));
    const [alert] = outbox.filter((m) => m.purpose === "owner-message");
    assert.ok(alert, "the owner is told even so");
    assert.match(
      String(alert.body),
      /asked you to call back\. Recorded message \(\d+ s\), not transcribed\. Listen: https:\/\/api\.twilio\.com\//,
    );
    assert.equal(posted.length, 1);

    // Its audio is kept, queued for deletion after the business's recording days.
    assert.equal(twilio.recordingDeletes().length, 0);
    const queued = await appFirestore()
      .doc(paths.recordingDeletion(business.id, posted[0].params.RecordingSid))
      .get();
    const deleteAt = (queued.get("deleteAt") as Timestamp).toMillis();
    const days = (deleteAt - (recorded.at as Timestamp).toMillis()) / 86_400_000;
    assert.equal(days, business.retention.recordingDays);
  });

  it("asks again when nothing is recorded, stores no recording, and asks the owner to call back in the end", async () => {
    const business = await createTestTenant();
    const { transcript, said, posted } = await call(business.phoneNumber, [
      "can Dave call me back",
      "",
      "",
      "",
    ]);
    assert.equal(transcript.ended, "hangup");
    assert.match(said[2], /didn't hear a message/);
    assert.match(said.at(-1) ?? "", /I'll ask Dave to call you back/);
    assert.ok(posted.every((p) => p.params.RecordingStatus === "absent"));
    assert.equal(speechServer.requests.length, 0);
    const turns = await docs(paths.conversationTurns(business.id, transcript.callSid));
    assert.equal(turns.filter((t) => t.recording).length, 0);
    const outbox = await docs(paths.outbox(business.id));
    const alerts = outbox.filter((m) => m.purpose === "owner-message");
    assert.equal(alerts.length, 1);
    assert.match(String(alerts[0].body), /asked you to call back.*no message left/);
  });

  it("refuses a recording callback that is not signed (403) or not well formed (400)", async () => {
    const business = await createTestTenant();
    const url = `${server.baseUrl}/voiceRecording?b=${business.id}`;
    const params = { CallSid: `CA${"a".repeat(32)}`, RecordingSid: "nonsense" };
    const unsigned = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params).toString(),
    });
    assert.equal(unsigned.status, 403);
    const malformed = await resend([{ url, params }]);
    assert.equal(malformed.status, 400);
    assert.match(await malformed.text(), /RecordingSid/);
  });
});
