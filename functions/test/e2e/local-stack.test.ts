import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import twilio from "twilio";
import { FirestoreOutboxRepository } from "../../src/adapters/firestore/outbox.repository";
import { paths } from "../../src/adapters/firestore/paths";
import { parseEnvFile } from "../../src/tools/simulator/local-config";
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
    this.timeout(90_000);
    stack = await localStack();
    functions = await loadedFunctions();
  });

  it("loads every deployed function", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = Object.keys(require("../../src/index") as object).sort();
    assert.ok(exported.includes("voice") && exported.includes("sms"), exported.join(", "));
    assert.deepEqual([...functions].sort(), exported);
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
});
