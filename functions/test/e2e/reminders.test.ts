import { strict as assert } from "node:assert";
import type { Timestamp } from "firebase-admin/firestore";
import { paths } from "../../src/adapters/firestore/paths";
import { LocalStack } from "../support/local-stack.harness";
import { callFromScript, runNpmScript, waitFor } from "../support/npm-script";
import { localStack } from "./stack.fixture";

const BUSINESS = "bristol-plumbing";
const CUSTOMER = "+447700900777";

describe("a booking's reminder and the customer's YES, on the local stack", function () {
  this.timeout(180_000);
  let stack: LocalStack;

  before(async () => {
    stack = await localStack();
  });

  it("books by call, sends the reminder when due, and a YES by SMS confirms the appointment", async () => {
    const call = await callFromScript(
      [
        "Hi, this is Nia Evans at 4 Park Row, Bristol BS1 5LJ, the bathroom tap is dripping",
        "the first one",
        "yes",
        "no thanks",
      ],
      ["--from", CUSTOMER],
    );
    assert.equal(call.code, 0, call.stdout);
    const db = stack.firestore();
    const booked = await db
      .collection(paths.appointments(BUSINESS))
      .where("customerPhone", "==", CUSTOMER)
      .get();
    assert.equal(booked.size, 1, call.stdout);
    const appointment = booked.docs[0];

    // The appointment-change trigger plans the reminders; run the job when the last one is due.
    const reminders = await waitFor(async () => {
      const planned = await db
        .collection(paths.scheduledSms())
        .where("appointmentId", "==", appointment.id)
        .get();
      const waiting = planned.docs.filter(
        (d) => d.get("kind") === "reminder" && d.get("status") === "waiting",
      );
      return waiting.length > 0 ? waiting : undefined;
    }, "reminders to be planned for the new booking");
    const lastDue = Math.max(...reminders.map((d) => (d.get("dueAt") as Timestamp).toMillis()));
    const start = (appointment.get("start") as Timestamp).toMillis();
    assert.ok(lastDue < start, "reminders are due before the visit");

    const job = await runNpmScript("reminders", [
      "--now",
      new Date(lastDue + 60_000).toISOString(),
    ]);
    assert.equal(job.code, 0, job.stdout + job.stderr);
    assert.match(job.stdout, /queued/);

    const reminder = await waitFor(async () => {
      const sent = await db
        .collection(paths.outbox(BUSINESS))
        .where("relatedId", "==", appointment.id)
        .get();
      const done = sent.docs.find(
        (d) => d.get("purpose") === "appointment-reminder" && d.get("status") === "SIMULATED",
      );
      return done;
    }, "the reminder SMS to be delivered (simulated)");
    assert.match(String(reminder.get("body")), /Reply YES to confirm/);
    assert.equal(reminder.get("to"), CUSTOMER);
    assert.equal((await appointment.ref.get()).get("confirmation"), "requested");

    const reply = await runNpmScript("sms", ["--from", CUSTOMER, "YES"]);
    assert.equal(reply.code, 0, reply.stdout + reply.stderr);
    assert.match(reply.stdout, /confirm|thank/i);
    assert.equal((await appointment.ref.get()).get("confirmation"), "confirmed");
  });
});
