import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { Firestore } from "firebase-admin/firestore";
import { onDocumentCreated, onDocumentWritten } from "firebase-functions/v2/firestore";
import { FirestoreBackend, startBestFirestore } from "../../src/tools/firestore-backend";
import {
  EmulatedFunction,
  firestoreRegistrationsOf,
  registerFirestoreTriggers,
} from "../../src/tools/firestore-trigger-registration";
import { firestoreClientAt, onOfficialFirestore } from "../support/firestore-kind";

const PROJECT = "demo-trigger-delivery";

/** What the Firestore emulator POSTed: one row per delivery. */
interface Delivery {
  key: string;
  type: string;
  document: string;
  id: string;
}

/**
 * Plays the Functions emulator's background route, counting what arrives;
 * functions whose key contains "flaky" answer 500, as a failing function does.
 */
async function startCountingFunctions(): Promise<{
  host: string;
  deliveries: Delivery[];
  close(): Promise<void>;
}> {
  const deliveries: Delivery[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const key = /\/functions\/projects\/[^/]+\/triggers\/(.+)$/.exec(req.url ?? "")?.[1] ?? "?";
      deliveries.push({
        key,
        type: String(req.headers["ce-type"]),
        document: String(req.headers["ce-document"]),
        id: String(req.headers["ce-id"]),
      });
      res.statusCode = key.includes("flaky") ? 500 : 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    deliveries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The functions as the Functions emulator would list them, from their own definitions. */
function asEmulated(functions: Record<string, unknown>): EmulatedFunction[] {
  return Object.entries(functions).map(([name, fn]) => {
    const endpoint = (
      fn as { __endpoint: { region?: string[]; eventTrigger: EmulatedFunction["eventTrigger"] } }
    ).__endpoint;
    return {
      id: `${endpoint.region?.[0] ?? "us-central1"}-${name}`,
      entryPoint: name,
      eventTrigger: endpoint.eventTrigger,
    };
  });
}

describe("Firestore triggers delivered by the official emulator", function () {
  this.timeout(90_000);
  let firestore: FirestoreBackend;
  let functions: Awaited<ReturnType<typeof startCountingFunctions>>;
  let db: Firestore;

  const deployed = {
    onMessage: onDocumentCreated(
      { document: "tenants/{tenantId}/inbox/{messageId}", region: "europe-west2", retry: true },
      () => undefined,
    ),
    onMessageWritten: onDocumentWritten(
      { document: "tenants/{tenantId}/inbox/{messageId}", region: "europe-west2" },
      () => undefined,
    ),
    flaky: onDocumentCreated(
      { document: "tenants/{tenantId}/flaky/{id}", region: "europe-west2", retry: true },
      () => undefined,
    ),
  };

  before(async function () {
    // The embedded server delivers nothing itself: its relay has its own test.
    if (!onOfficialFirestore()) this.skip();
    functions = await startCountingFunctions();
    firestore = await startBestFirestore({
      projectId: PROJECT,
      backend: "official",
      functionsEmulatorHost: functions.host,
    });
    db = firestoreClientAt(firestore.host, PROJECT);
    const registrations = firestoreRegistrationsOf(asEmulated(deployed));
    assert.deepEqual(
      registrations.map((r) => [r.key, r.document.value, r.document.matchType]),
      [
        ["europe-west2-onMessage-0", "tenants/{tenantId}/inbox/{messageId}", "PATH_PATTERN"],
        ["europe-west2-onMessageWritten-0", "tenants/{tenantId}/inbox/{messageId}", "PATH_PATTERN"],
        ["europe-west2-flaky-0", "tenants/{tenantId}/flaky/{id}", "PATH_PATTERN"],
      ],
    );
    await registerFirestoreTriggers(firestore.host, PROJECT, registrations);
  });
  after(async () => {
    await db?.terminate();
    await firestore?.stop();
    await functions?.close();
  });

  /** Waits until no delivery has arrived for a while. */
  async function settled(): Promise<Delivery[]> {
    let count = -1;
    let since = Date.now();
    for (;;) {
      if (functions.deliveries.length !== count) {
        count = functions.deliveries.length;
        since = Date.now();
      } else if (Date.now() - since > 2_000) {
        return [...functions.deliveries];
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it("delivers each write once to each matching trigger, and a failing retry: true one is not redelivered", async () => {
    const inbox = db.collection("tenants/acme/inbox");
    for (const id of ["m1", "m2", "m3"]) await inbox.doc(id).create({ body: id });
    const batch = db.batch();
    batch.create(inbox.doc("m4"), { body: "m4" });
    batch.create(inbox.doc("m5"), { body: "m5" });
    await batch.commit();
    await db.runTransaction(async (tx) => tx.create(inbox.doc("m6"), { body: "m6" }));
    await inbox.doc("m1").update({ read: true });
    await db.doc("tenants/acme/flaky/f1").create({ a: 1 });
    await db.doc("tenants/acme/elsewhere/x1").create({ a: 1 });

    const deliveries = await settled();
    const perKey = (key: string) =>
      deliveries
        .filter((d) => d.key === key)
        .map((d) => d.document)
        .sort();
    assert.deepEqual(
      perKey("europe-west2-onMessage-0"),
      ["m1", "m2", "m3", "m4", "m5", "m6"].map((m) => `tenants/acme/inbox/${m}`),
    );
    assert.deepEqual(
      perKey("europe-west2-onMessageWritten-0"),
      ["m1", "m1", "m2", "m3", "m4", "m5", "m6"].map((m) => `tenants/acme/inbox/${m}`),
    );
    assert.deepEqual(perKey("europe-west2-flaky-0"), ["tenants/acme/flaky/f1"]);
    assert.equal(deliveries.length, 14, "nothing for documents no trigger covers");
    assert.equal(new Set(deliveries.map((d) => d.id)).size, 14, "every delivery its own event");
    assert.ok(
      deliveries
        .filter((d) => d.key === "europe-west2-onMessage-0")
        .every((d) => d.type === "google.cloud.firestore.document.v1.created"),
    );
  });
});
