import type { Caller } from "../simulator/callers";

/**
 * A caller who books the earliest time offered, whatever the receptionist
 * says in between, so that callers ringing at once compete for the same
 * slots. It listens to what the simulator prints and answers each prompt the
 * way a cooperative caller would; anything it cannot place ends the call and
 * counts as a failure of the conversation.
 */
export interface CallerProfile {
  readonly name: string;
  readonly address: string;
  readonly problem: string;
}

export interface CallerReport {
  /** The receptionist said "You're booked in". */
  readonly toldBooked: boolean;
  /** "That time has just been taken": another caller won the slot first. */
  readonly slotsTaken: number;
  /** No free time in the horizon: the business is full. */
  readonly noFreeTime: boolean;
  /** Apologies, fallbacks and prompts the caller could not place, word for word. */
  readonly failures: readonly string[];
}

export interface LoadCaller {
  readonly caller: Caller;
  /** The simulator's print callback: the caller hears the receptionist through it. */
  readonly print: (line: string) => void;
  report(): CallerReport;
}

/** More caller turns than a booking takes, even after losing a few slots. */
const MAX_TURNS = 12;

/** What the receptionist says when our side failed or misheard: never expected in a load run. */
const FAILURE_PHRASES: readonly RegExp[] = [
  /having trouble on my side/i,
  /an application error has occurred/i,
  /\bsorry, (I didn't|was that|which time|shall I go ahead)/i,
  /I'm not getting this right/i,
];

const SERVICES = [
  "my kitchen tap keeps dripping",
  "my boiler needs its annual service",
  "the kitchen drain is blocked",
] as const;
const FIRST_NAMES = ["Sarah", "James", "Priya", "Tom", "Aisha", "Owen", "Grace", "Daniel"];
const SURNAMES = ["Jones", "Patel", "Evans", "Clarke", "Hughes", "Morgan", "Ellis", "Baker"];
const STREETS = [
  "Park Street, Bristol BS1 5JA",
  "Gloucester Road, Bristol BS7 8AE",
  "North Street, Bristol BS3 1HT",
];

/** The i-th caller of a run: services and areas vary, so claimed spans differ in length. */
export function callerProfile(index: number): CallerProfile {
  return {
    name: `${FIRST_NAMES[index % FIRST_NAMES.length]} ${SURNAMES[Math.floor(index / FIRST_NAMES.length) % SURNAMES.length]}`,
    address: `${(index % 180) + 1} ${STREETS[index % STREETS.length]}`,
    problem: SERVICES[index % SERVICES.length],
  };
}

export function loadCaller(profile: CallerProfile): LoadCaller {
  let heard: string[] = [];
  let turns = 0;
  let toldBooked = false;
  let slotsTaken = 0;
  let noFreeTime = false;
  const failures: string[] = [];

  const reply = (said: string): string | null => {
    if (/How can I help/i.test(said)) {
      return `Hi, this is ${profile.name} at ${profile.address}, ${profile.problem}`;
    }
    if (/Is there anything you'd like me to tell/i.test(said)) {
      return "just ask them to call me back please";
    }
    if (/I can offer .*Which would suit you/i.test(said)) return "the first one";
    if (/The next free time is .*Would that suit you/i.test(said)) return "yes please";
    if (/Shall I book it\?/i.test(said)) return "yes please";
    if (/Is the visit at /i.test(said)) return "yes that's right";
    if (/Is there anything else/i.test(said)) return "no thanks, that's all";
    failures.push(`unexpected prompt: ${said || "(nothing said)"}`);
    return null;
  };

  return {
    caller: {
      echo: false,
      close: () => undefined,
      listen: () => {
        const said = heard.join(" ");
        heard = [];
        turns += 1;
        if (turns > MAX_TURNS) {
          failures.push(`no booking after ${MAX_TURNS} turns: ${said}`);
          return Promise.resolve(null);
        }
        if (failures.length > 0) return Promise.resolve(null);
        return Promise.resolve(reply(said));
      },
    },
    print: (line) => {
      const said =
        /^Receptionist: (.*)$/.exec(line)?.[1] ??
        (line.includes("[Twilio says") ? line : undefined);
      if (said === undefined) return;
      heard.push(said);
      if (/You're booked in/i.test(said)) toldBooked = true;
      if (/that time has just been taken/i.test(said)) slotsTaken += 1;
      if (/can't see a free time/i.test(said)) noFreeTime = true;
      if (FAILURE_PHRASES.some((phrase) => phrase.test(said))) failures.push(said);
    },
    report: () => ({ toldBooked, slotsTaken, noFreeTime, failures: [...failures] }),
  };
}
