/**
 * npm run bench: server-side latency of the call turn handler over scripted
 * booking calls (warm), beside the cost of one bare Firestore read plus one
 * write measured in the same run, against the same Firestore.
 */
import { performance } from "node:perf_hooks";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { FirestoreAppointmentRepository } from "../src/adapters/firestore/appointment.repository";
import { appFirestore } from "../src/adapters/firestore/firestore-client";
import { callDeps } from "../src/bootstrap";
import { startBestFirestore } from "../src/tools/firestore-backend";
import { DEMO_ACCOUNT_SID, newSid } from "../src/tools/simulator/twilio-params";
import { handleVoiceRequest } from "../src/triggers/http/voice-webhook.handler";
import { createTestTenant } from "../test/support/firestore-tenant";
import { FirestoreRoundTripCounter, RoundTripCount } from "../test/support/firestore-round-trips";
import { bareReadWrite } from "../src/tools/load/firestore-baseline";
import { summarise } from "../src/tools/load/latency-stats";
import { benchAvailability } from "./availability.bench";
import { benchModuleLoad } from "./module-load.bench";
import { target, type Target, verdict } from "./targets";
import { benchUnderstanding } from "./understanding.bench";

const CALLS = Number(process.env.BENCH_CALLS ?? 40);
const WARMUP_CALLS = 5;
const BASE_URL = "http://bench.invalid";
const AUTH_TOKEN = "bench-auth-token";

/** The webhooks of one booking call, in order, with the latency target of each (x baseline p95). */
const TURN_KINDS = [
  // One read more than a turn: the tenant's settings, afresh for every new call.
  { name: "incoming (greeting)", target: 2 },
  { name: "details -> offers", target: 3 },
  { name: "choose a time", target: 1.5 },
  { name: "confirm -> book + SMS", target: 3 },
  { name: "goodbye", target: 1.5 },
  // The call is over: nobody waits on it.
  { name: "status callback", target: null },
];

const SCRIPT = [
  "Hi, this is Sarah Jones at 22 Park Street, Bristol BS1 5JA, my kitchen tap keeps dripping",
  "the first one",
  "yes please",
  "no thanks, that's all",
];

let counter: FirestoreRoundTripCounter;

interface TurnSample {
  ms: number;
  trips: RoundTripCount;
}

async function post(path: string, params: Record<string, string>): Promise<TurnSample> {
  const url = `${BASE_URL}/voice${path}`;
  counter.take();
  const started = performance.now();
  const answer = await handleVoiceRequest(
    {
      method: "POST",
      path,
      signature: getExpectedTwilioSignature(AUTH_TOKEN, url, params),
      body: params,
    },
    { publicBaseUrl: BASE_URL, authToken: AUTH_TOKEN, deps: callDeps() },
  );
  const ms = performance.now() - started;
  const trips = counter.take();
  if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${answer.body}`);
  if (/trouble on my side/.test(answer.body)) throw new Error(`${path} apologised: ${answer.body}`);
  return { ms, trips };
}

async function bookingCall(businessId: string, to: string, caller: number): Promise<TurnSample[]> {
  const callSid = newSid("CA");
  const common = {
    CallSid: callSid,
    AccountSid: DEMO_ACCOUNT_SID,
    From: `+4477009${String(caller).padStart(5, "0")}`,
    To: to,
  };
  const turns: TurnSample[] = [await post("/incoming", common)];
  for (const [index, speech] of SCRIPT.entries()) {
    turns.push(
      await post(`/turn?b=${businessId}&step=${index + 1}`, {
        ...common,
        SpeechResult: speech,
        Confidence: "0.9",
      }),
    );
  }
  turns.push(await post("/status", { ...common, CallStatus: "completed" }));
  return turns;
}

/**
 * The booking's claim: one batch creating a lock per 15-minute granule and
 * the appointment. Beside it, one bare create() of a single document.
 */
async function benchBooking(businessId: string): Promise<string[]> {
  const repository = new FirestoreAppointmentRepository(appFirestore());
  const iterations = 60;
  const booking: number[] = [];
  const bareCreate: number[] = [];
  let bookingTrips = 0;
  const firstStart = Date.UTC(2030, 0, 7, 8, 0);
  for (let i = 0; i < iterations; i++) {
    const start = new Date(firstStart + i * 2 * 60 * 60_000);
    counter.take();
    const started = performance.now();
    const result = await repository.book({
      id: `bench-booking-${i}`,
      businessId,
      customerId: "+447700900100",
      customerName: "Bench Caller",
      customerPhone: "+447700900100",
      address: "1 Bench Street, Bristol BS1 1AA",
      serviceId: "boiler-service",
      serviceName: "Boiler service",
      problem: "annual service",
      start,
      end: new Date(start.getTime() + 90 * 60_000),
      status: "booked",
      source: "bench",
      createdAt: new Date(),
    });
    booking.push(performance.now() - started);
    bookingTrips = Math.max(bookingTrips, counter.take().roundTrips);
    if (result.outcome !== "booked") throw new Error(`bench booking ${i}: ${result.outcome}`);
    const createStarted = performance.now();
    await appFirestore().collection("bench-creates").doc(`c-${Date.now()}-${i}`).create({ i });
    bareCreate.push(performance.now() - createStarted);
  }
  const b = summarise(booking);
  const c = summarise(bareCreate);
  return [
    `Booking a 90-minute job (one commit: its granule locks + the appointment; ${bookingTrips} round trip), ${b.n} bookings:`,
    `  p50 ${b.p50.toFixed(2)} ms   p95 ${b.p95.toFixed(2)} ms`,
    `Baseline, same run: one bare create(): p50 ${c.p50.toFixed(2)} ms   p95 ${c.p95.toFixed(2)} ms   (ratio p50 ${(b.p50 / c.p50).toFixed(1)}x)`,
  ];
}

async function main(): Promise<number> {
  // No Google metadata server here; without this the auth library probes for one.
  process.env.METADATA_SERVER_DETECTION ??= "none";
  let stop = async (): Promise<void> => undefined;
  let firestoreKind = "external (FIRESTORE_EMULATOR_HOST)";
  if (!process.env.FIRESTORE_EMULATOR_HOST) {
    // The official emulator where it runs, as in the tests; the embedded server as a last resort.
    const firestore = await startBestFirestore({ projectId: "demo-bristol-plumbing" });
    process.env.FIRESTORE_EMULATOR_HOST = firestore.host;
    stop = () => firestore.stop();
    firestoreKind = firestore.kind;
  }
  const [host, port] = process.env.FIRESTORE_EMULATOR_HOST.split(":");
  // Every request goes through the counter, so round trips per turn are seen on the wire.
  counter = new FirestoreRoundTripCounter({ host, port: Number(port) });
  const firestoreAt = process.env.FIRESTORE_EMULATOR_HOST;
  process.env.FIRESTORE_EMULATOR_HOST = await counter.start();
  process.env.GCLOUD_PROJECT ??= "demo-bristol-plumbing";
  // Silence the functions' structured logs: the figures are the output here.
  process.stdout.write = ((write) =>
    function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      if (typeof chunk === "string" && chunk.startsWith('{"severity"')) return true;
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    })(process.stdout.write) as typeof process.stdout.write;

  // Many callers book over the run, so use a diary that does not fill up: every day open.
  const allWeek = { "1": [{ open: "07:00", close: "20:00" }] } as Record<
    string,
    { open: string; close: string }[]
  >;
  for (const d of ["2", "3", "4", "5", "6", "7"]) allWeek[d] = allWeek["1"];
  const business = await createTestTenant({
    hours: allWeek,
    booking: {
      slotStepMinutes: 15,
      minLeadMinutes: 60,
      horizonDays: 60,
      offerCount: 3,
      defaultServiceId: "assessment",
      closedDates: [],
      holdMinutes: 5,
      travel: { zones: [], defaultMinutes: 0 },
    },
  });

  for (let i = 0; i < WARMUP_CALLS; i++) await bookingCall(business.id, business.phoneNumber, i);
  const byKind: TurnSample[][] = TURN_KINDS.map(() => []);
  for (let i = 0; i < CALLS; i++) {
    const turns = await bookingCall(business.id, business.phoneNumber, 100 + i);
    turns.forEach((sample, k) => byKind[k].push(sample));
  }
  const callTurns = byKind.slice(1, 1 + SCRIPT.length).flat();
  counter.take();
  const baseline = await bareReadWrite(appFirestore(), callTurns.length);
  const baselineTrips = counter.take();

  const turns = summarise(callTurns.map((t) => t.ms));
  const bare = summarise(baseline);
  const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
  console.log(`Firestore: ${firestoreKind} at ${firestoreAt}, round trips counted on the wire`);
  console.log(
    `Baseline: one bare Firestore read + one write (${bare.n} samples, ` +
      `${baselineTrips.roundTrips / bare.n} round trips each):`,
  );
  console.log(`  p50 ${fmt(bare.p50)}   p95 ${fmt(bare.p95)}   p99 ${fmt(bare.p99)}`);
  console.log(
    `Turn handler, server side, warm (${CALLS} scripted booking calls, ${turns.n} speech turns):`,
  );
  console.log(`  p50 ${fmt(turns.p50)}   p95 ${fmt(turns.p95)}   p99 ${fmt(turns.p99)}`);
  console.log(
    "  per webhook (round trips and requests: most seen in one webhook; target is p95 / baseline p95):",
  );
  const targets: Target[] = [];
  byKind.forEach((samples, k) => {
    const s = summarise(samples.map((t) => t.ms));
    const trips = summarise(samples.map((t) => t.trips.roundTrips));
    const requests = summarise(samples.map((t) => t.trips.requests));
    const kind = TURN_KINDS[k];
    if (kind.target)
      targets.push(target(`${kind.name}: p95 / baseline p95`, s.p95 / bare.p95, kind.target, "x"));
    console.log(
      `    ${kind.name.padEnd(26)} p50 ${fmt(s.p50).padStart(9)}   p95 ${fmt(s.p95).padStart(9)}` +
        `   ${(s.p95 / bare.p95).toFixed(2)}x (${kind.target ? `target ${kind.target}x` : "no caller waiting"})` +
        `   round trips ${trips.p50} (most ${trips.p99}), requests ${requests.p50}`,
    );
  });
  for (const line of benchAvailability()) console.log(line);
  for (const bench of [benchModuleLoad(), benchUnderstanding()]) {
    for (const line of bench.lines) console.log(line);
    targets.push(...bench.targets);
  }
  for (const line of await benchBooking(business.id)) console.log(line);
  await stop();
  const result = verdict(targets);
  for (const line of result.lines) (result.exitCode ? console.error : console.log)(line);
  return result.exitCode;
}

// A missed target fails the run (exit 1), naming it; so does an error.
main().then(
  (exitCode) => process.exit(exitCode),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
