import { strict as assert } from "node:assert";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { isAlreadyExists } from "../../src/adapters/firestore/converters";

/**
 * Exactly the Firestore behaviours the product relies on, run against
 * whichever Firestore is present (the official emulator or the embedded
 * server). A gap in either shows up here, not as a silent double booking.
 * Deliberately absent: batch atomicity and transaction isolation, which the
 * embedded server does not provide and the product therefore never relies on.
 */
describe(`Firestore behaviours the product relies on (${process.env.TEST_FIRESTORE_KIND ?? "external"} Firestore)`, () => {
  const root = () =>
    appFirestore().collection(
      `conformance-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    );

  it("create() refuses an existing document with ALREADY_EXISTS", async () => {
    const ref = root().doc("claim");
    await ref.create({ by: "first" });
    await assert.rejects(ref.create({ by: "second" }), (error: unknown) => isAlreadyExists(error));
    assert.equal((await ref.get()).get("by"), "first");
  });

  it("lets exactly one of many concurrent create() calls on one document win", async () => {
    const ref = root().doc("lock");
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        ref.create({ i }).then(
          () => "won" as const,
          (error: unknown) => {
            if (!isAlreadyExists(error)) throw error;
            return "lost" as const;
          },
        ),
      ),
    );
    assert.equal(results.filter((r) => r === "won").length, 1);
    assert.equal(results.filter((r) => r === "lost").length, 11);
  });

  it("adds concurrent increments without losing any", async () => {
    const ref = root().doc("counter");
    await ref.set({ n: 0 });
    await Promise.all(Array.from({ length: 20 }, () => ref.update({ n: FieldValue.increment(1) })));
    assert.equal((await ref.get()).get("n"), 20);
  });

  it("answers range queries on a Timestamp field in order", async () => {
    const collection = root();
    const at = (minutes: number) => Timestamp.fromMillis(Date.UTC(2026, 10, 26, 9, minutes));
    await Promise.all([30, 0, 90, 60].map((m) => collection.doc(`m${m}`).set({ start: at(m) })));
    const snapshot = await collection
      .where("start", ">=", at(15))
      .where("start", "<", at(90))
      .orderBy("start")
      .get();
    assert.deepEqual(
      snapshot.docs.map((d) => d.id),
      ["m30", "m60"],
    );
  });

  it("round-trips Timestamps, nested maps, arrays and nulls", async () => {
    const ref = root().doc("shape");
    const value = {
      at: Timestamp.fromMillis(1_795_602_600_000),
      nested: { stage: "collecting", offers: [{ start: "2026-11-26T10:00:00.000Z" }] },
      missing: null,
    };
    await ref.set(value);
    const data = (await ref.get()).data();
    assert.equal((data?.at as Timestamp).toMillis(), 1_795_602_600_000);
    assert.deepEqual(data?.nested, value.nested);
    assert.equal(data?.missing, null);
  });

  it("updates a nested field with a dotted path, leaving the rest", async () => {
    const ref = root().doc("conversation");
    await ref.set({ escalation: { reason: "emergency", numbers: ["+447700900123"] } });
    await ref.update({ "escalation.acceptedLeg": 0 });
    assert.deepEqual((await ref.get()).get("escalation"), {
      reason: "emergency",
      numbers: ["+447700900123"],
      acceptedLeg: 0,
    });
  });
});
