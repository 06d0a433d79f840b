/**
 * npm run bench: server-side latency of the call turn handler over scripted
 * booking calls (warm), beside the cost of one bare Firestore read plus one
 * write measured in the same run, against the same Firestore.
 */
import * as net from "node:net";
import { performance } from "node:perf_hooks";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { FirestoreAppointmentRepository } from "../src/adapters/firestore/appointment.repository";
import { appFirestore } from "../src/adapters/firestore/firestore-client";
import { callDeps } from "../src/bootstrap";
import { startEmbeddedFirestore } from "../src/tools/embedded-firestore";
import { DEMO_ACCOUNT_SID, newSid } from "../src/tools/simulator/twilio-params";
import { handleVoiceRequest } from "../src/triggers/http/voice-webhook.handler";
import { createTestTenant } from "../test/support/firestore-tenant";
import { benchAvailability } from "./availability.bench";

const CALLS = Number(process.env.BENCH_CALLS ?? 40);
const WARMUP_CALLS = 5;
const BASE_URL = "http://bench.invalid";
const AUTH_TOKEN = "bench-auth-token";

const SCRIPT = [
  "Hi, this is Sarah Jones at 22 Park Street, Bristol BS1 5JA, my kitchen tap keeps dripping",
  "the first one",
  "yes please",
  "no thanks, that's all",
];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    n: sorted.length,
  };
}

async function post(path: string, params: Record<string, string>): Promise<number> {
  const url = `${BASE_URL}/voice${path}`;
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
  const elapsed = performance.now() - started;
  if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${answer.body}`);
  return elapsed;
}

async function bookingCall(businessId: string, to: string, caller: number): Promise<number[]> {
  const callSid = newSid("CA");
  const common = {
    CallSid: callSid,
    AccountSid: DEMO_ACCOUNT_SID,
    From: `+4477009${String(caller).padStart(5, "0")}`,
    To: to,
  };
  const turns: number[] = [];
  await post("/incoming", common);
  for (const [index, speech] of SCRIPT.entries()) {
    turns.push(
      await post(`/turn?b=${businessId}&step=${index + 1}`, {
        ...common,
        SpeechResult: speech,
        Confidence: "0.9",
      }),
    );
  }
  return turns;
}

async function bareReadWrite(iterations: number): Promise<number[]> {
  const ref = appFirestore().collection("bench").doc("baseline");
  await ref.set({ n: 0 });
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    const snapshot = await ref.get();
    await ref.set({ n: (snapshot.get("n") as number) + 1, at: new Date() });
    samples.push(performance.now() - started);
  }
  return samples;
}

/**
 * The booking's claim: one create() per 15-minute granule in time order, then
 * the appointment. Beside it, one bare create() of a single document.
 */
async function benchBooking(businessId: string): Promise<string[]> {
  const repository = new FirestoreAppointmentRepository(appFirestore());
  const iterations = 60;
  const booking: number[] = [];
  const bareCreate: number[] = [];
  const firstStart = Date.UTC(2030, 0, 7, 8, 0);
  for (let i = 0; i < iterations; i++) {
    const start = new Date(firstStart + i * 2 * 60 * 60_000);
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
    if (result.outcome !== "booked") throw new Error(`bench booking ${i}: ${result.outcome}`);
    const createStarted = performance.now();
    await appFirestore().collection("bench-creates").doc(`c-${Date.now()}-${i}`).create({ i });
    bareCreate.push(performance.now() - createStarted);
  }
  const b = summary(booking);
  const c = summary(bareCreate);
  return [
    `Booking a 90-minute job (6 granule claims + the appointment), ${b.n} bookings:`,
    `  p50 ${b.p50.toFixed(2)} ms   p95 ${b.p95.toFixed(2)} ms`,
    `Baseline, same run: one bare create(): p50 ${c.p50.toFixed(2)} ms   p95 ${c.p95.toFixed(2)} ms   (ratio p50 ${(b.p50 / c.p50).toFixed(1)}x)`,
  ];
}

async function main(): Promise<void> {
  // No Google metadata server here; without this the auth library probes for one.
  process.env.METADATA_SERVER_DETECTION ??= "none";
  let stop = (): void => undefined;
  let firestoreKind = "external (FIRESTORE_EMULATOR_HOST)";
  if (!process.env.FIRESTORE_EMULATOR_HOST) {
    const embedded = await startEmbeddedFirestore(await freePort());
    process.env.FIRESTORE_EMULATOR_HOST = embedded.host;
    stop = embedded.stop;
    firestoreKind = "embedded";
  }
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
  const byStep: number[][] = SCRIPT.map(() => []);
  for (let i = 0; i < CALLS; i++) {
    const turns = await bookingCall(business.id, business.phoneNumber, 100 + i);
    turns.forEach((ms, step) => byStep[step].push(ms));
  }
  const turnSamples = byStep.flat();
  const baseline = await bareReadWrite(turnSamples.length);

  const turns = summary(turnSamples);
  const bare = summary(baseline);
  const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
  console.log(`Firestore: ${firestoreKind} at ${process.env.FIRESTORE_EMULATOR_HOST}`);
  console.log(
    `Turn handler, server side, warm (${CALLS} scripted booking calls, ${turns.n} turns):`,
  );
  console.log(`  p50 ${fmt(turns.p50)}   p95 ${fmt(turns.p95)}   p99 ${fmt(turns.p99)}`);
  const stepNames = ["details -> offers", "choose a time", "confirm -> book + SMS", "goodbye"];
  byStep.forEach((samples, step) => {
    const s = summary(samples);
    console.log(`    turn ${step + 1} (${stepNames[step]}): p50 ${fmt(s.p50)}   p95 ${fmt(s.p95)}`);
  });
  console.log(`Baseline: one bare Firestore read + one write (${bare.n} samples):`);
  console.log(`  p50 ${fmt(bare.p50)}   p95 ${fmt(bare.p95)}   p99 ${fmt(bare.p99)}`);
  console.log(
    `Ratio turn/baseline: p50 ${(turns.p50 / bare.p50).toFixed(2)}x   p95 ${(turns.p95 / bare.p95).toFixed(2)}x   p99 ${(turns.p99 / bare.p99).toFixed(2)}x`,
  );
  for (const line of benchAvailability()) console.log(line);
  for (const line of await benchBooking(business.id)) console.log(line);
  stop();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
