/**
 * `npm run load -- --calls N`: N concurrent signed booking calls, the way
 * Twilio drives them, against the voice function served by the Functions
 * Framework (the server Cloud Run functions run in production) with the
 * concurrency the code declares, on the official Firestore emulator. Prints
 * one JSON line; exits 1 on any error or double booking. See
 * docs/load-testing.md.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { appFirestore } from "../adapters/firestore/firestore-client";
import { FirestoreBusinessRepository } from "../adapters/firestore/business.repository";
import * as deployed from "../index";
import { bareReadWrite, bareReadWriteAtOnce } from "./load/firestore-baseline";
import { declaredConcurrency, type Concurrency } from "./load/declared-concurrency";
import { startFrontDoor, type FrontDoor } from "./load/front-door";
import { startFunctionInstance, type FunctionInstance } from "./load/function-instance";
import { summarise } from "./load/latency-stats";
import { callerProfile, loadCaller, type CallerReport } from "./load/load-caller";
import { overlappingPairs, type BookedSpan } from "./load/overlaps";
import { freePort, startBestFirestore, type FirestoreBackend } from "./firestore-backend";
import { DEFAULT_SEED_FILE, readSeedFile, seedDemoTenant } from "./seed";
import { simulateCall } from "./simulator/call-session";
import { SimulatorError } from "./simulator/errors";
import { findRepoRoot, parseEnvFile } from "./simulator/local-config";
import { fetchTransport, type Transport } from "./simulator/transport";
import { DEMO_ACCOUNT_SID } from "./simulator/twilio-params";

export const USAGE = `Usage: npm run load -- --calls N [--max-seconds S]

Serves the voice function in the Functions Framework with its declared concurrency, on a
fresh official Firestore emulator seeded with the demo tenant, rings it with N concurrent
signed booking calls and prints one JSON line. Exits 1 on any error or double booking.

Options:
  --calls N          concurrent calls, 1 to 970 (default 50)
  --max-seconds S    give up after S seconds in all (default 300)
  --warm-up N        booking calls to a copy of the tenant first, not measured (default 4)
  -h, --help         show this help`;

const PROJECT_ID = "demo-bristol-plumbing";
/** The functions a booking call reaches: the voice webhooks, status callback included. */
const SERVED_FUNCTIONS = ["voice"] as const;
const BASELINE_SAMPLES = 100;
/** A second copy of the demo tenant, on its own number, that only the warm-up calls ring. */
const WARM_UP_BUSINESS = { id: "load-warm-up", phoneNumber: "+441174960999" };
/** Ofcom's 1000 drama numbers, less the demo tenant's and the warm-up's. */
const MAX_CALLS = 970;

export interface LoadOptions {
  readonly calls: number;
  readonly maxSeconds: number;
  /** Booking calls to a second tenant before the measured ones. */
  readonly warmUpCalls: number;
}

export interface LoadReport {
  calls: number;
  requests: number;
  errors: number;
  booked: number;
  overlappingBookings: number;
  turnP50Ms: number;
  turnP95Ms: number;
  turnP99Ms: number;
  maxQueued: number;
  /** Requests that waited for the instance at all. */
  queuedRequests: number;
  /** CPU the instance spent per webhook answered (user + system), ms; null off Linux. */
  instanceCpuMsPerRequest: number | null;
  baselineReadWriteP50Ms: number;
  /** The same, with as many at once as there were calls: the emulator's own floor at this load. */
  baselineAtConcurrencyP50Ms: number;
  concurrency: number;
  concurrencySource: Concurrency["source"];
  toldBooked: number;
  slotsTaken: number;
  noFreeTime: number;
  serverErrorLogs: number;
  /** Requests the rate limits or screening turned away: each one a legitimate caller refused. */
  rateLimited: number;
  firestore: string;
  seconds: number;
}

export function parseLoadArgs(argv: readonly string[]): LoadOptions | "help" {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      calls: { type: "string" },
      "max-seconds": { type: "string" },
      "warm-up": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return "help";
  const calls = wholeNumber("--calls", values.calls ?? "50", 1, MAX_CALLS);
  const maxSeconds = wholeNumber("--max-seconds", values["max-seconds"] ?? "300", 10, 3_600);
  const warmUpCalls = wholeNumber("--warm-up", values["warm-up"] ?? "4", 0, 20);
  return { calls, maxSeconds, warmUpCalls };
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SimulatorError(
      `${flag} must be a whole number from ${min} to ${max}, not "${text}".`,
    );
  }
  return value;
}

/** Distinct callers from Ofcom's drama range, none of them a number the demo tenant knows. */
export function callerNumbers(count: number, known: ReadonlySet<string>): string[] {
  const numbers: string[] = [];
  for (let n = 0; n < 1000 && numbers.length < count; n++) {
    const number = `+447700900${String(n).padStart(3, "0")}`;
    if (!known.has(number)) numbers.push(number);
  }
  if (numbers.length < count)
    throw new SimulatorError(`At most ${numbers.length} distinct callers.`);
  return numbers;
}

interface Tally {
  latencies: number[];
  /** The same round trips by webhook: "incoming", "turn 1", ..., "status". */
  byWebhook: Map<string, number[]>;
  requests: number;
  httpErrors: number;
  transportErrors: number;
  otherErrors: number;
  samples: Map<string, number>;
}

/** Times each webhook's round trip and counts what went wrong on the wire. */
function measured(inner: Transport, tally: Tally, counted: WeakSet<object>): Transport {
  return async (request) => {
    tally.requests += 1;
    const started = performance.now();
    try {
      const response = await inner(request);
      const elapsed = performance.now() - started;
      tally.latencies.push(elapsed);
      const webhook = webhookName(request.url);
      tally.byWebhook.set(webhook, [...(tally.byWebhook.get(webhook) ?? []), elapsed]);
      if (response.status < 200 || response.status > 299) {
        tally.httpErrors += 1;
        note(tally, `HTTP ${response.status} from ${request.url}: ${response.body.slice(0, 200)}`);
      }
      return response;
    } catch (error) {
      tally.transportErrors += 1;
      note(tally, error instanceof Error ? error.message : String(error));
      if (error instanceof Error) counted.add(error);
      throw error;
    }
  };
}

/** "turn 2" for /voice/turn?...&step=2; the path's last part otherwise. */
function webhookName(url: string): string {
  const { pathname, searchParams } = new URL(url);
  const name = pathname.split("/").pop() ?? pathname;
  const step = searchParams.get("step");
  return step ? `${name} ${step}` : name;
}

/** Keeps the first few distinct problems, with how often each came up. */
function note(tally: Tally, sample: string): void {
  const seen = tally.samples.get(sample);
  if (seen !== undefined) tally.samples.set(sample, seen + 1);
  else if (tally.samples.size < 12) tally.samples.set(sample, 1);
}

async function withinSeconds<T>(seconds: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SimulatorError(`The load run took longer than ${seconds} s; stopped.`)),
      seconds * 1000,
    );
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runLoadTest(
  options: LoadOptions,
  log: (line: string) => void = (line) => console.error(line),
): Promise<LoadReport> {
  const repoRoot = findRepoRoot(__dirname);
  if (!repoRoot) throw new SimulatorError("Run this from the repository (functions/ not found).");
  const functionsDir = path.join(repoRoot, "functions");
  const seedFile = path.join(repoRoot, DEFAULT_SEED_FILE);
  const seed = readSeedFile(seedFile);
  const exports = deployed as unknown as Record<string, { __endpoint?: Record<string, unknown> }>;
  const concurrency = declaredConcurrency(exports.voice.__endpoint);

  let firestore: FirestoreBackend | undefined;
  let frontDoor: FrontDoor | undefined;
  const instances: FunctionInstance[] = [];
  const startedAt = performance.now();
  const stopAll = async () => {
    for (const instance of instances) await instance.stop();
    await frontDoor?.stop();
    await firestore?.stop();
  };
  // However this process ends, the emulator and the instances end with it (process-guard.ts).
  try {
    // The emulator (a JVM) and the instance start side by side: each takes seconds.
    const firestorePort = await freePort();
    const firestoreHost = `127.0.0.1:${firestorePort}`;
    frontDoor = await startFrontDoor();
    const authToken = randomBytes(16).toString("hex");
    const env = instanceEnv(functionsDir, frontDoor.baseUrl, authToken, firestoreHost);
    const starts = Promise.allSettled([
      // Only an official emulator: the embedded server isolates neither transactions nor batches.
      startBestFirestore({
        projectId: PROJECT_ID,
        port: firestorePort,
        rulesPath: path.join(repoRoot, "firestore.rules"),
        backend: "official",
      }).then((running) => (firestore = running)),
      ...SERVED_FUNCTIONS.map((target) =>
        startFunctionInstance({ target, source: functionsDir, env }).then((instance) =>
          instances.push(instance),
        ),
      ),
    ]);
    const failed = (await starts).find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    if (!firestore) throw new Error("the Firestore emulator did not start");
    for (const instance of instances) {
      const endpoint = exports[instance.target].__endpoint;
      frontDoor.route(instance.target, instance.port, declaredConcurrency(endpoint).value);
    }

    process.env.FIRESTORE_EMULATOR_HOST = firestoreHost;
    process.env.GCLOUD_PROJECT = PROJECT_ID;
    // No metadata server here; the emulator needs no credentials.
    process.env.METADATA_SERVER_DETECTION ??= "none";
    const db = appFirestore();
    await seedDemoTenant(db, undefined, { file: seedFile });
    log(
      `load: Firestore ${firestore.kind} at ${firestoreHost}; voice on the Functions Framework, ` +
        `concurrency ${concurrency.value} (${concurrency.source}); ${options.calls} calls`,
    );

    const known = new Set([
      seed.business.ownerMobile,
      ...seed.business.backupNumbers,
      ...seed.customers.map((c) => c.phone),
      WARM_UP_BUSINESS.phoneNumber,
    ]);
    const pool = callerNumbers(options.calls + options.warmUpCalls, known);
    const warmUpNumbers = pool.slice(0, options.warmUpCalls);
    const numbers = pool.slice(options.warmUpCalls);
    const base = {
      baseUrl: frontDoor.baseUrl,
      confidence: 0.92,
      authToken,
      accountSid: DEMO_ACCOUNT_SID,
      owner: "accept" as const,
      backups: [],
    };

    // Warm-up: a few booking calls to a second copy of the tenant, so the instance has loaded its
    // code and the emulator's JVM has compiled its query paths (production Firestore is always warm).
    await new FirestoreBusinessRepository(db).save({ ...seed.business, ...WARM_UP_BUSINESS });
    const warmUps: CallerReport[] = [];
    for (const [index, from] of warmUpNumbers.entries()) {
      // One after another: warming up is not the place to compete.
      const caller = loadCaller(callerProfile(index));
      await simulateCall(
        { ...base, to: WARM_UP_BUSINESS.phoneNumber, from },
        { transport: fetchTransport(), caller: caller.caller, print: caller.print },
      );
      warmUps.push(caller.report());
    }
    const warmUpFailures = warmUps.flatMap((r) => r.failures);
    if (warmUpFailures.length > 0) log(`load: warm-up calls failed: ${warmUpFailures[0]}`);

    const cpuBefore = instances.map((instance) => instance.cpuMs());
    const tally: Tally = {
      latencies: [],
      byWebhook: new Map(),
      requests: 0,
      httpErrors: 0,
      transportErrors: 0,
      otherErrors: 0,
      samples: new Map(),
    };
    const counted = new WeakSet<object>();
    const transport = measured(fetchTransport(), tally, counted);
    const callSids = new Set<string>();
    const reports: CallerReport[] = await withinSeconds(
      options.maxSeconds,
      Promise.all(
        numbers.map(async (from, index) => {
          const caller = loadCaller(callerProfile(index));
          try {
            const transcript = await simulateCall(
              { ...base, to: seed.business.phoneNumber, from },
              { transport, caller: caller.caller, print: caller.print },
            );
            callSids.add(transcript.callSid);
          } catch (error) {
            const already = (error instanceof Error && counted.has(error)) || isHttpError(error);
            if (!already) {
              tally.otherErrors += 1;
              note(tally, error instanceof Error ? error.message : String(error));
            }
          }
          return caller.report();
        }),
      ),
    );

    // Every business's bookings, the warm-up tenant's too: a double booking anywhere counts.
    const cpuUsed = instances.reduce((sum, instance, i) => {
      const after = instance.cpuMs();
      const before = cpuBefore[i];
      return after === undefined || before === undefined ? Number.NaN : sum + after - before;
    }, 0);
    const appointments = await db
      .collectionGroup("appointments")
      .where("status", "==", "booked")
      .get();
    const spans: BookedSpan[] = appointments.docs.map((doc) => ({
      id: doc.ref.path,
      businessId: doc.ref.parent.parent?.id ?? "",
      start: (doc.get("start") as FirebaseFirestore.Timestamp).toDate(),
      end: (doc.get("end") as FirebaseFirestore.Timestamp).toDate(),
      bufferMinutes: (doc.get("bufferMinutes") as number | undefined) ?? 0,
    }));
    const overlaps = overlappingPairs(spans);
    const booked = appointments.docs.filter((doc) =>
      callSids.has(String(doc.get("source"))),
    ).length;
    const conversationFailures = reports.flatMap((r) => r.failures);
    for (const failure of conversationFailures) note(tally, failure);
    const toldBooked = reports.filter((r) => r.toldBooked).length;
    // A caller told "booked" with no appointment to show for it (or the reverse) is a lost booking.
    const callsCompleted = callSids.size;
    const lostBookings = callsCompleted === options.calls ? Math.abs(toldBooked - booked) : 0;
    if (lostBookings > 0) note(tally, `${toldBooked} callers told booked, ${booked} appointments`);
    for (const [a, b] of overlaps.slice(0, 3)) note(tally, `double booking: ${a} and ${b}`);

    const baseline = summarise(await bareReadWrite(db, BASELINE_SAMPLES));
    const baselineAtOnce = summarise(await bareReadWriteAtOnce(db, options.calls, 3));
    const turns = summarise(tally.latencies);
    const gates = Object.values(frontDoor.stats());
    const errors =
      tally.httpErrors +
      tally.transportErrors +
      tally.otherErrors +
      conversationFailures.length +
      lostBookings;
    for (const instance of instances) {
      for (const line of instance.firstErrorLogs())
        note(tally, `${instance.target} logged: ${line}`);
    }
    const perWebhook = [...tally.byWebhook].map(([name, samples]) => {
      const s = summarise(samples);
      return `${name} p50 ${Math.round(s.p50)} p95 ${Math.round(s.p95)} (${s.n})`;
    });
    log(`load: ms by webhook: ${perWebhook.join("; ")}`);
    if (tally.samples.size > 0) {
      const lines = [...tally.samples].map(([sample, times]) => `${times} x ${sample}`);
      log(`load: first problems:\n  ${lines.join("\n  ")}`);
    }
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return {
      calls: options.calls,
      requests: tally.requests,
      errors,
      booked,
      overlappingBookings: overlaps.length,
      turnP50Ms: round(turns.p50),
      turnP95Ms: round(turns.p95),
      turnP99Ms: round(turns.p99),
      maxQueued: Math.max(0, ...gates.map((g) => g.maxQueued)),
      queuedRequests: gates.reduce((sum, g) => sum + g.queuedRequests, 0),
      instanceCpuMsPerRequest:
        Number.isFinite(cpuUsed) && tally.requests > 0 ? round(cpuUsed / tally.requests) : null,
      baselineReadWriteP50Ms: round(baseline.p50),
      baselineAtConcurrencyP50Ms: round(baselineAtOnce.p50),
      concurrency: concurrency.value,
      concurrencySource: concurrency.source,
      toldBooked,
      slotsTaken: reports.reduce((sum, r) => sum + r.slotsTaken, 0),
      noFreeTime: reports.filter((r) => r.noFreeTime).length,
      serverErrorLogs: instances.reduce((sum, i) => sum + i.errorLogs(), 0),
      rateLimited: instances.reduce((sum, i) => sum + i.turnedAway(), 0),
      firestore: firestore.kind,
      seconds: round((performance.now() - startedAt) / 1000),
    };
  } finally {
    await stopAll();
  }
}

function isHttpError(error: unknown): boolean {
  return error instanceof SimulatorError && /answered HTTP \d+/.test(error.message);
}

/**
 * The environment of an instance, as production has it: the params from
 * functions/.env.local, then the public URL the webhooks are signed for (this
 * run's front door), the auth token both sides share, and the emulator.
 */
function instanceEnv(
  functionsDir: string,
  publicBaseUrl: string,
  authToken: string,
  firestoreHost: string,
): Record<string, string> {
  const envFile = path.join(functionsDir, ".env.local");
  const params = fs.existsSync(envFile) ? parseEnvFile(fs.readFileSync(envFile, "utf8")) : {};
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: "production",
    ...params,
    PUBLIC_WEBHOOK_BASE_URL: publicBaseUrl,
    TWILIO_AUTH_TOKEN: authToken,
    GOOGLE_OAUTH_CLIENT_SECRET: "",
    CALENDAR_TOKEN_KEY: "",
    FIRESTORE_EMULATOR_HOST: firestoreHost,
    GCLOUD_PROJECT: PROJECT_ID,
    GOOGLE_CLOUD_PROJECT: PROJECT_ID,
    FIREBASE_CONFIG: JSON.stringify({ projectId: PROJECT_ID }),
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  let options: LoadOptions | "help";
  try {
    options = parseLoadArgs(argv);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(USAGE);
    return 2;
  }
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  const report = await runLoadTest(options);
  console.log(JSON.stringify(report));
  return report.errors > 0 || report.overlappingBookings > 0 || report.rateLimited > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
