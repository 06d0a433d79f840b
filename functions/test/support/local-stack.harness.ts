import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { Firestore } from "firebase-admin/firestore";
import { PORTS, PROJECT_ID, READY_LINE, REGION } from "../../src/tools/local-stack";

/** The whole local stack (`npm start`), run as a child process for end-to-end tests. */
export interface LocalStack {
  /** Stops it the way Ctrl-C does and waits until every process is gone. */
  stop(): Promise<void>;
  firestoreHost: string;
  /** Where the HTTP functions live: {baseUrl}/voice/incoming ... */
  baseUrl: string;
  /** Everything the stack printed so far. */
  output(): string;
  /** A Firestore client of the stack's Firestore (not the test suite's own). */
  firestore(): Firestore;
}

const STACK_ENTRY = path.resolve(__dirname, "..", "..", "src", "tools", "local-stack.js");

export async function startLocalStack(
  options: { timeoutMs?: number; args?: string[] } = {},
): Promise<LocalStack> {
  // Generous: the stack starts a JVM and the Functions emulator, slow on a busy 2-core machine.
  const timeoutMs = options.timeoutMs ?? 150_000;
  // The suite's clients run nowhere near Google Cloud; spare them the metadata-server probe.
  process.env.METADATA_SERVER_DETECTION ??= "none";
  const env = { ...process.env };
  // The stack sets these for itself; the suite's own values would point elsewhere.
  // Likewise the settings other suites put in process.env: the stack reads functions/.env.local
  // and .secret.local, exactly as for a newcomer.
  for (const key of Object.keys(env)) {
    if (
      /^(FIRESTORE_EMULATOR_HOST|FIREBASE_AUTH_EMULATOR_HOST|TWILIO_|PUBLIC_WEBHOOK_BASE_URL)/.test(
        key,
      )
    ) {
      delete env[key];
    }
  }
  const child = spawn(process.execPath, [STACK_ENTRY, ...(options.args ?? [])], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so stop() can make sure nothing it started survives.
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const deadline = Date.now() + timeoutMs;
  while (!output.includes(READY_LINE)) {
    if (hasExited || Date.now() > deadline) {
      const why = hasExited
        ? `exited with code ${child.exitCode ?? "?"}`
        : `not ready after ${timeoutMs / 1000}s`;
      await stopChild(child, exited, () => hasExited);
      throw new Error(`the local stack ${why}. Its output:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const firestoreHost = `127.0.0.1:${PORTS.firestore}`;
  const clients: Firestore[] = [];
  return {
    firestoreHost,
    baseUrl: `http://127.0.0.1:${PORTS.functions}/${PROJECT_ID}/${REGION}`,
    output: () => output,
    firestore: () => {
      // The client prefers FIRESTORE_EMULATOR_HOST over its settings, and reads it once.
      const suiteHost = process.env.FIRESTORE_EMULATOR_HOST;
      process.env.FIRESTORE_EMULATOR_HOST = firestoreHost;
      try {
        const client = new Firestore({ projectId: PROJECT_ID });
        clients.push(client);
        return client;
      } finally {
        process.env.FIRESTORE_EMULATOR_HOST = suiteHost;
      }
    },
    stop: async () => {
      await Promise.all(clients.map((c) => c.terminate()));
      await stopChild(child, exited, () => hasExited);
    },
  };
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<unknown>,
  hasExited: () => boolean,
): Promise<void> {
  if (!hasExited()) {
    child.kill("SIGTERM");
    const timer = setTimeout(() => killGroup(child), 30_000);
    await exited;
    clearTimeout(timer);
  }
  killGroup(child);
}

function killGroup(child: ChildProcess): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // nothing left
  }
}
