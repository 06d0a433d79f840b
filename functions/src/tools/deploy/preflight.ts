import * as fs from "node:fs";
import * as path from "node:path";
import { initializeTestEnvironment } from "@firebase/rules-unit-testing";
import { parseEnvFile } from "../simulator/local-config";
import { LOCAL_SECRET_NAMES } from "../local-stack";
import { startBestFirestore } from "../firestore-backend";
import { deployedQueries, IndexesFile, missingIndexes } from "./index-coverage";
import { runtimeProblem } from "./runtimes";

/**
 * The offline preflight behind `npm run deploy:check`: everything `firebase
 * deploy` would need, checked without deploying or reaching Google. Each check
 * returns its problems in words an operator can act on; no problem, no output
 * but a tick.
 */

export interface PreflightOptions {
  /** The repository (or a copy of its configuration and sources). */
  root: string;
  /** Project id or .firebaserc alias; default: .firebaserc's default. */
  project?: string;
  /** YYYY-MM-DD; default: today (UTC). */
  today?: string;
  /** HOST:PORT of an official Firestore emulator to compile the rules on; default: start one. */
  firestoreHost?: string;
}

export interface CheckResult {
  name: string;
  problems: string[];
  /** Worth knowing, not blocking. */
  notes: string[];
}

export interface PreflightReport {
  project: string;
  checks: CheckResult[];
  ok: boolean;
}

/** A param or secret the functions declare (params.ts), and the functions that bind it. */
export interface DeclaredSetting {
  name: string;
  kind: "string" | "int" | "secret" | string;
  hasDefault: boolean;
  description?: string;
  boundTo: string[];
}

/** The file naming the secrets set in Secret Manager for a project (names only, never values). */
export function secretListFile(root: string, project: string): string {
  return path.join(root, "functions", `.secrets.${project}`);
}

export async function runPreflight(options: PreflightOptions): Promise<PreflightReport> {
  const root = path.resolve(options.root);
  const project = resolveProject(root, options.project);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const firebaseJson = readJson(path.join(root, "firebase.json")) as FirebaseJson | undefined;
  const checks: CheckResult[] = [
    settingsCheck(root, project, declaredSettings()),
    runtimeCheck(root, firebaseJson, today),
    indexesCheck(root, firebaseJson),
    await rulesCheck(root, firebaseJson, project, options.firestoreHost),
    hostingCheck(root, firebaseJson),
  ];
  return { project, checks, ok: checks.every((c) => c.problems.length === 0) };
}

interface FirebaseJson {
  functions?: { source?: string; runtime?: string }[] | { source?: string; runtime?: string };
  hosting?: { public?: string };
  firestore?: { rules?: string; indexes?: string };
}

function readJson(file: string): unknown {
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

function resolveProject(root: string, wanted: string | undefined): string {
  const rc = readJson(path.join(root, ".firebaserc")) as
    { projects?: Record<string, string> } | undefined;
  const aliases = rc?.projects ?? {};
  const project = wanted ?? aliases.default;
  if (!project) {
    throw new Error("no project: pass --project your-project-id, or run `npx firebase use --add`");
  }
  return aliases[project] ?? project;
}

/** Every param and secret the deployed functions declare, read from the functions' own manifest. */
export function declaredSettings(): DeclaredSetting[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const functions = require("../../index") as Record<
    string,
    { __endpoint?: { secretEnvironmentVariables?: { key: string }[] } }
  >;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { declaredParams } = require("firebase-functions/params") as {
    declaredParams: {
      name: string;
      constructor: { type?: string };
      options?: { default?: unknown; description?: string };
    }[];
  };
  const bound = new Map<string, string[]>();
  for (const [name, fn] of Object.entries(functions)) {
    for (const secret of fn.__endpoint?.secretEnvironmentVariables ?? []) {
      bound.set(secret.key, [...(bound.get(secret.key) ?? []), name]);
    }
  }
  return declaredParams.map((p) => ({
    name: p.name,
    kind: p.constructor.type ?? "string",
    hasDefault: p.options?.default !== undefined,
    description: p.options?.description,
    boundTo: bound.get(p.name) ?? [],
  }));
}

/**
 * Every param has a value for the project, as firebase deploy reads them:
 * functions/.env, then .env.<project> (and .env.local for a demo- project,
 * which only the emulators use). Secrets: in a demo- project, those a
 * function binds are in functions/.secret.local or written there by `npm
 * start`; in a real project, every declared secret is named in
 * functions/.secrets.<project> (docs/deployment.md).
 */
export function settingsCheck(
  root: string,
  project: string,
  settings: DeclaredSetting[],
): CheckResult {
  const problems: string[] = [];
  const notes: string[] = [];
  const demo = project.startsWith("demo-");
  const dir = path.join(root, "functions");
  const envFiles = [".env", `.env.${project}`, ...(demo ? [".env.local"] : [])];
  const values: Record<string, string> = {};
  const found: string[] = [];
  for (const file of envFiles) {
    const full = path.join(dir, file);
    if (!fs.existsSync(full)) continue;
    found.push(file);
    Object.assign(values, parseEnvFile(fs.readFileSync(full, "utf8")));
  }
  const where = found.length ? found.map((f) => `functions/${f}`).join(", ") : "no .env file";
  const params = settings.filter((s) => s.kind !== "secret");
  const secrets = settings.filter((s) => s.kind === "secret");

  for (const p of params) {
    const value = values[p.name];
    if (value === undefined || (value === "" && !p.hasDefault)) {
      if (p.hasDefault) continue;
      problems.push(
        `${p.name} has no value for ${project}: add ${p.name}=... to functions/.env.${project}` +
          (p.description ? ` (${p.description})` : ""),
      );
      continue;
    }
    if (p.kind === "int" && !/^-?\d+$/.test(value.trim())) {
      problems.push(`${p.name} must be a whole number, but ${where} sets it to "${value}"`);
    }
    if (!demo && p.description && /empty in production/i.test(p.description) && value !== "") {
      problems.push(
        `${p.name} is set to "${value}" for ${project}, but it must be empty in production: ${p.description}`,
      );
    }
    if (!demo && /_URL$/.test(p.name) && value !== "" && !/^https:\/\//.test(value)) {
      problems.push(`${p.name} must be an https:// URL in production, not "${value}"`);
    }
  }
  const declared = new Set(settings.map((s) => s.name));
  for (const key of Object.keys(values)) {
    if (secrets.some((s) => s.name === key)) {
      problems.push(
        `${key} is a secret but ${where} sets it as a plain setting: remove it there and use \`npx firebase functions:secrets:set ${key}\``,
      );
    } else if (!declared.has(key)) {
      notes.push(`${key} in ${where} is not a setting the functions declare (a typo?)`);
    }
  }

  if (demo) {
    const secretLocal = path.join(dir, ".secret.local");
    const local = fs.existsSync(secretLocal)
      ? parseEnvFile(fs.readFileSync(secretLocal, "utf8"))
      : {};
    for (const s of secrets.filter((x) => x.boundTo.length > 0)) {
      if (local[s.name] === undefined && !LOCAL_SECRET_NAMES.includes(s.name)) {
        problems.push(
          `${s.name} (used by ${s.boundTo.join(", ")}) has no local value: add it to functions/.secret.local ` +
            `and to the secrets \`npm start\` writes (LOCAL_SECRETS in src/tools/local-stack.ts)`,
        );
      }
    }
  } else {
    const listFile = secretListFile(root, project);
    const rel = path.relative(root, listFile);
    const listed = new Set<string>();
    if (fs.existsSync(listFile)) {
      for (const raw of fs.readFileSync(listFile, "utf8").split(/\r?\n/)) {
        const line = raw.trim();
        if (!line || line.startsWith("#")) continue;
        if (line.includes("=")) {
          problems.push(
            `${rel} must name secrets only, never hold their values: remove "${line.split("=")[0]}=..." and delete any copy of the value`,
          );
          continue;
        }
        listed.add(line);
      }
    }
    for (const s of secrets) {
      if (listed.has(s.name)) continue;
      const use = s.boundTo.length ? `used by ${s.boundTo.join(", ")}` : "declared in params.ts";
      problems.push(
        `secret ${s.name} (${use}) is not recorded as set for ${project}: run ` +
          `\`npx firebase functions:secrets:set ${s.name} --project ${project}\`, then add the line ${s.name} to ${rel}`,
      );
    }
  }
  return { name: `settings and secrets for ${project}`, problems, notes };
}

export function runtimeCheck(
  root: string,
  firebaseJson: FirebaseJson | undefined,
  today: string,
): CheckResult {
  const problems: string[] = [];
  if (!firebaseJson) {
    return { name: "runtime", problems: ["firebase.json is missing"], notes: [] };
  }
  const codebases = Array.isArray(firebaseJson.functions)
    ? firebaseJson.functions
    : firebaseJson.functions
      ? [firebaseJson.functions]
      : [];
  if (codebases.length === 0) problems.push("firebase.json declares no functions codebase");
  for (const codebase of codebases) {
    const runtime = codebase.runtime;
    const problem = runtimeProblem(runtime, today);
    if (problem) {
      problems.push(`firebase.json: ${problem}`);
      continue;
    }
    const pkg = readJson(path.join(root, codebase.source ?? "functions", "package.json")) as
      { engines?: { node?: string } } | undefined;
    const major = runtime?.replace(/^nodejs/, "");
    if (pkg?.engines?.node !== major) {
      problems.push(
        `functions/package.json engines.node is "${pkg?.engines?.node ?? ""}" but firebase.json deploys ${runtime}: make them agree`,
      );
    }
  }
  const runtime = codebases[0]?.runtime ?? "?";
  return { name: `runtime ${runtime}`, problems, notes: [] };
}

export function indexesCheck(root: string, firebaseJson: FirebaseJson | undefined): CheckResult {
  const file = firebaseJson?.firestore?.indexes ?? "firestore.indexes.json";
  const full = path.join(root, file);
  let indexes: IndexesFile;
  try {
    indexes = (readJson(full) as IndexesFile | undefined) ?? {};
    if (!fs.existsSync(full)) {
      return { name: "indexes", problems: [`${file} is missing`], notes: [] };
    }
  } catch (error) {
    return {
      name: "indexes",
      problems: [`${file} is not valid JSON: ${(error as Error).message}`],
      notes: [],
    };
  }
  const { queries, unreadable } = deployedQueries(root);
  const problems = [
    ...unreadable.map((p) => `${p.where}: ${p.message}`),
    ...missingIndexes(queries, indexes).map((p) => `${p.where}: ${p.message}`),
  ];
  return { name: `indexes cover the ${queries.length} queries in the code`, problems, notes: [] };
}

/** Compiles the rules on the official Firestore emulator, as the rules tests load them. */
export async function rulesCheck(
  root: string,
  firebaseJson: FirebaseJson | undefined,
  project: string,
  firestoreHost?: string,
): Promise<CheckResult> {
  const file = firebaseJson?.firestore?.rules ?? "firestore.rules";
  const full = path.join(root, file);
  const name = `${file} compiles`;
  if (!fs.existsSync(full)) return { name, problems: [`${file} is missing`], notes: [] };
  const rules = fs.readFileSync(full, "utf8");
  const projectId = project.startsWith("demo-") ? project : `demo-${project}`;
  let backend: Awaited<ReturnType<typeof startBestFirestore>> | undefined;
  try {
    let host = firestoreHost;
    if (!host) {
      try {
        backend = await startBestFirestore({ projectId, backend: "official" });
      } catch (error) {
        return {
          name,
          problems: [
            `cannot compile the rules offline: ${(error as Error).message.split("\n")[0]} (docs/local-development.md)`,
          ],
          notes: [],
        };
      }
      host = backend.host;
    }
    const [hostname, port] = host.split(":");
    try {
      const env = await initializeTestEnvironment({
        projectId,
        firestore: { rules, host: hostname, port: Number(port) },
      });
      await env.cleanup();
      return { name, problems: [], notes: [] };
    } catch (error) {
      return { name, problems: [`${file}: ${compileError(error)}`], notes: [] };
    }
  } finally {
    await backend?.stop();
  }
}

/** "Error compiling rules:\nL2:57 Unexpected ';'." out of the emulator's JSON answer. */
function compileError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } };
    if (parsed.error?.message) return parsed.error.message.replace(/\n/g, " ");
  } catch {
    // not JSON
  }
  return text;
}

export function hostingCheck(root: string, firebaseJson: FirebaseJson | undefined): CheckResult {
  const dir = firebaseJson?.hosting?.public;
  const name = `hosting build (${dir ?? "?"})`;
  if (!dir) return { name, problems: ["firebase.json names no hosting.public folder"], notes: [] };
  const index = path.join(root, dir, "index.html");
  if (!fs.existsSync(index)) {
    return {
      name,
      problems: [`${dir}/index.html is missing: run \`npm run build\` before deploying`],
      notes: [],
    };
  }
  const html = fs.readFileSync(index, "utf8");
  const problems: string[] = [];
  for (const match of html.matchAll(/(?:src|href)="(\/[^"]+)"/g)) {
    const asset = match[1].split(/[?#]/)[0];
    if (!fs.existsSync(path.join(root, dir, asset))) {
      problems.push(
        `${dir}/index.html loads ${asset}, which the build lacks: run \`npm run build\` again`,
      );
    }
  }
  return { name, problems, notes: [] };
}

/** The report as the CLI prints it. */
export function formatReport(report: PreflightReport): string {
  const lines = [`Deploy preflight for ${report.project} (offline; nothing is deployed)`];
  for (const check of report.checks) {
    lines.push(`${check.problems.length ? "FAIL" : "ok  "} ${check.name}`);
    for (const problem of check.problems) lines.push(`     - ${problem}`);
    for (const note of check.notes) lines.push(`     note: ${note}`);
  }
  const failed = report.checks.filter((c) => c.problems.length > 0).length;
  lines.push(
    report.ok
      ? "Ready to deploy: npm run deploy"
      : `${failed} check(s) failed: fix the above before \`npm run deploy\``,
  );
  return lines.join("\n");
}
