import { strict as assert } from "node:assert";
import { Timestamp } from "firebase-admin/firestore";
import { FirestoreAppointmentRepository } from "../../src/adapters/firestore/appointment.repository";
import { FirestoreCallerCounters } from "../../src/adapters/firestore/caller-gate.repository";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { paths } from "../../src/adapters/firestore/paths";
import { admit } from "../../src/app/caller-gate";
import type { Business } from "../../src/domain/business/business";
import { customerReference } from "../../src/app/customer-reference";
import type { Appointment } from "../../src/domain/scheduling/appointment";
import { InMemoryOutboxQueue, ManualClock, RecordingLogger } from "../support/call-fixtures";
import { auditOf, call, ownerOf, refusal, staffOf } from "../support/dashboard-callables";
import { createTestTenant } from "../support/firestore-tenant";

/**
 * The owner's screening list and one customer's export and deletion, as the
 * platform runs the callables, against Firestore (docs/privacy.md,
 * docs/abuse-protection.md). Cross-business refusals of these callables are
 * in dashboard.callables.test.ts with every other callable.
 */
const db = () => appFirestore();

const JANE = { name: "Jane Marsh", phone: "+447700900501", address: "9 Elm Road, Bristol BS7 8PA" };
const OTHER = { name: "Omar Hale", phone: "+447700900502", address: "2 Oak Lane, Bristol BS6 5AA" };
const DAY_MS = 86_400_000;

describe("the owner's screening list and customer data callables, against Firestore", function () {
  this.timeout(30_000);

  describe("setCallerScreening", () => {
    it("screens a number and allows it again, each with its audit entry, and the door follows", async () => {
      const business = await createTestTenant();
      const number = "+447700900511";
      const result = await call(
        "setCallerScreening",
        { businessId: business.id, number, screened: true },
        ownerOf(business),
      );
      assert.equal(result.status, "screened");
      const entry = await db().doc(paths.screeningEntry(business.id, number)).get();
      assert.equal(entry.get("status"), "screened");
      assert.equal(entry.get("reason"), "owner");
      assert.equal(entry.get("updatedBy"), `${business.id}-owner`);

      const gate = {
        counters: new FirestoreCallerCounters(db()),
        outbox: new InMemoryOutboxQueue(),
        clock: new ManualClock(new Date()),
        logger: new RecordingLogger(),
      };
      assert.deepEqual(await admit(business, number, "call", gate), {
        kind: "screened",
        reason: "owner",
      });

      await call(
        "setCallerScreening",
        { businessId: business.id, number, screened: false },
        ownerOf(business),
      );
      assert.deepEqual(await admit(business, number, "call", gate), { kind: "pass" });
      // Asked twice, recorded once.
      await call(
        "setCallerScreening",
        { businessId: business.id, number, screened: false },
        ownerOf(business),
      );
      const audit = await auditOf(business);
      assert.deepEqual(
        audit.map((a) => [a.action, a.target, (a.after as { status: string }).status]),
        [
          ["setCallerScreening", `screening/${number}`, "screened"],
          ["setCallerScreening", `screening/${number}`, "allowed"],
        ],
      );
      assert.deepEqual(audit[1].before, { status: "screened", reason: "owner" });
      assert.deepEqual(audit[0].actor, { uid: `${business.id}-owner`, role: "owner" });
    });

    it("refuses the business's own numbers, a malformed number, and staff; nothing is written", async () => {
      const business = await createTestTenant();
      const own = await refusal(
        "setCallerScreening",
        { businessId: business.id, number: business.ownerMobile, screened: true },
        ownerOf(business),
      );
      assert.equal(own.code, "invalid-argument");
      assert.deepEqual(
        own.problems.map((p) => p.path),
        ["number"],
      );
      const bad = await refusal(
        "setCallerScreening",
        { businessId: business.id, number: "07700 900511", screened: "yes" },
        ownerOf(business),
      );
      assert.equal(bad.code, "invalid-argument");
      assert.deepEqual(bad.problems.map((p) => p.path).sort(), ["number", "screened"]);
      const staff = await refusal(
        "setCallerScreening",
        { businessId: business.id, number: "+447700900512", screened: true },
        staffOf(business),
      );
      assert.equal(staff.code, "permission-denied");
      assert.equal((await db().collection(paths.screening(business.id)).get()).size, 0);
      assert.deepEqual(await auditOf(business), []);
    });
  });

  /** Jane's data in every place it is kept, plus another customer's beside it. */
  async function seedCustomerData(business: Business) {
    const b = business.id;
    const past = new Date(Date.now() - 10 * DAY_MS);
    const appointment = (id: string, who: typeof JANE, start: Date): Appointment => ({
      id,
      businessId: b,
      customerId: who.phone,
      customerName: who.name,
      customerPhone: who.phone,
      address: who.address,
      serviceId: "dripping-tap",
      serviceName: "Dripping tap repair",
      problem: "Bathroom tap drips",
      start,
      end: new Date(start.getTime() + 3_600_000),
      status: "booked",
      source: "call",
      createdAt: past,
    });
    const store = new FirestoreAppointmentRepository(db());
    const janeJob = appointment("apt-jane", JANE, past);
    assert.equal((await store.book(janeJob)).outcome, "booked");
    assert.equal(
      (await store.book(appointment("apt-omar", OTHER, new Date(past.getTime() + 7_200_000))))
        .outcome,
      "booked",
    );
    const at = Timestamp.fromDate(past);
    await db()
      .doc(paths.conversation(b, "CAjane"))
      .set({ channel: "call", callerPhone: JANE.phone, updatedAt: at });
    await db()
      .doc(paths.callTurn(b, "CAjane", "0001"))
      .set({ at, speaker: "caller", text: "my bathroom tap drips" });
    await db().doc(paths.conversationSummary(b, "CAjane")).set({ summary: "Dripping tap, booked" });
    await db().doc(paths.inboxMark(b, "CAjane")).set({ handled: true });
    await db().doc(paths.callIndex("CAjane")).set({ businessId: b });
    await db()
      .doc(paths.conversation(b, "CAomar"))
      .set({ channel: "call", callerPhone: OTHER.phone, updatedAt: at });
    await db()
      .doc(paths.callTurn(b, "CAomar", "0001"))
      .set({ at, speaker: "caller", text: "boiler" });
    await db()
      .doc(paths.smsConversation(b, JANE.phone))
      .set({ channel: "sms", phone: JANE.phone, updatedAt: at });
    await db()
      .doc(`${paths.smsTurns(b, JANE.phone)}/0001`)
      .set({ at, speaker: "customer", text: "YES" });
    await db().doc(paths.outboxMessage(b, "confirm-jane")).set({
      to: JANE.phone,
      body: "You're booked",
      purpose: "booking-confirmation",
      twilioSid: "SMjane",
    });
    await db().doc(paths.smsBySid("SMjane")).set({ businessId: b, messageId: "confirm-jane" });
    await db()
      .doc(paths.outboxMessage(b, "confirm-omar"))
      .set({ to: OTHER.phone, body: "You're booked" });
    await db()
      .doc(paths.inboundSms(b, "SMin1"))
      .set({ from: JANE.phone, body: "YES", receivedAt: at });
    await db()
      .doc(paths.scheduledSmsItem(`${b}_reminder-jane`))
      .set({ businessId: b, to: JANE.phone, body: "Reminder" });
  }

  describe("exportCustomerData", () => {
    it("returns everything held about one customer and nobody else, and audits the export without the number", async () => {
      const business = await createTestTenant({}, [JANE, OTHER]);
      await seedCustomerData(business);
      const result = (await call(
        "exportCustomerData",
        { businessId: business.id, phone: JANE.phone },
        ownerOf(business),
      )) as {
        phone: string;
        data: {
          customer: Record<string, unknown>;
          appointments: Array<Record<string, unknown>>;
          conversations: Array<{
            id: string;
            turns: Array<{ text: string }>;
            summary: { summary: string } | null;
          }>;
          outbox: Array<{ id: string }>;
          inboundTexts: Array<{ id: string }>;
          scheduledTexts: Array<{ id: string }>;
        };
      };
      const data = result.data;
      assert.equal(data.customer.name, JANE.name);
      assert.deepEqual(
        data.appointments.map((a) => a.id),
        ["apt-jane"],
      );
      assert.equal(typeof data.appointments[0].start, "string", "timestamps as ISO strings");
      assert.deepEqual(data.conversations.map((c) => c.id).sort(), ["CAjane", `sms-${JANE.phone}`]);
      const call1 = data.conversations.find((c) => c.id === "CAjane");
      assert.deepEqual(
        call1?.turns.map((t) => t.text),
        ["my bathroom tap drips"],
      );
      assert.equal(call1?.summary?.summary, "Dripping tap, booked");
      assert.deepEqual(
        data.outbox.map((m) => m.id),
        ["confirm-jane"],
      );
      assert.deepEqual(
        data.inboundTexts.map((m) => m.id),
        ["SMin1"],
      );
      assert.deepEqual(
        data.scheduledTexts.map((m) => m.id),
        [`${business.id}_reminder-jane`],
      );
      assert.ok(!JSON.stringify(result).includes(OTHER.phone), "nothing of another customer");

      const audit = await auditOf(business);
      assert.equal(audit.length, 1);
      assert.equal(audit[0].action, "exportCustomerData");
      assert.equal(audit[0].target, customerReference(JANE.phone));
      assert.deepEqual(audit[0].after, {
        customer: 1,
        appointments: 1,
        conversations: 2,
        turns: 2,
        outbox: 1,
        inboundTexts: 1,
        scheduledTexts: 1,
      });
      assert.ok(!JSON.stringify(audit).includes("7700900501"), "the audit log keeps no number");
    });

    it("answers not-found for a number nothing is held about, and refuses staff", async () => {
      const business = await createTestTenant();
      assert.equal(
        (
          await refusal(
            "exportCustomerData",
            { businessId: business.id, phone: "+447700900599" },
            ownerOf(business),
          )
        ).code,
        "not-found",
      );
      assert.equal(
        (
          await refusal(
            "exportCustomerData",
            { businessId: business.id, phone: JANE.phone },
            staffOf(business),
          )
        ).code,
        "permission-denied",
      );
      assert.deepEqual(await auditOf(business), []);
    });
  });

  describe("deleteCustomerData", () => {
    it("deletes the customer's data, keeps their past jobs anonymised, leaves others alone, and audits it", async () => {
      const business = await createTestTenant({}, [JANE, OTHER]);
      await seedCustomerData(business);
      const b = business.id;
      const result = (await call(
        "deleteCustomerData",
        { businessId: b, phone: JANE.phone, confirm: JANE.phone },
        ownerOf(business),
      )) as { erased: Record<string, number> };
      assert.deepEqual(result.erased, {
        customer: 1,
        appointmentsAnonymised: 1,
        conversations: 2,
        turns: 2,
        summaries: 1,
        outbox: 1,
        inboundTexts: 1,
        scheduledTexts: 1,
      });
      const exists = async (p: string) => (await db().doc(p).get()).exists;
      for (const gone of [
        paths.customer(b, JANE.phone),
        paths.conversation(b, "CAjane"),
        paths.callTurn(b, "CAjane", "0001"),
        paths.conversationSummary(b, "CAjane"),
        paths.inboxMark(b, "CAjane"),
        paths.callIndex("CAjane"),
        paths.smsConversation(b, JANE.phone),
        `${paths.smsTurns(b, JANE.phone)}/0001`,
        paths.outboxMessage(b, "confirm-jane"),
        paths.smsBySid("SMjane"),
        paths.inboundSms(b, "SMin1"),
        paths.scheduledSmsItem(`${b}_reminder-jane`),
      ]) {
        assert.equal(await exists(gone), false, `${gone} is still there`);
      }
      const job = await db().doc(paths.appointment(b, "apt-jane")).get();
      assert.equal(job.get("status"), "booked", "the job is kept for the business's records");
      assert.equal(job.get("serviceId"), "dripping-tap");
      assert.ok(!JSON.stringify(job.data()).includes("Jane"), "no name");
      assert.ok(!JSON.stringify(job.data()).includes("7700900501"), "no number");
      assert.ok(!JSON.stringify(job.data()).includes("Elm Road"), "no address");
      for (const kept of [
        paths.customer(b, OTHER.phone),
        paths.conversation(b, "CAomar"),
        paths.callTurn(b, "CAomar", "0001"),
        paths.outboxMessage(b, "confirm-omar"),
        paths.appointment(b, "apt-omar"),
      ]) {
        assert.equal(await exists(kept), true, `${kept} was deleted`);
      }
      const audit = await auditOf(business);
      assert.equal(audit.length, 1);
      assert.equal(audit[0].action, "deleteCustomerData");
      assert.equal(audit[0].target, customerReference(JANE.phone));
      assert.ok(!JSON.stringify(audit).includes("7700900501"));

      // Nothing is left to delete.
      const again = await refusal(
        "deleteCustomerData",
        { businessId: b, phone: JANE.phone, confirm: JANE.phone },
        ownerOf(business),
      );
      assert.equal(again.code, "not-found");
    });

    it("refuses while the customer has a job still booked, or without the number confirmed, and changes nothing", async () => {
      const business = await createTestTenant({}, [JANE]);
      const b = business.id;
      const start = new Date(Date.now() + 5 * DAY_MS);
      const booked = await new FirestoreAppointmentRepository(db()).book({
        id: "apt-future",
        businessId: b,
        customerId: JANE.phone,
        customerName: JANE.name,
        customerPhone: JANE.phone,
        address: JANE.address,
        serviceId: "dripping-tap",
        serviceName: "Dripping tap repair",
        problem: "Tap drips",
        start,
        end: new Date(start.getTime() + 3_600_000),
        status: "booked",
        source: "call",
        createdAt: new Date(),
      });
      assert.equal(booked.outcome, "booked");
      const upcoming = await refusal(
        "deleteCustomerData",
        { businessId: b, phone: JANE.phone, confirm: JANE.phone },
        ownerOf(business),
      );
      assert.equal(upcoming.code, "failed-precondition");
      const unconfirmed = await refusal(
        "deleteCustomerData",
        { businessId: b, phone: JANE.phone, confirm: "+447700900999" },
        ownerOf(business),
      );
      assert.equal(unconfirmed.code, "invalid-argument");
      assert.deepEqual(
        unconfirmed.problems.map((p) => p.path),
        ["confirm"],
      );
      const staff = await refusal(
        "deleteCustomerData",
        { businessId: b, phone: JANE.phone, confirm: JANE.phone },
        staffOf(business),
      );
      assert.equal(staff.code, "permission-denied");
      assert.equal((await db().doc(paths.customer(b, JANE.phone)).get()).get("name"), JANE.name);
      assert.equal(
        (await db().doc(paths.appointment(b, "apt-future")).get()).get("customerName"),
        JANE.name,
      );
      assert.deepEqual(await auditOf(business), []);
    });
  });
});
