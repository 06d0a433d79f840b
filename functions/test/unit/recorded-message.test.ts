import { strict as assert } from "node:assert";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import {
  transcribeRecordedMessage,
  TRANSCRIBE_ATTEMPTS,
  type TranscribeDeps,
} from "../../src/app/transcribe-recorded-message";
import { deleteDueRecordings } from "../../src/app/delete-recordings";
import { recordedMessageText } from "../../src/domain/notifications/owner-texts";
import {
  readWav,
  splitAudio,
  WavError,
  writeWav,
  type PcmAudio,
} from "../../src/domain/speech/wav";
import type {
  MessageCaller,
  RecordedMessage,
  RecordedMessageStore,
} from "../../src/ports/recorded-message.port";
import type {
  RecordingDeletion,
  RecordingDeletionQueue,
  RecordingRemover,
} from "../../src/ports/recording-deletion.port";
import type { SpeechToText, Transcription } from "../../src/ports/speech-to-text.port";
import { handleVoiceRecordingRequest } from "../../src/triggers/http/voice-recording.handler";
import {
  aBusiness,
  InMemoryBusinessDirectory,
  InMemoryOutboxQueue,
} from "../support/call-fixtures";
import { ManualClock, RecordingLogger } from "../support/in-memory-outbox.store";
import { InMemoryScheduledSmsQueue } from "../support/in-memory-scheduled-sms";

const CALL_SID = `CA${"ab".repeat(16)}`;
const RECORDING_SID = `RE${"cd".repeat(16)}`;
const RECORDING_URL = `https://api.twilio.com/2010-04-01/Accounts/AC${"1".repeat(32)}/Recordings/${RECORDING_SID}`;
const CALLER = "+447700900123";

/** Messages, and the recordings queued for deletion with them (as the Firestore store does). */
class InMemoryRecordedMessages implements RecordedMessageStore, RecordingDeletionQueue {
  readonly saved = new Map<string, RecordedMessage>();
  readonly queued = new Map<string, RecordingDeletion & { lastError?: string }>();
  constructor(private readonly callers: Record<string, MessageCaller> = {}) {}
  async save(message: RecordedMessage): Promise<"saved" | "exists"> {
    if (this.saved.has(message.recordingSid)) return "exists";
    this.saved.set(message.recordingSid, structuredClone(message));
    if (message.deleteRecordingAt) {
      const { businessId, callSid, recordingSid } = message;
      this.queued.set(recordingSid, {
        businessId,
        callSid,
        recordingSid,
        deleteAt: message.deleteRecordingAt,
      });
    }
    return "saved";
  }
  async dueRecordings(now: Date): Promise<RecordingDeletion[]> {
    return [...this.queued.values()].filter((q) => q.deleteAt.getTime() <= now.getTime());
  }
  async recordingDeleted(deletion: { recordingSid: string }): Promise<void> {
    this.queued.delete(deletion.recordingSid);
  }
  async recordingDeletionFailed(deletion: { recordingSid: string }, error: string) {
    const queued = this.queued.get(deletion.recordingSid);
    if (queued) queued.lastError = error;
  }
  async find(_b: string, _c: string, recordingSid: string): Promise<RecordedMessage | null> {
    const found = this.saved.get(recordingSid);
    return found ? structuredClone(found) : null;
  }
  async callerOf(_businessId: string, callSid: string): Promise<MessageCaller | null> {
    return this.callers[callSid] ?? null;
  }
}

/** Twilio's recordings, as far as deleting them goes. */
class InMemoryRecordings implements RecordingRemover {
  readonly kept = new Set<string>([RECORDING_SID]);
  readonly tries: string[] = [];
  failing = false;
  async remove(recordingSid: string): Promise<"deleted" | "gone"> {
    this.tries.push(recordingSid);
    if (this.failing) throw new Error("Twilio 503 deleting it (try 3): unavailable");
    return this.kept.delete(recordingSid) ? "deleted" : "gone";
  }
}

class ScriptedSpeech implements SpeechToText {
  readonly heard: Array<{ audio: PcmAudio; hints: readonly string[] }> = [];
  constructor(private readonly answer: () => Promise<Transcription>) {}
  transcribe(audio: PcmAudio, hints: readonly string[]): Promise<Transcription> {
    this.heard.push({ audio, hints });
    return this.answer();
  }
}

const AUDIO: PcmAudio = { sampleRateHertz: 8000, pcm: Buffer.alloc(16000) };

function world(
  speech: SpeechToText | null,
  wav: () => Promise<Buffer> = async () => writeWav(AUDIO),
) {
  const business = aBusiness();
  const messages = new InMemoryRecordedMessages({
    [CALL_SID]: { phone: CALLER, name: "Tom Hughes", reason: "callback" },
  });
  const outbox = new InMemoryOutboxQueue();
  const logger = new RecordingLogger();
  const twilio = new InMemoryRecordings();
  const deps: TranscribeDeps = {
    recordingDeletion: { remover: twilio, queue: messages },
    businesses: new InMemoryBusinessDirectory(business),
    recordings: { fetchWav: wav },
    speech,
    messages,
    outbox,
    clock: new ManualClock(new Date("2026-11-25T10:00:00Z")),
    logger,
    transcribeMs: 200,
    retryDelayMs: 1,
  };
  return { business, messages, outbox, logger, deps, twilio };
}

const completed = (
  businessId: string,
  overrides: Partial<{ status: string; durationSeconds: number }> = {},
) => ({
  businessId,
  callSid: CALL_SID,
  recordingSid: RECORDING_SID,
  recordingUrl: RECORDING_URL,
  status: "completed",
  durationSeconds: 14,
  ...overrides,
});

describe("a message a caller left", () => {
  it("is transcribed, kept on the call's transcript and texted to the owner, and its audio deleted at Twilio", async () => {
    const speech = new ScriptedSpeech(async () => ({
      text: "the kitchen tap at 4 elm road is dripping",
      confidence: 0.8,
    }));
    const w = world(speech);
    assert.equal(await transcribeRecordedMessage(completed(w.business.id), w.deps), "saved");
    const saved = w.messages.saved.get(RECORDING_SID);
    assert.equal(saved?.transcript, "the kitchen tap at 4 elm road is dripping");
    assert.equal(saved?.callSid, CALL_SID);
    assert.deepEqual(speech.heard[0].audio.pcm, AUDIO.pcm);
    assert.ok(speech.heard[0].hints.includes("stop tap"), "the business's hints go with it");
    assert.equal(w.outbox.messages.length, 1);
    const text = w.outbox.messages[0];
    assert.equal(text.to, w.business.ownerMobile);
    assert.equal(text.purpose, "owner-message");
    assert.equal(
      text.body,
      `Message: Tom Hughes ${CALLER} asked you to call back. Said (14 s): "the kitchen tap at 4 elm road is dripping"`,
    );
    assert.deepEqual(w.twilio.tries, [RECORDING_SID], "its words stored, the audio goes");
    assert.equal(w.twilio.kept.size, 0);
    assert.equal(w.messages.queued.size, 0, "nothing left to delete");
  });

  it("keeps the audio of a message it could not transcribe, queued for the business's recording days", async () => {
    for (const speech of [
      new ScriptedSpeech(() => Promise.reject(new Error("503 Service Unavailable"))),
      new ScriptedSpeech(async () => ({ text: "  ", confidence: null })),
    ]) {
      const w = world(speech);
      await transcribeRecordedMessage(completed(w.business.id), w.deps);
      assert.deepEqual(w.twilio.tries, [], "not deleted");
      const queued = w.messages.queued.get(RECORDING_SID);
      assert.equal(
        queued?.deleteAt.toISOString(),
        new Date(Date.parse("2026-11-25T10:00:00Z") + 30 * 86_400_000).toISOString(),
        "after the default 30 recording days",
      );
      assert.match(w.outbox.messages[0].body, / Listen: https:/, "the owner can still listen");
    }
  });

  it("keeps the message and the owner's text when Twilio will not delete the audio, leaving it due for the sweep", async () => {
    const w = world(new ScriptedSpeech(async () => ({ text: "call me back", confidence: 0.9 })));
    w.twilio.failing = true;
    assert.equal(await transcribeRecordedMessage(completed(w.business.id), w.deps), "saved");
    assert.equal(w.messages.saved.get(RECORDING_SID)?.transcript, "call me back");
    assert.equal(w.outbox.messages.length, 1);
    const queued = w.messages.queued.get(RECORDING_SID);
    assert.equal(queued?.deleteAt.toISOString(), "2026-11-25T10:00:00.000Z", "due at once");
    assert.match(queued?.lastError ?? "", /Twilio 503/);
    assert.ok(w.logger.lines.some((l) => l.event === "recording.delete-failed"));

    // The next retention sweep deletes it.
    w.twilio.failing = false;
    const swept = await deleteDueRecordings({
      remover: w.twilio,
      queue: w.messages,
      clock: w.deps.clock,
      logger: w.logger,
    });
    assert.deepEqual(swept, { deleted: 1, failed: 0 });
    assert.equal(w.twilio.kept.size, 0);
    assert.equal(w.messages.queued.size, 0);
  });

  it("is tried again when transcription fails, and kept with the words when a later try works", async () => {
    let calls = 0;
    const speech = new ScriptedSpeech(async () => {
      calls += 1;
      if (calls === 1) throw new Error("503 Service Unavailable");
      return { text: "please ring me about the boiler", confidence: 0.7 };
    });
    const w = world(speech);
    assert.equal(await transcribeRecordedMessage(completed(w.business.id), w.deps), "saved");
    const saved = w.messages.saved.get(RECORDING_SID);
    assert.equal(saved?.transcript, "please ring me about the boiler");
    assert.equal(saved?.attempts, 2);
    assert.equal(saved?.transcriptionError, undefined);
    assert.match(w.outbox.messages[0].body, /Said \(14 s\): "please ring me about the boiler"/);
  });

  it("texts the owner at once, as an emergency, when the words are one", async () => {
    const w = world(
      new ScriptedSpeech(async () => ({
        text: "water is pouring through the kitchen ceiling",
        confidence: 0.9,
      })),
    );
    // 23:30 in Bristol: inside the owner's quiet hours, which a message would wait for.
    w.deps.clock = new ManualClock(new Date("2026-11-25T23:30:00Z"));
    const held = new InMemoryScheduledSmsQueue();
    w.deps.scheduled = held;
    await transcribeRecordedMessage(completed(w.business.id), w.deps);
    assert.equal(held.items.size, 0, "not held until the morning");
    assert.equal(w.outbox.messages.length, 1);
    assert.equal(w.outbox.messages[0].purpose, "owner-emergency-alert");
    assert.match(w.outbox.messages[0].body, /^EMERGENCY \(.+\) in a message: Tom Hughes/);
  });

  it("is kept and texted with the link when transcription fails, saying why", async () => {
    const w = world(
      new ScriptedSpeech(() => Promise.reject(new Error(`quota exceeded for ${CALLER}`))),
    );
    assert.equal(await transcribeRecordedMessage(completed(w.business.id), w.deps), "saved");
    const saved = w.messages.saved.get(RECORDING_SID);
    assert.equal(saved?.transcript, null);
    assert.match(saved?.transcriptionError ?? "", /quota exceeded/);
    assert.doesNotMatch(saved?.transcriptionError ?? "", /7700900123/);
    assert.equal(saved?.attempts, TRANSCRIBE_ATTEMPTS, "tried again before giving up");
    assert.match(
      w.outbox.messages[0].body,
      /asked you to call back\. Recorded message \(14 s\), not transcribed\. Listen: https:/,
    );
    const logged = w.logger.lines.find((e) => e.event === "voice.recorded-message");
    assert.equal(logged?.level, "warn");
  });

  it("is kept when the audio cannot be read, or transcription takes too long, or is not set up", async () => {
    for (const [speech, wav, reason] of [
      [
        new ScriptedSpeech(async () => ({ text: "x", confidence: null })),
        async () => Buffer.from("not audio"),
        /RIFF/,
      ],
      [
        new ScriptedSpeech(() => new Promise<Transcription>(() => undefined)),
        undefined,
        /timed out/,
      ],
      [null, undefined, /not configured/],
    ] as const) {
      const w = world(speech, wav);
      assert.equal(await transcribeRecordedMessage(completed(w.business.id), w.deps), "saved");
      assert.match(w.messages.saved.get(RECORDING_SID)?.transcriptionError ?? "", reason);
      assert.equal(w.outbox.messages.length, 1);
      // Audio that cannot be read is not worth a second try.
      if (reason.source === "RIFF") assert.equal(w.messages.saved.get(RECORDING_SID)?.attempts, 1);
    }
  });

  it("is transcribed, stored and texted once when Twilio posts the callback twice", async () => {
    const speech = new ScriptedSpeech(async () => ({ text: "call me back", confidence: 0.9 }));
    const w = world(speech);
    await transcribeRecordedMessage(completed(w.business.id), w.deps);
    assert.equal(
      await transcribeRecordedMessage(completed(w.business.id), w.deps),
      "already-saved",
    );
    assert.equal(speech.heard.length, 1);
    assert.equal(w.messages.saved.size, 1);
    assert.equal(w.outbox.messages.length, 1);
    // The second callback finds the audio gone already: nothing fails.
    assert.deepEqual(w.twilio.tries, [RECORDING_SID, RECORDING_SID]);
    assert.ok(!w.logger.lines.some((l) => l.event === "recording.delete-failed"));
  });

  it("stores and texts nothing when the caller left no message", async () => {
    const w = world(new ScriptedSpeech(async () => ({ text: "", confidence: null })));
    for (const r of [
      completed(w.business.id, { status: "absent" }),
      completed(w.business.id, { durationSeconds: 0 }),
    ]) {
      assert.equal(await transcribeRecordedMessage(r, w.deps), "nothing-recorded");
    }
    assert.equal(w.messages.saved.size, 0);
    assert.equal(w.outbox.messages.length, 0);
  });

  it("says a caller left it when the call is not on record (the voice fallback's)", () => {
    assert.match(
      recordedMessageText({
        callerPhone: undefined,
        transcript: "hello",
        durationSeconds: 3,
        recordingUrl: "u",
      }),
      /^Message: a caller left a message\. Said \(3 s\): "hello"$/,
    );
  });

  it("names a withheld caller and an empty transcript plainly", () => {
    assert.equal(
      recordedMessageText({
        callerPhone: null,
        transcript: "",
        durationSeconds: 3,
        recordingUrl: "u",
      }),
      "Message: withheld number left a message. Recorded message (3 s): no words could be made out. Listen: u",
    );
  });
});

describe("the recording callback webhook", () => {
  const BASE = "https://europe-west2-demo.cloudfunctions.net";
  const TOKEN = "test-auth-token-0123456789abcdef";
  const params = {
    CallSid: CALL_SID,
    RecordingSid: RECORDING_SID,
    RecordingUrl: RECORDING_URL,
    RecordingStatus: "completed",
    RecordingDuration: "14",
  };
  const post = (
    w: ReturnType<typeof world>,
    body: Record<string, string>,
    path = `/?b=${w.business.id}`,
    token = TOKEN,
  ) =>
    handleVoiceRecordingRequest(
      {
        method: "POST",
        path,
        signature: getExpectedTwilioSignature(
          token,
          `${BASE}/voiceRecording${path.replace(/^\/\?/, "?")}`,
          body,
        ),
        body,
      },
      { publicBaseUrl: BASE, authToken: TOKEN, deps: w.deps },
    );

  it("answers 204 and keeps the message when Twilio signed it", async () => {
    const w = world(new ScriptedSpeech(async () => ({ text: "hello", confidence: 0.9 })));
    const answer = await post(w, params);
    assert.equal(answer.status, 204, answer.body);
    assert.equal(w.messages.saved.size, 1);
  });

  it("refuses a forged signature with 403 and keeps nothing", async () => {
    const w = world(null);
    assert.equal((await post(w, params, undefined, "another-token")).status, 403);
    assert.equal(w.messages.saved.size, 0);
  });

  it("answers 400 naming a bad field, and 404 for a business it does not know", async () => {
    const w = world(null);
    const bad = await post(w, { ...params, RecordingSid: "nope" });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /RecordingSid/);
    assert.equal((await post(w, params, "/?b=nobody")).status, 404);
    assert.equal((await post(w, params, "/")).status, 400);
  });

  it("refuses a business id that cannot name a document with 400, looking nothing up", async () => {
    const w = world(null);
    for (const b of [".", "..", "a%2Fb", "__x__"]) {
      const answer = await post(w, params, `/?b=${b}`);
      assert.equal(answer.status, 400, b);
      assert.match(answer.body, /plain id/);
    }
    assert.equal(w.messages.saved.size, 0);
  });
});

describe("WAV audio", () => {
  it("reads back what it wrote", () => {
    const audio = { sampleRateHertz: 8000, pcm: Buffer.from([1, 0, 2, 0, 3, 0]) };
    assert.deepEqual(readWav(writeWav(audio)), audio);
  });

  it("refuses what is not 16-bit mono PCM, saying why", () => {
    assert.throws(() => readWav(Buffer.from("hello there, not audio")), WavError);
    const stereo = writeWav({ sampleRateHertz: 8000, pcm: Buffer.alloc(8) });
    stereo.writeUInt16LE(2, 22);
    assert.throws(() => readWav(stereo), /16-bit mono PCM/);
    assert.throws(
      () => readWav(writeWav({ sampleRateHertz: 8000, pcm: Buffer.alloc(0) }).subarray(0, 36)),
      /no data/,
    );
  });

  it("cuts long audio into pieces on sample boundaries, losing nothing", () => {
    const audio = { sampleRateHertz: 8000, pcm: Buffer.alloc(8000 * 2 * 125) };
    const pieces = splitAudio(audio, 55);
    assert.deepEqual(
      pieces.map((p) => p.pcm.length / 16000),
      [55, 55, 15],
    );
    assert.equal(Buffer.concat(pieces.map((p) => p.pcm)).length, audio.pcm.length);
  });
});
