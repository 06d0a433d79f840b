import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { Timestamp } from "firebase-admin/firestore";
import twilio from "twilio";
import { FirestoreOutboxRepository } from "../../src/adapters/firestore/outbox.repository";
import { paths } from "../../src/adapters/firestore/paths";
import { parseEnvFile } from "../../src/tools/simulator/local-config";
import { onOfficialFirestore } from "../support/firestore-kind";
import { LocalStack } from "../support/local-stack.harness";
import { localStack } from "./stack.fixture";

const functionsDir = path.resolve(__dirname, "..", "..", "..");

function envValue(file: string, key: string): string {
  return parseEnvFile(fs.readFileSync(path.join(functionsDir, file), "utf8"))[key] ?? "";
}

async function loadedFunctions(): Promise<string[]> {
  const response = await fetch("http://127.0.0.1:5001/backends");
  const body = (await response.json()) as {
    backends: Array<{ functionTriggers: Array<{ entryPoint: string }> }>;
  };
  return body.backends.flatMap((b) => b.functionTriggers.map((t) => t.entryPoint));
}

describe("the local stack (npm start)", () => {
  let stack: LocalStack;
  let functions: string[];

  before(async function () {
    this.timeout(180_000);
    stack = await localStack();
    functions = await loadedFunctions();
  });

  it("loads every deployed function", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = Object.keys(require("../../src/index") as object).sort();
    assert.ok(exported.includes("voice") && exported.includes("sms"), exported.join(", "));
    assert.deepEqual([...functions].sort(), exported);
  });

  it("runs the same Firestore as the suite, and says which", function () {
    const said = /\[stack\] Firestore: (.*)/.exec(stack.output())?.[1] ?? "";
    if (onOfficialFirestore()) assert.match(said, /^official Cloud Firestore emulator/);
    else assert.match(said, /^embedded Node server, LAST RESORT/);
  });

  it("serves the seeded Bristol Plumbing tenant from its Firestore", async () => {
    const db = stack.firestore();
    const business = await db.doc("businesses/bristol-plumbing").get();
    assert.equal(business.get("name"), "Bristol Plumbing");
    const route = await db.doc(`phoneRoutes/${business.get("phoneNumber")}`).get();
    assert.equal(route.get("businessId"), "bristol-plumbing");
    const appointments = await db
      .collection("businesses/bristol-plumbing/appointments")
      .where("source", "==", "seed")
      .get();
    assert.equal(appointments.size, 3);
  });

  it("lets the owner sign in to the Auth emulator with the seeded login", async () => {
    const response = await fetch(
      "http://127.0.0.1:9099/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=local",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          email: "dave@bristolplumbing.example",
          password: "bristol-demo-123",
          returnSecureToken: true,
        }),
      },
    );
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as { localId: string };
    assert.equal(body.localId, "bristol-plumbing-owner");
  });

  it("serves the built dashboard, its manifest and service worker from the Hosting emulator", async () => {
    const response = await fetch("http://127.0.0.1:5002/");
    assert.equal(response.status, 200);
    const page = await response.text();
    assert.match(page, /<link rel="manifest" href="\/manifest.webmanifest"/);
    const entry = /<script type="module"[^>]*src="(\/assets\/[^"]+\.js)"/.exec(page);
    assert.ok(entry, "the page loads its built script");
    assert.equal((await fetch(`http://127.0.0.1:5002${entry[1]}`)).status, 200);
    const manifest = (await (await fetch("http://127.0.0.1:5002/manifest.webmanifest")).json()) as {
      display: string;
    };
    assert.equal(manifest.display, "standalone");
    assert.equal((await fetch("http://127.0.0.1:5002/sw.js")).status, 200);
  });

  describe("when Twilio calls the voice webhook", () => {
    const form = {
      CallSid: `CA${"0".repeat(31)}1`,
      AccountSid: `AC${"0".repeat(32)}`,
      From: "+441179460123",
      To: "+441174960000",
      CallStatus: "ringing",
      Direction: "inbound",
    };

    it("answers a correctly signed call with TwiML", async () => {
      const url = `${envValue(".env.local", "PUBLIC_WEBHOOK_BASE_URL")}/voice/incoming`;
      const signature = twilio.getExpectedTwilioSignature(
        envValue(".secret.local", "TWILIO_AUTH_TOKEN"),
        url,
        form,
      );
      const response = await fetch(`${stack.baseUrl}/voice/incoming`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": signature,
        },
        body: new URLSearchParams(form).toString(),
      });
      const body = await response.text();
      assert.equal(response.status, 200, body);
      assert.match(body, /<Response>/);
    });

    it("refuses an unsigned request with 403", async () => {
      const response = await fetch(`${stack.baseUrl}/voice/incoming`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
      });
      assert.equal(response.status, 403);
    });
  });

  describe("when an SMS is queued in the outbox", () => {
    it("is delivered by the trigger, simulated because no Twilio account is set", async function () {
      this.timeout(30_000);
      const db = stack.firestore();
      const id = `e2e-${Date.now()}`;
      const outcome = await new FirestoreOutboxRepository(db).enqueue({
        id,
        businessId: "bristol-plumbing",
        to: "+447700900123",
        body: "Your boiler service is booked for Thursday at 09:00.",
        purpose: "booking-confirmation",
      });
      assert.equal(outcome, "queued");
      const ref = db.doc(paths.outboxMessage("bristol-plumbing", id));

      let status: unknown;
      for (let i = 0; i < 100 && status !== "SIMULATED"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await ref.get()).get("status");
      }
      assert.equal(status, "SIMULATED", stack.output());
      assert.match(stack.output(), /simulated SMS/);
    });
  });

  describe("when documents are written, on the official emulator", () => {
    before(function () {
      // On the embedded server the relay runs triggers in the stack's own process
      // (test/integration/trigger-relay.test.ts counts those deliveries).
      if (!onOfficialFirestore()) this.skip();
    });

    /** Executions the Functions emulator began and finished, per function, so far. */
    function executions(): { begun: Map<string, number>; finished: number } {
      const begun = new Map<string, number>();
      let finished = 0;
      for (const line of stack.output().split("\n")) {
        const started = /Beginning execution of "europe-west2-(\w+)"/.exec(line);
        if (started) begun.set(started[1], (begun.get(started[1]) ?? 0) + 1);
        if (/Finished "europe-west2-\w+" in/.test(line)) finished++;
      }
      return { begun, finished };
    }

    /** Waits until every execution begun has finished and none began for a while. */
    async function quiet(): Promise<Map<string, number>> {
      let last = "";
      let stableSince = Date.now();
      for (;;) {
        const { begun, finished } = executions();
        const total = [...begun.values()].reduce((a, b) => a + b, 0);
        const now = JSON.stringify([...begun.entries()]);
        if (now !== last || total !== finished) {
          last = now;
          stableSince = Date.now();
        } else if (Date.now() - stableSince > 2_500) {
          return begun;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    it("delivers each write to each matching trigger exactly once, retry: true functions included", async function () {
      this.timeout(90_000);
      const db = stack.firestore();
      const before = await quiet();
      const run = Date.now().toString(36);

      // deliverOutboxMessage (onDocumentCreated, retry: true): 3 single creates and a batch of 2.
      const outbox = new FirestoreOutboxRepository(db);
      const message = (n: number) => ({
        id: `count-${run}-${n}`,
        businessId: "bristol-plumbing",
        to: "+447700900123",
        body: `Delivery count ${n}`,
        purpose: "booking-confirmation" as const,
      });
      for (const n of [1, 2, 3]) assert.equal(await outbox.enqueue(message(n)), "queued");
      const batch = db.batch();
      const now = Timestamp.now();
      for (const n of [4, 5]) {
        // The fields enqueue() writes, for two messages committed together.
        const { id, ...fields } = message(n);
        batch.create(db.doc(paths.outboxMessage("bristol-plumbing", id)), {
          ...fields,
          status: "PENDING",
          attempts: 0,
          createdAt: now,
          updatedAt: now,
        });
      }
      await batch.commit();

      // appointmentNotifications and syncAppointmentToCalendar (onDocumentWritten, retry: true):
      // a create, an update and a delete, in a business of their own.
      const appointment = db.doc(`businesses/count-${run}/appointments/a1`);
      await appointment.set({ note: "not an appointment either function acts on" });
      await appointment.update({ note: "changed" });
      await appointment.delete();

      const after = await quiet();
      const delta = (fn: string) => (after.get(fn) ?? 0) - (before.get(fn) ?? 0);
      assert.deepEqual(
        {
          deliverOutboxMessage: delta("deliverOutboxMessage"),
          appointmentNotifications: delta("appointmentNotifications"),
          syncAppointmentToCalendar: delta("syncAppointmentToCalendar"),
        },
        { deliverOutboxMessage: 5, appointmentNotifications: 3, syncAppointmentToCalendar: 3 },
      );
      for (const n of [1, 2, 3, 4, 5]) {
        const status = (
          await db.doc(paths.outboxMessage("bristol-plumbing", message(n).id)).get()
        ).get("status");
        assert.equal(status, "SIMULATED", `message ${n}`);
      }
    });
  });
});
