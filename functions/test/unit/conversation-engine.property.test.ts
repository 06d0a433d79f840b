import { strict as assert } from "node:assert";
import fc from "fast-check";
import {
  greet,
  MAX_FAILED_TURNS,
  step,
  TurnContext,
  TurnDecision,
} from "../../src/domain/dialogue/conversation-engine";
import type { DialogueState, OfferedSlot } from "../../src/domain/dialogue/dialogue-state";
import { looksLikeName, tidyName } from "../../src/domain/dialogue/spoken-words";
import { detectEmergency } from "../../src/domain/emergency/emergency.classifier";
import { extractSlots, parseYesNo } from "../../src/domain/nlu/slot-extractor";
import type { Appointment } from "../../src/domain/scheduling/appointment";
import { availableSlots, Slot } from "../../src/domain/scheduling/availability";
import { fitsPreference, parseTimePreference } from "../../src/domain/scheduling/time-preference";
import { aBusiness, aCustomer } from "../support/call-fixtures";

/**
 * Properties of the conversation engine for any sequence of caller events,
 * played through the engine's one entry point with its decisions answered
 * the way the interpreter answers them, from a diary where other callers
 * may take any offered time at any moment.
 */

const NOW = new Date("2026-11-25T10:00:00Z");
const BUSINESS = aBusiness();
const TOM = aCustomer({
  name: "Tom Okafor",
  phone: "+447700900222",
  address: "3 Gloucester Road, Bristol BS7 8AA",
});
const NAMES = ["Sarah Jones", "Sam Patel", "Tom Okafor", "Lucy Fields"];

const UTTERANCES: Array<string | null> = [
  null,
  "",
  "yes",
  "yes please",
  "no",
  "the first one",
  "the second one",
  "the third one",
  "actually the earlier one",
  "none of those",
  "anything on thursday morning instead?",
  "can it be friday afternoon?",
  "yes but can it be friday?",
  "tomorrow morning",
  "my kitchen tap is dripping",
  "I need a boiler service",
  "Sarah Jones",
  "Sam Patel, 12 Oak Road, Bristol BS6 5AB",
  "my name is Lucy Fields",
  "22 Park Street, Bristol BS1 5JA",
  "no, it's 12 Oakfield Road, Bristol BS6 5AB not Oak Road",
  "yes, but it's 40 High Street, Bristol BS1 2AW",
  "Hi, this is Sarah Jones at 22 Park Street, Bristol BS1 5JA, my kitchen tap keeps dripping",
  "the name",
  "the address",
  "a different time",
  "I need to cancel my appointment",
  "can I move my appointment to friday",
  "actually can I cancel instead",
  "actually just cancel it",
  "how much is your call-out fee?",
  "do you take cards?",
  "what are your opening hours?",
  "can Dave call me back",
  "can I speak to a person",
  "what?",
  "hello",
  "la la la",
  "purple elephants",
  "no thanks, that's all",
  "there's water pouring through the ceiling from a burst pipe",
  "I can smell gas",
  "the water is coming through the light fitting",
  "is that a small leak",
  "BS1 5JA",
  "1",
  "2",
];

function tomsVisit(): Appointment {
  return {
    id: "apt-tom",
    businessId: BUSINESS.id,
    customerId: TOM.phone,
    customerName: TOM.name,
    customerPhone: TOM.phone,
    address: TOM.address ?? "",
    serviceId: "boiler-service",
    serviceName: "Boiler service",
    problem: "service",
    start: new Date("2026-11-26T09:00:00Z"),
    end: new Date("2026-11-26T10:30:00Z"),
    status: "booked",
    source: "seed",
    createdAt: NOW,
  };
}

interface Played {
  /** Each caller turn: what was said and every decision it led to. */
  turns: Array<{ said: string | null; before: DialogueState; decisions: TurnDecision[] }>;
  booked: Array<{ slot: OfferedSlot; offered: OfferedSlot[]; taken: string[] }>;
  ended: boolean;
}

/**
 * Plays the words through the engine, answering its decisions as the
 * interpreter does. `takeAt` marks offered times another caller books
 * first: a booking of one of them comes back as slot-taken.
 */
function play(
  words: Array<string | null>,
  options: { known: boolean; channel: "voice" | "sms"; takeAt: number[] },
): Played {
  const ctx: TurnContext = {
    business: BUSINESS,
    customer: options.known ? TOM : null,
    callerPhone: options.known ? TOM.phone : "+447700900999",
    now: NOW,
    channel: options.channel,
  };
  const free: Slot[] = [
    ...availableSlots({
      business: BUSINESS,
      service: BUSINESS.services[0],
      now: NOW,
      busy: [],
      jobs: [],
    }),
  ].slice(0, 200);
  const taken = new Set<string>();
  let visit: Appointment | null = options.known ? tomsVisit() : null;
  let state = greet(ctx).state;
  const played: Played = { turns: [], booked: [], ended: false };
  let offerRound = 0;
  for (const said of words) {
    const before = state;
    let d = step(state, { type: "words", text: said, confidence: said === null ? null : 0.9 }, ctx);
    const decisions = [d];
    for (let round = 0; round < 6; round++) {
      const o = d.outcome;
      if (o.type === "find-slots") {
        offerRound += 1;
        const declined = new Set([...d.state.declinedStarts, ...(d.state.lostStarts ?? [])]);
        const open = free.filter(
          (s) => !declined.has(s.start.toISOString()) && !taken.has(s.start.toISOString()),
        );
        const wished = d.state.preference
          ? open.filter((s) => fitsPreference(s.start, d.state.preference!, BUSINESS.timeZone))
          : [];
        const slots = (wished.length ? wished : open).slice(0, 3);
        // Another caller books one of these times before ours can.
        if (options.takeAt.includes(offerRound) && slots[0])
          taken.add(slots[0].start.toISOString());
        d = step(d.state, { type: "offers-found", found: slots, preface: o.say }, ctx);
      } else if (o.type === "book") {
        const start = o.slot.start;
        if (taken.has(start)) {
          d = step(d.state, { type: "slot-taken" }, ctx);
        } else {
          played.booked.push({ slot: o.slot, offered: before.offers, taken: [...taken] });
          taken.add(start);
          d = step(d.state, { type: "booked", appointmentId: `apt-${start}` }, ctx);
        }
      } else if (o.type === "find-upcoming") {
        d = step(d.state, { type: "visits-found", appointments: visit ? [visit] : [] }, ctx);
      } else if (o.type === "cancel-appointment") {
        const found = visit && visit.id === o.appointmentId ? visit : null;
        visit = null;
        d = step(
          d.state,
          { type: "cancelled", appointment: found && { ...found, status: "cancelled" } },
          ctx,
        );
      } else if (o.type === "reschedule-appointment") {
        if (!visit) d = step(d.state, { type: "appointment-gone" }, ctx);
        else if (taken.has(o.slot.start)) d = step(d.state, { type: "move-slot-taken" }, ctx);
        else {
          visit = { ...visit, start: new Date(o.slot.start), end: new Date(o.slot.end) };
          taken.add(o.slot.start);
          d = step(d.state, { type: "moved", appointment: visit }, ctx);
        }
      } else if (o.type === "confirm-appointment") {
        d = step(d.state, { type: "confirmed", appointment: visit }, ctx);
      } else {
        break;
      }
      decisions.push(d);
    }
    state = d.state;
    played.turns.push({ said, before, decisions });
    const last = d.outcome.type;
    if (
      last === "hang-up" ||
      last === "transfer-to-owner" ||
      last === "escalate-emergency" ||
      (last === "leave-message" && d.state.stage === "ended")
    ) {
      played.ended = true;
      break;
    }
  }
  return played;
}

const conversations = fc.record({
  words: fc.array(fc.constantFrom(...UTTERANCES), { minLength: 1, maxLength: 24 }),
  known: fc.boolean(),
  channel: fc.constantFrom("voice" as const, "sms" as const),
  takeAt: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 3 }),
});

const RUNS = Number(process.env.PROPERTY_RUNS ?? 250);

describe("the conversation engine, for any sequence of caller events", () => {
  it("never books a time that was not offered, or that someone else has taken", () => {
    fc.assert(
      fc.property(conversations, (c) => {
        for (const booking of play(c.words, c).booked) {
          assert.ok(
            booking.offered.some((o) => o.start === booking.slot.start),
            `${booking.slot.start} was not among the offers`,
          );
          assert.ok(!booking.taken.includes(booking.slot.start), `${booking.slot.start} was taken`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("never books without a yes to a read-back of exactly that booking", () => {
    fc.assert(
      fc.property(conversations, (c) => {
        const played = play(c.words, c);
        for (const turn of played.turns) {
          const book = turn.decisions.find((d) => d.outcome.type === "book");
          if (!book || book.outcome.type !== "book") continue;
          const said = turn.said ?? "";
          const before = turn.before;
          // The turn before was a read-back of this time, name and address.
          assert.equal(before.stage, "confirming-booking", said);
          assert.equal(before.chosen?.start, book.outcome.slot.start);
          assert.equal(book.state.draft.name, before.draft.name);
          assert.equal(book.state.draft.address, before.draft.address);
          // And the answer is a yes that names no other day, time, name or address.
          assert.equal(parseYesNo(said), "yes", said);
          const slots = extractSlots(said, BUSINESS.services);
          assert.ok(!slots.address || slots.address === before.draft.address, said);
          assert.ok(!slots.name || slots.name === before.draft.name, said);
          const wish = parseTimePreference(said, NOW, BUSINESS.timeZone);
          assert.ok(
            !wish || fitsPreference(new Date(book.outcome.slot.start), wish, BUSINESS.timeZone),
            said,
          );
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("never drops an emergency raised on any turn", () => {
    fc.assert(
      fc.property(conversations, (c) => {
        const played = play(c.words, c);
        for (const turn of played.turns) {
          const said = turn.said ?? "";
          if (!said || !detectEmergency(said, BUSINESS.emergency.extraPhrases)) continue;
          if (turn.before.emergency) continue;
          assert.equal(turn.decisions[0].outcome.type, "escalate-emergency", said);
          assert.ok(turn.decisions[0].state.emergency, said);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("never stores a non-name as a name", () => {
    // Letters-only nonsense ("purple elephants") can be anybody's name; these cannot.
    const nonsense = new Set(["purple elephants"]);
    const notNames = UTTERANCES.filter(
      (u): u is string => !!u && !nonsense.has(u) && !NAMES.some((n) => u.includes(n)),
    ).map(tidyName);
    fc.assert(
      fc.property(conversations, (c) => {
        for (const turn of play(c.words, c).turns) {
          for (const d of turn.decisions) {
            const name = d.state.draft.name;
            if (name === undefined) continue;
            assert.ok(looksLikeName(name), `"${name}" stored as a name`);
            assert.ok(!notNames.includes(name), `"${name}" stored as a name after "${turn.said}"`);
            assert.ok(
              [...NAMES, TOM.name].includes(name) || nonsense.has(name.toLowerCase()),
              `"${name}" stored as a name after "${turn.said}"`,
            );
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("ends or hands over within a bounded number of turns when the caller stops making sense", () => {
    const stuck = fc.array(
      fc.constantFrom<string | null>(null, "", "la la la", "purple elephants"),
      {
        minLength: 8,
        maxLength: 8,
      },
    );
    fc.assert(
      fc.property(conversations, stuck, (c, noise) => {
        const played = play([...c.words, ...noise], c);
        assert.ok(played.ended, `still going after ${played.turns.length} turns`);
        for (const turn of played.turns) {
          for (const d of turn.decisions) assert.ok(d.state.failedTurns <= MAX_FAILED_TURNS);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
