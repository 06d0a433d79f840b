import { strict as assert } from "node:assert";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import type { Business } from "../../src/domain/business/business";
import type { CallWrites, CallWritesResult } from "../../src/ports/call-writes.port";
import type { CallConversation } from "../../src/ports/conversation-store.port";
import {
  handleVoiceRequest,
  HttpAnswer,
  VoiceConfig,
} from "../../src/triggers/http/voice-webhook.handler";
import {
  aCallWorld,
  CallWorld,
  InMemoryBusinessDirectory,
  InMemoryCallWriter,
  InMemoryConversationStore,
} from "../support/call-fixtures";
import { spoken } from "../../src/domain/dialogue/wording";

/** The sentences a TwiML answer says, as plain text. */
function saidIn(twiml: string): string[] {
  const entities: Record<string, string> = { amp: "&", apos: "'", quot: '"', lt: "<", gt: ">" };
  return [...twiml.matchAll(/<Say[^>]*>([^<]*)<\/Say>/g)].map((m) =>
    m[1].replace(/&(amp|apos|quot|lt|gt);/g, (_, e: string) => entities[e]),
  );
}

const BASE = "https://europe-west2-demo-bristol-plumbing.cloudfunctions.net";
const TOKEN = "test-auth-token-0123456789abcdef";
const CALL_SID = `CA${"ab".repeat(16)}`;
const NOW = new Date("2026-11-25T10:00:00Z");

/** Posts `params` to the voice function, signed as Twilio would sign them. */
function signedPost(
  path: string,
  params: Record<string, string>,
  options: { token?: string; signedPath?: string } = {},
) {
  const url = `${BASE}/voice${options.signedPath ?? path}`;
  return {
    method: "POST",
    path,
    signature: getExpectedTwilioSignature(options.token ?? TOKEN, url, params),
    body: params,
  };
}

function config(world: CallWorld, deadlineMs?: number): VoiceConfig {
  return { publicBaseUrl: BASE, authToken: TOKEN, deps: world.deps, deadlineMs };
}

function incoming(world: CallWorld): Record<string, string> {
  return { CallSid: CALL_SID, From: "+447700900999", To: world.business.phoneNumber };
}

function assertTwiml(answer: HttpAnswer): void {
  assert.equal(answer.status, 200, answer.body);
  assert.equal(answer.contentType, "text/xml");
  assert.match(answer.body, /^<\?xml version="1.0" encoding="UTF-8"\?><Response>/);
}

/** A business directory whose database never answers. */
class SilentBusinessDirectory extends InMemoryBusinessDirectory {
  override findByPhoneNumber(): Promise<Business | null> {
    return new Promise(() => undefined);
  }
  override getById(): Promise<Business | null> {
    return new Promise(() => undefined);
  }
}

/** A conversation store whose database never answers. */
class SilentConversationStore extends InMemoryConversationStore {
  override get(): Promise<CallConversation | null> {
    return new Promise(() => undefined);
  }
}

/** A conversation store that fails outright. */
class BrokenConversationStore extends InMemoryConversationStore {
  override async get(): Promise<CallConversation | null> {
    throw new Error("DEADLINE_EXCEEDED from Firestore");
  }
}

/** A promise the test settles when it chooses. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Reads the conversation only once the test opens the gate. */
class GatedConversationStore extends InMemoryConversationStore {
  readonly reads = gate();
  override async get(businessId: string, callSid: string): Promise<CallConversation | null> {
    await this.reads.opened;
    return super.get(businessId, callSid);
  }
}

/** Commits only once the test opens the gate; says when a commit has started. */
class GatedWriter extends InMemoryCallWriter {
  readonly release = gate();
  readonly started = gate();
  override async commit(writes: CallWrites): Promise<CallWritesResult> {
    this.started.open();
    await this.release.opened;
    return super.commit(writes);
  }
}

describe("the voice webhook", () => {
  let world: CallWorld;
  beforeEach(() => {
    world = aCallWorld({ now: NOW });
  });

  describe("when a correctly signed call comes in", () => {
    it("greets the caller and listens, with callbacks on the public URL", async () => {
      const answer = await handleVoiceRequest(
        signedPost("/incoming", incoming(world)),
        config(world),
      );
      assertTwiml(answer);
      assert.match(answer.body, /Thanks for calling Bristol Plumbing/);
      assert.ok(
        answer.body.includes(`action="${BASE}/voice/turn?b=bristol-plumbing&amp;step=1"`),
        answer.body,
      );
    });

    it("speaks in the voice the business chose, read afresh for each call", async () => {
      const first = await handleVoiceRequest(
        signedPost("/incoming", incoming(world)),
        config(world),
      );
      assert.match(first.body, /<Say voice="Polly\.Amy" language="en-GB">Thanks for calling/);
      world.businesses.add({ ...world.business, voice: "Polly.Brian" });
      const next = await handleVoiceRequest(
        signedPost("/incoming", { ...incoming(world), CallSid: "CA" + "b".repeat(32) }),
        config(world),
      );
      assert.match(next.body, /<Say voice="Polly\.Brian" language="en-GB">Thanks for calling/);
      assert.doesNotMatch(next.body, /Polly\.Amy/);
    });

    it("answers the next turn at the URL the gather gave", async () => {
      await handleVoiceRequest(signedPost("/incoming", incoming(world)), config(world));
      const answer = await handleVoiceRequest(
        signedPost("/turn?b=bristol-plumbing&step=1", {
          CallSid: CALL_SID,
          SpeechResult: "my kitchen tap is dripping",
          Confidence: "0.91",
        }),
        config(world),
      );
      assertTwiml(answer);
      assert.match(answer.body, /Can I take your name, please\?/);
    });
  });

  describe("when the caller leaves a message for the owner", () => {
    const BID = "bristol-plumbing";
    const RECORDING = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1";

    async function askForCallBack(): Promise<HttpAnswer> {
      await handleVoiceRequest(signedPost("/incoming", incoming(world)), config(world));
      return handleVoiceRequest(
        signedPost(`/turn?b=${BID}&step=1`, {
          CallSid: CALL_SID,
          SpeechResult: "can you ask him to call me back please",
          Confidence: "0.9",
        }),
        config(world),
      );
    }

    function recorded(step: number, seconds: number | null): Promise<HttpAnswer> {
      // Twilio posts the recording; our own redirect (nothing recorded) posts none.
      const params: Record<string, string> =
        seconds === null
          ? { CallSid: CALL_SID }
          : { CallSid: CALL_SID, RecordingUrl: RECORDING, RecordingDuration: String(seconds) };
      return handleVoiceRequest(
        signedPost(`/recorded?b=${BID}&step=${step}`, params),
        config(world),
      );
    }

    it("records the message after a tone instead of listening for a speech turn", async () => {
      const answer = await askForCallBack();
      assertTwiml(answer);
      assert.doesNotMatch(answer.body, /<Gather/);
      assert.match(answer.body, /What would you like me to tell Dave\?.*after the tone/);
      assert.ok(
        answer.body.includes(`action="${BASE}/voice/recorded?b=${BID}&amp;step=2"`),
        answer.body,
      );
      assert.ok(
        answer.body.includes(`recordingStatusCallback="${BASE}/voiceRecording?b=${BID}"`),
        answer.body,
      );
    });

    it("thanks the caller and ends the call once the message is recorded, leaving the alert to the recording", async () => {
      await askForCallBack();
      const answer = await recorded(2, 14);
      assertTwiml(answer);
      assert.match(answer.body, /passed that on to Dave.*<Hangup\/>/);
      const conversation = await world.conversations.get(BID, CALL_SID);
      assert.equal(conversation?.outcome, "message-taken");
      assert.ok(conversation?.endedAt);
      const turns = await world.conversations.listTurns(BID, CALL_SID);
      assert.ok(
        turns.some((t) => t.speaker === "system" && /Message recorded \(14 s\)/.test(t.text)),
      );
      // The owner hears about it with the transcript, from the recording callback, once.
      assert.deepEqual(world.outbox.byPurpose("owner-message"), []);
    });

    it("answers a retried recording the same way, once", async () => {
      await askForCallBack();
      const first = await recorded(2, 14);
      const again = await recorded(2, 14);
      assert.equal(again.body, first.body);
      const turns = await world.conversations.listTurns(BID, CALL_SID);
      assert.equal(turns.filter((t) => /Message recorded/.test(t.text)).length, 1);
    });

    it("asks again when nothing was recorded, and after three tries asks the owner to call back", async () => {
      await askForCallBack();
      const again = await recorded(2, null);
      assert.match(again.body, /didn't hear a message.*<Record /);
      assert.ok(again.body.includes(`/voice/recorded?b=${BID}&amp;step=3`), again.body);
      await recorded(3, 0);
      const last = await recorded(4, null);
      assert.match(last.body, /I'll ask Dave to call you back.*<Hangup\/>/);
      const alerts = world.outbox.byPurpose("owner-message");
      assert.equal(alerts.length, 1);
      assert.match(alerts[0].body, /asked you to call back.*no message left/);
    });

    it("records the message when the owner cannot take a transfer", async () => {
      await handleVoiceRequest(signedPost("/incoming", incoming(world)), config(world));
      await handleVoiceRequest(
        signedPost(`/turn?b=${BID}&step=1`, {
          CallSid: CALL_SID,
          SpeechResult: "can I speak to a real person",
          Confidence: "0.9",
        }),
        config(world),
      );
      const answer = await handleVoiceRequest(
        signedPost(`/dial-result?b=${BID}&c=${CALL_SID}&leg=0`, {
          CallSid: CALL_SID,
          DialCallStatus: "no-answer",
        }),
        config(world),
      );
      assertTwiml(answer);
      assert.match(answer.body, /can't come to the phone right now.*<Record /);
      assert.ok(answer.body.includes(`/voice/recorded?b=${BID}&amp;step=2`), answer.body);
    });

    it("answers 400 for a recording without its step, or with a negative duration", async () => {
      await askForCallBack();
      const noStep = await handleVoiceRequest(
        signedPost(`/recorded?b=${BID}`, { CallSid: CALL_SID }),
        config(world),
      );
      assert.equal(noStep.status, 400);
      const negative = await handleVoiceRequest(
        signedPost(`/recorded?b=${BID}&step=2`, {
          CallSid: CALL_SID,
          RecordingUrl: RECORDING,
          RecordingDuration: "-3",
        }),
        config(world),
      );
      assert.equal(negative.status, 400);
      assert.match(negative.body, /RecordingDuration/);
    });
  });

  describe("when a request is not from Twilio", () => {
    it("rejects a request without a signature with 403", async () => {
      const request = { ...signedPost("/incoming", incoming(world)), signature: null };
      const answer = await handleVoiceRequest(request, config(world));
      assert.equal(answer.status, 403);
      assert.equal(world.conversations.conversations.size, 0);
    });

    it("rejects a signature made with another auth token with 403", async () => {
      const answer = await handleVoiceRequest(
        signedPost("/incoming", incoming(world), { token: "someone-elses-token" }),
        config(world),
      );
      assert.equal(answer.status, 403);
    });

    it("rejects a signature made for a different URL with 403", async () => {
      const answer = await handleVoiceRequest(
        signedPost(
          "/turn?b=bristol-plumbing&step=2",
          { CallSid: CALL_SID },
          {
            signedPath: "/turn?b=another-business&step=2",
          },
        ),
        config(world),
      );
      assert.equal(answer.status, 403);
    });

    it("rejects a signed request whose parameters were changed with 403", async () => {
      const request = signedPost("/incoming", incoming(world));
      const answer = await handleVoiceRequest(
        { ...request, body: { ...incoming(world), From: "+447700900000" } },
        config(world),
      );
      assert.equal(answer.status, 403);
    });

    it("refuses GET with 405", async () => {
      const answer = await handleVoiceRequest(
        { ...signedPost("/incoming", incoming(world)), method: "GET" },
        config(world),
      );
      assert.equal(answer.status, 405);
    });
  });

  describe("when a signed request is malformed", () => {
    it("answers 400 naming a bad CallSid", async () => {
      const answer = await handleVoiceRequest(
        signedPost("/incoming", { ...incoming(world), CallSid: "not-a-call" }),
        config(world),
      );
      assert.equal(answer.status, 400);
      assert.match(answer.body, /CallSid: CallSid must look like CA \+ 32 hex digits/);
    });

    it("answers 400 naming a missing To", async () => {
      const withoutTo: Record<string, string> = incoming(world);
      delete withoutTo.To;
      const answer = await handleVoiceRequest(signedPost("/incoming", withoutTo), config(world));
      assert.equal(answer.status, 400);
      assert.match(answer.body, /^Malformed Twilio request: To: /);
    });

    it("answers 400 for a turn without its step", async () => {
      const answer = await handleVoiceRequest(
        signedPost("/turn?b=bristol-plumbing", { CallSid: CALL_SID }),
        config(world),
      );
      assert.equal(answer.status, 400);
      assert.match(answer.body, /step/);
    });

    it("answers 404 for a route it does not have", async () => {
      const answer = await handleVoiceRequest(
        signedPost("/fax", { CallSid: CALL_SID }),
        config(world),
      );
      assert.equal(answer.status, 404);
    });
  });

  describe("when a dependency never answers", () => {
    it("still answers TwiML within the deadline, naming the business", async () => {
      world.deps.conversations = new SilentConversationStore();
      const started = Date.now();
      const answer = await handleVoiceRequest(
        signedPost("/turn?b=bristol-plumbing&step=1", { CallSid: CALL_SID, SpeechResult: "hi" }),
        config(world, 150),
      );
      const elapsed = Date.now() - started;
      assertTwiml(answer);
      assert.ok(elapsed < 150 + 50, `answered after ${elapsed} ms`);
      assert.deepEqual(saidIn(answer.body), [
        spoken.troubleOnMySide(),
        spoken.callBackOrTextOwner(world.business),
      ]);
      assert.ok(world.logger.lines.some((l) => l.event === "voice.deadline-exceeded"));
    });

    it("answers a plain apology within the deadline when even the business cannot be read", async () => {
      world.deps.businesses = new SilentBusinessDirectory();
      const started = Date.now();
      const answer = await handleVoiceRequest(
        signedPost("/turn?b=bristol-plumbing&step=1", { CallSid: CALL_SID, SpeechResult: "hi" }),
        config(world, 150),
      );
      const elapsed = Date.now() - started;
      assertTwiml(answer);
      assert.ok(elapsed < 150 + 50, `answered after ${elapsed} ms`);
      assert.deepEqual(saidIn(answer.body), [spoken.troubleOnMySide(), spoken.callBackInAMinute()]);
      assert.match(answer.body, /0800 111 999/);
      assert.match(answer.body, /<Hangup\/><\/Response>$/);
    });
  });

  describe("when the work outlives the deadline", () => {
    it("answers the fallback, and the late work writes nothing after it", async () => {
      const conversations = new GatedConversationStore();
      world.deps.conversations = conversations;
      world.conversations = conversations;
      conversations.reads.open();
      await handleVoiceRequest(signedPost("/incoming", incoming(world)), config(world));
      const before = conversations.stored(world.business.id, CALL_SID);
      const slow = new GatedConversationStore();
      slow.conversations.set(`${world.business.id}/${CALL_SID}`, before);
      world.deps.conversations = slow;
      const answer = await handleVoiceRequest(
        signedPost("/turn?b=bristol-plumbing&step=1", {
          CallSid: CALL_SID,
          SpeechResult: "Hi, this is Sarah Jones at 12 Park Street, Bristol BS1 5HX, my tap drips",
        }),
        config(world, 150),
      );
      assert.equal(saidIn(answer.body)[0], spoken.troubleOnMySide());
      // The read the turn was waiting for comes back after the answer went.
      slow.reads.open();
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(slow.stored(world.business.id, CALL_SID).turnCount, 0, "no turn was saved");
      assert.deepEqual(world.outbox.messages, []);
    });

    it("waits for a commit already on its way, and answers what it saved", async () => {
      await handleVoiceRequest(signedPost("/incoming", incoming(world)), config(world));
      const writer = new GatedWriter(() => world.deps);
      world.deps.writer = writer;
      const answering = handleVoiceRequest(
        signedPost("/turn?b=bristol-plumbing&step=1", {
          CallSid: CALL_SID,
          SpeechResult: "Hi, this is Sarah Jones at 12 Park Street, Bristol BS1 5HX, my tap drips",
        }),
        config(world, 1000),
      );
      await writer.started.opened;
      // Past the route's deadline (1000 ms less 200 kept for the fallback), inside its grace.
      await new Promise((resolve) => setTimeout(resolve, 850));
      writer.release.open();
      const answer = await answering;
      assert.match(answer.body, /<Gather /, answer.body);
      assert.equal(world.conversations.stored(world.business.id, CALL_SID).turnCount, 1);
    });
  });

  describe("when handling fails", () => {
    it("answers a spoken apology, never a 500", async () => {
      world.deps.conversations = new BrokenConversationStore();
      const answer = await handleVoiceRequest(
        signedPost("/turn?b=bristol-plumbing&step=1", { CallSid: CALL_SID, SpeechResult: "hi" }),
        config(world),
      );
      assertTwiml(answer);
      assert.equal(saidIn(answer.body)[0], spoken.troubleOnMySide());
      assert.match(answer.body, /<Hangup\/><\/Response>$/);
      const failure = world.logger.lines.find((l) => l.event === "voice.failed");
      assert.equal(failure?.fields.error, "DEADLINE_EXCEEDED from Firestore");
    });
  });

  describe("when Twilio reports the call status", () => {
    it("marks the conversation ended and answers an empty response", async () => {
      await handleVoiceRequest(signedPost("/incoming", incoming(world)), config(world));
      const answer = await handleVoiceRequest(
        signedPost("/status", {
          CallSid: CALL_SID,
          CallStatus: "completed",
          To: world.business.phoneNumber,
        }),
        config(world),
      );
      assertTwiml(answer);
      assert.match(answer.body, /<Response><\/Response>$/);
      const conversation = world.conversations.stored(world.business.id, CALL_SID);
      assert.equal(conversation.outcome, "caller-hung-up");
      assert.ok(conversation.endedAt);
    });
  });
});
