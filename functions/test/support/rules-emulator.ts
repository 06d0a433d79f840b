import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

/**
 * The official Cloud Firestore emulator with firestore.rules loaded, on a free
 * port, for the security rules tests: rules are only enforced there (the
 * embedded server ignores them). Started from the Google Cloud CLI component,
 * which runs on Java 17; absent that, the tests that need it are skipped with
 * a reason, never passed.
 */
export const RULES_FILE = path.resolve(__dirname, "../../../../firestore.rules");

export interface RulesEmulator {
  host: string;
  port: number;
  stop(): Promise<void>;
}

export function officialEmulatorLauncher(): string | undefined {
  try {
    const root = execFileSync("gcloud", ["info", "--format=value(installation.sdk_root)"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const launcher = path.join(
      root,
      "platform",
      "cloud-firestore-emulator",
      "cloud_firestore_emulator",
    );
    return fs.existsSync(launcher) ? launcher : undefined;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startRulesEmulator(
  launcher: string,
  projectId: string,
): Promise<RulesEmulator> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    launcher,
    [
      "start",
      "--host=127.0.0.1",
      `--port=${port}`,
      `--project_id=${projectId}`,
      `--rules=${RULES_FILE}`,
      "--single_project_mode",
    ],
    { stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Firestore emulator exited:\n${output}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(-(child.pid ?? 0), "SIGKILL");
      throw new Error(`Firestore emulator did not start in 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    host: "127.0.0.1",
    port,
    async stop() {
      if (child.exitCode !== null || !child.pid) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      // The launcher is a shell script around java: end the whole group.
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
