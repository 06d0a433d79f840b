import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import { Firestore } from "firebase-admin/firestore";
import { EmbeddedFirestore, startEmbeddedFirestore } from "./embedded-firestore";
import { dumpFirestore, FirestoreDump, restoreFirestore } from "./firestore-dump";
import { GuardedProcess, startGuarded } from "./process-guard";

/**
 * The Firestore the local stack, the tests and the load test talk to, best
 * first (docs/local-development.md):
 *
 * 1. official-firebase-tools: the emulator jar firebase-tools downloads
 *    (`~/.cache/firebase/emulators/cloud-firestore-emulator-v*.jar`), where Java 21+
 *    runs it, as firebase-tools itself requires;
 * 2. official-gcloud: the Google Cloud CLI component `cloud-firestore-emulator`,
 *    whose launcher is found through `gcloud info`, or given in
 *    FIRESTORE_EMULATOR_LAUNCHER; it runs on Java 17;
 * 3. embedded: the Node server in this process, a last resort that isolates
 *    neither transactions nor batches and enforces no rules.
 *
 * FIRESTORE_BACKEND=official refuses the last resort (CI sets it);
 * FIRESTORE_BACKEND=embedded asks for it; unset or "auto" takes the best one.
 */

export type FirestoreBackendKind = "official-firebase-tools" | "official-gcloud" | "embedded";

/** Environment variable choosing the backend: auto (default), official or embedded. */
export const BACKEND_ENV = "FIRESTORE_BACKEND";
/** Environment variable naming the Cloud CLI component's launcher, where `gcloud` cannot find it. */
export const LAUNCHER_ENV = "FIRESTORE_EMULATOR_LAUNCHER";

export interface StartFirestoreOptions {
  projectId: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** Loaded into the official emulator; the embedded server enforces no rules. */
  rulesPath?: string;
  /** HOST:PORT of a Functions emulator the official emulator delivers Firestore triggers to. */
  functionsEmulatorHost?: string;
  /** Loads the data a previous stop() saved to this directory, when there is some. */
  importDir?: string;
  /** stop() saves the data here first. */
  exportDir?: string;
  /** Every line the emulator prints, and what was chosen and why. */
  log?: (line: string) => void;
  /** Overrides FIRESTORE_BACKEND. */
  backend?: "auto" | "official" | "embedded";
}

export interface FirestoreBackend {
  kind: FirestoreBackendKind;
  /** "127.0.0.1:PORT" */
  host: string;
  /** True when importDir held data and it was loaded. */
  imported: boolean;
  /** The embedded server itself (its trigger relay needs it); only for kind "embedded". */
  embedded?: EmbeddedFirestore;
  /** Saves to exportDir (when given), then ends the server and every process it started. */
  stop(): Promise<void>;
}

/** One way to run the official emulator, or why it is not available. */
export interface OfficialCandidate {
  kind: Exclude<FirestoreBackendKind, "embedded">;
  /** Command and arguments before the emulator's own flags. */
  command?: { file: string; args: string[] };
  unavailable?: string;
}

/** What each backend guarantees, in one line, for what the stack prints. */
export const BACKEND_SUMMARY: Record<FirestoreBackendKind, string> = {
  "official-firebase-tools":
    "official Cloud Firestore emulator (firebase-tools' jar): behaves like production, rules enforced",
  "official-gcloud":
    "official Cloud Firestore emulator (Google Cloud CLI component): behaves like production, rules enforced",
  embedded:
    "embedded Node server, LAST RESORT: transactions and batches not isolated, " +
    "no collection-group queries, firestore.rules NOT enforced",
};

const HOST = "127.0.0.1";
const READY_TIMEOUT_MS = 60_000;
/** Where an export keeps its data inside exportDir (the layout firebase-tools uses). */
const EXPORT_NAME = "firestore_export";
/** The embedded server's saved documents inside exportDir. */
const EMBEDDED_DUMP = "firestore.json";

/** The major version of the `java` on PATH, or undefined when there is none. */
export function javaMajorVersion(): number | undefined {
  // `java -version` writes to stderr.
  const result = spawnSync("java", ["-version"], { encoding: "utf8", timeout: 10_000 });
  if (result.error || result.status !== 0) return undefined;
  return parseJavaVersion(`${result.stderr}${result.stdout}`);
}

/** `openjdk version "17.0.15"` gives 17, `java version "1.8.0_412"` gives 8. */
export function parseJavaVersion(text: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 && match[2] ? Number(match[2]) : major;
}

/** The jar firebase-tools would run, if it has been downloaded. */
function firebaseToolsJar(): string | undefined {
  const override = process.env.FIRESTORE_EMULATOR_BINARY_PATH;
  if (override) return fs.existsSync(override) ? override : undefined;
  const cacheDir =
    process.env.FIREBASE_EMULATORS_PATH ??
    path.join(os.homedir(), ".cache", "firebase", "emulators");
  if (!fs.existsSync(cacheDir)) return undefined;
  const jars = fs
    .readdirSync(cacheDir)
    .filter((f) => /^cloud-firestore-emulator-v[\d.]+\.jar$/.test(f))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return jars.length > 0 ? path.join(cacheDir, jars[jars.length - 1]) : undefined;
}

/** The Cloud CLI component's launcher: FIRESTORE_EMULATOR_LAUNCHER, else under `gcloud info`'s SDK root. */
export function gcloudLauncher(): { launcher?: string; unavailable?: string } {
  const configured = process.env[LAUNCHER_ENV];
  if (configured) {
    return fs.existsSync(configured)
      ? { launcher: configured }
      : { unavailable: `${LAUNCHER_ENV}=${configured} does not exist` };
  }
  let sdkRoot: string;
  try {
    sdkRoot = execFileSync("gcloud", ["info", "--format=value(installation.sdk_root)"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 30_000,
    }).trim();
  } catch {
    return { unavailable: `no gcloud on PATH (and ${LAUNCHER_ENV} is not set)` };
  }
  const launcher = path.join(
    sdkRoot,
    "platform",
    "cloud-firestore-emulator",
    "cloud_firestore_emulator",
  );
  return fs.existsSync(launcher)
    ? { launcher }
    : {
        unavailable:
          `the Cloud CLI component is not installed (${launcher} is missing; ` +
          "Debian package google-cloud-cli-firestore-emulator)",
      };
}

/** The official emulators this machine can run, best first, each with why not when it cannot. */
export function officialCandidates(): OfficialCandidate[] {
  const java = javaMajorVersion();
  const jar = firebaseToolsJar();
  const firebaseTools: OfficialCandidate =
    jar && java !== undefined && java >= 21
      ? {
          kind: "official-firebase-tools",
          command: {
            file: "java",
            args: [
              "-Dgoogle.cloud_firestore.debug_log_level=FINE",
              "-Duser.language=en",
              "-jar",
              jar,
            ],
          },
        }
      : {
          kind: "official-firebase-tools",
          unavailable: !jar
            ? "firebase-tools' emulator jar is not downloaded"
            : `firebase-tools needs Java 21+, this machine has ${java === undefined ? "none" : `Java ${java}`}`,
        };
  const found = gcloudLauncher();
  const gcloud: OfficialCandidate =
    found.launcher && java !== undefined
      ? { kind: "official-gcloud", command: { file: found.launcher, args: ["start"] } }
      : {
          kind: "official-gcloud",
          unavailable: found.unavailable ?? "no Java on PATH",
        };
  return [firebaseTools, gcloud];
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function requestedBackend(options: StartFirestoreOptions): "auto" | "official" | "embedded" {
  const value = options.backend ?? process.env[BACKEND_ENV] ?? "auto";
  if (value === "auto" || value === "official" || value === "embedded") return value;
  throw new Error(`${BACKEND_ENV}=${value}: use auto, official or embedded`);
}

/**
 * Starts the best Firestore there is (see the top of this file), ready to
 * serve when this resolves. Throws when none can start, or when
 * FIRESTORE_BACKEND=official and no official emulator can.
 */
export async function startBestFirestore(
  options: StartFirestoreOptions,
): Promise<FirestoreBackend> {
  const log = options.log ?? (() => undefined);
  const wanted = requestedBackend(options);
  const reasons: string[] = [];
  if (wanted !== "embedded") {
    for (const candidate of officialCandidates()) {
      if (!candidate.command) {
        reasons.push(`${candidate.kind}: ${candidate.unavailable}`);
        continue;
      }
      try {
        return await startOfficial(candidate.kind, candidate.command, options, log);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        reasons.push(`${candidate.kind}: ${reason}`);
        log(`could not start ${candidate.kind}: ${reason}`);
        // A taken fixed port fails every backend alike: say so rather than fall back.
        if (/address already in use|port .* in use/i.test(reason)) throw error;
      }
    }
    if (wanted === "official") {
      throw new Error(
        `${BACKEND_ENV}=official, but no official Firestore emulator can run here:\n  ` +
          reasons.join("\n  "),
      );
    }
    log(`no official Firestore emulator (${reasons.join("; ")}); using the embedded server`);
  }
  return startEmbedded(options, log);
}

async function startOfficial(
  kind: OfficialCandidate["kind"],
  command: { file: string; args: string[] },
  options: StartFirestoreOptions,
  log: (line: string) => void,
): Promise<FirestoreBackend> {
  const port = options.port || (await freePort());
  const host = `${HOST}:${port}`;
  const args = [
    ...command.args,
    `--host=${HOST}`,
    `--port=${port}`,
    `--project_id=${options.projectId}`,
  ];
  // As firebase-tools passes it (the Cloud CLI component accepts this form too).
  args.push("--single_project_mode", "true");
  if (options.rulesPath) args.push(`--rules=${path.resolve(options.rulesPath)}`);
  if (options.functionsEmulatorHost)
    args.push(`--functions_emulator=${options.functionsEmulatorHost}`);
  const seed = options.importDir ? exportMetadataIn(options.importDir) : undefined;
  if (seed) args.push(`--seed_from_export=${seed}`);

  log(`starting ${kind}: ${command.file} ${args.join(" ")}`);
  const guarded = startGuarded(command.file, args);
  const recent: string[] = [];
  const onLine = (line: string) => {
    recent.push(line);
    if (recent.length > 40) recent.shift();
    log(line);
  };
  readline.createInterface({ input: guarded.child.stdout! }).on("line", onLine);
  readline.createInterface({ input: guarded.child.stderr! }).on("line", onLine);
  // If this process exits without stop() (an uncaught error, process.exit), take Java along.
  const onExit = () => guarded.killNow();
  process.once("exit", onExit);

  try {
    await waitUntilServing(host, guarded);
  } catch (error) {
    await guarded.stop();
    process.off("exit", onExit);
    const detail = recent.slice(-15).join("\n");
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${detail}`);
  }
  if (seed) log(`imported ${seed}`);

  let stopped: Promise<void> | undefined;
  return {
    kind,
    host,
    imported: seed !== undefined,
    stop: () => {
      stopped ??= (async () => {
        if (options.exportDir && !guarded.hasExited()) {
          try {
            await exportOfficial(host, options.projectId, options.exportDir);
            log(`exported Firestore to ${options.exportDir}`);
          } catch (error) {
            log(
              `could not export Firestore: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
        await guarded.stop();
        process.off("exit", onExit);
      })();
      return stopped;
    },
  };
}

async function waitUntilServing(host: string, guarded: GuardedProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (guarded.hasExited())
      throw new Error(`the Firestore emulator exited before serving on ${host}`);
    try {
      // The emulator answers "Ok" on / once it serves requests.
      const response = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the Firestore emulator did not serve on ${host} within ${READY_TIMEOUT_MS / 1000}s`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** The export's metadata file in dir, if a previous stop() left one. */
function exportMetadataIn(dir: string): string | undefined {
  const file = path.join(dir, EXPORT_NAME, `${EXPORT_NAME}.overall_export_metadata`);
  return fs.existsSync(file) ? path.resolve(file) : undefined;
}

/**
 * Exports through the emulator's own endpoint (as `firebase emulators:export`
 * does), into a fresh folder that then replaces the previous export, so a
 * failed export never loses the last good one.
 */
async function exportOfficial(host: string, projectId: string, exportDir: string): Promise<void> {
  const target = path.resolve(exportDir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(`${target}.partial-`);
  try {
    const response = await fetch(`http://${host}/emulator/v1/projects/${projectId}:export`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        database: `projects/${projectId}/databases/(default)`,
        export_directory: staging,
        export_name: EXPORT_NAME,
      }),
      signal: AbortSignal.timeout(60_000),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(staging, target);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** A Firestore client of this server only, whatever FIRESTORE_EMULATOR_HOST says. */
function clientOf(host: string, projectId: string): Firestore {
  // The client prefers FIRESTORE_EMULATOR_HOST over its settings, and reads it once.
  const previous = process.env.FIRESTORE_EMULATOR_HOST;
  process.env.FIRESTORE_EMULATOR_HOST = host;
  try {
    return new Firestore({ projectId });
  } finally {
    if (previous === undefined) delete process.env.FIRESTORE_EMULATOR_HOST;
    else process.env.FIRESTORE_EMULATOR_HOST = previous;
  }
}

async function startEmbedded(
  options: StartFirestoreOptions,
  log: (line: string) => void,
): Promise<FirestoreBackend> {
  const port = options.port || (await freePort());
  const embedded = await startEmbeddedFirestore(port);
  log(`embedded Firestore server on ${embedded.host} (last resort: ${BACKEND_SUMMARY.embedded})`);
  let imported = false;
  const dumpFile = options.importDir ? path.join(options.importDir, EMBEDDED_DUMP) : undefined;
  if (dumpFile && fs.existsSync(dumpFile)) {
    const db = clientOf(embedded.host, options.projectId);
    try {
      const dump = JSON.parse(fs.readFileSync(dumpFile, "utf8")) as FirestoreDump;
      log(`imported ${await restoreFirestore(db, dump)} documents from ${dumpFile}`);
      imported = true;
    } finally {
      await db.terminate();
    }
  }
  let stopped: Promise<void> | undefined;
  return {
    kind: "embedded",
    host: embedded.host,
    imported,
    embedded,
    stop: () => {
      stopped ??= (async () => {
        if (options.exportDir) {
          const db = clientOf(embedded.host, options.projectId);
          try {
            const dump = await dumpFirestore(embedded.server, db, options.projectId);
            fs.mkdirSync(options.exportDir, { recursive: true });
            fs.writeFileSync(path.join(options.exportDir, EMBEDDED_DUMP), JSON.stringify(dump));
            log(`exported ${dump.documents.length} documents to ${options.exportDir}`);
          } catch (error) {
            log(
              `could not export Firestore: ${error instanceof Error ? error.message : String(error)}`,
            );
          } finally {
            await db.terminate();
          }
        }
        embedded.stop();
      })();
      return stopped;
    },
  };
}
