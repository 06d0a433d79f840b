import { strict as assert } from "node:assert";
import { Timestamp } from "firebase-admin/firestore";
import { FirestoreBusinessRepository } from "../../src/adapters/firestore/business.repository";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { paths } from "../../src/adapters/firestore/paths";
import { FirestoreRetentionStore } from "../../src/adapters/firestore/retention.repository";
import {
  FirestoreRecordedMessageRepository,
  recordingTurnKey,
} from "../../src/adapters/firestore/recorded-message.repository";
import { BusinessTranscriptRetention } from "../../src/adapters/firestore/transcript-retention";
import { sweepRetention } from "../../src/app/retention-sweep";
import { FirestoreRecordingDeletionQueue } from "../../src/adapters/firestore/recording-deletion.repository";
import { TwilioRecordingRemover } from "../../src/adapters/twilio/twilio-recording.remover";
import { twilioFakeForSuite } from "../support/twilio-fake.server";
import { sendInboundSms } from "../../src/tools/sms-simulator";
import { ManualClock, RecordingLogger } from "../support/call-fixtures";
import { createTestTenant } from "../support/firestore-tenant";
import { simulatedCall } from "../support/simulated-call";
import { startWebhooksTestServer, WebhooksTestServer } from "../support/webhooks-test-server";

const DAY_MS = 86_400_000;

/**
 * Retention of transcripts (docs/privacy.md): every turn is written with the
 * business's TTL field, and the nightly sweep deletes what has expired and
 * what is older than the business keeps, leaving summaries alone.
 */
describe("retention of transcripts, against Firestore", function () {
  this.timeout(30_000);
  let server: WebhooksTestServer;
  const db = () => appFirestore();

  before(async () => {
    server = await startWebhooksTestServer();
  });
  after(async () => {
    await server.stop();
  });

  it("stamps every call and text turn with expireAt, the business's transcript days after it was said", async () => {
    const business = await createTestTenant({
      retention: { transcriptDays: 30, recordingDays: 7 },
    });
    const { transcript } = await simulatedCall(server, business, ["no thanks, that's all"], {
      from: "+447700900401",
    });
    await sendInboundSms({
      baseUrl: server.baseUrl,
      authToken: server.authToken,
      from: "+447700900402",
      to: business.phoneNumber,
      body: "are you open on saturday?",
    });
    const callTurns = await db()
      .collection(paths.conversationTurns(business.id, transcript.callSid))
      .get();
    const smsTurns = await db().collection(paths.smsTurns(business.id, "+447700900402")).get();
    assert.ok(callTurns.size >= 2, "the greeting and the caller's words");
    assert.ok(smsTurns.size >= 1);
    for (const turn of [...callTurns.docs, ...smsTurns.docs]) {
      const at = (turn.get("at") as Timestamp).toMillis();
      const expireAt = turn.get("expireAt") as Timestamp | undefined;
      assert.ok(expireAt, `${turn.ref.path} has no expireAt`);
      assert.equal(expireAt.toMillis() - at, 30 * DAY_MS, turn.ref.path);
    }
  });

  it("stamps a caller's recorded message with expireAt after the business's recording days", async () => {
    const business = await createTestTenant({
      retention: { transcriptDays: 30, recordingDays: 7 },
    });
    const at = new Date("2026-12-01T10:00:00Z");
    const repository = new FirestoreRecordedMessageRepository(
      db(),
      new BusinessTranscriptRetention(new FirestoreBusinessRepository(db())),
    );
    await repository.save({
      businessId: business.id,
      callSid: "CArec",
      recordingSid: "RE1",
      recordingUrl: "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
      durationSeconds: 12,
      transcript: "please call me back about the boiler",
      confidence: 0.9,
      at,
    });
    const turn = await db()
      .doc(paths.callTurn(business.id, "CArec", recordingTurnKey("RE1")))
      .get();
    const expireAt = turn.get("expireAt") as Timestamp;
    assert.equal(expireAt.toDate().toISOString(), "2026-12-08T10:00:00.000Z");
  });

  it("sweeps expired turns and turns older than the business keeps, and keeps summaries and recent turns", async () => {
    const business = await createTestTenant({
      retention: { transcriptDays: 30, recordingDays: 7 },
    });
    const now = new Date();
    const daysAgo = (n: number) => Timestamp.fromDate(new Date(now.getTime() - n * DAY_MS));
    const b = business.id;
    // A call whose turns expired (TTL not run yet), and one still inside its retention.
    await db()
      .doc(paths.conversation(b, "CA-old"))
      .set({ channel: "call", updatedAt: daysAgo(40) });
    await db()
      .doc(paths.callTurn(b, "CA-old", "0001"))
      .set({ at: daysAgo(40), expireAt: daysAgo(10), text: "old" });
    await db()
      .doc(paths.conversation(b, "CA-new"))
      .set({ channel: "call", updatedAt: daysAgo(2) });
    await db()
      .doc(paths.callTurn(b, "CA-new", "0001"))
      .set({
        at: daysAgo(2),
        expireAt: Timestamp.fromDate(new Date(now.getTime() + 28 * DAY_MS)),
        text: "new",
      });
    // A turn written before turns carried expireAt, 35 days ago: older than 30 days.
    await db()
      .doc(paths.conversation(b, "CA-legacy"))
      .set({ channel: "call", updatedAt: daysAgo(35) });
    await db()
      .doc(paths.callTurn(b, "CA-legacy", "0001"))
      .set({ at: daysAgo(35), text: "legacy" });
    await db()
      .doc(paths.conversationSummary(b, "CA-legacy"))
      .set({ summary: "Asked for a quote", at: daysAgo(35) });
    // Texts as received: one too old, one recent.
    await db()
      .doc(paths.inboundSms(b, "SM-old"))
      .set({ body: "old text", receivedAt: daysAgo(31) });
    await db()
      .doc(paths.inboundSms(b, "SM-new"))
      .set({ body: "new text", receivedAt: daysAgo(1) });
    // A recorded message whose expiry passed, in a conversation still inside its retention.
    await db()
      .doc(paths.callTurn(b, "CA-new", "recording-RE1"))
      .set({ at: daysAgo(8), expireAt: daysAgo(1), text: "please call me back" });

    const logger = new RecordingLogger();
    const counts = await sweepRetention({
      store: new FirestoreRetentionStore(db()),
      businesses: new FirestoreBusinessRepository(db()),
      clock: new ManualClock(now),
      logger,
    });
    const exists = async (path: string) => (await db().doc(path).get()).exists;
    assert.equal(await exists(paths.callTurn(b, "CA-old", "0001")), false);
    assert.equal(await exists(paths.callTurn(b, "CA-legacy", "0001")), false);
    assert.equal(await exists(paths.callTurn(b, "CA-new", "recording-RE1")), false);
    assert.equal(await exists(paths.inboundSms(b, "SM-old")), false);
    assert.equal(await exists(paths.callTurn(b, "CA-new", "0001")), true);
    assert.equal(await exists(paths.inboundSms(b, "SM-new")), true);
    assert.equal(
      await exists(paths.conversationSummary(b, "CA-legacy")),
      true,
      "summaries are kept",
    );
    assert.equal(await exists(paths.conversation(b, "CA-legacy")), true);
    assert.ok(counts.expired >= 2 && counts.aged >= 2, JSON.stringify(counts));
    assert.ok(logger.lines.some((l) => l.event === "retention.swept"));

    // A second run finds nothing more of this business to delete.
    const again = await sweepRetention({
      store: new FirestoreRetentionStore(db()),
      businesses: new FirestoreBusinessRepository(db()),
      clock: new ManualClock(now),
      logger,
    });
    assert.equal(await exists(paths.callTurn(b, "CA-new", "0001")), true);
    assert.deepEqual(again, { expired: 0, aged: 0, recordings: { deleted: 0, failed: 0 } });
  });

  describe("callers' recordings at Twilio", () => {
    const { fake: twilio, accountSid, config } = twilioFakeForSuite();

    it("deletes those due, through the twilio client, and keeps the rest until theirs", async () => {
      const business = await createTestTenant({
        retention: { transcriptDays: 30, recordingDays: 7 },
      });
      const b = business.id;
      const now = new Date();
      const messages = new FirestoreRecordedMessageRepository(db());
      // Not transcribed, 8 days ago: past the business's 7 recording days. And one from yesterday.
      const old = twilio.addRecording();
      const recent = twilio.addRecording();
      const gone = `RE${"0".repeat(32)}`;
      for (const [sid, daysAgo] of [
        [old, 8],
        [recent, 1],
        [gone, 9],
      ] as const) {
        const at = new Date(now.getTime() - daysAgo * DAY_MS);
        await messages.save({
          businessId: b,
          callSid: `CA-${sid}`,
          recordingSid: sid,
          recordingUrl: `${config().apiBaseUrl}/2010-04-01/Accounts/${accountSid}/Recordings/${sid}`,
          durationSeconds: 9,
          transcript: null,
          confidence: null,
          transcriptionError: "timed out",
          at,
          deleteRecordingAt: new Date(at.getTime() + 7 * DAY_MS),
        });
      }
      const logger = new RecordingLogger();
      const sweep = (authToken = config().authToken) =>
        sweepRetention({
          store: new FirestoreRetentionStore(db()),
          businesses: new FirestoreBusinessRepository(db()),
          clock: new ManualClock(now),
          logger,
          recordings: {
            remover: new TwilioRecordingRemover({ ...config(), authToken }, { retryDelayMs: 5 }),
            queue: new FirestoreRecordingDeletionQueue(db()),
          },
        });

      // Twilio refusing the sweep: the old recording stays, still due, with the reason.
      const failed = await sweep("a-token-twilio-refuses");
      assert.ok(failed.recordings.failed >= 1, JSON.stringify(failed));
      const queued = async (sid: string) => db().doc(paths.recordingDeletion(b, sid)).get();
      assert.ok(twilio.recordings().includes(old));
      assert.equal((await queued(old)).get("attempts"), 1);
      assert.match(String((await queued(old)).get("lastError")), /Twilio 401/);

      const counts = await sweep();
      assert.ok(counts.recordings.deleted >= 2, JSON.stringify(counts));
      assert.deepEqual(twilio.recordings(), [recent], "the recent one kept until its day");
      for (const sid of [old, gone]) assert.equal((await queued(sid)).exists, false, sid);
      assert.equal((await queued(recent)).exists, true);
      const turn = await db()
        .doc(paths.callTurn(b, `CA-${old}`, recordingTurnKey(old)))
        .get();
      assert.ok(turn.get("recording.deletedAt"), "its turn says the audio is gone");
      assert.ok(logger.lines.some((l) => l.event === "recording.deleted"));
    });
  });
});
