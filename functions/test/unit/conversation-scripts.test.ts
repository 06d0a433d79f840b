import { strict as assert } from "node:assert";
import type { Customer } from "../../src/domain/customers/customer";
import { greet } from "../../src/domain/dialogue/conversation-engine";
import { smsConversationId } from "../../src/domain/sms/sms-thread";
import {
  aWorld,
  asCall,
  NEW_CALLER,
  NOW,
  type Outcome,
  outcomeOf,
  sameOutcome,
  textIn,
  TOM,
} from "../support/scripted-conversations";

/**
 * Multi-turn scripts played through both renderings of the one conversation
 * engine: as a call (TwiML instructions, through the voice use case) and as
 * texts (SMS replies, through the SMS use case, in a conversation by text
 * already open). The same words must come to the same outcome either way:
 * the same bookings, moves and cancellations, the same emergency alerts, the
 * owner told or not, and the conversation left open or closed alike.
 */

const CALL_SID = `CA${"5".repeat(32)}`;

interface Script {
  name: string;
  /** A caller the business knows, with a visit booked; else a new caller. */
  known?: boolean;
  /** What the caller says, turn by turn; null is silence. */
  lines: Array<string | null>;
  /** The caller hangs up (or stops texting) after the last line. */
  hangUp?: boolean;
  expect: Partial<Outcome>;
}

const SARAH =
  "Hi, this is Sarah Jones at 22 Park Street, Bristol BS1 5JA, my kitchen tap keeps dripping";

const SCRIPTS: Script[] = [
  // Booking with every detail in one breath.
  {
    name: "books with every detail in one breath",
    lines: [SARAH, "the first one", "yes"],
    expect: { booked: ["Wed 13:15 dripping-tap Sarah Jones, 22 Park Street, Bristol BS1 5JA"] },
  },
  {
    name: "books the second offer in one breath",
    lines: [SARAH, "the second one", "yes please"],
    expect: { booked: ["Thu 08:00 dripping-tap Sarah Jones, 22 Park Street, Bristol BS1 5JA"] },
  },
  {
    name: "books a boiler service asked for with name and address",
    lines: [
      "I need a boiler service, my name is Sam Patel, 12 Oak Road, Bristol BS6 5AB",
      "the first one",
      "yes",
    ],
    expect: { booked: ["Wed 13:15 boiler-service Sam Patel, 12 Oak Road, Bristol BS6 5AB"] },
  },
  {
    name: "books and says goodbye",
    lines: [SARAH, "the first one", "yes", "no thanks"],
    expect: { stage: "closed" },
  },
  // Details one at a time.
  {
    name: "books with the details one at a time",
    lines: [
      "I'd like to book a visit",
      "my kitchen tap is dripping",
      "Sarah Jones",
      "22 Park Street, Bristol BS1 5JA",
      "the first one",
      "yes",
    ],
    expect: { booked: ["Wed 13:15 dripping-tap Sarah Jones, 22 Park Street, Bristol BS1 5JA"] },
  },
  {
    name: "books when the name and address come together without 'my name is'",
    lines: [
      "my kitchen tap is dripping",
      "Sam Patel, 12 Oak Road, Bristol BS6 5AB",
      "the first one",
      "yes",
    ],
    expect: { booked: ["Wed 13:15 dripping-tap Sam Patel, 12 Oak Road, Bristol BS6 5AB"] },
  },
  {
    name: "never takes a time choice as the name",
    lines: [
      "my kitchen tap is dripping",
      "the first one",
      "Sam Patel",
      "12 Oak Road, Bristol BS6 5AB",
      "the first one",
      "yes",
    ],
    expect: { booked: ["Wed 13:15 dripping-tap Sam Patel, 12 Oak Road, Bristol BS6 5AB"] },
  },
  {
    name: "asks again for a name after 'yes please'",
    lines: ["my kitchen tap is dripping", "yes please"],
    expect: { booked: [], stage: "collecting" },
  },
  {
    name: "books for a known caller who confirms their address",
    known: true,
    lines: ["my kitchen tap is dripping", "yes", "the first one", "yes"],
    expect: { booked: ["Wed 13:15 dripping-tap Tom Okafor, 3 Gloucester Road, Bristol BS7 8AA"] },
  },
  {
    name: "books for a known caller at another address",
    known: true,
    lines: [
      "my kitchen tap is dripping",
      "no, it's at 9 Elm Road, Bristol BS3 1AA",
      "the first one",
      "yes",
    ],
    expect: { booked: ["Wed 13:15 dripping-tap Tom Okafor, 9 Elm Road, Bristol BS3 1AA"] },
  },
  // Corrections.
  {
    name: "takes a corrected address at the read-back",
    lines: [
      "my kitchen tap is dripping, I'm Sam Patel at 12 Oak Road, Bristol BS6 5AB",
      "the first one",
      "no, it's 12 Oakfield Road, Bristol BS6 5AB not Oak Road",
      "yes",
    ],
    expect: { booked: ["Wed 13:15 dripping-tap Sam Patel, 12 Oakfield Road, Bristol BS6 5AB"] },
  },
  {
    name: "changes the name when asked at the read-back",
    lines: [SARAH, "the first one", "no", "the name", "Sarah Johnson", "yes"],
    expect: { booked: ["Wed 13:15 dripping-tap Sarah Johnson, 22 Park Street, Bristol BS1 5JA"] },
  },
  {
    name: "changes the address when asked at the read-back",
    lines: [SARAH, "the first one", "no", "the address", "40 High Street, Bristol BS1 2AW", "yes"],
    expect: { booked: ["Wed 13:15 dripping-tap Sarah Jones, 40 High Street, Bristol BS1 2AW"] },
  },
  {
    name: "does not take a yes that corrects the address as a yes to the old one",
    lines: [SARAH, "the first one", "yes but it's 40 High Street, Bristol BS1 2AW"],
    expect: { booked: [], stage: "confirming-booking" },
  },
  // New time wishes at the offer and at the read-back.
  {
    name: "looks again for Thursday morning at the offer",
    lines: [SARAH, "anything on thursday morning instead?", "the first one", "yes"],
    expect: { booked: ["Thu 08:30 dripping-tap Sarah Jones, 22 Park Street, Bristol BS1 5JA"] },
  },
  {
    name: "looks further ahead when none of the offers suit",
    lines: [SARAH, "none of those", "the first one", "yes"],
    expect: { booked: ["Fri 08:00 dripping-tap Sarah Jones, 22 Park Street, Bristol BS1 5JA"] },
  },
  {
    name: "looks at Friday afternoon when asked at the read-back",
    lines: [SARAH, "the first one", "can it be friday afternoon?", "the first one", "yes"],
    expect: { booked: ["Fri 13:15 dripping-tap Sarah Jones, 22 Park Street, Bristol BS1 5JA"] },
  },
  {
    name: "reads back the earlier offer chosen at the read-back",
    lines: [SARAH, "the second one", "actually the earlier one", "yes"],
    expect: { booked: ["Wed 13:15 dripping-tap Sarah Jones, 22 Park Street, Bristol BS1 5JA"] },
  },
  {
    name: "asks for a different time when the read-back is declined",
    lines: [SARAH, "the first one", "no", "a different time please", "the first one", "yes"],
    expect: { booked: ["Thu 08:00 dripping-tap Sarah Jones, 22 Park Street, Bristol BS1 5JA"] },
  },
  {
    name: "books the morning the caller asked for up front",
    lines: [`${SARAH}, can someone come friday morning`, "the first one", "yes"],
    expect: { booked: ["Fri 08:00 dripping-tap Sarah Jones, 22 Park Street, Bristol BS1 5JA"] },
  },
  // Change of mind.
  {
    name: "cancels an existing visit instead of booking, on a change of mind",
    known: true,
    lines: [
      "my kitchen tap is dripping",
      "actually can I cancel my appointment instead",
      "yes",
      "yes",
    ],
    expect: { booked: [], cancelled: ["apt-tom-boiler"] },
  },
  {
    name: "moves an existing visit instead of booking, on a change of mind",
    known: true,
    lines: [
      "my kitchen tap is dripping",
      "actually I need to move my booking",
      "yes",
      "the first one",
      "yes",
    ],
    expect: { booked: [], moved: ["apt-tom-boiler Wed 13:15"] },
  },
  {
    name: "turns a move into a cancellation",
    known: true,
    lines: ["I need to move my appointment", "yes", "actually just cancel it", "yes"],
    expect: { cancelled: ["apt-tom-boiler"], moved: [] },
  },
  // Reschedule and cancel.
  {
    name: "cancels a known caller's visit",
    known: true,
    lines: ["I need to cancel my appointment", "yes", "yes"],
    expect: { cancelled: ["apt-tom-boiler"] },
  },
  {
    name: "leaves the visit booked when the caller says no to cancelling",
    known: true,
    lines: ["I need to cancel my appointment", "yes", "no"],
    expect: { cancelled: [], stage: "anything-else" },
  },
  {
    name: "moves a known caller's visit",
    known: true,
    lines: ["I need to move my appointment", "yes", "the first one", "yes"],
    expect: { moved: ["apt-tom-boiler Wed 13:15"] },
  },
  {
    name: "moves a known caller's visit to the day they asked for",
    known: true,
    lines: ["can I move my appointment to friday", "yes", "the first one", "yes"],
    expect: { moved: ["apt-tom-boiler Fri 08:00"] },
  },
  {
    name: "looks further for the move when none suit",
    known: true,
    lines: ["I need to move my appointment", "yes", "none of those", "the first one", "yes"],
    expect: { moved: ["apt-tom-boiler Fri 08:00"] },
  },
  {
    name: "tells a caller with no bookings so",
    lines: ["I need to cancel my appointment", "Sarah Jones", "BS1 5JA"],
    expect: { cancelled: [], stage: "change-nothing-found" },
  },
  {
    name: "takes a message when nothing was found to move",
    lines: [
      "I need to move my appointment",
      "Sarah Jones",
      "BS1 5JA",
      "can you ask Dave to call me back",
      "I'm not sure which day it was",
    ],
    expect: { ownerTold: true, moved: [] },
  },
  // Questions, then booking.
  {
    name: "answers the call-out fee, then books",
    lines: ["how much is your call-out fee?", "yes", SARAH, "the first one", "yes"],
    expect: {
      ownerTold: false,
      booked: ["Wed 13:15 dripping-tap Sarah Jones, 22 Park Street, Bristol BS1 5JA"],
    },
  },
  {
    name: "answers the price of a tap repair, then books",
    lines: ["how much do you charge for a dripping tap?", SARAH, "the first one", "yes"],
    expect: { booked: ["Wed 13:15 dripping-tap Sarah Jones, 22 Park Street, Bristol BS1 5JA"] },
  },
  {
    name: "answers a question in the middle of a booking and carries on",
    lines: [
      "my kitchen tap is dripping",
      "do you take card payments?",
      "Sarah Jones",
      "22 Park Street, Bristol BS1 5JA",
      "the first one",
      "yes",
    ],
    expect: { booked: ["Wed 13:15 dripping-tap Sarah Jones, 22 Park Street, Bristol BS1 5JA"] },
  },
  {
    name: "passes on a question the profile cannot answer",
    lines: ["do you have a van with a ladder rack?"],
    expect: { ownerTold: true, booked: [] },
  },
  {
    name: "answers whether the business is Gas Safe",
    lines: ["are you gas safe registered?"],
    expect: { ownerTold: false, stage: "anything-else" },
  },
  // Emergencies.
  {
    name: "escalates a burst pipe raised mid-booking",
    lines: [
      "my kitchen tap is dripping",
      "oh no a pipe has burst and water is pouring through the ceiling",
    ],
    expect: { emergency: true, booked: [] },
  },
  {
    name: "escalates a gas smell at the read-back",
    lines: [SARAH, "the first one", "wait, I can smell gas in the kitchen"],
    expect: { emergency: true, booked: [] },
  },
  {
    name: "escalates an emergency raised on the first turn",
    lines: ["there's water pouring through my ceiling from a burst pipe"],
    expect: { emergency: true },
  },
  // Silence, nonsense, hang-up.
  {
    name: "hands over to the owner after three silences",
    lines: [null, null, null],
    expect: { ownerTold: true, booked: [], stage: "closed" },
  },
  {
    name: "hands over to the owner after three turns of nonsense",
    lines: ["la la la", "the cat sat on the mat", "xyzzy plugh"],
    expect: { ownerTold: true, booked: [], stage: "closed" },
  },
  {
    name: "keeps the booking open when the caller goes quiet mid-booking",
    lines: [SARAH, null],
    expect: { booked: [], stage: "choosing-slot" },
  },
  {
    name: "books nothing when the caller hangs up at the offers",
    lines: [SARAH],
    hangUp: true,
    expect: { booked: [], emergency: false },
  },
  {
    name: "books nothing when the caller hangs up at the read-back",
    lines: [SARAH, "the first one"],
    hangUp: true,
    expect: { booked: [] },
  },
  {
    name: "takes a message when asked to be called back",
    lines: ["can Dave call me back please", "it's about a quote for a new bathroom"],
    expect: { ownerTold: true, stage: "closed" },
  },
];

/** The script as texts, in a conversation by text already open (as a web chat opens). */
async function asTexts(script: Script): Promise<{ outcome: Outcome; read: string[] }> {
  const world = aWorld(script);
  const phone = script.known ? TOM.phone : NEW_CALLER;
  const customer: Customer | null = script.known ? TOM : null;
  const opened = greet({
    business: world.business,
    customer,
    callerPhone: phone,
    now: NOW,
    channel: "sms",
  });
  await world.sms.setPending(
    world.business.id,
    phone,
    {
      conversationId: smsConversationId(phone),
      state: opened.state,
      expiresAt: new Date(NOW.getTime() + 3_600_000).toISOString(),
    },
    NOW,
  );
  const read: string[] = [];
  for (const line of script.lines) {
    const answer = await textIn(world, phone, line ?? "");
    read.push(answer.reply ?? "");
    if (world.sms.pending.get(`${world.business.id}/${phone}`) == null) break;
  }
  const pending = world.sms.pending.get(`${world.business.id}/${phone}`);
  return { outcome: outcomeOf(world, pending?.state.stage ?? "closed"), read };
}

describe("conversation scripts, as a call and as texts", () => {
  it("has at least forty scripts", () => {
    assert.ok(SCRIPTS.length >= 40, `${SCRIPTS.length} scripts`);
  });

  for (const script of SCRIPTS) {
    it(script.name, async () => {
      const call = await asCall(script, CALL_SID);
      const texts = await asTexts(script);
      const transcript = `\ncall: ${call.heard.join("\n  ")}\ntexts: ${texts.read.join("\n  ")}`;
      for (const [key, value] of Object.entries(script.expect)) {
        const field = key as keyof Outcome;
        assert.deepEqual(call.outcome[field], value, `call ${field}${transcript}`);
      }
      const comparable = (o: Outcome) => ({
        ...sameOutcome(o),
        // After the last line, the call may be over where a text conversation stays open a while.
        closed: o.stage === "closed",
      });
      const expectedClosed = script.hangUp
        ? comparable(texts.outcome).closed
        : comparable(call.outcome).closed;
      assert.deepEqual(
        { ...comparable(texts.outcome), closed: expectedClosed },
        comparable(call.outcome),
        `the texts came to another outcome${transcript}`,
      );
      if (script.expect.stage && script.expect.stage !== "closed") {
        assert.equal(texts.outcome.stage, script.expect.stage, `texts stage${transcript}`);
      }
    });
  }
});
