import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { freePort } from "./function-instance";

/**
 * The official Cloud Firestore emulator (the Google Cloud CLI component),
 * started directly on a free port of 127.0.0.1 for one load run.
 */
export interface RunningFirestore {
  readonly kind: "official";
  /** host:port, for FIRESTORE_EMULATOR_HOST. */
  readonly host: string;
  stop(): Promise<void>;
}

export interface FirestoreOptions {
  readonly projectId: string;
  readonly port?: number;
  readonly rulesPath?: string;
  readonly startTimeoutMs?: number;
}

/** The launcher: $FIRESTORE_EMULATOR_LAUNCHER, else found through gcloud. */
function launcherPath(): string {
  const configured = process.env.FIRESTORE_EMULATOR_LAUNCHER;
  if (configured) return configured;
  let sdkRoot: string;
  try {
    sdkRoot = execFileSync("gcloud", ["info", "--format=value(installation.sdk_root)"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    throw new Error(
      "The official Firestore emulator is needed: install the Google Cloud CLI with its firestore-emulator component, or set FIRESTORE_EMULATOR_LAUNCHER to cloud_firestore_emulator.",
    );
  }
  return path.join(sdkRoot, "platform", "cloud-firestore-emulator", "cloud_firestore_emulator");
}

export async function startOfficialFirestore(options: FirestoreOptions): Promise<RunningFirestore> {
  const launcher = launcherPath();
  if (!fs.existsSync(launcher)) {
    throw new Error(`The official Firestore emulator is not installed at ${launcher}.`);
  }
  const port = options.port ?? (await freePort());
  const args = [
    "start",
    "--host=127.0.0.1",
    `--port=${port}`,
    `--project_id=${options.projectId}`,
    "--single_project_mode",
  ];
  if (options.rulesPath) args.push(`--rules=${options.rulesPath}`);
  // Its own process group: the launcher is a shell script around java, and both must stop.
  const child = spawn(launcher, args, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-4_000);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const group = child.pid;
  /** Stops the launcher and its JVM together, and waits until both are gone. */
  const stop = async () => {
    if (group === undefined || !signalGroup(group, "SIGTERM")) return;
    await exited;
    const deadline = Date.now() + 5_000;
    // The JVM runs its shutdown hooks after the launcher has gone.
    while (signalGroup(group, 0)) {
      if (Date.now() > deadline) {
        signalGroup(group, "SIGKILL");
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return { kind: "official", host, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`The official Firestore emulator did not start on ${host}:\n${output}`);
}

/** Sends a signal to a whole process group; false once the group is gone. */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false;
  }
}
