import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { newcomerEnv } from "../support/npm-script";

const LOAD_TEST = path.resolve(__dirname, "..", "..", "src", "tools", "load-test.js");

/** Runs the compiled tool as `npm run load` does (without rebuilding under the running suite). */
async function runLoad(args: string[]) {
  const child = spawn(process.execPath, [LOAD_TEST, ...args], {
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

describe("npm run load, the load test on the Functions Framework", function () {
  this.timeout(90_000);

  it("rings a few concurrent callers, books each of them once and reports one JSON line", async () => {
    const { code, stdout, stderr } = await runLoad(["--calls", "3", "--warm-up", "0"]);
    assert.equal(code, 0, `exit code ${code}\n${stderr}`);
    const lines = stdout.trim().split("\n");
    assert.equal(lines.length, 1, `one line on stdout, got:\n${stdout}`);
    const report = JSON.parse(lines[0]) as Record<string, unknown>;
    for (const field of [
      "calls",
      "requests",
      "errors",
      "booked",
      "overlappingBookings",
      "turnP50Ms",
      "turnP95Ms",
      "turnP99Ms",
      "maxQueued",
      "queuedRequests",
      "instanceCpuMsPerRequest",
      "baselineReadWriteP50Ms",
      "baselineAtConcurrencyP50Ms",
      "concurrency",
      "rateLimited",
    ]) {
      assert.ok(field in report, `the report has ${field}`);
    }
    assert.equal(report.calls, 3);
    assert.equal(report.errors, 0);
    assert.equal(report.booked, 3, "every caller booked");
    assert.equal(report.overlappingBookings, 0);
    assert.equal(report.rateLimited, 0, "no caller turned away by the rate limits");
    assert.match(String(report.firestore), /^official/, "an official Firestore emulator");
    // A booking call: incoming, four turns, the status callback.
    assert.ok((report.requests as number) >= 3 * 6, `requests: ${String(report.requests)}`);
    for (const key of ["turnP50Ms", "turnP99Ms", "baselineReadWriteP50Ms"]) {
      assert.ok((report[key] as number) > 0, `${key} is a measured time`);
    }
  });

  it("refuses a call count it cannot run, saying why", async () => {
    const { code, stdout, stderr } = await runLoad(["--calls", "0"]);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /--calls must be a whole number from 1 to 970/);
  });
});
