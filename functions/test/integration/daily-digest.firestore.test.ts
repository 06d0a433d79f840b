import { strict as assert } from "node:assert";
import { FirestoreConversationSummaryRepository } from "../../src/adapters/firestore/conversation-summary.repository";
import { FirestoreDigestSource } from "../../src/adapters/firestore/daily-digest.repository";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { FirestoreOutboxRepository } from "../../src/adapters/firestore/outbox.repository";
import { paths } from "../../src/adapters/firestore/paths";
import { sendDailyDigests } from "../../src/app/send-daily-digest";
import type { Business } from "../../src/domain/business/business";
import { digestOutboxId } from "../../src/domain/notifications/daily-digest";
import type { ConversationSummary } from "../../src/domain/summaries/conversation-summary";
import type { DigestSource } from "../../src/ports/daily-digest.port";
import { createTestTenant } from "../support/firestore-tenant";
import { ManualClock, RecordingLogger } from "../support/in-memory-outbox.store";

function aSummary(overrides: Partial<ConversationSummary>): ConversationSummary {
  return {
    who: "Jane Smith (07700 900555)",
    outcome: "message-taken",
    actions: ["message"],
    job: null,
    address: null,
    urgency: "normal",
    ownerAction: "Call back on 07700 900555: they asked you to call.",
    needsOwner: true,
    firstWords: "can dave ring me",
    ...overrides,
  };
}

describe("the daily digest on Firestore", () => {
  const db = () => appFirestore();
  let business: Business;

  before(async () => {
    business = await createTestTenant();
    const summaries = new FirestoreConversationSummaryRepository(db());
    const write = (id: string, at: string, summary: ConversationSummary) =>
      summaries.save(business.id, {
        conversationId: id,
        channel: "call",
        summary,
        text: "",
        createdAt: new Date(at),
      });
    await write(
      "c-yesterday",
      "2026-11-28T17:59:00Z",
      aSummary({ who: "Too early (07700 900001)" }),
    );
    await write("c-message", "2026-11-29T09:00:00Z", aSummary({}));
    await write("c-booked", "2026-11-29T10:00:00Z", aSummary({ who: "Booked", needsOwner: false }));
    await write(
      "c-burst",
      "2026-11-29T11:00:00Z",
      aSummary({
        who: "Tom Hill (07700 900777)",
        outcome: "emergency-unanswered",
        job: "Burst pipe",
        urgency: "emergency",
        ownerAction: "Call back on 07700 900777: burst pipe, now.",
      }),
    );
    await write("c-late", "2026-11-29T18:00:00Z", aSummary({ who: "Too late (07700 900002)" }));
  });

  it("reads the summaries written in the window, oldest first", async () => {
    const source = new FirestoreDigestSource(db(), new RecordingLogger());
    const found = await source.summariesBetween(
      business.id,
      new Date("2026-11-28T18:00:00Z"),
      new Date("2026-11-29T18:00:00Z"),
    );
    assert.deepEqual(
      found.map((s) => s.who),
      ["Jane Smith (07700 900555)", "Booked", "Tom Hill (07700 900777)"],
    );
  });

  it("lists the tenants, skipping one whose settings do not read", async () => {
    await db().doc(paths.business("digest-broken-tenant")).set({ name: "No hours or services" });
    const logger = new RecordingLogger();
    const tenants = await new FirestoreDigestSource(db(), logger).businesses();
    assert.ok(tenants.some((b) => b.id === business.id));
    assert.ok(!tenants.some((b) => b.id === "digest-broken-tenant"));
    assert.ok(logger.lines.some((l) => l.event === "digest.business-unreadable"));
    await db().doc(paths.business("digest-broken-tenant")).delete();
  });

  it("queues one digest in the outbox across overlapping runs", async () => {
    const firestore = new FirestoreDigestSource(db(), new RecordingLogger());
    // Only this test's tenant: others in the shared emulator belong to other suites.
    const source: DigestSource = {
      businesses: async () => (await firestore.businesses()).filter((b) => b.id === business.id),
      summariesBetween: (id, from, to) => firestore.summariesBetween(id, from, to),
    };
    const run = (at: string) => {
      const clock = new ManualClock(new Date(at));
      return sendDailyDigests({
        source,
        outbox: new FirestoreOutboxRepository(db(), clock),
        clock,
        logger: new RecordingLogger(),
      });
    };
    const outcomes = (
      await Promise.all([
        run("2026-11-29T18:00:00Z"),
        run("2026-11-29T18:00:00Z"),
        run("2026-11-29T18:15:00Z"),
      ])
    ).map(([r]) => r.result.outcome);
    assert.deepEqual([...outcomes].sort(), ["already-queued", "already-queued", "queued"]);
    const outbox = await db().collection(paths.outbox(business.id)).get();
    const digests = outbox.docs.filter((d) => d.get("purpose") === "owner-daily-digest");
    assert.deepEqual(
      digests.map((d) => d.id),
      [digestOutboxId(business.id, "2026-11-29")],
    );
    const [digest] = digests;
    assert.equal(digest.get("to"), business.ownerMobile);
    assert.equal(digest.get("status"), "PENDING");
    assert.equal(
      digest.get("body"),
      `${business.name}: 2 conversations need you (Sun 29 Nov).\n` +
        "1) EMERGENCY Tom Hill (07700 900777) - Burst pipe. Call back on 07700 900777: burst pipe, now.\n" +
        "2) Jane Smith (07700 900555). Call back on 07700 900555: they asked you to call.",
    );
  });
});
