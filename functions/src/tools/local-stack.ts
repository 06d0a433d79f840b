import { ChildProcess, spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { stripVTControlCharacters } from "node:util";
import { App, getApps, initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore, Firestore } from "firebase-admin/firestore";
import type { EmbeddedFirestore } from "./embedded-firestore";
import {
  BACKEND_SUMMARY,
  FirestoreBackend,
  FirestoreBackendKind,
  startBestFirestore,
} from "./firestore-backend";
import {
  EmulatedFunction,
  firestoreRegistrationsOf,
  registerFirestoreTriggers,
} from "./firestore-trigger-registration";
import { FUNCTION_LOG_FILE, structuredLogEntry } from "./function-log";
import { seedDemoTenant, seedLogins, SeedSummary } from "./seed";
import { findRepoRoot, parseEnvFile } from "./simulator/local-config";
import { firestoreTriggersOf, TriggerRelay } from "./trigger-relay";

/**
 * `npm start`: the whole product on this machine, offline. Firestore (the
 * official emulator wherever it can run, the embedded server only as a last
 * resort: see firestore-backend.ts), the Functions, Auth and Hosting emulators,
 * the demo tenant seeded, and Firestore triggers delivered to the Functions
 * emulator by the official emulator itself (or by the relay, on the embedded server).
 *
 *   npm start                 fresh data every start (re-seeded)
 *   npm start -- --keep       keep data across restarts (emulator-data/runtime/)
 *   npm start -- --verbose    show every line the emulators print
 *
 * Data. Without --keep, Firestore and Auth start empty and the demo tenant is
 * seeded (emulator-data/seed/bristol-plumbing.json); nothing is saved on exit.
 * With --keep, on Ctrl-C the Auth data is exported to
 * emulator-data/runtime/firebase-export/ and Firestore's to
 * emulator-data/runtime/firestore/; the next --keep start loads them and skips
 * the Firestore seed (the owner login is refreshed either way). Delete
 * emulator-data/runtime/ to start over. Seeding never fires triggers: they are
 * registered (or the relay started) after it.
 *
 * Triggers. Registered once, at start, from what the Functions emulator loaded:
 * after adding or changing a trigger's definition, restart (code changes inside a
 * function reload by themselves; the embedded server's relay needs a restart for those too).
 */

export const PROJECT_ID = "demo-bristol-plumbing";
export const REGION = "europe-west2";
export const PORTS = {
  firestore: 8080,
  functions: 5001,
  auth: 9099,
  hosting: 5002,
  hub: 4400,
} as const;
/** Printed once everything is up; the test harness waits for it. */
export const READY_LINE = "Local stack ready.";
/** Never sent by Twilio: the emulator's token, so the simulator can sign webhooks. */
const LOCAL_TWILIO_AUTH_TOKEN = "local-dev-auth-token-not-a-secret";
const HOST = "127.0.0.1";

const functionsBase = `http://${HOST}:${PORTS.functions}/${PROJECT_ID}/${REGION}`;

interface Options {
  keep: boolean;
  verbose: boolean;
}

function parseArgs(argv: string[]): Options {
  const known = new Set(["--keep", "--verbose"]);
  for (const arg of argv) {
    if (!known.has(arg)) {
      console.error(`unknown option ${arg}; use --keep and/or --verbose`);
      process.exit(2);
    }
  }
  return { keep: argv.includes("--keep"), verbose: argv.includes("--verbose") };
}

function say(message: string): void {
  console.log(`[stack] ${message}`);
}

/**
 * Every secret a function declares must have a local value, or the Functions
 * emulator reaches for Secret Manager (offline here). Values are local-only.
 */
const LOCAL_SECRETS: Record<string, () => string> = {
  TWILIO_AUTH_TOKEN: () => LOCAL_TWILIO_AUTH_TOKEN,
  // Unused while GOOGLE_OAUTH_CLIENT_ID is empty (the calendar integration is off locally).
  GOOGLE_OAUTH_CLIENT_SECRET: () => "local-unused",
  CALENDAR_TOKEN_KEY: () => crypto.randomBytes(32).toString("base64"),
  // "none": the language model stays off locally (no network); a real key turns it on.
  ANTHROPIC_API_KEY: () => "none",
};
/** The secrets `npm start` writes to functions/.secret.local when they are missing. */
export const LOCAL_SECRET_NAMES = Object.keys(LOCAL_SECRETS);

/** Local settings the Functions emulator reads; created or completed when missing, never overwritten. */
function ensureLocalConfig(root: string): void {
  const secretFile = path.join(root, "functions", ".secret.local");
  const existing = fs.existsSync(secretFile)
    ? parseEnvFile(fs.readFileSync(secretFile, "utf8"))
    : undefined;
  const missing = Object.keys(LOCAL_SECRETS).filter((key) => !existing?.[key]);
  if (missing.length > 0) {
    const header = existing
      ? ""
      : "# Local-only secrets for the Functions emulator (gitignored).\n";
    const lines = missing.map((key) => `${key}=${LOCAL_SECRETS[key]()}\n`).join("");
    fs.appendFileSync(secretFile, header + lines);
    say(`${existing ? "completed" : "created"} functions/.secret.local (${missing.join(", ")})`);
  }
  const envFile = path.join(root, "functions", ".env.local");
  if (!fs.existsSync(envFile)) {
    fs.writeFileSync(
      envFile,
      `PUBLIC_WEBHOOK_BASE_URL=${functionsBase}\nTWILIO_ACCOUNT_SID=\nTWILIO_API_BASE_URL=\n`,
    );
    say(`created functions/.env.local`);
  }
}

/**
 * The stack's own app, named so the default app stays free for the functions
 * module the trigger relay loads into this process (it configures that one itself).
 */
function adminApp(): App {
  const existing = getApps().find((app) => app.name === "local-stack");
  if (existing) return existing;
  // appFirestore() in the functions takes the first app there is: make that the default one.
  if (!getApps().some((app) => app.name === "[DEFAULT]")) initializeApp({ projectId: PROJECT_ID });
  return initializeApp({ projectId: PROJECT_ID }, "local-stack");
}

/** Lines the emulators print that say nothing useful here (the banner replaces the table). */
function isNoise(line: string): boolean {
  const plain = stripVTControlCharacters(line).trim();
  return (
    plain === "" ||
    /^[┌│├└]/.test(plain) ||
    /MOTD|Emulator UI is not starting|Issues\? Report them|Other reserved ports|Emulator Hub host/.test(
      plain,
    ) ||
    /^Serving at port \d+$|^i {2}\w+: Stopping /.test(plain) ||
    /Detected demo project ID|emulated services will use a demo configuration/.test(plain)
  );
}

/**
 * The CLI calls Firestore triggers "ignored" because it did not start Firestore
 * itself; the stack registers them with the Firestore it started (or relays them).
 */
function explain(line: string, kind: FirestoreBackendKind): string {
  const ignored = /functions\[([^\]]+)\]: function ignored because the firestore emulator/.exec(
    line,
  );
  if (!ignored) return line;
  const by =
    kind === "embedded"
      ? "delivered by the stack's trigger relay"
      : "delivered by the Firestore emulator (registered by the stack)";
  return `i  functions[${ignored[1]}]: Firestore trigger, ${by}.`;
}

/**
 * The Java emulator logs every refused request with a stack trace; by default
 * show only what says something went wrong with a trigger delivery or the server.
 */
function firestoreLineWorthShowing(line: string): boolean {
  return /^SEVERE:|publishing .*event|Exception in thread|^(exported|imported|could not) /.test(
    line,
  );
}

function pipeLines(
  stream: NodeJS.ReadableStream,
  kind: FirestoreBackendKind,
  verbose: boolean,
  seen: string[],
  functionLog?: fs.WriteStream,
): void {
  readline.createInterface({ input: stream }).on("line", (line) => {
    seen.push(line);
    const entry = functionLog && structuredLogEntry(line);
    // Kept for npm run health (function-log.ts): the functions' own structured lines.
    if (entry)
      functionLog.write(`${JSON.stringify({ receivedAt: new Date().toISOString(), ...entry })}\n`);
    if (verbose || !isNoise(line)) console.log(`[emulators] ${explain(line, kind)}`);
  });
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  exited: () => boolean,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited()) throw new Error(`the emulators exited while waiting for ${what}`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The function names the Functions emulator loaded, from its /backends listing. */
async function loadedFunctions(): Promise<string[]> {
  const body = (await getJson(`http://${HOST}:${PORTS.functions}/backends`)) as {
    backends?: Array<{ functionTriggers?: Array<{ name?: string; entryPoint?: string }> }>;
  };
  return (body.backends ?? []).flatMap((b) =>
    (b.functionTriggers ?? []).map((t) => t.entryPoint ?? t.name ?? "?"),
  );
}

/** The functions module's environment as the emulator builds it, for triggers run in this process. */
function loadFunctionsEnv(root: string): void {
  const dir = path.join(root, "functions");
  for (const file of [".env", `.env.${PROJECT_ID}`, ".env.local", ".secret.local"]) {
    const full = path.join(dir, file);
    if (!fs.existsSync(full)) continue;
    for (const [key, value] of Object.entries(parseEnvFile(fs.readFileSync(full, "utf8")))) {
      process.env[key] = value;
    }
  }
  process.env.GCLOUD_PROJECT = PROJECT_ID;
  process.env.FIREBASE_CONFIG = JSON.stringify({ projectId: PROJECT_ID });
  process.env.FUNCTIONS_EMULATOR = "true";
}

/** The official emulator delivers Firestore triggers to the Functions emulator once told about them. */
async function registerTriggers(firestoreHost: string): Promise<string[]> {
  const body = (await getJson(`http://${HOST}:${PORTS.functions}/backends`)) as {
    backends?: Array<{ functionTriggers?: EmulatedFunction[] }>;
  };
  const registrations = firestoreRegistrationsOf(
    (body.backends ?? []).flatMap((b) => b.functionTriggers ?? []),
  );
  await registerFirestoreTriggers(firestoreHost, PROJECT_ID, registrations);
  return registrations.map((r) => r.name);
}

function startRelay(root: string, firestore: EmbeddedFirestore): TriggerRelay | undefined {
  const entry = path.join(root, "functions", "lib", "src", "index.js");
  if (!fs.existsSync(entry)) {
    say("no functions/lib/src/index.js yet: no Firestore triggers to relay");
    return undefined;
  }
  loadFunctionsEnv(root);
  let exported: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exported = require(entry) as Record<string, unknown>;
  } catch (error) {
    say(`could not load the functions for the trigger relay: ${String(error)}`);
    return undefined;
  }
  const triggers = firestoreTriggersOf(exported);
  const relay = new TriggerRelay({
    server: firestore.server,
    projectId: PROJECT_ID,
    triggers,
    location: REGION,
    log: {
      info: (m) => console.log(`[triggers] ${m}`),
      warn: (m) => console.log(`[triggers] ${m}`),
      error: (m) => console.log(`[triggers] ${m}`),
    },
  });
  relay.start();
  say(
    `trigger relay delivering ${triggers.length} Firestore trigger(s)` +
      (triggers.length ? `: ${triggers.map((t) => t.name).join(", ")}` : ""),
  );
  return relay;
}

function banner(
  kind: FirestoreBackendKind,
  functions: string[],
  logins: Pick<SeedSummary, "owner" | "staff">,
  options: Options,
): string {
  const line = "─".repeat(72);
  const fnList = functions.length ? functions.join(", ") : "none loaded (see the output above)";
  return [
    line,
    " Bristol Plumbing — local stack",
    line,
    ` Firestore   ${HOST}:${PORTS.firestore}  (${BACKEND_SUMMARY[kind]})`,
    ` Functions   ${functionsBase}/<name>   loaded: ${fnList}`,
    ` Auth        ${HOST}:${PORTS.auth}`,
    ` Dashboard   http://${HOST}:${PORTS.hosting}/`,
    ` Data        ${options.keep ? "kept across restarts in emulator-data/runtime/" : "fresh: re-seeded on every start (npm start -- --keep to keep it)"}`,
    "",
    " Twilio number webhooks (what a real number would point at):",
    `   A call comes in      POST ${functionsBase}/voice/incoming`,
    `   Call status changes  POST ${functionsBase}/voice/status`,
    `   A message comes in   POST ${functionsBase}/sms/incoming`,
    "   Outgoing SMS         Firestore trigger on businesses/{id}/outbox (simulated: no Twilio account set)",
    "",
    ` Owner login  ${logins.owner.email} / ${logins.owner.password}`,
    ...logins.staff.map(
      (s) => ` Staff login  ${s.email} / ${s.password}   (jobs and calls; no settings)`,
    ),
    "",
    " Try a call:",
    "   npm run call                                        talk to it (type what you would say)",
    "   npm run call -- --from +441179460123 --script FILE  as Margaret Holloway, a known customer",
    "   npm run call -- --owner no-answer                   hear the emergency escalation ladder",
    "",
    ` ${READY_LINE} Ctrl-C stops everything.`,
    line,
  ].join("\n");
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const startedAt = Date.now();
  const root = findRepoRoot(__dirname);
  if (!root) throw new Error("cannot find the repository root (functions/package.json)");
  ensureLocalConfig(root);

  const runtimeDir = path.join(root, "emulator-data", "runtime");
  const firebaseExportDir = path.join(runtimeDir, "firebase-export");
  const firestoreDataDir = path.join(runtimeDir, "firestore");

  let firestore: FirestoreBackend | undefined;
  let relay: TriggerRelay | undefined;
  let child: ChildProcess | undefined;
  let childExited = false;
  let stopping = false;
  let db: Firestore | undefined;

  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say("stopping…");
    await relay?.stop();
    if (child && !childExited) {
      const exited = new Promise<void>((resolve) => child?.once("exit", () => resolve()));
      child.kill("SIGINT");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    }
    // Function workers the CLI started must not outlive it.
    killGroup(child, "SIGKILL");
    await db?.terminate().catch(() => undefined);
    // Last, once nothing writes any more: with --keep this saves Firestore's data.
    await firestore?.stop();
    say("stopped.");
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  // If this process dies some other way, take the emulators with it (Firestore guards itself).
  process.on("exit", () => {
    if (child && !childExited) killGroup(child, "SIGKILL");
  });

  try {
    // Nothing here runs on Google Cloud; skip the client libraries' metadata-server probe.
    process.env.METADATA_SERVER_DETECTION = "none";
    process.env.FIRESTORE_EMULATOR_HOST = `${HOST}:${PORTS.firestore}`;
    process.env.FIREBASE_AUTH_EMULATOR_HOST = `${HOST}:${PORTS.auth}`;
    process.env.GCLOUD_PROJECT = PROJECT_ID;

    const firestoreLines: string[] = [];
    try {
      firestore = await startBestFirestore({
        projectId: PROJECT_ID,
        port: PORTS.firestore,
        rulesPath: path.join(root, "firestore.rules"),
        functionsEmulatorHost: `${HOST}:${PORTS.functions}`,
        ...(options.keep ? { importDir: firestoreDataDir, exportDir: firestoreDataDir } : {}),
        log: (line) => {
          firestoreLines.push(line);
          if (options.verbose || firestoreLineWorthShowing(line))
            console.log(`[firestore] ${line}`);
        },
      });
    } catch (error) {
      throw new Error(
        `cannot start Firestore on port ${PORTS.firestore}: ${error instanceof Error ? error.message : String(error)}\n` +
          "Is another local stack or emulator running?",
      );
    }
    const kind = firestore.kind;
    say(`Firestore: ${BACKEND_SUMMARY[kind]}`);
    if (kind === "embedded") {
      // Why there is no official emulator, so it can be fixed (docs/local-development.md).
      for (const line of firestoreLines.filter((l) => /no official Firestore emulator/.test(l))) {
        say(line);
      }
      say(
        "the embedded server is a last resort: see docs/local-development.md for what it does not guarantee",
      );
    }
    db = getFirestore(adminApp());
    if (firestore.imported)
      say(`Firestore data loaded from ${path.relative(root, firestoreDataDir)} (--keep)`);
    else await seedDemoTenant(db);

    const only = ["functions", "auth", "hosting"];
    const args = [
      require.resolve("firebase-tools/lib/bin/firebase.js", { paths: [root] }),
      "emulators:start",
      "--only",
      only.join(","),
      "--project",
      PROJECT_ID,
    ];
    const hasExport = fs.existsSync(path.join(firebaseExportDir, "firebase-export-metadata.json"));
    if (options.keep) {
      if (hasExport) args.push("--import", firebaseExportDir);
      args.push("--export-on-exit", firebaseExportDir);
    }
    say(`starting emulators: ${only.join(", ")}`);
    child = spawn(process.execPath, args, {
      cwd: root,
      env: childEnv(),
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so Ctrl-C reaches it once, from here, and the group can be cleaned up.
      detached: true,
    });
    child.once("exit", (code, signal) => {
      childExited = true;
      if (!stopping) {
        say(`emulators exited unexpectedly (${signal ?? `code ${code}`})`);
        void stop(1);
      }
    });
    const output: string[] = [];
    fs.mkdirSync(runtimeDir, { recursive: true });
    // Begun afresh each start: the log of this run.
    const functionLog = fs.createWriteStream(path.join(root, FUNCTION_LOG_FILE), { flags: "w" });
    pipeLines(child.stdout!, kind, options.verbose, output, functionLog);
    pipeLines(child.stderr!, kind, options.verbose, output, functionLog);

    await waitFor(
      "the emulators",
      90_000,
      async () => {
        const running = (await getJson(`http://${HOST}:${PORTS.hub}/emulators`)) as Record<
          string,
          unknown
        >;
        return only.every((name) => name in running) ? true : undefined;
      },
      () => childExited,
    );
    // The Functions emulator loads the code after it reports itself running.
    const functions = await waitFor(
      "the functions to load",
      30_000,
      async () => {
        const loaded = await loadedFunctions();
        if (loaded.length > 0) return loaded;
        return output.some((l) => /Failed to load function|Error: /.test(l)) ? [] : undefined;
      },
      () => childExited,
    );

    // Only now, after seeding: seeding is setup, not product activity, and fires no triggers.
    if (firestore.embedded) {
      relay = startRelay(root, firestore.embedded);
    } else {
      const registered = await registerTriggers(firestore.host);
      say(
        `Firestore triggers delivered by the emulator to the Functions emulator: ${registered.join(", ") || "none"}`,
      );
    }
    // The logins live in the Auth emulator, restored or not; seeding them again is harmless.
    const logins = await seedLogins(getAuth(adminApp()));

    console.log(banner(kind, functions, logins, options));
    say(`up in ${((Date.now() - startedAt) / 1000).toFixed(1)}s`);
  } catch (error) {
    console.error(
      `[stack] failed to start: ${error instanceof Error ? error.message : String(error)}`,
    );
    await stop(1);
  }
}

/** Function workers inherit this environment: it is how they reach the stack's Firestore. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.FIREBASE_AUTH_EMULATOR_HOST;
  return env;
}

function killGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

if (require.main === module) {
  void main();
}
