import { strict as assert } from "node:assert";
import * as net from "node:net";
import { FieldValue, Firestore } from "firebase-admin/firestore";
import {
  onDocumentCreated,
  onDocumentDeleted,
  onDocumentUpdated,
} from "firebase-functions/v2/firestore";
import { EmbeddedFirestore, startEmbeddedFirestore } from "../../src/tools/embedded-firestore";
import { firestoreTriggersOf, TriggerRelay } from "../../src/tools/trigger-relay";

const PROJECT = "demo-relay-test";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * A client of this suite's own server. The Firestore client always prefers
 * FIRESTORE_EMULATOR_HOST (which the root hook points at the shared server),
 * and reads it once, when constructed.
 */
function clientOf(host: string): Firestore {
  const shared = process.env.FIRESTORE_EMULATOR_HOST;
  process.env.FIRESTORE_EMULATOR_HOST = host;
  try {
    return new Firestore({ projectId: PROJECT });
  } finally {
    process.env.FIRESTORE_EMULATOR_HOST = shared;
  }
}

interface Seen {
  fn: string;
  id: string;
  params: Record<string, string>;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

describe("the trigger relay for the embedded Firestore", () => {
  let firestore: EmbeddedFirestore;
  let db: Firestore;
  let relay: TriggerRelay;
  let seen: Seen[];
  let logged: string[];
  let flakyFailuresLeft: number;

  const functionsModule = {
    onMessage: onDocumentCreated("tenants/{tenantId}/inbox/{messageId}", (event) => {
      seen.push({ fn: "onMessage", id: event.id, params: event.params, after: event.data?.data() });
    }),
    onMessageChanged: onDocumentUpdated("tenants/{tenantId}/inbox/{messageId}", async (event) => {
      // Slow enough that a second change would overtake it if deliveries were not in order.
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen.push({
        fn: "onMessageChanged",
        id: event.id,
        params: event.params,
        before: event.data?.before.data(),
        after: event.data?.after.data(),
      });
    }),
    onMessageDeleted: onDocumentDeleted("tenants/{tenantId}/inbox/{messageId}", (event) => {
      seen.push({
        fn: "onMessageDeleted",
        id: event.id,
        params: event.params,
        before: event.data?.data(),
      });
    }),
    flaky: onDocumentCreated(
      { document: "tenants/{tenantId}/flaky/{id}", retry: true },
      (event) => {
        seen.push({ fn: "flaky", id: event.id, params: event.params });
        if (flakyFailuresLeft-- > 0) throw new Error("transient outage");
      },
    ),
    fragile: onDocumentCreated("tenants/{tenantId}/fragile/{id}", (event) => {
      seen.push({ fn: "fragile", id: event.id, params: event.params });
      throw new Error("bad input");
    }),
  };

  before(async () => {
    firestore = await startEmbeddedFirestore(await freePort());
    db = clientOf(firestore.host);
  });
  after(async () => {
    await db.terminate();
    firestore.stop();
  });
  beforeEach(() => {
    seen = [];
    logged = [];
    flakyFailuresLeft = 0;
    relay = new TriggerRelay({
      server: firestore.server,
      projectId: PROJECT,
      triggers: firestoreTriggersOf(functionsModule),
      log: {
        info: (m) => logged.push(`info ${m}`),
        warn: (m) => logged.push(`warn ${m}`),
        error: (m) => logged.push(`error ${m}`),
      },
      retryDelayMs: 5,
    });
    relay.start();
  });
  afterEach(async () => {
    await relay.stop();
  });

  describe("when a document is created", () => {
    it("calls the created trigger once with its params and the data as written, transforms included", async () => {
      await db
        .doc("tenants/acme/inbox/m1")
        .set({ body: "hello", at: FieldValue.serverTimestamp() });
      await relay.idle();

      assert.deepEqual(
        seen.map((s) => [s.fn, s.params]),
        [["onMessage", { tenantId: "acme", messageId: "m1" }]],
      );
      assert.equal(seen[0].after?.body, "hello");
      assert.ok(seen[0].after?.at, "the server timestamp is part of the created document");
    });

    it("ignores documents no trigger covers", async () => {
      await db.doc("tenants/acme/other/x").set({ a: 1 });
      await db.doc("tenants/acme/inbox/m2/replies/r1").set({ a: 1 });
      await relay.idle();
      assert.deepEqual(seen, []);
    });
  });

  describe("when a document changes twice", () => {
    it("delivers both updates in order, each with the state before it", async () => {
      await db.doc("tenants/acme/inbox/m3").set({ status: "PENDING" });
      await relay.idle();
      seen = [];

      await db.doc("tenants/acme/inbox/m3").update({ status: "PROCESSING" });
      await db.doc("tenants/acme/inbox/m3").update({ status: "SUCCESS" });
      await relay.idle();

      assert.deepEqual(
        seen.map((s) => [s.fn, s.before?.status, s.after?.status]),
        [
          ["onMessageChanged", "PENDING", "PROCESSING"],
          ["onMessageChanged", "PROCESSING", "SUCCESS"],
        ],
      );
    });
  });

  describe("when a document existed before the relay started", () => {
    it("reports its first change as an update from the old state", async () => {
      await relay.stop();
      await db.doc("tenants/acme/inbox/old").set({ status: "PENDING" });
      relay.start();

      await db.doc("tenants/acme/inbox/old").update({ status: "SUCCESS" });
      await relay.idle();

      assert.deepEqual(
        seen.map((s) => [s.fn, s.before?.status, s.after?.status]),
        [["onMessageChanged", "PENDING", "SUCCESS"]],
      );
    });
  });

  describe("when a document is deleted", () => {
    it("calls the deleted trigger with the last data", async () => {
      await db.doc("tenants/acme/inbox/m4").set({ body: "bye" });
      await relay.idle();
      seen = [];

      await db.doc("tenants/acme/inbox/m4").delete();
      await relay.idle();

      assert.deepEqual(
        seen.map((s) => [s.fn, s.before?.body]),
        [["onMessageDeleted", "bye"]],
      );
    });
  });

  describe("when a retry: true function fails", () => {
    it("tries again with the same event id until it succeeds", async () => {
      flakyFailuresLeft = 2;
      await db.doc("tenants/acme/flaky/f1").set({ a: 1 });
      await relay.idle();

      assert.equal(seen.length, 3);
      assert.equal(new Set(seen.map((s) => s.id)).size, 1);
      assert.equal(logged.filter((l) => l.startsWith("warn")).length, 2);
      assert.deepEqual(relay.stats(), { delivered: 1, failed: 0 });
    });

    it("gives up after three tries and says so", async () => {
      flakyFailuresLeft = 10;
      await db.doc("tenants/acme/flaky/f2").set({ a: 1 });
      await relay.idle();

      assert.equal(seen.length, 3);
      assert.match(
        logged.at(-1) ?? "",
        /^error trigger flaky on tenants\/acme\/flaky\/f2 .*giving up: transient outage/,
      );
      assert.deepEqual(relay.stats(), { delivered: 0, failed: 1 });
    });
  });

  describe("when a function without retry fails", () => {
    it("tries once and logs the failure", async () => {
      await db.doc("tenants/acme/fragile/x1").set({ a: 1 });
      await relay.idle();

      assert.equal(seen.length, 1);
      assert.match(logged.join("\n"), /error trigger fragile .*bad input/);
    });
  });
});
