import { DateTime } from "luxon";
import {
  type CallAnswer,
  handleCallTurn,
  handleRecordedMessage,
  recordCallEnded,
  startCall,
} from "../../src/app/handle-call";
import { type InboundSmsResult, handleInboundSms } from "../../src/app/handle-inbound-sms";
import type { CallInstruction } from "../../src/domain/dialogue/call-instruction";
import type { Appointment } from "../../src/domain/scheduling/appointment";
import { aCustomer, anAppointment } from "./call-fixtures";
import { anSmsWorld, type SmsWorld } from "./sms-fixtures";

/**
 * What conversation scripts share, whether a call or a text opens them
 * (conversation-scripts.test.ts, sms-started-conversations.test.ts): the
 * day, Tom and his booked visit, the world a script plays in, and the
 * outcome the words came to, read back from the stores.
 */

/** Wednesday 25 November 2026, 10:00 in Bristol. */
export const NOW = new Date("2026-11-25T10:00:00Z");
/** A number the business has never seen. */
export const NEW_CALLER = "+447700900999";
export const TOM = aCustomer({
  name: "Tom Okafor",
  phone: "+447700900222",
  address: "3 Gloucester Road, Bristol BS7 8AA",
  propertyNotes: undefined,
});

/** Tom's boiler service, Thursday 26 November at 9 am. */
export function tomsVisit(overrides: Partial<Appointment> = {}): Appointment {
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
    ...overrides,
  });
}

export interface Outcome {
  /** "Thu 08:00 dripping-tap Sarah Jones, 22 Park Street, Bristol BS1 5JA" */
  booked: string[];
  cancelled: string[];
  /** "apt-tom-boiler Fri 08:00" */
  moved: string[];
  emergency: boolean;
  /** A message, a question or a transfer for the owner (not an emergency). */
  ownerTold: boolean;
  /** Where the conversation stands after the last line: a stage, or "closed". */
  stage: string;
}

/** A time as the owner reads it in Bristol: "Thu 08:00". */
export function local(iso: Date | string): string {
  return DateTime.fromJSDate(new Date(iso), { zone: "Europe/London" }).toFormat("ccc HH:mm");
}

/** Every port in memory at NOW; with Tom and his visit when the script is his. */
export function aWorld(script: { known?: boolean }): SmsWorld {
  const world = anSmsWorld({ now: NOW, customers: script.known ? [TOM] : [] });
  if (script.known) world.appointments.add(tomsVisit());
  return world;
}

/** What the conversation came to, read from the world's stores. */
export function outcomeOf(world: SmsWorld, stage: string): Outcome {
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

/** The outcome as the other channel must match it: everything but where it stands. */
export function sameOutcome(o: Outcome): Omit<Outcome, "stage"> {
  return {
    booked: o.booked,
    cancelled: o.cancelled,
    moved: o.moved,
    emergency: o.emergency,
    ownerTold: o.ownerTold,
  };
}

let sids = 0;

/** One text to the business's number, with a new MessageSid. */
export function textIn(world: SmsWorld, from: string, body: string): Promise<InboundSmsResult> {
  sids += 1;
  return handleInboundSms(
    {
      messageSid: `SM${String(sids).padStart(32, "0")}`,
      from,
      to: world.business.phoneNumber,
      body,
      numMedia: 0,
    },
    world.smsDeps,
  );
}

/**
 * A script as a call: Twilio's webhooks, answered by the voice use case, line
 * by line (null is silence) until the call leaves the conversation.
 */
export async function asCall(
  script: { known?: boolean; lines: ReadonlyArray<string | null>; hangUp?: boolean },
  callSid: string,
): Promise<{ outcome: Outcome; heard: string[] }> {
  const world = aWorld(script);
  const from = script.known ? TOM.phone : NEW_CALLER;
  await startCall({ callSid, from, to: world.business.phoneNumber }, world.deps);
  let step = 1;
  let transferred = false;
  // A message is recorded on a call: the line is what the caller says after the tone.
  let recording = false;
  let recorded = false;
  const heard: string[] = [];
  for (const line of script.lines) {
    const ids = { businessId: world.business.id, callSid, step };
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
      { businessId: world.business.id, callSid, callStatus: "completed" },
      world.deps,
    );
  }
  const stored = world.conversations.stored(world.business.id, callSid);
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
