import { strict as assert } from "node:assert";
import { Timestamp } from "firebase-admin/firestore";
import { FirestoreBusinessRepository } from "../../src/adapters/firestore/business.repository";
import { FirestoreDegradationBoard } from "../../src/adapters/firestore/degradation.repository";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { FirestoreOutboxRepository } from "../../src/adapters/firestore/outbox.repository";
import { paths } from "../../src/adapters/firestore/paths";
import { reportDegradation } from "../../src/app/report-degradation";
import { createTestTenant } from "../support/firestore-tenant";
import { ManualClock, RecordingLogger } from "../support/in-memory-outbox.store";

describe("a degradation on Firestore, as the dashboard reads it", () => {
  it("is one attention item and one owner text however many report it at once, and comes back un-acknowledged next window", async () => {
    const business = await createTestTenant();
    const db = appFirestore();
    const clock = new ManualClock(new Date("2026-12-03T08:00:00Z"));
    const deps = {
      board: new FirestoreDegradationBoard(db),
      outbox: new FirestoreOutboxRepository(db),
      businesses: new FirestoreBusinessRepository(db),
      clock,
      logger: new RecordingLogger(),
    };
    const report = () =>
      reportDegradation(
        { businessId: business.id, degradation: "calendar-unreachable", detail: "Google 503" },
        deps,
      );
    await Promise.all([report(), report(), report(), report(), report()]);

    const item = await db
      .doc(paths.attentionItem(business.id, "degraded-calendar-unreachable"))
      .get();
    assert.equal(item.get("kind"), "receptionist-degraded");
    assert.equal(item.get("title"), "Google Calendar unreachable");
    assert.match(item.get("reason") as string, /\(Google 503\)$/);
    assert.ok(item.get("at") instanceof Timestamp);
    assert.equal(item.get("acknowledgedAt"), null);
    const texts = await db
      .collection(paths.outbox(business.id))
      .where("purpose", "==", "owner-receptionist-degraded")
      .get();
    assert.equal(texts.size, 1);
    assert.equal(texts.docs[0].get("to"), business.ownerMobile);

    await item.ref.update({ acknowledgedAt: Timestamp.now(), acknowledgedBy: "owner-uid" });
    await report();
    assert.notEqual(
      (await item.ref.get()).get("acknowledgedAt"),
      null,
      "same window: left acknowledged",
    );
    clock.advance(6 * 3600_000);
    await report();
    assert.equal((await item.ref.get()).get("acknowledgedAt"), null);
    const after = await db
      .collection(paths.outbox(business.id))
      .where("purpose", "==", "owner-receptionist-degraded")
      .get();
    assert.equal(after.size, 2);
  });
});
