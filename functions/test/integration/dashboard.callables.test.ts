import { strict as assert } from "node:assert";
import { DateTime } from "luxon";
import { FirestoreAppointmentRepository } from "../../src/adapters/firestore/appointment.repository";
import { FirestoreBusinessRepository } from "../../src/adapters/firestore/business.repository";
import { FirestoreDashboardRepository } from "../../src/adapters/firestore/dashboard.repository";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { paths } from "../../src/adapters/firestore/paths";
import type { Business } from "../../src/domain/business/business";
import {
  Appointment,
  claimedSpanOf,
  lockGranulesFor,
} from "../../src/domain/scheduling/appointment";
import type { AuditEntry } from "../../src/ports/dashboard.port";
import { ACTION_ROLES, DashboardAction } from "../../src/shared/access";
import { seedAppointmentStart } from "../../src/tools/seed";
import {
  type Auth,
  auditOf,
  call,
  ownerOf,
  refusal,
  staffOf,
} from "../support/dashboard-callables";
import { createTestTenant } from "../support/firestore-tenant";

/**
 * The dashboard's callable functions, run as the platform runs them (wrapped
 * by firebase-functions-test, with the caller's verified token) against
 * Firestore. Every callable is also tried across businesses.
 */
const MARGARET = {
  name: "Margaret Holloway",
  phone: "+441179460123",
  address: "14 Cotham Road, Bristol BS6 6DR",
};
const TOM = {
  name: "Tom Okafor",
  phone: "+447700900222",
  address: "3 Gloucester Road, Bristol BS7 8AA",
};

let counter = 0;
async function book(
  business: Business,
  who: typeof MARGARET,
  daysAhead: number,
  time: string,
): Promise<Appointment> {
  counter += 1;
  const start = seedAppointmentStart(business, new Date(), daysAhead, time);
  const appointment: Appointment = {
    id: `apt-${counter}`,
    businessId: business.id,
    customerId: who.phone,
    customerName: who.name,
    customerPhone: who.phone,
    address: who.address,
    serviceId: "drain-unblock",
    serviceName: "Drain unblock",
    problem: "Kitchen sink slow to drain",
    start: start.toJSDate(),
    end: start.plus({ hours: 1 }).toJSDate(),
    status: "booked",
    source: "seed",
    createdAt: new Date(),
  };
  const result = await new FirestoreAppointmentRepository(appFirestore()).book(appointment);
  assert.equal(result.outcome, "booked");
  return appointment;
}

async function stored(business: Business, id: string): Promise<Appointment | null> {
  return new FirestoreAppointmentRepository(appFirestore()).get(business.id, id);
}

async function lockOwners(
  business: Business,
  a: Pick<Appointment, "start" | "end" | "bufferMinutes">,
) {
  const span = claimedSpanOf(a);
  const docs = await Promise.all(
    lockGranulesFor(span.start, span.end).map((g) =>
      appFirestore().doc(paths.slotLock(business.id, g)).get(),
    ),
  );
  return docs.map((d) => (d.exists ? String(d.get("appointmentId")) : null));
}

describe("the dashboard's callable functions, against Firestore", function () {
  this.timeout(30_000);
  let a: Business;
  let b: Business;

  beforeEach(async () => {
    a = await createTestTenant({}, [MARGARET, TOM]);
    b = await createTestTenant();
  });

  describe("moving a job", () => {
    it("offers only starts the booking rules allow, never on another job", async () => {
      const job = await book(a, MARGARET, 3, "10:30");
      const other = await book(a, TOM, 3, "13:00");
      const day = DateTime.fromJSDate(job.start, { zone: a.timeZone }).toISODate();
      const { options } = (await call(
        "moveOptions",
        { businessId: a.id, appointmentId: job.id, day },
        ownerOf(a),
      )) as {
        options: Array<{ start: string; end: string }>;
      };
      assert.ok(options.length > 0);
      const otherSpan = claimedSpanOf(other);
      for (const o of options) {
        const start = DateTime.fromISO(o.start, { zone: a.timeZone });
        assert.equal(start.toISODate(), day);
        assert.ok(
          new Date(o.end) <= otherSpan.start || new Date(o.start) >= otherSpan.end,
          `${o.start} overlaps Tom's job`,
        );
      }
      // The job does not block itself: its own start is offered back.
      assert.ok(options.some((o) => new Date(o.start).getTime() === job.start.getTime()));
    });

    it("moves to an offered start: claims the new time, frees the old, records who and what", async () => {
      const job = await book(a, MARGARET, 3, "10:30");
      const { options } = (await call(
        "moveOptions",
        { businessId: a.id, appointmentId: job.id },
        staffOf(a),
      )) as {
        options: Array<{ start: string; end: string }>;
      };
      const target = options.find(
        (o) => new Date(o.start).getTime() > job.end.getTime() + 3 * 3_600_000,
      );
      assert.ok(target, "a later free time");
      const answer = await call(
        "moveAppointment",
        { businessId: a.id, appointmentId: job.id, start: target.start },
        staffOf(a),
      );
      assert.equal(answer.ok, true);
      const moved = await stored(a, job.id);
      assert.equal(moved?.start.toISOString(), target.start);
      assert.equal(moved?.previousStart?.toISOString(), job.start.toISOString());
      assert.match(moved?.rescheduleReason ?? "", /dashboard/);
      assert.ok((await lockOwners(a, moved as Appointment)).every((owner) => owner === job.id));
      assert.ok((await lockOwners(a, job)).every((owner) => owner === null));
      const entries = await auditOf(a);
      assert.equal(entries.length, 1);
      assert.equal(entries[0].action, "moveAppointment");
      assert.deepEqual(entries[0].actor, { uid: `${a.id}-staff`, role: "staff" });
      assert.equal(entries[0].before.start, job.start.toISOString());
      assert.equal(entries[0].after.start, target.start);
    });

    it("refuses a time the rules do not allow (closed, or on another job) and changes nothing", async () => {
      const job = await book(a, MARGARET, 3, "10:30");
      const other = await book(a, TOM, 3, "13:00");
      const night = DateTime.fromJSDate(job.start, { zone: a.timeZone })
        .set({ hour: 3 })
        .toISO() as string;
      for (const start of [night, other.start.toISOString()]) {
        const { code } = await refusal(
          "moveAppointment",
          { businessId: a.id, appointmentId: job.id, start },
          ownerOf(a),
        );
        assert.equal(code, "failed-precondition");
      }
      assert.equal((await stored(a, job.id))?.start.toISOString(), job.start.toISOString());
      assert.deepEqual(await auditOf(a), []);
    });

    it("lets exactly one of two jobs moved to the same start at once have it", async () => {
      // Days apart whatever today is (a closed Sunday moves a seeded job to the Monday).
      const first = await book(a, MARGARET, 3, "10:30");
      const second = await book(a, TOM, 7, "10:30");
      const { options } = (await call(
        "moveOptions",
        { businessId: a.id, appointmentId: first.id },
        ownerOf(a),
      )) as {
        options: Array<{ start: string }>;
      };
      const secondSpan = claimedSpanOf(second);
      const target = options.find(
        (o) =>
          new Date(o.start).getTime() > first.end.getTime() + 4 * 3_600_000 &&
          new Date(o.start).getTime() < secondSpan.start.getTime() - 4 * 3_600_000,
      );
      assert.ok(target, "a free time away from both jobs");
      const results = await Promise.allSettled(
        [first, second].map((job) =>
          call(
            "moveAppointment",
            { businessId: a.id, appointmentId: job.id, start: target.start },
            ownerOf(a),
          ),
        ),
      );
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
      const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      assert.equal((lost.reason as { code: string }).code, "failed-precondition");
      const starts = [(await stored(a, first.id))?.start, (await stored(a, second.id))?.start];
      assert.equal(starts.filter((s) => s?.toISOString() === target.start).length, 1);
    });

    it("answers a bad start by field", async () => {
      const job = await book(a, MARGARET, 3, "10:30");
      const { code, problems } = await refusal(
        "moveAppointment",
        { businessId: a.id, appointmentId: job.id, start: "Friday" },
        ownerOf(a),
      );
      assert.equal(code, "invalid-argument");
      assert.deepEqual(
        problems.map((p) => p.path),
        ["start"],
      );
    });
  });

  describe("cancelling a job", () => {
    it("cancels it, frees its time and records it once, however often it is asked", async () => {
      const job = await book(a, MARGARET, 3, "10:30");
      await call(
        "cancelAppointment",
        { businessId: a.id, appointmentId: job.id, reason: "customer rang" },
        ownerOf(a),
      );
      await call("cancelAppointment", { businessId: a.id, appointmentId: job.id }, ownerOf(a));
      const cancelled = await stored(a, job.id);
      assert.equal(cancelled?.status, "cancelled");
      assert.match(cancelled?.cancelReason ?? "", /dashboard: customer rang/);
      assert.ok((await lockOwners(a, job)).every((owner) => owner === null));
      const entries = await auditOf(a);
      assert.deepEqual(
        entries.map((e) => e.action),
        ["cancelAppointment"],
      );
    });

    it("says so for a job that does not exist", async () => {
      assert.equal(
        (
          await refusal(
            "cancelAppointment",
            { businessId: a.id, appointmentId: "nope" },
            ownerOf(a),
          )
        ).code,
        "not-found",
      );
    });
  });

  describe("marking a job done, a call handled, an alert seen", () => {
    it("keeps a done mark beside the appointment, and takes it back", async () => {
      const job = await book(a, MARGARET, 0, "08:00");
      await call("markJobDone", { businessId: a.id, appointmentId: job.id }, staffOf(a));
      const done = await appFirestore().doc(paths.job(a.id, job.id)).get();
      assert.equal(done.get("doneBy"), `${a.id}-staff`);
      await call(
        "markJobDone",
        { businessId: a.id, appointmentId: job.id, done: false },
        staffOf(a),
      );
      assert.equal((await appFirestore().doc(paths.job(a.id, job.id)).get()).exists, false);
      assert.deepEqual(
        (await auditOf(a)).map((e) => e.action),
        ["markJobDone", "markJobDone"],
      );
    });

    it("marks a conversation handled, and refuses one that does not exist", async () => {
      await appFirestore()
        .doc(paths.conversation(a.id, "CA100"))
        .set({ channel: "call", turnCount: 1 });
      await call(
        "setConversationHandled",
        { businessId: a.id, conversationId: "CA100", handled: true },
        ownerOf(a),
      );
      const mark = await appFirestore().doc(paths.inboxMark(a.id, "CA100")).get();
      assert.equal(mark.get("handled"), true);
      // The conversation document itself is untouched: a live call's save cannot undo the mark.
      assert.equal(
        (await appFirestore().doc(paths.conversation(a.id, "CA100")).get()).get("handled"),
        undefined,
      );
      const { code } = await refusal(
        "setConversationHandled",
        { businessId: a.id, conversationId: "CA404", handled: true },
        ownerOf(a),
      );
      assert.equal(code, "not-found");
    });

    it("acknowledges an attention item once", async () => {
      await appFirestore().doc(paths.attentionItem(a.id, "msg-1")).set({ kind: "sms-failed" });
      await call("acknowledgeAttention", { businessId: a.id, itemId: "msg-1" }, ownerOf(a));
      await call("acknowledgeAttention", { businessId: a.id, itemId: "msg-1" }, ownerOf(a));
      const item = await appFirestore().doc(paths.attentionItem(a.id, "msg-1")).get();
      assert.equal(item.get("acknowledgedBy"), `${a.id}-owner`);
      assert.equal((await auditOf(a)).length, 1);
    });
  });

  describe("changing settings", () => {
    it("saves a valid change through the tenant schema and records before and after", async () => {
      await call(
        "updateSettings",
        { businessId: a.id, settings: { greeting: "Hello, {business} here." } },
        ownerOf(a),
      );
      const saved = await appFirestore().doc(paths.business(a.id)).get();
      assert.equal(saved.get("greeting"), "Hello, {business} here.");
      const [entry] = await auditOf(a);
      assert.equal(entry.before.greeting, a.greeting);
      assert.equal(entry.after.greeting, "Hello, {business} here.");
    });

    it("reaches the next call even on an instance that has the old settings cached", async () => {
      const voiceInstance = new FirestoreBusinessRepository(appFirestore());
      assert.equal((await voiceInstance.getById(a.id))?.greeting, a.greeting);
      await call(
        "updateSettings",
        { businessId: a.id, settings: { greeting: "New words from {business}." } },
        ownerOf(a),
      );
      // A call in progress keeps its settings; the next call (found by the number it dialled) reads afresh.
      assert.equal((await voiceInstance.getById(a.id))?.greeting, a.greeting);
      assert.equal(
        (await voiceInstance.findByPhoneNumber(a.phoneNumber))?.greeting,
        "New words from {business}.",
      );
    });

    it("answers every invalid field by path and saves nothing", async () => {
      const { code, problems } = await refusal(
        "updateSettings",
        {
          businessId: a.id,
          settings: {
            hours: { ...a.hours, "1": [{ open: "17:00", close: "08:00" }] },
            greeting: "",
          },
        },
        ownerOf(a),
      );
      assert.equal(code, "invalid-argument");
      const paths_ = problems.map((p) => p.path);
      assert.ok(paths_.includes("greeting"), paths_.join());
      assert.ok(
        paths_.some((p) => p.startsWith("hours.1")),
        paths_.join(),
      );
      assert.equal(
        (await appFirestore().doc(paths.business(a.id)).get()).get("greeting"),
        a.greeting,
      );
      assert.deepEqual(await auditOf(a), []);
    });

    it("previews the reminder templates without saving on a dry run", async () => {
      const templates = {
        ...a.notifications.templates,
        reminder: "{business}: see you {date} at {time}.",
      };
      const answer = (await call(
        "updateSettings",
        {
          businessId: a.id,
          settings: { notifications: { ...a.notifications, templates } },
          dryRun: true,
        },
        ownerOf(a),
      )) as { saved: boolean; previews: Array<{ kind: string; text: string }> };
      assert.equal(answer.saved, false);
      const reminder = answer.previews.find((p) => p.kind === "reminder");
      assert.match(reminder?.text ?? "", new RegExp(`^${a.name}: see you`));
      assert.deepEqual(await auditOf(a), []);
    });

    it("saves the prices callers are told, the voice, a new service and the digest time, and the next call reads them", async () => {
      const profile = {
        ...a.profile,
        callOutFee: 70,
        prices: [{ label: "a radiator bleed", from: 40, to: 60, keywords: ["radiator"] }],
        paymentMethods: ["card"],
      };
      const services = [
        ...a.services,
        { id: "gas-safety-check", name: "Gas safety check", durationMinutes: 45, keywords: [] },
      ];
      await call(
        "updateSettings",
        {
          businessId: a.id,
          settings: {
            profile,
            voice: "Polly.Brian",
            services,
            notifications: { ...a.notifications, digestTime: "07:30" },
          },
        },
        ownerOf(a),
      );
      const next = await new FirestoreBusinessRepository(appFirestore()).findByPhoneNumber(
        a.phoneNumber,
      );
      assert.equal(next?.profile.callOutFee, 70);
      assert.deepEqual(
        next?.profile.prices.map((p) => [p.label, p.from, p.to]),
        [["a radiator bleed", 40, 60]],
      );
      assert.equal(next?.voice, "Polly.Brian");
      assert.equal(next?.services.at(-1)?.name, "Gas safety check");
      assert.equal(next?.notifications.digestTime, "07:30");
      const [entry] = await auditOf(a);
      assert.deepEqual(Object.keys(entry.after).sort(), [
        "notifications",
        "profile",
        "services",
        "voice",
      ]);
    });

    it("refuses a voice it does not have, and removing a service that is still the default or priced", async () => {
      const voice = await refusal(
        "updateSettings",
        { businessId: a.id, settings: { voice: "Polly.Nobody" } },
        ownerOf(a),
      );
      assert.equal(voice.code, "invalid-argument");
      assert.deepEqual(
        voice.problems.map((p) => p.path),
        ["voice"],
      );
      const withoutDefault = a.services.filter((s) => s.id !== a.booking.defaultServiceId);
      assert.ok(withoutDefault.length > 0 && withoutDefault.length < a.services.length);
      const removed = await refusal(
        "updateSettings",
        {
          businessId: a.id,
          settings: {
            services: withoutDefault,
            profile: {
              ...a.profile,
              prices: [{ serviceId: a.booking.defaultServiceId, label: "a visit", from: 50 }],
            },
          },
        },
        ownerOf(a),
      );
      assert.equal(removed.code, "invalid-argument");
      assert.deepEqual(
        removed.problems.map((p) => p.path),
        ["booking.defaultServiceId", "profile.prices.0.serviceId"],
      );
      assert.match(removed.problems[1].message, /a visit/);
      const stored_ = await new FirestoreBusinessRepository(appFirestore()).getById(a.id);
      assert.equal(stored_?.services.length, a.services.length);
      assert.deepEqual(await auditOf(a), []);
    });

    it("sets the closing words and clears them with null; null puts a setting back to its default, and is refused for one without", async () => {
      await call(
        "updateSettings",
        { businessId: a.id, settings: { signOff: "Cheers, {business}" } },
        ownerOf(a),
      );
      const repo = new FirestoreBusinessRepository(appFirestore());
      assert.equal((await repo.getById(a.id, { fresh: true }))?.signOff, "Cheers, {business}");
      await call("updateSettings", { businessId: a.id, settings: { signOff: null } }, ownerOf(a));
      assert.equal((await repo.getById(a.id, { fresh: true }))?.signOff, undefined);
      await call("updateSettings", { businessId: a.id, settings: { greeting: null } }, ownerOf(a));
      assert.match(
        (await repo.getById(a.id, { fresh: true }))?.greeting ?? "",
        /automated assistant/,
      );
      const cleared = await refusal(
        "updateSettings",
        { businessId: a.id, settings: { name: null } },
        ownerOf(a),
      );
      assert.equal(cleared.code, "invalid-argument");
      assert.deepEqual(
        cleared.problems.map((p) => p.path),
        ["name"],
      );
    });

    it("never changes the business id or phone number, and refuses staff", async () => {
      const fixed = await refusal(
        "updateSettings",
        { businessId: a.id, settings: { phoneNumber: "+441170000001" } },
        ownerOf(a),
      );
      assert.equal(fixed.code, "invalid-argument");
      const staff = await refusal(
        "updateSettings",
        { businessId: a.id, settings: { greeting: "Hi from {business}" } },
        staffOf(a),
      );
      assert.equal(staff.code, "permission-denied");
    });
  });

  describe("an audit entry and its change", () => {
    /** An entry Firestore cannot store (a class instance): its write fails, so the commit does. */
    const unstorable = (action: string): AuditEntry => ({
      action,
      target: "test",
      actor: { uid: "dave", role: "owner" },
      at: new Date(),
      before: null,
      after: new (class Unstorable {
        x = 1;
      })(),
    });

    it("a move whose entry cannot be stored does not happen: the job keeps its time and locks", async () => {
      const job = await book(a, MARGARET, 3, "10:30");
      const later = new Date(job.start.getTime() + 4 * 3_600_000);
      await assert.rejects(
        new FirestoreAppointmentRepository(appFirestore()).reschedule(
          a.id,
          job.id,
          later,
          new Date(later.getTime() + 3_600_000),
          new Date(),
          "test",
          unstorable("moveAppointment"),
        ),
      );
      assert.equal((await stored(a, job.id))?.start.toISOString(), job.start.toISOString());
      assert.ok((await lockOwners(a, job)).every((owner) => owner === job.id));
      assert.deepEqual(await auditOf(a), []);
    });

    it("a cancellation, a done mark, a handled mark and a settings change whose entry cannot be stored do not happen", async () => {
      const job = await book(a, MARGARET, 3, "10:30");
      const dashboard = new FirestoreDashboardRepository(appFirestore());
      await appFirestore().doc(paths.conversation(a.id, "CA1")).set({ channel: "call" });
      await assert.rejects(
        new FirestoreAppointmentRepository(appFirestore()).cancel(
          a.id,
          job.id,
          "test",
          new Date(),
          unstorable("cancelAppointment"),
        ),
      );
      await assert.rejects(
        dashboard.setJob(
          a.id,
          job.id,
          { appointmentId: job.id, doneAt: new Date(), doneBy: "dave" },
          unstorable("markJobDone"),
        ),
      );
      await assert.rejects(
        dashboard.setInbox(
          a.id,
          "CA1",
          { handled: true, by: "dave", at: new Date() },
          unstorable("setConversationHandled"),
        ),
      );
      await assert.rejects(
        dashboard.save({ ...a, greeting: "Never saved, {business}" }, unstorable("updateSettings")),
      );
      assert.equal((await stored(a, job.id))?.status, "booked");
      assert.equal(await dashboard.job(a.id, job.id), null);
      assert.equal(await dashboard.inbox(a.id, "CA1"), null);
      assert.equal((await dashboard.load(a.id))?.greeting, a.greeting);
      assert.deepEqual(await auditOf(a), []);
    });
  });

  describe("across businesses and without a login", () => {
    /** A valid request of each callable against business A's own data. */
    async function requestsFor(
      business: Business,
    ): Promise<Record<DashboardAction, Record<string, unknown>>> {
      const job = await book(business, MARGARET, 3, "10:30");
      await appFirestore()
        .doc(paths.conversation(business.id, "CA1"))
        .set({ channel: "call", turnCount: 1 });
      await appFirestore()
        .doc(paths.attentionItem(business.id, "msg-1"))
        .set({ kind: "sms-failed" });
      const later = DateTime.fromJSDate(job.start).plus({ hours: 4 }).toUTC().toISO() as string;
      return {
        moveOptions: { businessId: business.id, appointmentId: job.id },
        moveAppointment: { businessId: business.id, appointmentId: job.id, start: later },
        cancelAppointment: { businessId: business.id, appointmentId: job.id },
        markJobDone: { businessId: business.id, appointmentId: job.id },
        setConversationHandled: { businessId: business.id, conversationId: "CA1", handled: true },
        acknowledgeAttention: { businessId: business.id, itemId: "msg-1" },
        updateSettings: {
          businessId: business.id,
          settings: { greeting: "Taken over by {business}" },
        },
        setCallerScreening: { businessId: business.id, number: TOM.phone, screened: true },
        exportCustomerData: { businessId: business.id, phone: MARGARET.phone },
        deleteCustomerData: {
          businessId: business.id,
          phone: MARGARET.phone,
          confirm: MARGARET.phone,
        },
      };
    }

    const outsiders: Array<[string, (b: Business) => Auth, string]> = [
      ["the owner of another business", (other) => ownerOf(other), "permission-denied"],
      ["staff of another business", (other) => staffOf(other), "permission-denied"],
      ["a user with no claims", () => ({ uid: "no-claims", token: {} }), "permission-denied"],
      [
        "a user with an unknown role",
        () => ({ uid: "odd", token: { businessId: "x", role: "admin" } }),
        "permission-denied",
      ],
      ["an anonymous caller", () => undefined, "unauthenticated"],
    ];

    for (const [who, authOf, expected] of outsiders) {
      it(`refuses ${who} every callable on business A, and A is unchanged`, async () => {
        const requests = await requestsFor(a);
        for (const action of Object.keys(ACTION_ROLES) as DashboardAction[]) {
          const { code } = await refusal(action, requests[action], authOf(b));
          assert.equal(code, expected, `${action}: ${code}`);
        }
        assert.deepEqual(await auditOf(a), []);
        const job = await stored(a, String(requests.moveAppointment.appointmentId));
        assert.equal(job?.status, "booked");
        assert.equal(
          (await appFirestore().doc(paths.business(a.id)).get()).get("greeting"),
          a.greeting,
        );
      });
    }

    it("finds nothing of business A when another business's owner names A's ids under their own business", async () => {
      const requests = await requestsFor(a);
      for (const action of [
        "moveOptions",
        "moveAppointment",
        "cancelAppointment",
        "markJobDone",
        "setConversationHandled",
        "acknowledgeAttention",
      ] as const) {
        const { code } = await refusal(
          action,
          { ...requests[action], businessId: b.id },
          ownerOf(b),
        );
        assert.equal(code, "not-found", action);
      }
      assert.deepEqual(await auditOf(a), []);
      assert.deepEqual(await auditOf(b), []);
    });
  });
});
