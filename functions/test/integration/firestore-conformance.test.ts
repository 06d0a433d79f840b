import { strict as assert } from "node:assert";
import { FieldValue, Firestore, Timestamp } from "firebase-admin/firestore";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { isAlreadyExists } from "../../src/adapters/firestore/converters";
import { FirestoreBackend, startBestFirestore } from "../../src/tools/firestore-backend";
import { firestoreClientAt, onOfficialFirestore } from "../support/firestore-kind";
import { TEST_PROJECT_ID } from "../support/root-hooks";

/**
 * What each Firestore backend guarantees, test by test. The product is
 * written for production Firestore, which the official emulator matches; the
 * embedded server (the last resort, started here on its own port every run) is
 * held to what it does, and its gaps are pinned down so they stay known.
 * docs/local-development.md lists the same, backend by backend.
 */
function uniqueCollection(db: Firestore) {
  return db.collection(
    `conformance-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
  );
}

/** Outcome of a commit that may lose a race: won, lost, or rethrown. */
async function outcome(commit: Promise<unknown>): Promise<"won" | "lost"> {
  try {
    await commit;
    return "won";
  } catch (error) {
    if (isAlreadyExists(error)) return "lost";
    throw error;
  }
}

/** The behaviours the product relies on, which every backend has. */
function behavioursOfEveryBackend(db: () => Firestore): void {
  it("create() refuses an existing document with ALREADY_EXISTS", async () => {
    const ref = uniqueCollection(db()).doc("claim");
    await ref.create({ by: "first" });
    await assert.rejects(ref.create({ by: "second" }), (error: unknown) => isAlreadyExists(error));
    assert.equal((await ref.get()).get("by"), "first");
  });

  it("lets exactly one of many concurrent create() calls on one document win", async () => {
    const ref = uniqueCollection(db()).doc("lock");
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => outcome(ref.create({ i }))),
    );
    assert.equal(results.filter((r) => r === "won").length, 1);
    assert.equal(results.filter((r) => r === "lost").length, 11);
  });

  it("adds concurrent increments without losing any", async () => {
    const ref = uniqueCollection(db()).doc("counter");
    await ref.set({ n: 0 });
    await Promise.all(Array.from({ length: 20 }, () => ref.update({ n: FieldValue.increment(1) })));
    assert.equal((await ref.get()).get("n"), 20);
  });

  it("answers range queries on a Timestamp field in order", async () => {
    const collection = uniqueCollection(db());
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
    const ref = uniqueCollection(db()).doc("shape");
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
    const ref = uniqueCollection(db()).doc("conversation");
    await ref.set({ escalation: { reason: "emergency", numbers: ["+447700900123"] } });
    await ref.update({ "escalation.acceptedLeg": 0 });
    assert.deepEqual((await ref.get()).get("escalation"), {
      reason: "emergency",
      numbers: ["+447700900123"],
      acceptedLeg: 0,
    });
  });
}

/** A batch whose second create() collides; what is left of its first write. */
async function batchWithOneCollision(db: Firestore): Promise<{ failed: boolean; kept: boolean }> {
  const collection = uniqueCollection(db);
  await collection.doc("taken").create({ by: "someone" });
  const batch = db.batch();
  batch.create(collection.doc("granule-1"), { by: "me" });
  batch.create(collection.doc("taken"), { by: "me" });
  const failed = await batch.commit().then(
    () => false,
    (error: unknown) => isAlreadyExists(error),
  );
  return { failed, kept: (await collection.doc("granule-1").get()).exists };
}

/** 10 transactions that each read one slot and take it (set, not create) if free. */
async function readThenTakeWinners(db: Firestore): Promise<number> {
  const slot = uniqueCollection(db).doc("slot");
  const won = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      db.runTransaction(
        async (tx) => {
          if ((await tx.get(slot)).exists) return false;
          tx.set(slot, { by: i });
          return true;
        },
        { maxAttempts: 20 },
      ),
    ),
  );
  return won.filter(Boolean).length;
}

/** 20 concurrent read-modify-write transactions on one counter; the final count. */
async function transactionalIncrements(db: Firestore): Promise<number> {
  const counter = uniqueCollection(db).doc("counter");
  await counter.set({ n: 0 });
  await Promise.all(
    Array.from({ length: 20 }, () =>
      db.runTransaction(
        async (tx) => {
          const n = Number((await tx.get(counter)).get("n"));
          tx.update(counter, { n: n + 1 });
        },
        { maxAttempts: 30 },
      ),
    ),
  );
  return Number((await counter.get()).get("n"));
}

async function collectionGroupCount(db: Firestore): Promise<{ group: string; found: number }> {
  const group = `turns-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const root = uniqueCollection(db);
  await root.doc("CA1").collection(group).doc("0001").set({ n: 1 });
  await root.doc("CA2").collection(group).doc("0001").set({ n: 2 });
  return { group, found: (await db.collectionGroup(group).get()).size };
}

/** Whether an update made with a stale lastUpdateTime precondition is applied. */
async function staleUpdateApplied(db: Firestore): Promise<boolean> {
  const ref = uniqueCollection(db).doc("hold");
  await ref.set({ holder: "alice" });
  const read = await ref.get();
  await ref.update({ holder: "bob" });
  try {
    await ref.update({ holder: "carol" }, { lastUpdateTime: read.updateTime });
    return true;
  } catch (error) {
    if (isFailedPrecondition(error)) return false;
    throw error;
  }
}

/** A write's precondition (lastUpdateTime) no longer held: someone wrote first. */
function isFailedPrecondition(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // gRPC status 9 is FAILED_PRECONDITION; 5 (NOT_FOUND) when the document has gone since.
  return code === 9 || code === 5 || code === "failed-precondition" || code === "not-found";
}

describe("Firestore behaviours the product relies on", () => {
  describe("on the suite's Firestore, whichever it is", () => {
    behavioursOfEveryBackend(appFirestore);
  });

  describe("on the official emulator, as in production", function () {
    before(function () {
      // Only when the suite fell back to the embedded server; CI forbids that fallback.
      if (!onOfficialFirestore()) this.skip();
    });

    it("commits a batch all or nothing: one failing create() leaves none of its writes", async () => {
      assert.deepEqual(await batchWithOneCollision(appFirestore()), { failed: true, kept: false });
    });

    it("isolates transactions: of 10 concurrent read-then-take on one slot, exactly one wins", async () => {
      assert.equal(await readThenTakeWinners(appFirestore()), 1);
    });

    it("20 concurrent transactional increments give 20", async () => {
      assert.equal(await transactionalIncrements(appFirestore()), 20);
    });

    it("answers collection-group queries", async () => {
      assert.equal((await collectionGroupCount(appFirestore())).found, 2);
    });

    it("refuses an update whose lastUpdateTime precondition is stale", async () => {
      assert.equal(await staleUpdateApplied(appFirestore()), false);
    });

    it("enforces firestore.rules: a REST read without credentials is refused (403), an admin's passes", async () => {
      const ref = uniqueCollection(appFirestore()).doc("private");
      await ref.set({ secret: true });
      const host = process.env.FIRESTORE_EMULATOR_HOST;
      const url = `http://${host}/v1/projects/${TEST_PROJECT_ID}/databases/(default)/documents/${ref.path}`;
      assert.equal((await fetch(url)).status, 403);
      // The emulator's admin credential, which firebase-admin sends too.
      const admin = await fetch(url, { headers: { Authorization: "Bearer owner" } });
      assert.equal(admin.status, 200);
    });
  });

  describe("on the embedded server, the last resort: what it does and does not do", () => {
    let embedded: FirestoreBackend;
    let db: Firestore;
    before(async () => {
      embedded = await startBestFirestore({ projectId: TEST_PROJECT_ID, backend: "embedded" });
      db = firestoreClientAt(embedded.host, TEST_PROJECT_ID);
    });
    after(async () => {
      await db.terminate();
      await embedded.stop();
    });

    behavioursOfEveryBackend(() => db);

    it("does NOT roll back a batch: the write before a failing create() stays", async () => {
      assert.deepEqual(await batchWithOneCollision(db), { failed: true, kept: true });
    });

    it("does NOT isolate transactions: concurrent transactional increments are lost", async () => {
      assert.ok((await transactionalIncrements(db)) < 20);
    });

    it("does NOT answer collection-group queries: it finds nothing", async () => {
      assert.equal((await collectionGroupCount(db)).found, 0);
    });

    it("does NOT check lastUpdateTime preconditions: a stale update is applied", async () => {
      assert.equal(await staleUpdateApplied(db), true);
    });

    it("does NOT enforce firestore.rules: it has no rules engine, nor the REST API they guard", async () => {
      await assert.rejects(
        fetch(
          `http://${embedded.host}/v1/projects/${TEST_PROJECT_ID}/databases/(default)/documents/x/y`,
        ),
      );
    });
  });
});
