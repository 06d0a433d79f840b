/**
 * What a cold start pays for loading modules: the whole life of a fresh Node
 * process that loads the deployed functions (lib/src/index.js) and
 * initialises the admin app, beside one that loads firebase-functions and
 * firebase-admin and initialises the app, the floor every function pays.
 * Median of 5 each. Target: within 1.3x of the floor (vendor SDKs such as
 * googleapis and twilio load on the paths that use them).
 */
import { performance } from "node:perf_hooks";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { target, type Target } from "./targets";

const RUNS = 5;
const INDEX = path.resolve(__dirname, "..", "src", "index.js");

const BARE = `
require("firebase-functions");
require("firebase-admin").initializeApp({ projectId: "demo-bench" });
`;

const PRODUCT = `
require(${JSON.stringify(INDEX)});
const { getApps, initializeApp } = require("firebase-admin/app");
if (getApps().length === 0) initializeApp({ projectId: "demo-bench" });
`;

function measure(script: string): { ms: number; mib: number } {
  const wrapped = `
${script}
process.stdout.write(JSON.stringify({ mib: process.memoryUsage().rss / 1048576 }));
`;
  const samples = Array.from({ length: RUNS }, () => {
    const started = performance.now();
    const run = spawnSync(process.execPath, ["-e", wrapped], {
      cwd: path.resolve(__dirname, "..", ".."),
      env: { ...process.env, GCLOUD_PROJECT: "demo-bench" },
      encoding: "utf8",
    });
    const ms = performance.now() - started;
    if (run.status !== 0) throw new Error(`module load bench failed: ${run.stderr}`);
    return { ms, ...(JSON.parse(run.stdout) as { mib: number }) };
  });
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { ms: median(samples.map((s) => s.ms)), mib: median(samples.map((s) => s.mib)) };
}

export function benchModuleLoad(): { lines: string[]; targets: Target[] } {
  const bare = measure(BARE);
  const product = measure(PRODUCT);
  const targets = [
    target("module load: time / baseline", product.ms / bare.ms, 1.3, "x"),
    target("module load: memory / baseline", product.mib / bare.mib, 1.3, "x"),
  ];
  const lines = [
    `Module load at a cold start (a fresh process, start to exit, median of ${RUNS}):`,
    `  every function (index.js + admin app)  ${product.ms.toFixed(0)} ms, ${product.mib.toFixed(0)} MiB`,
    `  baseline, same run: firebase-functions + firebase-admin + app  ${bare.ms.toFixed(0)} ms, ${bare.mib.toFixed(0)} MiB`,
    `  ratio ${(product.ms / bare.ms).toFixed(2)}x time, ${(product.mib / bare.mib).toFixed(2)}x memory (target 1.3x)`,
  ];
  return { lines, targets };
}
