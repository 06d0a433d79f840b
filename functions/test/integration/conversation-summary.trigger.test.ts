import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import type { DocumentSnapshot } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import functionsTest from "firebase-functions-test";
import { FirestoreConversationSummaryRepository } from "../../src/adapters/firestore/conversation-summary.repository";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { paths } from "../../src/adapters/firestore/paths";
import { FirestoreRecordedMessageRepository } from "../../src/adapters/firestore/recorded-message.repository";
import { composeSummary, summariseEndedConversation } from "../../src/app/summarise-conversation";
import type { Business } from "../../src/domain/business/business";
import { initialDialogueState } from "../../src/domain/dialogue/dialogue-state";
import { conversationSummary } from "../../src/triggers/firestore/conversation-summary.trigger";
import { ManualClock, RecordingLogger } from "../support/in-memory-outbox.store";
import { createTestTenant } from "../support/firestore-tenant";
import { TEST_PROJECT_ID } from "../support/root-hooks";

const CALLER = "+447700900333";

function bookedState() {
  return {
    ...initialDialogueState(),
    stage: "anything-else",
    draft: { name: "Jo Bloggs", address: "3 Elm Close, Bristol BS7 8AA", callbackNumber: CALLER },
    done: [{ action: "booked", appointmentId: "apt-1", job: "Drain unblock: the sink is blocked" }],
  };
}

function aCallDocument(extra: Record<string, unknown> = {}) {
  const now = Timestamp.now();
  return {
    channel: "call",
    callerPhone: CALLER,
    customerId: null,
    startedAt: now,
    updatedAt: now,
    endedAt: null,
    state: bookedState(),
    turnCount: 3,
    emergency: false,
    outcome: "booked",
    escalation: null,
    appointmentIds: ["apt-1"],
    ...extra,
  };
}

describe("the conversation summary trigger", () => {
  const fft = functionsTest({ projectId: TEST_PROJECT_ID });
  const wrapped = fft.wrap(conversationSummary);
  const db = () => appFirestore();
  let business: Business;

  after(() => fft.cleanup());
  beforeEach(async () => {
    business = await createTestTenant();
  });

  /** Runs `write` on the conversation and delivers the event it causes, `deliveries` times. */
  async function writeAndDeliver(
    conversationId: string,
    write: () => Promise<unknown>,
    deliveries = 1,
  ): Promise<void> {
    const ref = db().doc(paths.conversation(business.id, conversationId));
    const before: DocumentSnapshot = await ref.get();
    await write();
    const after: DocumentSnapshot = await ref.get();
    const event = {
      id: randomUUID(),
      data: fft.makeChange(before, after),
      params: { businessId: business.id, conversationId },
    };
    for (let i = 0; i < deliveries; i++) await wrapped(event);
  }

  async function summaryOf(conversationId: string) {
    const doc = await db().doc(paths.conversationSummary(business.id, conversationId)).get();
    return doc.exists ? doc.data() : undefined;
  }

  describe("when a call with its transcript in the document ends", () => {
    it("writes the summary once, however often the event comes", async () => {
      const id = `CA${randomUUID().replace(/-/g, "")}`;
      const ref = db().doc(paths.conversation(business.id, id));
      await ref.set(
        aCallDocument({
          turns: [
            { at: Timestamp.now(), speaker: "receptionist", text: "How can I help?" },
            { at: Timestamp.now(), speaker: "caller", text: "um my kitchen sink is blocked" },
          ],
        }),
      );
      await writeAndDeliver(id, () => ref.update({ endedAt: Timestamp.now() }), 2);
      const stored = await summaryOf(id);
      assert.equal(stored?.outcome, "booked");
      assert.equal(stored?.needsOwner, false);
      assert.equal(stored?.urgency, "normal");
      assert.equal(
        (stored?.summary as { firstWords: string }).firstWords,
        "um my kitchen sink is blocked",
      );
      assert.match(
        String(stored?.text),
        /^Jo Bloggs \(0770 090 0333\): booked\. Job: Drain unblock/,
      );
    });
  });

  describe("when a call with its transcript one document per turn ends", () => {
    it("reads the turns in order and summarises what the caller needs", async () => {
      const id = `CA${randomUUID().replace(/-/g, "")}`;
      const ref = db().doc(paths.conversation(business.id, id));
      await ref.set(
        aCallDocument({
          outcome: null,
          state: {
            ...initialDialogueState(),
            stage: "ended",
            draft: {},
            done: [{ action: "message", reason: "callback" }],
          },
        }),
      );
      const turns = db().collection(paths.conversationTurns(business.id, id));
      await turns
        .doc("0001-0")
        .set({ speaker: "caller", text: "can dave ring me back", at: Timestamp.now() });
      await turns
        .doc("0000-1")
        .set({ speaker: "receptionist", text: "Hello", at: Timestamp.now() });
      await turns
        .doc("0002-0")
        .set({ speaker: "caller", text: "about the quote", at: Timestamp.now() });
      await writeAndDeliver(id, () => ref.update({ endStatus: "completed" }));
      const stored = await summaryOf(id);
      assert.equal(stored?.outcome, "message-taken");
      assert.equal(stored?.needsOwner, true);
      assert.equal((stored?.summary as { firstWords: string }).firstWords, "can dave ring me back");
      assert.match(String(stored?.text), /Call back on 0770 090 0333: they asked you to call\./);
    });
  });

  describe("when the caller recorded a message", () => {
    const recordingSid = () => `RE${randomUUID().replace(/-/g, "")}`;

    /** A call that ended with a 14 s message recorded, its transcription still to come. */
    async function aRecordedCall() {
      const id = `CA${randomUUID().replace(/-/g, "")}`;
      const ref = db().doc(paths.conversation(business.id, id));
      await ref.set(
        aCallDocument({
          outcome: "message-taken",
          state: {
            ...initialDialogueState("ended"),
            done: [{ action: "message", reason: "callback", seconds: 14 }],
          },
        }),
      );
      await db()
        .doc(paths.callTurn(business.id, id, "0001-0"))
        .set({ speaker: "caller", text: "can dave ring me back", at: Timestamp.now() });
      return { id, ref };
    }

    /** The transcription landing, as the recording callback stores it. */
    function land(callSid: string, transcript: string | null, sid = recordingSid()) {
      return new FirestoreRecordedMessageRepository(db()).save({
        businessId: business.id,
        callSid,
        recordingSid: sid,
        recordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/${sid}`,
        durationSeconds: 14,
        transcript,
        confidence: transcript === null ? null : 0.9,
        ...(transcript === null ? { transcriptionError: "try later" } : {}),
        at: new Date(),
      });
    }

    it("says a message was left when the call ends, then carries its words once transcribed", async () => {
      const { id, ref } = await aRecordedCall();
      await writeAndDeliver(id, () => ref.update({ endedAt: Timestamp.now() }));
      const first = await summaryOf(id);
      assert.match(
        String(first?.text),
        /Message \(14 s\): not transcribed; listen to the recording\.$/,
      );
      assert.equal(first?.needsOwner, true);

      const words = "it's Sue at 4 Elm Road, the kitchen tap is dripping";
      await writeAndDeliver(id, () => land(id, words), 2);
      const stored = await summaryOf(id);
      assert.ok(String(stored?.text).endsWith(`Message (14 s): "${words}"`), String(stored?.text));
      assert.deepEqual(stored?.summary.message, { seconds: 14, words });
      assert.equal(stored?.outcome, "message-taken");
      assert.equal(
        (stored?.createdAt as Timestamp).toMillis(),
        (first?.createdAt as Timestamp).toMillis(),
        "the summary keeps when it was first written",
      );
      assert.ok(stored?.updatedAt instanceof Timestamp);
    });

    it("still says a message was left, not transcribed, when transcription fails", async () => {
      const { id, ref } = await aRecordedCall();
      await writeAndDeliver(id, () => ref.update({ endedAt: Timestamp.now() }));
      await writeAndDeliver(id, () => land(id, null), 2);
      const stored = await summaryOf(id);
      assert.deepEqual(stored?.summary.message, { seconds: 14, words: null });
      assert.match(String(stored?.text), /Message \(14 s\): not transcribed/);
      assert.equal(stored?.updatedAt, undefined, "nothing new to say: left as it was");
    });

    it("has the words from the start when they land before the call's end is written", async () => {
      const { id, ref } = await aRecordedCall();
      await writeAndDeliver(id, () => land(id, "please ring me about a quote"));
      assert.equal(await summaryOf(id), undefined, "not summarised before the call ends");
      await writeAndDeliver(id, () => ref.update({ endStatus: "completed" }));
      const stored = await summaryOf(id);
      assert.deepEqual(stored?.summary.message, {
        seconds: 14,
        words: "please ring me about a quote",
      });
    });

    it("never goes back to a summary without the words, whatever arrives late", async () => {
      const { id, ref } = await aRecordedCall();
      await ref.update({ endedAt: Timestamp.now() });
      const summaries = new FirestoreConversationSummaryRepository(db());
      const facts = await summaries.facts(business.id, id);
      assert.ok(facts);
      await land(id, "the boiler is making a banging noise");
      const deps = { summaries, clock: new ManualClock(new Date()), logger: new RecordingLogger() };
      const input = { businessId: business.id, conversationId: id };
      assert.equal(await summariseEndedConversation(input, deps), "created");
      // A run that read the call before the words landed, finishing last.
      const stale = await composeSummary(business.id, id, facts, deps);
      assert.equal(await summaries.save(business.id, stale), "exists");
      assert.equal(
        (await summaryOf(id))?.summary.message.words,
        "the boiler is making a banging noise",
      );
    });

    it("marks nothing when the call is not on record (the voice fallback's)", async () => {
      const id = `CA${randomUUID().replace(/-/g, "")}`;
      assert.equal(await land(id, "hello it's Jo"), "saved");
      assert.equal((await db().doc(paths.conversation(business.id, id)).get()).exists, false);
      assert.equal(await summaryOf(id), undefined);
    });
  });

  describe("when the write is not the end of a call", () => {
    it("writes nothing for a turn, a text thread, or a call already ended", async () => {
      const id = `CA${randomUUID().replace(/-/g, "")}`;
      const ref = db().doc(paths.conversation(business.id, id));
      await writeAndDeliver(id, () => ref.set(aCallDocument({ turns: [] })));
      await writeAndDeliver(id, () => ref.update({ turnCount: 4 }));
      assert.equal(await summaryOf(id), undefined);

      const sms = `sms-${CALLER}`;
      const smsRef = db().doc(paths.conversation(business.id, sms));
      await writeAndDeliver(sms, () =>
        smsRef.set(aCallDocument({ channel: "sms", turns: [], endedAt: Timestamp.now() })),
      );
      assert.equal(await summaryOf(sms), undefined);

      const ended = `CA${randomUUID().replace(/-/g, "")}`;
      const endedRef = db().doc(paths.conversation(business.id, ended));
      await endedRef.set(aCallDocument({ turns: [], endedAt: Timestamp.now() }));
      await writeAndDeliver(ended, () => endedRef.update({ turnCount: 9 }));
      assert.equal(await summaryOf(ended), undefined);
    });
  });

  describe("when the conversation cannot be read", () => {
    it("logs it and writes nothing", async () => {
      const id = `CA${randomUUID().replace(/-/g, "")}`;
      await db()
        .doc(paths.conversation(business.id, id))
        .set({ channel: "call", endedAt: Timestamp.now() });
      const logger = new RecordingLogger();
      const result = await summariseEndedConversation(
        { businessId: business.id, conversationId: id },
        {
          summaries: new FirestoreConversationSummaryRepository(db()),
          clock: new ManualClock(new Date()),
          logger,
        },
      );
      assert.equal(result, "missing");
      assert.ok(logger.lines.some((l) => l.event === "summary.conversation-unreadable"));
      assert.equal(await summaryOf(id), undefined);
    });
  });
});
