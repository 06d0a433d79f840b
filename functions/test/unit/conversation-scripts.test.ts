import { strict as assert } from "node:assert";
import { DateTime } from "luxon";
import {
  type CallAnswer,
  handleCallTurn,
  handleRecordedMessage,
  recordCallEnded,
  startCall,
} from "../../src/app/handle-call";
import { handleInboundSms } from "../../src/app/handle-inbound-sms";
import { greet } from "../../src/domain/dialogue/conversation-engine";
import type { CallInstruction } from "../../src/domain/dialogue/call-instruction";
import type { Customer } from "../../src/domain/customers/customer";
import type { Appointment } from "../../src/domain/scheduling/appointment";
import { smsConversationId } from "../../src/domain/sms/sms-thread";
import { aCustomer, anAppointment } from "../support/call-fixtures";
import { anSmsWorld, SmsWorld } from "../support/sms-fixtures";

/**
 * Multi-turn scripts played through both renderings of the one conversation
 * engine: as a call (TwiML instructions, through the voice use case) and as
 * texts (SMS replies, through the SMS use case, in a conversation by text
 * already open). The same words must come to the same outcome either way:
 * the same bookings, moves and cancellations, the same emergency alerts, the
 * owner told or not, and the conversation left open or closed alike.
 */

/** Wednesday 25 November 2026, 10:00 in Bristol. */
const NOW = new Date("2026-11-25T10:00:00Z");
const NEW_CALLER = "+447700900999";
const TOM = aCustomer({
  name: "Tom Okafor",
  phone: "+447700900222",
  address: "3 Gloucester Road, Bristol BS7 8AA",
  propertyNotes: undefined,
});
const CALL_SID = `CA${"5".repeat(32)}`;

/** Tom's boiler service, Thursday 26 November at 9 am. */
function tomsVisit(): Appointment {
  return anAppointment({
    id: "apt-tom-boiler",
    customerId: TOM.phone,
    customerName: TOM.name,
    customerPhone: TOM.phone,
    address: TOM.address ?? "",
    serviceId: "boiler-service",
    serviceName: "Boiler service",
    problem: "Annual boiler service",
    start: new Date("2026-11-26T09:00:00Z"),
    end: new Date("2026-11-26T10:30:00Z"),
  });
}

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

interface Outcome {
  /** "Thu 08:00 dripping-tap Sarah Jones, 22 Park Street, Bristol BS1 5JA" */
  booked: string[];
  cancelled: string[];
  /** "apt-tom-boiler Fri 08:00" */
  moved: string[];
  emergency: boolean;
  /** A message, a question or a transfer for the owner (not an emergency). */
  ownerTold: boolean;
  /** Where the conversation stands: a stage, or "closed". */
  stage: string;
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

function local(iso: Date | string): string {
  return DateTime.fromJSDate(new Date(iso), { zone: "Europe/London" }).toFormat("ccc HH:mm");
}

function aWorld(script: Script): SmsWorld {
  const world = anSmsWorld({ now: NOW, customers: script.known ? [TOM] : [] });
  if (script.known) world.appointments.add(tomsVisit());
  return world;
}

function outcomeOf(world: SmsWorld, stage: string): Outcome {
  const all = [...world.appointments.appointments.values()];
  const original = tomsVisit();
  return {
    booked: all
      .filter((a) => a.id !== original.id && a.status === "booked")
      .map((a) => `${local(a.start)} ${a.serviceId} ${a.customerName}, ${a.address}`),
    cancelled: all.filter((a) => a.status === "cancelled").map((a) => a.id),
    moved: all
      .filter(
        (a) =>
          a.id === original.id &&
          a.status === "booked" &&
          a.start.getTime() !== original.start.getTime(),
      )
      .map((a) => `${a.id} ${local(a.start)}`),
    emergency: world.outbox.byPurpose("owner-emergency-alert").length > 0,
    ownerTold: world.outbox.byPurpose("owner-message").length > 0,
    stage,
  };
}

/** The script as a call: Twilio's webhooks, answered by the voice use case. */
async function asCall(script: Script): Promise<{ outcome: Outcome; heard: string[] }> {
  const world = aWorld(script);
  const from = script.known ? TOM.phone : NEW_CALLER;
  await startCall({ callSid: CALL_SID, from, to: world.business.phoneNumber }, world.deps);
  let step = 1;
  let transferred = false;
  // A message is recorded on a call: the line is what the caller says after the tone.
  let recording = false;
  let recorded = false;
  const heard: string[] = [];
  for (const line of script.lines) {
    const ids = { businessId: world.business.id, callSid: CALL_SID, step };
    const answer: CallAnswer = recording
      ? await handleRecordedMessage({ ...ids, seconds: line ? 10 : 0 }, world.deps)
      : await handleCallTurn(
          { ...ids, speech: line, confidence: line === null ? null : 0.9 },
          world.deps,
        );
    if (recording && line) recorded = true;
    const instruction: CallInstruction = answer.instruction;
    heard.push(instruction.kind === "whisper" ? instruction.say : instruction.say.join(" "));
    if (instruction.kind === "dial") transferred = true;
    if (instruction.kind !== "gather" && instruction.kind !== "record") break;
    recording = instruction.kind === "record";
    step = instruction.step;
  }
  if (script.hangUp) {
    await recordCallEnded(
      { businessId: world.business.id, callSid: CALL_SID, callStatus: "completed" },
      world.deps,
    );
  }
  const stored = world.conversations.stored(world.business.id, CALL_SID);
  const stage = ["ended", "transferring"].includes(stored.state.stage)
    ? "closed"
    : stored.state.stage;
  const outcome = outcomeOf(world, stage);
  // A call is put through to the owner; a text hands them the customer's words.
  if (transferred && !outcome.emergency) outcome.ownerTold = true;
  // A recorded message reaches the owner with its words, from the recording's callback.
  if (recorded) outcome.ownerTold = true;
  // Hanging up is the call's own end: a lost lead, not something the caller asked for.
  if (script.hangUp) outcome.ownerTold = world.outbox.byPurpose("owner-message").length > 0;
  return { outcome, heard };
}

let sids = 0;

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
    sids += 1;
    const answer = await handleInboundSms(
      {
        messageSid: `SM${String(sids).padStart(32, "0")}`,
        from: phone,
        to: world.business.phoneNumber,
        body: line ?? "",
        numMedia: 0,
      },
      world.smsDeps,
    );
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
      const call = await asCall(script);
      const texts = await asTexts(script);
      const transcript = `\ncall: ${call.heard.join("\n  ")}\ntexts: ${texts.read.join("\n  ")}`;
      for (const [key, value] of Object.entries(script.expect)) {
        const field = key as keyof Outcome;
        assert.deepEqual(call.outcome[field], value, `call ${field}${transcript}`);
      }
      const comparable = (o: Outcome) => ({
        booked: o.booked,
        cancelled: o.cancelled,
        moved: o.moved,
        emergency: o.emergency,
        ownerTold: o.ownerTold,
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
