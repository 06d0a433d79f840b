import { strict as assert } from "node:assert";
import { assessEmergency } from "../../src/domain/emergency/emergency.classifier";
import { spoken, texted } from "../../src/domain/dialogue/wording";
import { InMemoryHoldStore } from "../support/call-fixtures";
import {
  aWorld,
  asCall,
  local,
  NEW_CALLER as STRANGER,
  type Outcome,
  outcomeOf,
  sameOutcome,
  textIn,
  TOM,
} from "../support/scripted-conversations";

/**
 * Conversations a text opens, with nothing in progress: the customer texts
 * the business's number out of the blue. The same engine as a call's answers
 * them, so a new request comes to what the same words come to on the phone
 * (a booking, a question answered, an emergency escalated), while a text
 * from a customer with a visit booked is read as about that visit unless it
 * plainly asks for a new job.
 */

const CALL_SID = `CA${"7".repeat(32)}`;

interface Script {
  name: string;
  /** Tom, with his boiler service booked; else a number the business has never seen. */
  known?: boolean;
  /** The texts, in order; the first opens the conversation. */
  lines: string[];
  /** The same words on a call come to the same bookings, alerts and messages. */
  sameAsCall?: boolean;
  expect: Partial<Outcome>;
}

const BOILER = "hi can someone come look at my boiler next week, it's making a banging noise";

const SCRIPTS: Script[] = [
  {
    name: "books a boiler visit from a text out of the blue, detail by detail",
    lines: [BOILER, "Sam Patel", "12 Oak Road, Bristol BS6 5AB", "1", "yes"],
    sameAsCall: true,
    expect: {
      booked: ["Mon 08:00 boiler-service Sam Patel, 12 Oak Road, Bristol BS6 5AB"],
      ownerTold: false,
      emergency: false,
      stage: "closed",
    },
  },
  {
    name: "books from one text with every detail, choosing the second time",
    lines: [
      "Hi, this is Sarah Jones at 22 Park Street, Bristol BS1 5JA, my kitchen tap keeps dripping",
      "2",
      "yes please",
    ],
    sameAsCall: true,
    expect: { booked: ["Thu 08:00 dripping-tap Sarah Jones, 22 Park Street, Bristol BS1 5JA"] },
  },
  {
    name: "answers a question from the business profile, and stays open for a last word",
    lines: ["how much is your call-out fee?"],
    sameAsCall: true,
    expect: { booked: [], ownerTold: false, stage: "anything-else" },
  },
  {
    name: "answers a question, then books on the same conversation",
    lines: [
      "do you take card payments?",
      "yes, my kitchen tap is dripping",
      "Sarah Jones",
      "22 Park Street, Bristol BS1 5JA",
      "1",
      "yes",
    ],
    expect: { booked: ["Wed 13:15 dripping-tap Sarah Jones, 22 Park Street, Bristol BS1 5JA"] },
  },
  {
    name: "closes politely when a question is followed by 'no thanks'",
    lines: ["are you gas safe registered?", "no thanks"],
    expect: { booked: [], ownerTold: false, stage: "closed" },
  },
  {
    name: "passes on a question the profile cannot answer",
    lines: ["do you have a van with a ladder rack?"],
    sameAsCall: true,
    expect: { ownerTold: true, booked: [], stage: "anything-else" },
  },
  {
    name: "escalates a burst pipe texted out of the blue",
    lines: ["help there's water pouring through my ceiling from a burst pipe"],
    sameAsCall: true,
    expect: { emergency: true, booked: [], stage: "closed" },
  },
  {
    name: "escalates a gas smell texted out of the blue",
    lines: ["I can smell gas in the kitchen"],
    sameAsCall: true,
    expect: { emergency: true, booked: [], stage: "closed" },
  },
  {
    name: "answers 'hi' and reads the next text afresh",
    lines: ["hi", "my kitchen tap is dripping", "Sarah Jones"],
    expect: { booked: [], stage: "collecting" },
  },
  {
    name: "passes a message on when asked for a call back",
    lines: ["can Dave call me back please"],
    expect: { ownerTold: true, stage: "closed" },
  },
  // A customer with a visit booked.
  {
    name: "takes 'can you bring a washer' from a customer with a visit as about that visit",
    known: true,
    lines: ["Can you bring a washer for the bathroom tap too?"],
    expect: { booked: [], ownerTold: true, stage: "closed" },
  },
  {
    name: "passes on 'what time will you get here' from a customer with a visit",
    known: true,
    lines: ["what time will you get here tomorrow?"],
    expect: { booked: [], ownerTold: true, stage: "closed" },
  },
  {
    name: "answers a profile question from a customer with a visit without starting a booking",
    known: true,
    lines: ["do you take card payments?"],
    expect: { booked: [], ownerTold: false, stage: "anything-else" },
  },
  {
    name: "books a plainly new job for a customer with a visit",
    known: true,
    lines: ["can I book another visit, my kitchen tap is dripping", "yes", "1", "yes"],
    expect: {
      booked: ["Wed 13:15 dripping-tap Tom Okafor, 3 Gloucester Road, Bristol BS7 8AA"],
      ownerTold: false,
    },
  },
  {
    name: "confirms the visit on YES",
    known: true,
    lines: ["YES"],
    expect: { booked: [], cancelled: [], ownerTold: false, stage: "closed" },
  },
  {
    name: "moves the visit when asked by text",
    known: true,
    lines: ["can we do Friday instead", "1"],
    expect: { moved: ["apt-tom-boiler Fri 08:00"], booked: [] },
  },
  {
    name: "reads back the visit before cancelling on words unlike a reminder reply",
    known: true,
    lines: ["please could you drop my appointment", "yes", "yes"],
    expect: { cancelled: ["apt-tom-boiler"], booked: [], ownerTold: false },
  },
  {
    name: "cancels nothing when the read-back visit is not confirmed",
    known: true,
    lines: ["please could you drop my appointment", "yes", "no"],
    expect: { cancelled: [], booked: [] },
  },
  {
    name: "escalates an emergency from a customer with a visit",
    known: true,
    lines: ["my pipe has burst and water is everywhere"],
    expect: { emergency: true, booked: [], cancelled: [] },
  },
];

/** The script as texts to a number with nothing in progress. */
async function asTexts(script: Script, world = aWorld(script)) {
  const phone = script.known ? TOM.phone : STRANGER;
  const read: string[] = [];
  const outcomes: string[] = [];
  for (const line of script.lines) {
    const answer = await textIn(world, phone, line);
    read.push(answer.reply ?? "(no reply)");
    outcomes.push(answer.outcome);
  }
  const pending = world.sms.pending.get(`${world.business.id}/${phone}`);
  return { outcome: outcomeOf(world, pending?.state.stage ?? "closed"), read, outcomes, world };
}

/** A text's numbers, as a caller would say them. */
const SPOKEN_NUMBER: Record<string, string> = { "1": "the first one", "2": "the second one" };

describe("conversations a text opens, with nothing in progress", () => {
  for (const script of SCRIPTS) {
    it(script.name, async () => {
      const texts = await asTexts(script);
      const transcript = `\ntexts: ${texts.read.join("\n  ")}\noutcomes: ${texts.outcomes.join(", ")}`;
      for (const [key, value] of Object.entries(script.expect)) {
        const field = key as keyof Outcome;
        assert.deepEqual(texts.outcome[field], value, `${field}${transcript}`);
      }
      if (script.sameAsCall) {
        const lines = script.lines.map((line) => SPOKEN_NUMBER[line] ?? line);
        const call = await asCall({ known: script.known, lines }, CALL_SID);
        assert.deepEqual(
          sameOutcome(texts.outcome),
          sameOutcome(call.outcome),
          `the call came to another${transcript}`,
        );
      }
    });
  }

  describe("the replies", () => {
    it("answers the first text as the business, and numbers the times on offer", async () => {
      const { read } = await asTexts({
        name: "",
        lines: [BOILER, "Sam Patel", "12 Oak Road, Bristol BS6 5AB"],
        expect: {},
      });
      assert.ok(read[0].startsWith("Bristol Plumbing: "), read[0]);
      assert.match(read[2], /1\) .+, 2\) .+ or 3/);
    });

    it("offers next week, as the first text asked, through the one offers path with holds", async () => {
      const world = aWorld({});
      const holds = new InMemoryHoldStore();
      world.deps.holds = holds;
      world.smsDeps.holds = holds;
      await asTexts(
        { name: "", lines: [BOILER, "Sam Patel", "12 Oak Road, Bristol BS6 5AB"], expect: {} },
        world,
      );
      const pending = world.sms.pending.get(`${world.business.id}/${STRANGER}`);
      const offers = pending?.state.offers ?? [];
      assert.equal(offers.length, 3);
      for (const o of offers)
        assert.ok(local(o.start).startsWith("Mon") || local(o.start).startsWith("Tue"));
      assert.equal(
        holds.holderOf(world.business.id, offers[0].start.slice(0, 16) + "Z"),
        `sms-${STRANGER}`,
      );
    });

    it("never offers time busy in the owner's calendar", async () => {
      const plain = await asTexts({
        name: "",
        lines: [BOILER, "Sam Patel", "12 Oak Road, Bristol BS6 5AB"],
        expect: {},
      });
      const first = plain.world.sms.pending.get(`${plain.world.business.id}/${STRANGER}`)?.state
        .offers[0];
      assert.ok(first);
      const world = aWorld({});
      world.smsDeps.calendarBusy = {
        busyBetween: async () => ({
          status: "ok" as const,
          busy: [{ start: new Date(first.start), end: new Date(first.end) }],
        }),
      };
      await asTexts(
        { name: "", lines: [BOILER, "Sam Patel", "12 Oak Road, Bristol BS6 5AB"], expect: {} },
        world,
      );
      const offers = world.sms.pending.get(`${world.business.id}/${STRANGER}`)?.state.offers ?? [];
      assert.ok(offers.length > 0);
      assert.ok(offers.every((o) => o.start !== first.start));
    });

    it("texts the booking's confirmation once booked", async () => {
      const { world, read } = await asTexts({
        name: "",
        lines: [BOILER, "Sam Patel", "12 Oak Road, Bristol BS6 5AB", "1", "yes"],
        expect: {},
      });
      assert.match(read[4], /booked/i);
      const [confirmation] = world.outbox.byPurpose("booking-confirmation");
      assert.equal(confirmation?.to, STRANGER);
    });

    it("tells the customer of an emergency that the owner is alerted, and to ring or dial 999", async () => {
      const { world, read, outcomes } = await asTexts({
        name: "",
        lines: ["I can smell gas in the kitchen"],
        expect: {},
      });
      assert.equal(outcomes[0], "emergency");
      const [alert] = world.outbox.byPurpose("owner-emergency-alert");
      assert.equal(alert?.to, world.business.ownerMobile);
      // The catalogue's own words: the safety advice for gas, the owner alerted, ring us, 999.
      const { detection } = assessEmergency("I can smell gas in the kitchen", []);
      assert.ok(detection);
      assert.equal(read[0], texted.emergency(world.business, detection));
      assert.match(read[0], new RegExp(`alerted ${world.business.ownerName}`));
      assert.match(read[0], /call 0117 496 0000 now.+999/);
    });

    it("passes a text about a booked visit to the owner with the visit, and says so", async () => {
      const { world, read, outcomes } = await asTexts({
        name: "",
        known: true,
        lines: ["Can you bring a washer for the bathroom tap too?"],
        expect: {},
      });
      assert.equal(outcomes[0], "forwarded");
      assert.equal(read[0], texted.forwarded(world.business));
      const [owner] = world.outbox.byPurpose("owner-message");
      assert.match(owner.body, /\(visit Thu 26 Nov at 9 am\)/);
    });

    it("answers 'hi' with the catalogue's hello, as the business", async () => {
      const { world, read } = await asTexts({ name: "", lines: ["hi"], expect: {} });
      assert.equal(read[0], texted.asBusiness(world.business, spoken.helloBack()));
    });
  });
});
