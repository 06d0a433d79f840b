import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import {
  GoogleSpeechToText,
  SPEECH_SETTINGS,
} from "../../src/adapters/speech/google-speech-to-text";
import { TwilioRecordingSource } from "../../src/adapters/twilio/twilio-recording.source";
import { readWav, writeWav, type PcmAudio } from "../../src/domain/speech/wav";
import { fakeGoogleAuthClient, GoogleSpeechFakeServer } from "../support/google-speech-fake.server";

/** `seconds` of 8 kHz audio whose samples count up, so pieces can be told apart. */
function audioOf(seconds: number): PcmAudio {
  const samples = 8000 * seconds;
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) pcm.writeInt16LE(i % 30000, i * 2);
  return { sampleRateHertz: 8000, pcm };
}

describe("transcribing a recorded message with Google Speech-to-Text (through @google-cloud/speech)", () => {
  const server = new GoogleSpeechFakeServer();
  let speech: GoogleSpeechToText;

  before(async () => {
    const port = await server.start();
    speech = new GoogleSpeechToText({
      timeoutMs: 1_500,
      clientOptions: {
        apiEndpoint: "127.0.0.1",
        port,
        protocol: "http",
        authClient: fakeGoogleAuthClient(),
      },
    });
  });
  after(() => server.stop());
  beforeEach(() => server.requests.splice(0));

  it("asks for the telephony model in British English, with the hints, and returns the words", async () => {
    server.reply({
      kind: "transcript",
      text: "hi it's sue at 4 elm road the loo is blocked",
      confidence: 0.82,
    });
    const audio = audioOf(3);
    const heard = await speech.transcribe(audio, ["stop tap", "airing cupboard"]);
    assert.deepEqual(heard, {
      text: "hi it's sue at 4 elm road the loo is blocked",
      confidence: 0.82,
    });
    assert.equal(server.requests.length, 1);
    const seen = server.requests[0];
    assert.equal(seen.config.languageCode, "en-GB");
    assert.equal(seen.config.model, "telephony");
    // The library asks for enums as numbers ($alt=json;enum-encoding=int): LINEAR16 is 1.
    assert.equal(seen.config.encoding, 1);
    assert.equal(seen.config.sampleRateHertz, 8000);
    assert.equal(seen.config.enableAutomaticPunctuation, true);
    assert.deepEqual(seen.config.speechContexts, [{ phrases: ["stop tap", "airing cupboard"] }]);
    assert.ok(seen.audio.equals(audio.pcm), "the audio arrives unchanged");
    assert.equal(seen.authorization, "Bearer test-access-token");
  });

  it("sends a message longer than a minute in pieces, in order, and joins the words", async () => {
    server.reply(
      { kind: "transcript", text: "first part", confidence: 0.8 },
      { kind: "transcript", text: "second part", confidence: 0.6 },
    );
    const audio = audioOf(70);
    const heard = await speech.transcribe(audio, []);
    assert.equal(heard.text, "first part second part");
    assert.ok(Math.abs((heard.confidence ?? 0) - 0.7) < 1e-9);
    assert.equal(server.requests.length, 2);
    assert.equal(server.requests[0].audio.length, SPEECH_SETTINGS.pieceSeconds * 8000 * 2);
    assert.ok(Buffer.concat(server.requests.map((r) => r.audio)).equals(audio.pcm));
    assert.equal(server.requests[0].config.speechContexts, undefined);
  });

  it("answers an empty text when nothing could be made out", async () => {
    server.reply({ kind: "silence" });
    assert.deepEqual(await speech.transcribe(audioOf(1), []), { text: "", confidence: null });
  });

  it("rejects when the service fails, with no retry", async () => {
    server.reply({ kind: "error", status: 503, message: "try later" });
    await assert.rejects(speech.transcribe(audioOf(1), []));
    assert.equal(server.requests.length, 1);
  });

  it("rejects when the service does not answer within the bound", async () => {
    server.reply({ kind: "stall" });
    const started = Date.now();
    await assert.rejects(speech.transcribe(audioOf(1), []));
    assert.ok(Date.now() - started < 10_000);
  });
});

describe("fetching a recording from Twilio", () => {
  const ACCOUNT = `AC${"1".repeat(32)}`;
  const RECORDING = `RE${"2".repeat(32)}`;
  let base: string;
  let authSeen: string | undefined;
  let pathSeen: string | undefined;
  const wav = writeWav({ sampleRateHertz: 8000, pcm: Buffer.from([1, 0, 2, 0]) });
  const server = http.createServer((req, res) => {
    authSeen = req.headers.authorization;
    pathSeen = req.url;
    if (req.url === `/2010-04-01/Accounts/${ACCOUNT}/Recordings/${RECORDING}.wav`) {
      res.writeHead(200, { "content-type": "audio/x-wav" });
      res.end(wav);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("downloads the WAV with the account's credentials", async () => {
    const source = new TwilioRecordingSource({
      accountSid: ACCOUNT,
      authToken: "secret",
      apiBaseUrl: base,
    });
    const bytes = await source.fetchWav(
      `${base}/2010-04-01/Accounts/${ACCOUNT}/Recordings/${RECORDING}`,
    );
    assert.deepEqual(readWav(bytes).pcm, Buffer.from([1, 0, 2, 0]));
    assert.equal(authSeen, `Basic ${Buffer.from(`${ACCOUNT}:secret`).toString("base64")}`);
    assert.equal(pathSeen, `/2010-04-01/Accounts/${ACCOUNT}/Recordings/${RECORDING}.wav`);
  });

  it("never sends the credentials to another host or account", async () => {
    const source = new TwilioRecordingSource({
      accountSid: ACCOUNT,
      authToken: "secret",
      apiBaseUrl: base,
    });
    authSeen = undefined;
    await assert.rejects(
      source.fetchWav(`http://evil.example/2010-04-01/Accounts/${ACCOUNT}/Recordings/${RECORDING}`),
      /outside this Twilio account/,
    );
    await assert.rejects(
      source.fetchWav(`${base}/2010-04-01/Accounts/AC${"9".repeat(32)}/Recordings/${RECORDING}`),
      /outside this Twilio account/,
    );
    assert.equal(authSeen, undefined);
  });

  it("rejects when Twilio does not have the recording", async () => {
    const source = new TwilioRecordingSource({
      accountSid: ACCOUNT,
      authToken: "secret",
      apiBaseUrl: base,
    });
    await assert.rejects(
      source.fetchWav(`${base}/2010-04-01/Accounts/${ACCOUNT}/Recordings/RE${"3".repeat(32)}`),
      /404/,
    );
  });
});
