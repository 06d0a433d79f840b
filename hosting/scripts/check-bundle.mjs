// The initial JavaScript budget: what index.html loads before anything else
// (its entry script and the modules it preloads), gzipped, must stay within
// BUDGET_KB. Screens and Firestore load after sign-in and are listed apart.
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const BUDGET_KB = 100;
const dist = new URL("../dist/", import.meta.url).pathname;
const html = readFileSync(join(dist, "index.html"), "utf8");
const initial = [
  ...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g),
  ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g),
].map((m) => m[1]);
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length / 1024;
const initialKb = initial.reduce((sum, file) => sum + gz(file), 0);
const all = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".js"));
const lazy = all.map((f) => `assets/${f}`).filter((f) => !initial.includes(f));
const lazyKb = lazy.reduce((sum, file) => sum + gz(file), 0);
console.log(
  `dashboard bundle: initial JS ${initialKb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB, ${initial.length} file(s)); ` +
    `loaded after sign-in ${lazyKb.toFixed(1)} KB in ${lazy.length} file(s)`,
);
if (initial.length === 0) {
  console.error("no entry script found in dist/index.html");
  process.exit(1);
}
if (initialKb > BUDGET_KB) {
  console.error(`initial JS is over budget by ${(initialKb - BUDGET_KB).toFixed(1)} KB`);
  process.exit(1);
}
