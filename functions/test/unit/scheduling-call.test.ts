import { strict as assert } from "node:assert";
import { DateTime } from "luxon";
import {
  CALENDAR_TIMEOUT_MS,
  CallAnswer,
  handleCallTurn,
  recordCallEnded,
  startCall,
} from "../../src/app/handle-call";
import type { CallInstruction } from "../../src/domain/dialogue/call-instruction";
import type { CalendarBusy, CalendarBusySource } from "../../src/ports/calendar-busy.port";
import type { CallConversation } from "../../src/ports/conversation-store.port";
import { degradationReporter } from "../../src/app/report-degradation";
import { ALERT_WINDOW_HOURS } from "../../src/domain/health/degradation";
import { aCallWorld, CallWorld, InMemoryHoldStore, withHolds } from "../support/call-fixtures";
import { InMemoryDegradationBoard } from "../support/in-memory-outbox.store";

// Wednesday 25 November 2026, 10:00 in Bristol (GMT).
const NOW = new Date("2026-11-25T10:00:00Z");
const ONE_BREATH =
  "Hi, this is Sarah Jones at 12 Park Street, Bristol BS1 5HX, my kitchen tap is dripping";
const LONDON = "Europe/London";

function sid(n: number): string {
  return `CA${String(n).padStart(32, "5")}`;
}

function spoken(instruction: CallInstruction): string {
  return instruction.kind === "whisper" ? instruction.say : instruction.say.join(" ");
}

/** Offered starts as "Thu 08:00" on the Bristol clock. */
function offered(conversation: CallConversation): string[] {
  return conversation.state.offers.map((o) =>
    DateTime.fromISO(o.start, { zone: LONDON }).toFormat("ccc HH:mm"),
  );
}

class Caller {
  step = 1;
  constructor(
    readonly world: CallWorld,
    readonly callSid: string,
    readonly from = "+447700900999",
  ) {}

  async ring(): Promise<CallAnswer> {
    return startCall(
      { callSid: this.callSid, from: this.from, to: this.world.business.phoneNumber },
      this.world.deps,
    );
  }

  async say(speech: string): Promise<CallInstruction> {
    const answer = await handleCallTurn(
      {
        businessId: this.world.business.id,
        callSid: this.callSid,
        step: this.step,
        speech,
        confidence: 0.9,
      },
      this.world.deps,
    );
    if (answer.instruction.kind === "gather") this.step = answer.instruction.step;
    return answer.instruction;
  }

  conversation(): CallConversation {
    return this.world.conversations.stored(this.world.business.id, this.callSid);
  }
}

async function offersFor(world: CallWorld, n: number, speech = ONE_BREATH) {
  const caller = new Caller(world, sid(n), `+4477009001${String(n).padStart(2, "0")}`);
  await caller.ring();
  const said = await caller.say(speech);
  return { caller, said: spoken(said), offers: offered(caller.conversation()) };
}

class FakeCalendar implements CalendarBusySource {
  calls = 0;
  constructor(private readonly answer: () => Promise<CalendarBusy>) {}
  busyBetween(): Promise<CalendarBusy> {
    this.calls += 1;
    return this.answer();
  }
}

describe("offering times on a call", () => {
  describe("when two callers are offered times at the same moment", () => {
    let world: CallWorld;
    let holds: InMemoryHoldStore;
    beforeEach(() => {
      world = aCallWorld({ now: NOW });
      holds = withHolds(world);
    });

    it("holds the first caller's offers, so the second is offered other times", async () => {
      const alice = await offersFor(world, 1);
      const bob = await offersFor(world, 2);
      assert.deepEqual(alice.offers, ["Wed 13:15", "Thu 08:00", "Thu 13:15"]);
      assert.equal(
        bob.offers.filter((o) => alice.offers.includes(o)).length,
        0,
        `${bob.offers.join()}`,
      );
      assert.deepEqual(bob.offers, ["Wed 14:15", "Thu 09:00", "Thu 14:15"]);
      assert.equal(holds.holderOf(world.business.id, "2026-11-25T13:15Z"), sid(1));
    });

    it("offers a held time again once the hold has expired (5 minutes in the seed)", async () => {
      await offersFor(world, 1);
      world.clock.advance(5 * 60_000);
      const bob = await offersFor(world, 2);
      assert.equal(bob.offers[0], "Wed 13:15");
    });

    it("frees the caller's holds when they hang up", async () => {
      await offersFor(world, 1);
      await recordCallEnded(
        { businessId: world.business.id, callSid: sid(1), callStatus: "completed" },
        world.deps,
      );
      assert.equal(holds.holderOf(world.business.id, "2026-11-25T13:15Z"), undefined);
      const bob = await offersFor(world, 2);
      assert.equal(bob.offers[0], "Wed 13:15");
    });

    it("replaces the holds with the booking once the caller books", async () => {
      const alice = await offersFor(world, 1);
      await alice.caller.say("the first one");
      await alice.caller.say("yes");
      assert.equal(world.appointments.appointments.size, 1);
      assert.equal(holds.holderOf(world.business.id, "2026-11-26T08:00Z"), undefined);
      const bob = await offersFor(world, 2);
      assert.deepEqual(bob.offers, ["Wed 14:15", "Thu 08:00", "Thu 13:15"]);
    });

    it("gives back the turned-down times when the caller asks for others", async () => {
      const alice = await offersFor(world, 1);
      await alice.caller.say("none of those");
      assert.equal(holds.holderOf(world.business.id, "2026-11-25T13:15Z"), undefined);
      assert.equal(holds.holderOf(world.business.id, "2026-11-27T08:00Z"), sid(1));
    });

    it("still offers times, unheld, when the hold store fails", async () => {
      holds.failWith = new Error("hold store down for +447700900123");
      const alice = await offersFor(world, 1);
      assert.deepEqual(alice.offers, ["Wed 13:15", "Thu 08:00", "Thu 13:15"]);
      const failed = world.logger.lines.filter((l) => l.event === "availability.hold-failed");
      assert.ok(failed.length > 0);
      // The store's message named a number: it is logged masked.
      for (const line of failed)
        assert.equal(line.fields.error, "hold store down for +44******0123");
    });
  });

  describe("when the holds were lost and two callers choose the same time at once", () => {
    it("books it for one, and tells the other it has gone with the next times", async () => {
      const world = aCallWorld({ now: NOW });
      const holds = withHolds(world);
      const alice = await offersFor(world, 1);
      holds.failWith = new Error("lost");
      const bob = await offersFor(world, 2);
      holds.failWith = null;
      assert.equal(bob.offers[0], alice.offers[0], "both were offered 13:15");
      await Promise.all([alice.caller.say("the first one"), bob.caller.say("the first one")]);
      const [a, b] = await Promise.all([alice.caller.say("yes"), bob.caller.say("yes")]);
      assert.equal(world.appointments.appointments.size, 1);
      assert.match(spoken(a), /^You're booked in for today at 1:15 pm/);
      assert.match(spoken(b), /^I'm sorry, that time has just been taken\. I can offer /);
      assert.ok(!offered(bob.caller.conversation()).includes("Wed 13:15"));
    });
  });

  describe("with the owner's calendar connected", () => {
    it("leaves out the calendar's busy time", async () => {
      const world = aCallWorld({ now: NOW });
      const calendar = new FakeCalendar(async () => ({
        status: "ok",
        busy: [{ start: new Date("2026-11-25T13:00:00Z"), end: new Date("2026-11-25T17:30:00Z") }],
      }));
      world.deps.calendarBusy = calendar;
      const { offers } = await offersFor(world, 1);
      assert.deepEqual(offers, ["Thu 08:00", "Thu 13:15", "Fri 08:00"]);
      assert.equal(calendar.calls, 1);
    });

    it("offers from the diary alone, and logs it, when the calendar fails", async () => {
      const world = aCallWorld({ now: NOW });
      world.deps.calendarBusy = new FakeCalendar(async () => ({
        status: "unavailable",
        reason: "token revoked",
      }));
      const { offers } = await offersFor(world, 1);
      assert.equal(offers[0], "Wed 13:15");
      const fallback = world.logger.lines.find((l) => l.event === "availability.calendar-fallback");
      assert.equal(fallback?.fields.reason, "token revoked");
    });

    /** A world whose degradations go through the real reporter, onto an in-memory dashboard. */
    function withDashboard(world: CallWorld): InMemoryDegradationBoard {
      const board = new InMemoryDegradationBoard();
      world.deps.degradation = degradationReporter({
        board,
        outbox: world.outbox,
        businesses: world.businesses,
        clock: world.clock,
        logger: world.logger,
      });
      return board;
    }

    it("puts the calendar being out of reach on the dashboard and texts the owner, once however many callers", async () => {
      const world = aCallWorld({ now: NOW });
      const board = withDashboard(world);
      world.deps.calendarBusy = new FakeCalendar(async () => ({
        status: "unavailable",
        reason: "Google 503",
      }));
      await offersFor(world, 1);
      await offersFor(world, 2);
      const item = board.items.get(`${world.business.id}/calendar-unreachable`);
      assert.equal(item?.kind, "receptionist-degraded");
      assert.equal(item?.title, "Google Calendar unreachable");
      assert.match(item?.reason ?? "", /\(Google 503\)$/);
      assert.equal(board.writes, 1, "one item for the outage");
      const texts = world.outbox.byPurpose("owner-receptionist-degraded");
      assert.equal(texts.length, 1);
      assert.equal(texts[0].to, world.business.ownerMobile);
      assert.match(texts[0].body, /Google Calendar can't be reached/);
      assert.equal(
        world.outbox.byPurpose("owner-calendar-unavailable").length,
        0,
        "one text, not two",
      );
    });

    it("raises it again in a later alert window while the outage lasts, and not once the calendar answers", async () => {
      const world = aCallWorld({ now: NOW });
      const board = withDashboard(world);
      let answer: CalendarBusy = { status: "unavailable", reason: "no answer in 2000 ms" };
      world.deps.calendarBusy = new FakeCalendar(async () => answer);
      await offersFor(world, 1);
      world.clock.advance(ALERT_WINDOW_HOURS * 3_600_000);
      await offersFor(world, 2);
      assert.equal(board.writes, 2);
      assert.equal(world.outbox.byPurpose("owner-receptionist-degraded").length, 2);
      answer = { status: "ok", busy: [] };
      world.clock.advance(ALERT_WINDOW_HOURS * 3_600_000);
      await offersFor(world, 3);
      assert.equal(board.writes, 2, "a calendar that answers raises nothing");
      assert.equal(world.outbox.byPurpose("owner-receptionist-degraded").length, 2);
    });

    it("treats a calendar that never answers as unreachable, for the dashboard too", async function () {
      this.timeout(CALENDAR_TIMEOUT_MS + 5_000);
      const world = aCallWorld({ now: NOW });
      const board = withDashboard(world);
      world.deps.calendarBusy = new FakeCalendar(() => new Promise<CalendarBusy>(() => undefined));
      await offersFor(world, 1);
      assert.match(
        board.items.get(`${world.business.id}/calendar-unreachable`)?.reason ?? "",
        /no answer in \d+ ms/,
      );
    });

    it("raises nothing and texts the owner nothing when no calendar is connected", async () => {
      const world = aCallWorld({ now: NOW });
      const board = withDashboard(world);
      world.deps.calendarBusy = new FakeCalendar(async () => ({ status: "not-connected" }));
      await offersFor(world, 1);
      assert.equal(board.writes, 0);
      assert.deepEqual(
        world.outbox.messages.filter((m) => m.to === world.business.ownerMobile),
        [],
      );
    });

    it("still offers times when telling the owner fails", async () => {
      const world = aCallWorld({ now: NOW });
      const board = withDashboard(world);
      board.raiseDegradation = () => Promise.reject(new Error("Firestore unavailable"));
      world.deps.calendarBusy = new FakeCalendar(async () => ({
        status: "unavailable",
        reason: "Google 503",
      }));
      const { offers } = await offersFor(world, 1);
      assert.equal(offers[0], "Wed 13:15");
      assert.ok(world.logger.lines.some((l) => l.event === "receptionist.degraded-report-failed"));
    });

    it("treats a calendar that throws like one that is unavailable", async () => {
      const world = aCallWorld({ now: NOW });
      world.deps.calendarBusy = new FakeCalendar(() => Promise.reject(new Error("socket hang up")));
      const { offers } = await offersFor(world, 1);
      assert.equal(offers[0], "Wed 13:15");
      assert.ok(world.logger.lines.some((l) => l.fields.reason === "socket hang up"));
    });

    it("says nothing in the logs when no calendar is connected", async () => {
      const world = aCallWorld({ now: NOW });
      world.deps.calendarBusy = new FakeCalendar(async () => ({ status: "not-connected" }));
      await offersFor(world, 1);
      assert.ok(!world.logger.lines.some((l) => l.event === "availability.calendar-fallback"));
    });

    it("does not keep the caller waiting on a calendar that never answers", async function () {
      this.timeout(CALENDAR_TIMEOUT_MS + 5_000);
      const world = aCallWorld({ now: NOW });
      world.deps.calendarBusy = new FakeCalendar(() => new Promise<CalendarBusy>(() => undefined));
      const started = Date.now();
      const { offers } = await offersFor(world, 1);
      const waited = Date.now() - started;
      assert.equal(offers[0], "Wed 13:15");
      assert.ok(
        waited >= CALENDAR_TIMEOUT_MS - 50 && waited < CALENDAR_TIMEOUT_MS + 1_500,
        `${waited}`,
      );
      assert.ok(world.logger.lines.some((l) => l.event === "availability.calendar-fallback"));
    });
  });

  describe("when the caller says when they would like the visit", () => {
    it("offers only tomorrow morning, spread out, and says so", async () => {
      const world = aCallWorld({ now: NOW });
      const { said, offers } = await offersFor(
        world,
        1,
        `${ONE_BREATH}, can someone come tomorrow morning?`,
      );
      assert.deepEqual(offers, ["Thu 08:00", "Thu 09:00", "Thu 10:00"]);
      assert.match(
        said,
        /Here's what I have tomorrow morning\. I can offer tomorrow, Thursday, at 8 am/,
      );
    });

    it("looks again when the caller asks for another day at the offer", async () => {
      const world = aCallWorld({ now: NOW });
      const { caller } = await offersFor(world, 1);
      const said = spoken(await caller.say("have you got anything Friday afternoon?"));
      assert.deepEqual(offered(caller.conversation()), ["Fri 13:15", "Fri 14:15"]);
      assert.match(said, /Here's what I have Friday afternoon\./);
    });

    it("says so and offers the nearest times when nothing fits", async () => {
      const world = aCallWorld({ now: NOW });
      const { said, offers } = await offersFor(world, 1, `${ONE_BREATH}, can you come on Sunday?`);
      assert.match(said, /I'm sorry, I've nothing free Sunday, so here are the nearest times\./);
      // Sunday 29 November is closed: the times closest to it on either side.
      assert.deepEqual(offers, ["Fri 14:45", "Sat 11:00", "Mon 08:00"]);
    });

    it("never books a time it did not offer, whatever the caller names", async () => {
      const world = aCallWorld({ now: NOW });
      const { caller } = await offersFor(world, 1);
      await caller.say("can you do 3 pm on Monday?");
      const state = caller.conversation().state;
      assert.equal(state.chosen, undefined);
      assert.equal(state.stage, "choosing-slot");
      assert.deepEqual(offered(caller.conversation()), ["Mon 14:15", "Mon 15:15"]);
      await caller.say("the first one");
      await caller.say("yes");
      const [booked] = [...world.appointments.appointments.values()];
      assert.ok(caller.conversation().state.offers.length === 0);
      assert.equal(booked.start.toISOString(), "2026-11-30T14:15:00.000Z");
    });
  });
});
