import { strict as assert } from "node:assert";
import { FirestoreConversationSummaryRepository } from "../../src/adapters/firestore/conversation-summary.repository";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { paths } from "../../src/adapters/firestore/paths";
import { FirestoreSmsConversationRepository } from "../../src/adapters/firestore/sms-conversation.repository";
import { FirestoreDigestSource } from "../../src/adapters/firestore/daily-digest.repository";
import { summariseIdleSmsThreads } from "../../src/app/summarise-conversation";
import { digestText } from "../../src/domain/notifications/daily-digest";
import type { Business } from "../../src/domain/business/business";
import type { SmsEpisodeStep } from "../../src/domain/summaries/sms-episode";
import { main as summariseTool } from "../../src/tools/summarise-sms-threads";
import { createTestTenant } from "../support/firestore-tenant";
import { ManualClock, RecordingLogger } from "../support/in-memory-outbox.store";

/**
 * Text threads summarised once idle, on the official Firestore emulator:
 * the thread's document and turns as the SMS webhook writes them, the
 * collection-group query on summaryDueAt, and the guarded transaction.
 */

const PHONE = "+447700900888";
const HOUR = 3_600_000;

describe("summaries of text threads gone quiet (Firestore)", function () {
  this.timeout(30_000);
  const db = () => appFirestore();
  const sms = () => new FirestoreSmsConversationRepository(db());
  const store = () => new FirestoreConversationSummaryRepository(db());
  let business: Business;
  let other: Business;
  /** A time of its own per test, far from the real clock, so other suites' threads are never due. */
  let base: number;

  beforeEach(async () => {
    business = await createTestTenant();
    other = await createTestTenant();
    base = Date.UTC(2021, 0, 1) + Math.floor(Math.random() * 1000) * 24 * HOUR;
  });

  /** A customer's text and the receptionist's reply, as the webhook stores them. */
  async function texts(
    tenant: Business,
    at: Date,
    words: string,
    step: Partial<SmsEpisodeStep> = {},
  ): Promise<void> {
    const sid = `SM${at.getTime()}${tenant.id.slice(-4)}`;
    await sms().recordStep(tenant.id, PHONE, sid, {
      at: at.toISOString(),
      done: [],
      draft: {},
      ...step,
    });
    await sms().append(tenant.id, PHONE, { at, speaker: "customer", text: words, messageId: sid });
    await sms().append(tenant.id, PHONE, { at, speaker: "receptionist", text: "Thanks, noted." });
  }

  function sweep(at: number) {
    return summariseIdleSmsThreads({
      threads: store(),
      clock: new ManualClock(new Date(at)),
      logger: new RecordingLogger(),
    }).then((results) =>
      results
        .filter((r) => [business.id, other.id].includes(r.thread.businessId))
        .map((r) => `${r.thread.businessId === business.id ? "mine" : "other"}:${r.result}`),
    );
  }

  async function summaryOf(tenant: Business) {
    const doc = await db()
      .doc(paths.conversationSummary(tenant.id, `sms-${PHONE}`))
      .get();
    return doc.exists ? doc.data() : undefined;
  }

  it("writes an idle thread's summary once, even when two sweeps run at once", async () => {
    await texts(business, new Date(base), "hi can you book me in to fix a dripping tap", {
      done: [{ action: "booked", appointmentId: "apt-1", job: "Dripping tap" }],
      draft: { name: "Kim Lee", address: "7 Oak Road, Bristol" },
    });
    const results = await Promise.all([sweep(base + 3 * HOUR), sweep(base + 3 * HOUR)]);
    assert.deepEqual(results.flat().sort(), ["mine:superseded", "mine:written"]);
    const stored = await summaryOf(business);
    assert.equal(stored?.channel, "sms");
    assert.equal(stored?.outcome, "booked");
    assert.equal(stored?.needsOwner, false);
    assert.match(String(stored?.text), /^Kim Lee \(0770 090 0888\): booked\. Job: Dripping tap\./);
    const thread = await db().doc(paths.smsConversation(business.id, PHONE)).get();
    assert.equal(thread.get("summaryDueAt"), undefined);
    assert.equal(thread.get("episode"), undefined);
    // Nothing is due any more: a third run writes nothing.
    assert.deepEqual(await sweep(base + 4 * HOUR), []);
  });

  it("leaves a thread alone until it has been idle the whole window", async () => {
    await texts(business, new Date(base), "is thursday still ok");
    assert.deepEqual(await sweep(base + 119 * 60_000), []);
    assert.equal(await summaryOf(business), undefined);
    assert.deepEqual(await sweep(base + 121 * 60_000), ["mine:written"]);
  });

  it("replaces the summary with a fresh one when the customer texts again", async () => {
    await texts(business, new Date(base), "whats the earliest you can come");
    await sweep(base + 3 * HOUR);
    const first = await summaryOf(business);
    assert.equal(first?.needsOwner, false);
    await texts(business, new Date(base + 5 * HOUR), "actually can the owner ring me", {
      done: [{ action: "message", reason: "callback" }],
    });
    assert.deepEqual(await sweep(base + 6 * HOUR), []);
    assert.deepEqual(await sweep(base + 7.5 * HOUR), ["mine:written"]);
    const fresh = await summaryOf(business);
    assert.equal(fresh?.outcome, "message-taken");
    assert.equal(fresh?.needsOwner, true);
    assert.equal(
      (fresh?.summary as { firstWords: string }).firstWords,
      "actually can the owner ring me",
    );
    assert.ok(
      (fresh?.createdAt as { toMillis(): number }).toMillis() >
        (first?.createdAt as { toMillis(): number }).toMillis(),
    );
  });

  it("writes nothing when a new text arrives between the read and the write", async () => {
    await texts(business, new Date(base), "hello");
    const threads = store();
    const [due] = (await threads.dueSmsThreads(new Date(base + 3 * HOUR), 500)).filter(
      (t) => t.businessId === business.id,
    );
    const episode = await threads.smsEpisode(business.id, due.conversationId);
    assert.ok(episode);
    await texts(business, new Date(base + 3 * HOUR), "are you there?");
    const result = await threads.finishSmsEpisode(
      business.id,
      due.conversationId,
      due.dueAt,
      null,
      episode.coveredThrough,
    );
    assert.equal(result, "superseded");
    assert.deepEqual(await sweep(base + 5.5 * HOUR), ["mine:written"]);
    const stored = await summaryOf(business);
    assert.equal((stored?.summary as { firstWords: string }).firstWords, "hello");
  });

  it("puts a quiet thread that needs the owner in the owner's daily digest", async () => {
    await texts(business, new Date(base), "please ask dave to ring me about my boiler", {
      done: [{ action: "message", reason: "callback" }],
      draft: { name: "Pat Moss" },
    });
    await sweep(base + 3 * HOUR);
    const summaries = await new FirestoreDigestSource(db(), new RecordingLogger()).summariesBetween(
      business.id,
      new Date(base),
      new Date(base + 24 * HOUR),
    );
    assert.equal(summaries.length, 1);
    const text = digestText(business, "2021-01-01", summaries);
    assert.match(
      text ?? "",
      /1 conversation needs you[\s\S]*Pat Moss \(0770 090 0888\)\. Call back on 0770 090 0888: they asked you to call\./,
    );
  });

  it("keeps each business's threads to itself", async () => {
    await texts(business, new Date(base), "my boiler is making a noise", {
      draft: { problem: "boiler noise" },
    });
    await texts(other, new Date(base + HOUR), "can you quote for a bathroom");
    assert.deepEqual(await sweep(base + 2.5 * HOUR), ["mine:written"]);
    assert.equal(await summaryOf(other), undefined);
    const mine = await summaryOf(business);
    assert.equal((mine?.summary as { job: string }).job, "boiler noise");
    assert.deepEqual(await sweep(base + 3.5 * HOUR), ["other:written"]);
    const theirs = await summaryOf(other);
    assert.equal(
      (theirs?.summary as { firstWords: string }).firstWords,
      "can you quote for a bathroom",
    );
  });

  it("is run by hand against the local stack with npm run summaries, which prints each thread", async () => {
    await texts(business, new Date(base), "do you fix showers");
    const printed: string[] = [];
    const code = await summariseTool(["--now", new Date(base + 3 * HOUR).toISOString()], (line) =>
      printed.push(line),
    );
    assert.equal(code, 0);
    assert.ok(
      printed.some((l) => l.includes(`written   ${business.id}/sms-${PHONE}`)),
      printed.join("\n"),
    );
    assert.ok(await summaryOf(business));
    assert.equal(await summariseTool(["--now", "yesterday"]), 2);
  });
});
