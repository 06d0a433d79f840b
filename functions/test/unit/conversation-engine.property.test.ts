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
import { aBusiness } from "../support/call-fixtures";
import { NOW, TOM, tomsVisit as sharedTomsVisit } from "../support/scripted-conversations";

/**
 * Properties of the conversation engine for any sequence of caller events,
 * played through the engine's one entry point with its decisions answered
 * the way the interpreter answers them, from a diary where other callers
 * may take any offered time at any moment.
 */

const BUSINESS = aBusiness();
const FIRST_NAMES = ["Sarah", "Sam", "Tom", "Lucy", "Priya", "Dave"];
const LAST_NAMES = ["Jones", "Patel", "Okafor", "Fields", "O'Brien", "Kowalski"];
const NAMES = FIRST_NAMES.flatMap((f) => LAST_NAMES.map((l) => `${f} ${l}`));

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

/** The words a recogniser puts in front of an answer. */
const FILLERS = ["um", "er", "erm", "yeah", "oh", "right", "so", "well", "sorry", "okay so"];
/** Mishearings the recogniser makes (docs/understanding.md): the caller meant the first. */
const SLIPS: Array<[RegExp, string]> = [
  [/\bceiling\b/, "sealing"],
  [/\bpouring\b/, "poring"],
  [/\bburst\b/, "bust"],
  [/\bboiler\b/, "boyler"],
  [/\bservice\b/, "servis"],
  [/\bfriday\b/, "fri day"],
  [/\bappointment\b/, "a pointment"],
  [/\bthe first one\b/, "the furst one"],
];
const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "tomorrow", "next week"];
const PARTS_OF_DAY = ["morning", "afternoon", "first thing", "after lunch", "at 9", "at half two"];
const ADDRESSES = ["12 Oak Road, Bristol BS6 5AB", "22 Park Street, Bristol BS1 5JA"];

const aName = fc.constantFrom(...NAMES);
const aTime = fc
  .tuple(fc.constantFrom(...DAYS), fc.constantFrom(...PARTS_OF_DAY))
  .map(([day, part]) => `${day} ${part}`);
/** One caller turn: a fixed phrase, or one built from names, times, fillers, slips and fragments. */
const anUtterance: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...UTTERANCES) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      aName,
      aName.map((n) => `my name is ${n}`),
      fc.tuple(aName, fc.constantFrom(...ADDRESSES)).map(([n, a]) => `${n}, ${a}`),
      aTime,
      aTime.map((t) => `can you do ${t}?`),
      aTime.map((t) => `yes but ${t} would be better`),
    ),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...FILLERS), fc.constantFrom(...UTTERANCES))
      .map(([filler, said]) => (said ? `${filler}, ${said}` : said)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...SLIPS), fc.constantFrom(...UTTERANCES))
      .map(([[meant, heard], said]) => said && said.toLowerCase().replace(meant, heard)),
  },
  {
    // The recogniser cut the caller off: the first words only.
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...UTTERANCES), fc.integer({ min: 1, max: 4 }))
      .map(([said, words]) => said && said.split(" ").slice(0, words).join(" ")),
  },
);

/**
 * Everything a booking needs, the first time offered and a yes: so that
 * conversations often reach a booking, and the time another caller took.
 */
const aBookingRun: fc.Arbitrary<Array<string | null>> = fc.tuple(
  fc
    .tuple(aName, fc.constantFrom(...ADDRESSES), fc.constantFrom("", "um, ", "hi, "))
    .map(
      ([name, address, lead]) =>
        `${lead}this is ${name} at ${address}, my kitchen tap keeps dripping`,
    ),
  fc.constantFrom("the first one", "1", "yes", "erm, the first one", "yes please"),
  fc.constantFrom("yes", "yes please", "yeah, yes"),
);

function tomsVisit(): Appointment {
  return sharedTomsVisit({
    id: "apt-tom",
    businessId: BUSINESS.id,
    problem: "service",
    createdAt: NOW,
  });
}

interface Played {
  /** Each caller turn: what was said and every decision it led to. */
  turns: Array<{ said: string | null; before: DialogueState; decisions: TurnDecision[] }>;
  /**
   * The diary, kept apart from the engine: every time committed, by this
   * caller (with the appointment id handed to the engine) or by another.
   */
  diary: Array<{ start: string; by: "caller" | "other"; appointmentId?: string }>;
  /** What the engine was offering each time it asked to book, and what it asked for. */
  bookAsked: Array<{ slot: OfferedSlot; offered: OfferedSlot[] }>;
  ended: boolean;
}

/** The appointments the engine's state says this conversation booked. */
function claimedBookings(played: Played): string[] {
  const last = played.turns.at(-1)?.decisions.at(-1)?.state;
  return (last?.done ?? [])
    .filter((a) => a.action === "booked")
    .map((a) => a.appointmentId ?? "(no id)");
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
  const played: Played = { turns: [], diary: [], bookAsked: [], ended: false };
  const { diary } = played;
  const committed = (start: string) => diary.some((b) => b.start === start);
  let visit: Appointment | null = options.known ? tomsVisit() : null;
  let state = greet(ctx).state;
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
          (s) => !declined.has(s.start.toISOString()) && !committed(s.start.toISOString()),
        );
        const wished = d.state.preference
          ? open.filter((s) => fitsPreference(s.start, d.state.preference!, BUSINESS.timeZone))
          : [];
        const slots = (wished.length ? wished : open).slice(0, 3);
        // Another caller books one of these times before ours can.
        if (options.takeAt.includes(offerRound) && slots[0])
          diary.push({ start: slots[0].start.toISOString(), by: "other" });
        d = step(d.state, { type: "offers-found", found: slots, preface: o.say }, ctx);
      } else if (o.type === "book") {
        // The interpreter's commit: one booking a time, the first to commit wins.
        const start = o.slot.start;
        played.bookAsked.push({ slot: o.slot, offered: before.offers });
        if (committed(start)) {
          d = step(d.state, { type: "slot-taken" }, ctx);
        } else {
          const appointmentId = `apt-${diary.length + 1}`;
          diary.push({ start, by: "caller", appointmentId });
          d = step(d.state, { type: "booked", appointmentId }, ctx);
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
        else if (committed(o.slot.start)) d = step(d.state, { type: "move-slot-taken" }, ctx);
        else {
          visit = { ...visit, start: new Date(o.slot.start), end: new Date(o.slot.end) };
          diary.push({ start: o.slot.start, by: "caller", appointmentId: visit.id });
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
  words: fc
    .array(fc.oneof({ weight: 5, arbitrary: anUtterance.map((u) => [u]) }, aBookingRun), {
      minLength: 1,
      maxLength: 16,
    })
    .map((chunks) => chunks.flat().slice(0, 24)),
  known: fc.boolean(),
  channel: fc.constantFrom("voice" as const, "sms" as const),
  takeAt: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }),
});

const RUNS = Number(process.env.PROPERTY_RUNS ?? 250);

describe("the conversation engine, for any sequence of caller events", () => {
  it("never books a time that was not offered, or that someone else has taken", () => {
    fc.assert(
      fc.property(conversations, (c) => {
        const played = play(c.words, c);
        for (const asked of played.bookAsked) {
          assert.ok(
            asked.offered.some((o) => o.start === asked.slot.start),
            `${asked.slot.start} was not among the offers`,
          );
        }
        // What the engine believes it booked is, in the diary, this caller's and no one else's.
        for (const id of claimedBookings(played)) {
          const entry = played.diary.find((b) => b.appointmentId === id && b.by === "caller");
          assert.ok(entry, `the engine says ${id} is booked; the diary has no such booking`);
          const holders = played.diary.filter((b) => b.start === entry.start);
          assert.equal(
            holders.length,
            1,
            `${entry.start} booked twice: ${JSON.stringify(holders)}`,
          );
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
              [...NAMES, ...FIRST_NAMES, TOM.name].includes(name) ||
                nonsense.has(name.toLowerCase()),
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
