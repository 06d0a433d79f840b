import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import type { Timestamp } from "firebase-admin/firestore";
import { paths } from "../../src/adapters/firestore/paths";
import { LocalStack } from "../support/local-stack.harness";
import {
  callFromScript,
  newcomerEnv,
  REPO_ROOT,
  runNpmScript,
  waitFor,
} from "../support/npm-script";
import { localStack } from "./stack.fixture";

const BUSINESS = "bristol-plumbing";

describe("calling the local stack with the simulator (npm run call)", function () {
  this.timeout(180_000);
  let stack: LocalStack;

  before(async () => {
    stack = await localStack();
  });

  describe("when a new caller books a blocked drain", () => {
    it("stores the appointment and the customer, and the confirmation SMS is delivered (simulated)", async () => {
      const from = "+447700900555";
      const { code, transcript, stdout } = await callFromScript(
        [
          "Hello, my drain is blocked",
          "My name is Lucy Fields",
          "9 Brook Road, Bristol BS5 7EX",
          "the first one",
          "yes",
          "no, that's all thanks",
        ],
        ["--from", from],
      );
      assert.equal(code, 0, stdout);
      assert.equal(transcript.ended, "hangup");
      assert.match(stdout, /You're booked in/);

      const db = stack.firestore();
      const appointments = await db
        .collection(paths.appointments(BUSINESS))
        .where("customerPhone", "==", from)
        .get();
      assert.equal(appointments.size, 1);
      const appointment = appointments.docs[0];
      assert.equal(appointment.get("serviceId"), "drain-unblock");
      assert.equal(appointment.get("source"), transcript.callSid);
      const minutes =
        ((appointment.get("end") as Timestamp).toMillis() -
          (appointment.get("start") as Timestamp).toMillis()) /
        60_000;
      assert.equal(minutes, 60);

      const customer = await db.doc(paths.customer(BUSINESS, from)).get();
      assert.equal(customer.get("name"), "Lucy Fields");

      const sms = db.doc(paths.outboxMessage(BUSINESS, `booking-confirmation-${appointment.id}`));
      const status = await waitFor(async () => {
        const s = (await sms.get()).get("status") as string | undefined;
        return s === "SIMULATED" ? s : undefined;
      }, "the confirmation SMS to be delivered");
      assert.equal(status, "SIMULATED");
      assert.equal((await sms.get()).get("to"), from);

      // The call's turns are in the run's function log, and npm run health reads them.
      const health = await runNpmScript("health", ["--business", BUSINESS]);
      const turns =
        /voice turns {7}(\d+) in this run: p50 \S+ m?s, p95 \S+ m?s, p99 \S+ m?s \(SLO/.exec(
          health.stdout,
        );
      assert.ok(turns, health.stdout + health.stderr);
      assert.ok(Number(turns[1]) >= 7, `only ${turns[1]} turns logged`);
    });
  });

  describe("when a caller leaves a message for Dave", () => {
    it("records it, and without Speech-to-Text the owner is still texted that a message was left, with its link", async () => {
      const from = "+447700900777";
      const { code, transcript, stdout } = await callFromScript(
        ["can you ask Dave to call me back please", "it's Sue, my radiator valve is leaking"],
        ["--from", from],
      );
      assert.equal(code, 0, stdout);
      assert.equal(transcript.ended, "hangup");
      assert.match(stdout, /after the tone/);
      assert.match(stdout, /\[recording status callback\] completed, \d+s -> 204/);
      assert.match(stdout, /passed that on to Dave/);

      const db = stack.firestore();
      const turns = await db
        .collection(paths.conversationTurns(BUSINESS, transcript.callSid))
        .where("recording.transcribed", "==", false)
        .get();
      assert.equal(turns.size, 1, "the message is kept on the call's transcript");
      const recording = turns.docs[0].get("recording") as { sid: string; error?: string };
      assert.match(recording.error ?? "", /not configured/);

      const alert = db.doc(paths.outboxMessage(BUSINESS, `recorded-${recording.sid}`));
      const status = await waitFor(async () => {
        const s = (await alert.get()).get("status") as string | undefined;
        return s === "SIMULATED" ? s : undefined;
      }, "the owner's text about the message to be delivered");
      assert.equal(status, "SIMULATED");
      const body = String((await alert.get()).get("body"));
      assert.match(
        body,
        new RegExp(`^Message: \\${from} asked you to call back\\. Recorded message`),
      );
      assert.match(
        body,
        new RegExp(`Listen: https://api\\.twilio\\.com/.+/Recordings/${recording.sid}$`),
      );
    });
  });

  describe("when Margaret reports a burst pipe and the owner does not answer", () => {
    it("alerts the owner, walks the ladder to the backup who accepts, and records the transfer", async () => {
      const { code, transcript, stdout } = await callFromScript(
        ["My pipe has burst and there's water everywhere"],
        ["--from", "+441179460123", "--owner", "no-answer", "--backup", "accept"],
      );
      assert.equal(code, 0, stdout);
      assert.equal(transcript.ended, "transfer-accepted");
      assert.match(stdout, /stopcock/i);
      assert.match(stdout, /under the kitchen sink/);
      assert.match(stdout, /ringing \+447700900123/);
      assert.match(stdout, /connected: caller is now talking to \+447700900456/);

      const db = stack.firestore();
      const conversation = await db.doc(paths.conversation(BUSINESS, transcript.callSid)).get();
      assert.equal(conversation.get("emergency"), true);
      assert.equal(conversation.get("outcome"), "transferred");
      assert.equal(conversation.get("escalation.acceptedLeg"), 1);

      const alert = await waitFor(async () => {
        const doc = await db
          .doc(paths.outboxMessage(BUSINESS, `emergency-alert-${transcript.callSid}`))
          .get();
        return doc.get("status") === "SIMULATED" ? doc : undefined;
      }, "the owner's emergency SMS");
      assert.equal(alert.get("to"), "+447700900123");
      assert.match(String(alert.get("body")), /14 Cotham Road/);
    });
  });

  describe("when the stack is not running", () => {
    it("the simulator says how to start it and exits non-zero", async () => {
      const child = spawn(
        "node",
        ["functions/lib/src/tools/call-simulator.js", "--base-url", "http://127.0.0.1:5999/x/y"],
        { cwd: REPO_ROOT, env: newcomerEnv(), stdio: ["pipe", "pipe", "pipe"] },
      );
      let output = "";
      child.stdout.on("data", (c: Buffer) => (output += c.toString()));
      child.stderr.on("data", (c: Buffer) => (output += c.toString()));
      child.stdin.end();
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      assert.notEqual(code, 0);
      assert.match(output, /npm start/);
    });
  });
});
