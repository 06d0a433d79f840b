import { strict as assert } from "node:assert";
import { DateTime } from "luxon";
import { FirestoreAppointmentRepository } from "../../src/adapters/firestore/appointment.repository";
import { FirestoreCallWriter } from "../../src/adapters/firestore/call-writer";
import { FirestoreBusinessRepository } from "../../src/adapters/firestore/business.repository";
import { FirestoreConversationRepository } from "../../src/adapters/firestore/conversation.repository";
import { FirestoreCustomerRepository } from "../../src/adapters/firestore/customer.repository";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { FirestoreHoldRepository } from "../../src/adapters/firestore/hold.repository";
import { FirestoreOutboxRepository } from "../../src/adapters/firestore/outbox.repository";
import { CallDeps, handleCallTurn, startCall } from "../../src/app/handle-call";
import type { Business } from "../../src/domain/business/business";
import type { CallInstruction } from "../../src/domain/dialogue/call-instruction";
import type { Slot } from "../../src/domain/scheduling/availability";
import { noWrites } from "../../src/ports/call-writes.port";
import { createTestTenant } from "../support/firestore-tenant";
import { onOfficialFirestore } from "../support/firestore-kind";
import { ManualClock, RecordingLogger } from "../support/in-memory-outbox.store";

// Wednesday 25 November 2026, 10:00 in Bristol (GMT).
const NOW = new Date("2026-11-25T10:00:00Z");
const MINUTE = 60_000;
const LONDON = "Europe/London";

let sidCounter = 0;
function newCallSid(): string {
  sidCounter += 1;
  return `CA${Date.now().toString(16)}${String(sidCounter).padStart(8, "0")}`.padEnd(34, "0");
}

function spoken(instruction: CallInstruction): string {
  return instruction.kind === "whisper" ? instruction.say : instruction.say.join(" ");
}

function firestoreDeps(clock: ManualClock, withHolds: boolean): CallDeps {
  const db = appFirestore();
  return {
    businesses: new FirestoreBusinessRepository(db),
    customers: new FirestoreCustomerRepository(db, () => clock.now()),
    appointments: new FirestoreAppointmentRepository(db),
    conversations: new FirestoreConversationRepository(db),
    outbox: new FirestoreOutboxRepository(db, clock),
    writer: new FirestoreCallWriter(db, () => clock.now()),
    clock,
    logger: new RecordingLogger(),
    ...(withHolds ? { holds: new FirestoreHoldRepository(db) } : {}),
  };
}

/** A caller on a real-Firestore call, keeping Twilio's turn numbers. */
class Caller {
  step = 1;
  readonly callSid = newCallSid();
  constructor(
    private readonly business: Business,
    private readonly deps: CallDeps,
    private readonly from: string,
  ) {}

  async ring(): Promise<void> {
    await startCall(
      { callSid: this.callSid, from: this.from, to: this.business.phoneNumber },
      this.deps,
    );
  }

  async say(speech: string): Promise<string> {
    const answer = await handleCallTurn(
      {
        businessId: this.business.id,
        callSid: this.callSid,
        step: this.step,
        speech,
        confidence: 0.9,
      },
      this.deps,
    );
    if (answer.instruction.kind === "gather") this.step = answer.instruction.step;
    return spoken(answer.instruction);
  }

  async offers(): Promise<Array<{ start: Date; end: Date }>> {
    const conversation = await this.deps.conversations.get(this.business.id, this.callSid);
    return (conversation?.state.offers ?? []).map((o) => ({
      start: new Date(o.start),
      end: new Date(o.end),
    }));
  }
}

const details = (n: number, job = "my kitchen tap is dripping") =>
  `Hi, this is Caller Number${n} at ${n} Park Street, Bristol BS1 5HX, ${job}`;

function overlaps(a: { start: Date; end: Date }, b: { start: Date; end: Date }): boolean {
  return a.start < b.end && b.start < a.end;
}

describe("scheduling against Firestore", () => {
  describe("holds on offered times", () => {
    const holds = () => new FirestoreHoldRepository(appFirestore());
    const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
    let businessId: string;
    beforeEach(() => {
      businessId = `holds-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    });

    const writer = () => new FirestoreCallWriter(appFirestore(), () => NOW);
    const hold = (
      holder: string,
      spans: Slot[],
      now: Date,
      expiresAt: Date,
      release: Slot[] = [],
    ) =>
      writer().commit({
        ...noWrites(businessId, holder),
        holds: { holder, hold: spans, release, expiresAt, at: now },
      });
    const live = async (now = NOW) =>
      (await holds().listActive(businessId, NOW, at(24 * 60), now)).map(
        (h) => `${h.holder}@${(h.start.getTime() - NOW.getTime()) / MINUTE}`,
      );

    it("refuses offers overlapping someone else's live hold, and writes none of them", async () => {
      const expires = at(5);
      assert.equal(
        (await hold("alice", [{ start: at(180), end: at(240) }], NOW, expires)).outcome,
        "committed",
      );
      const bob = await hold(
        "bob",
        [
          { start: at(225), end: at(285) },
          { start: at(300), end: at(360) },
        ],
        NOW,
        expires,
      );
      assert.equal(bob.outcome, "holds-taken");
      assert.deepEqual(await live(), ["alice@180"], "bob's refused offers left nothing behind");
    });

    it("ignores and takes over an expired hold", async () => {
      await hold("alice", [{ start: at(180), end: at(240) }], NOW, at(5));
      const later = at(6);
      assert.deepEqual(await live(later), []);
      const bob = await hold("bob", [{ start: at(180), end: at(240) }], later, at(11));
      assert.equal(bob.outcome, "committed");
      assert.deepEqual(await live(later), ["bob@180"]);
    });

    it("lets the same caller hold again, frees what they no longer hold, and releases only theirs", async () => {
      await hold("alice", [{ start: at(180), end: at(240) }], NOW, at(5));
      const again = await hold("alice", [{ start: at(400), end: at(460) }], NOW, at(5), [
        { start: at(180), end: at(240) },
      ]);
      assert.equal(again.outcome, "committed");
      assert.deepEqual(await live(), ["alice@400"], "the declined time is free again");
      await hold("bob", [{ start: at(300), end: at(360) }], NOW, at(5));
      await writer().commit({
        ...noWrites(businessId, "alice"),
        holds: { holder: "alice", releaseAll: true },
      });
      assert.deepEqual(await live(), ["bob@300"]);
    });

    it("gives exactly one of many simultaneous holders the time", async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          hold(`caller-${i}`, [{ start: at(180), end: at(240) }], NOW, at(5)),
        ),
      );
      const winners = results.filter((r) => r.outcome === "committed").length;
      assert.equal(winners, 1, `${winners} callers hold the same time`);
    });
  });

  describe("holds contended on the official emulator", function () {
    const holds = () => new FirestoreHoldRepository(appFirestore());
    const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
    const hold = (businessId: string, holder: string, span: Slot, now: Date, expiresAt: Date) =>
      new FirestoreCallWriter(appFirestore(), () => now).commit({
        ...noWrites(businessId, holder),
        holds: { holder, hold: [span], release: [], expiresAt, at: now },
      });
    before(function () {
      // The takeover reads in a transaction, which the embedded server does not isolate.
      if (!onOfficialFirestore()) this.skip();
    });

    it("gives an expired hold to exactly one of many callers taking it over at once", async () => {
      const businessId = `holds-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      const span = { start: at(180), end: at(195) };
      await hold(businessId, "gone", span, NOW, at(5));
      const later = at(6);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => hold(businessId, `caller-${i}`, span, later, at(11))),
      );
      assert.equal(results.filter((r) => r.outcome === "committed").length, 1);
      const live = await holds().listActive(businessId, NOW, at(24 * 60), later);
      assert.equal(live.length, 1);
    });
  });

  describe("many callers at once, through the call", () => {
    it("offers callers ringing together times that do not overlap", async () => {
      const business = await createTestTenant();
      const clock = new ManualClock(NOW);
      const deps = firestoreDeps(clock, true);
      const callers = Array.from(
        { length: 6 },
        (_, i) => new Caller(business, deps, `+4477009001${String(i).padStart(2, "0")}`),
      );
      await Promise.all(callers.map((c) => c.ring()));
      await Promise.all(callers.map((c, i) => c.say(details(i))));
      const offers = await Promise.all(callers.map((c) => c.offers()));
      offers.forEach((o, i) => assert.ok(o.length > 0, `caller ${i} was offered something`));
      for (let i = 0; i < offers.length; i++) {
        for (let j = i + 1; j < offers.length; j++) {
          for (const a of offers[i]) {
            for (const b of offers[j]) {
              assert.ok(
                !overlaps(a, b),
                `callers ${i} and ${j} were both offered ${a.start.toISOString()}`,
              );
            }
          }
        }
      }
    });

    it("books a time two callers choose at the same moment for exactly one, and offers the other the next times", async () => {
      // No holds (as when they expired or could not be written): both hear the same first offer.
      const business = await createTestTenant();
      const deps = firestoreDeps(new ManualClock(NOW), false);
      const racers = Array.from(
        { length: 5 },
        (_, i) => new Caller(business, deps, `+4477009002${String(i).padStart(2, "0")}`),
      );
      for (const c of racers) await c.ring();
      await Promise.all(racers.map((c, i) => c.say(details(i))));
      await Promise.all(racers.map((c) => c.say("the first one")));
      const answers = await Promise.all(racers.map((c) => c.say("yes")));

      const booked = await deps.appointments.listBooked(
        business.id,
        NOW,
        new Date(NOW.getTime() + 30 * 86_400_000),
      );
      assert.equal(booked.length, 1);
      assert.equal(
        answers.filter((a) => a.startsWith("You're booked in for today at 1:15 pm")).length,
        1,
      );
      const losers = answers.filter((a) =>
        a.startsWith("I'm sorry, that time has just been taken. I can offer"),
      );
      assert.equal(losers.length, 4);
      for (const c of racers) {
        const next = await c.offers();
        assert.ok(next.every((o) => o.start.getTime() !== booked[0].start.getTime()));
      }
    });

    it("lets only one of overlapping jobs of different lengths through", async () => {
      const business = await createTestTenant();
      const deps = firestoreDeps(new ManualClock(NOW), false);
      const jobs = [
        "my boiler needs its annual service",
        "my kitchen tap is dripping",
        "my drain is blocked",
        "I need a bathroom quote",
      ];
      const racers = jobs.map(
        (_, i) => new Caller(business, deps, `+4477009003${String(i).padStart(2, "0")}`),
      );
      for (const c of racers) await c.ring();
      await Promise.all(racers.map((c, i) => c.say(details(i, jobs[i]))));
      // All are offered today 13:15 first: 90, 60, 60 and 45 minutes from then.
      for (const c of racers) {
        const [first] = await c.offers();
        assert.equal(DateTime.fromJSDate(first.start, { zone: LONDON }).toFormat("HH:mm"), "13:15");
      }
      await Promise.all(racers.map((c) => c.say("the first one")));
      await Promise.all(racers.map((c) => c.say("yes")));
      const booked = await deps.appointments.listBooked(
        business.id,
        NOW,
        new Date(NOW.getTime() + 30 * 86_400_000),
      );
      assert.equal(booked.length, 1, booked.map((b) => b.serviceId).join());
    });
  });
});
