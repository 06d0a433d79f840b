import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CallTranscript } from "../../src/tools/simulator/call-session";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..", "..");

/** The environment of a newcomer's shell: none of the settings other suites put in process.env. */
export function newcomerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(TWILIO_|PUBLIC_WEBHOOK_BASE_URL|FIRESTORE_EMULATOR_HOST|GCLOUD_PROJECT)/.test(key)) {
      delete env[key];
    }
  }
  return env;
}

/** Runs `npm run -s SCRIPT -- ARGS` from the repository root, as a newcomer would. */
export async function runNpmScript(
  script: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn("npm", ["run", "-s", script, "--", ...args], {
    cwd: REPO_ROOT,
    env: newcomerEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, stdout, stderr };
}

/** Polls until the probe gives a value, or fails naming what it waited for. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  // The Functions emulator starts a worker per trigger on first use, which takes seconds on a
  // busy machine: a generous deadline, polled often.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Runs `npm run call -- ...` exactly as a newcomer would, with a script file. */
export async function callFromScript(
  lines: string[],
  args: string[],
): Promise<{ code: number | null; transcript: CallTranscript; stdout: string }> {
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "call-")), "script.txt");
  fs.writeFileSync(script, lines.join("\n") + "\n");
  const { code, stdout, stderr } = await runNpmScript("call", [
    "--script",
    script,
    "--json",
    ...args,
  ]);
  const last = stdout.trim().split("\n").pop() ?? "";
  assert.ok(last.startsWith("{"), `no JSON transcript; stdout:\n${stdout}\nstderr:\n${stderr}`);
  return { code, transcript: JSON.parse(last) as CallTranscript, stdout };
}
