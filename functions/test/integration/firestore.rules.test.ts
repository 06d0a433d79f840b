import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import { setLogLevel } from "firebase/firestore";
import { READ_ACCESS, ReadableCollection, Role } from "../../src/shared/access";
import { FirestoreBackend, startBestFirestore } from "../../src/tools/firestore-backend";
import { RULES_FILE, TEST_PROJECT_ID } from "../support/root-hooks";

/**
 * firestore.rules, collection by collection, against the table in
 * hosting/shared/src/access.ts: members of business A read A's documents as their
 * role permits; a user of business B, a user with no claims, a user with an
 * unknown role and an anonymous visitor read nothing of A; nobody writes.
 */
const A = "rules-business-a";
const B = "rules-business-b";

/** One document per collection, in both businesses. */
function docPath(businessId: string, collection: ReadableCollection): string {
  if (collection === "business") return `businesses/${businessId}`;
  if (collection === "conversations/turns") {
    return `businesses/${businessId}/conversations/CA1/turns/0001`;
  }
  return `businesses/${businessId}/${collection}/doc1`;
}

function collectionPath(businessId: string, collection: ReadableCollection): string | undefined {
  if (collection === "business") return undefined;
  const doc = docPath(businessId, collection);
  return doc.slice(0, doc.lastIndexOf("/"));
}

interface Actor {
  name: string;
  /** undefined: not signed in. */
  uid?: string;
  claims?: Record<string, unknown>;
  /** The business and role it belongs to, if any. */
  member?: { businessId: string; role: Role };
}

const ACTORS: Actor[] = [
  {
    name: "the owner of A",
    uid: "owner-a",
    claims: { businessId: A, role: "owner" },
    member: { businessId: A, role: "owner" },
  },
  {
    name: "staff of A",
    uid: "staff-a",
    claims: { businessId: A, role: "staff" },
    member: { businessId: A, role: "staff" },
  },
  { name: "the owner of B", uid: "owner-b", claims: { businessId: B, role: "owner" } },
  { name: "staff of B", uid: "staff-b", claims: { businessId: B, role: "staff" } },
  { name: "a user with no claims", uid: "no-claims", claims: {} },
  {
    name: "a user of A with an unknown role",
    uid: "odd-role",
    claims: { businessId: A, role: "admin" },
  },
  { name: "a user naming A without a role", uid: "no-role", claims: { businessId: A } },
  { name: "an anonymous visitor" },
];

const COLLECTIONS = Object.keys(READ_ACCESS) as ReadableCollection[];

function mayReadA(actor: Actor, collection: ReadableCollection): boolean {
  const roles: readonly Role[] = READ_ACCESS[collection];
  return actor.member?.businessId === A && roles.includes(actor.member.role);
}

describe("firestore.rules on the official emulator", function () {
  this.timeout(90_000);
  let emulator: FirestoreBackend;
  let env: RulesTestEnvironment;

  before(async function () {
    // Refused writes are the point here; the SDK would log each one as a warning.
    setLogLevel("silent");
    // Its own official emulator with firestore.rules, so the rules are exactly the file's.
    emulator = await startBestFirestore({
      projectId: TEST_PROJECT_ID,
      rulesPath: RULES_FILE,
      port: 0,
    });
    if (emulator.kind === "embedded") {
      await emulator.stop();
      console.log("      skipped: no official Firestore emulator here, and only it enforces rules");
      this.skip();
    }
    const [host, port] = emulator.host.split(":");
    env = await initializeTestEnvironment({
      projectId: TEST_PROJECT_ID,
      firestore: {
        host,
        port: Number(port),
        rules: fs.readFileSync(RULES_FILE, "utf8"),
      },
    });
    await env.withSecurityRulesDisabled(async (context) => {
      const db = context.firestore();
      for (const businessId of [A, B]) {
        for (const collection of COLLECTIONS) {
          await db.doc(docPath(businessId, collection)).set({ businessId, collection });
        }
      }
      for (const top of [
        "phoneRoutes/+441170000000",
        "calls/CA1",
        "scheduledSms/x",
        "smsBySid/SM1",
        "calendarSyncQueue/x",
        "calendarPulls/x",
        "calendarOAuthStates/x",
      ]) {
        await db.doc(top).set({ businessId: A });
      }
    });
  });

  after(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  function dbOf(actor: Actor) {
    const context = actor.uid
      ? env.authenticatedContext(actor.uid, actor.claims)
      : env.unauthenticatedContext();
    return context.firestore();
  }

  for (const collection of COLLECTIONS) {
    describe(`businesses/{id}${collection === "business" ? "" : `/${collection}`}`, () => {
      for (const actor of ACTORS) {
        const allowed = mayReadA(actor, collection);
        it(`${allowed ? "lets" : "refuses"} ${actor.name} ${allowed ? "read" : "reading"} business A's`, async () => {
          const db = dbOf(actor);
          const check = allowed ? assertSucceeds : assertFails;
          await check(db.doc(docPath(A, collection)).get());
          const list = collectionPath(A, collection);
          if (list) await check(db.collection(list).get());
        });
      }

      it("refuses every write, even from the owner", async () => {
        const owner = dbOf(ACTORS[0]);
        await assertFails(owner.doc(docPath(A, collection)).set({ changed: true }));
        await assertFails(owner.doc(docPath(A, collection)).update({ changed: true }));
        await assertFails(owner.doc(docPath(A, collection)).delete());
        const list = collectionPath(A, collection);
        if (list) await assertFails(owner.collection(list).add({ created: true }));
      });
    });
  }

  it("refuses listing all businesses, even to an owner", async () => {
    await assertFails(dbOf(ACTORS[0]).collection("businesses").get());
  });

  it("refuses collection-group queries across businesses", async () => {
    await assertFails(dbOf(ACTORS[0]).collectionGroup("appointments").get());
    await assertFails(dbOf(ACTORS[0]).collectionGroup("conversations").get());
  });

  it("refuses every top-level collection (routes, call index, queues) to everyone", async () => {
    for (const actor of ACTORS) {
      for (const top of [
        "phoneRoutes/+441170000000",
        "calls/CA1",
        "scheduledSms/x",
        "smsBySid/SM1",
        "calendarSyncQueue/x",
        "calendarPulls/x",
        "calendarOAuthStates/x",
      ]) {
        await assertFails(dbOf(actor).doc(top).get());
      }
    }
  });

  it("streams a member's appointments live, and refuses the same listener to business B", async () => {
    const owner = dbOf(ACTORS[0]);
    const seen = new Promise<string[]>((resolve, reject) => {
      const stop = owner.collection(`businesses/${A}/appointments`).onSnapshot((snapshot) => {
        const ids = snapshot.docs.map((d) => d.id);
        if (ids.includes("live-1")) {
          stop();
          resolve(ids);
        }
      }, reject);
    });
    await env.withSecurityRulesDisabled(async (context) => {
      await context.firestore().doc(`businesses/${A}/appointments/live-1`).set({ at: 1 });
    });
    assert.ok((await seen).includes("live-1"));

    const intruder = dbOf(ACTORS[2]);
    const refused = await new Promise<string>((resolve) => {
      intruder.collection(`businesses/${A}/appointments`).onSnapshot(
        () => resolve("delivered"),
        (error: { code?: string }) => resolve(String(error.code)),
      );
    });
    assert.equal(refused, "permission-denied");
  });
});
