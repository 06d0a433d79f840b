import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PreflightReport, runPreflight } from "../../src/tools/deploy/preflight";
import { REPO_ROOT, runNpmScript } from "../support/npm-script";

/**
 * `npm run deploy:check`: passes on the repository as it is, and fails, naming
 * what to do, for each broken precondition, each tried on a temporary copy.
 */
const PROD = "bristol-plumbing-prod";
const COPIED = [
  "firebase.json",
  ".firebaserc",
  "firestore.rules",
  "firestore.indexes.json",
  "functions/package.json",
  "functions/.env.local",
  "functions/src",
  "hosting/src",
  "hosting/dist",
];
const PROD_ENV = [
  "PUBLIC_WEBHOOK_BASE_URL=https://europe-west2-bristol-plumbing-prod.cloudfunctions.net",
  "TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef",
  "DASHBOARD_BASE_URL=https://bristol-plumbing-prod.web.app",
  "VOICE_MIN_INSTANCES=1",
  "",
].join("\n");
const PROD_SECRETS = [
  "# set with firebase functions:secrets:set",
  "TWILIO_AUTH_TOKEN",
  "GOOGLE_OAUTH_CLIENT_SECRET",
  "CALENDAR_TOKEN_KEY",
  "ANTHROPIC_API_KEY",
  "",
].join("\n");

/** The official emulator the suite runs on compiles the rules; the embedded server cannot. */
function rulesHost(): string | undefined {
  return process.env.TEST_FIRESTORE_KIND?.startsWith("official")
    ? process.env.FIRESTORE_EMULATOR_HOST
    : undefined;
}

function problemsOf(report: PreflightReport): string[] {
  return report.checks.flatMap((c) => c.problems);
}

describe("npm run deploy:check", function () {
  this.timeout(60_000);
  let copy: string;

  before(function () {
    if (!rulesHost()) this.skip(); // the rules compile only on the official emulator
  });

  beforeEach(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-check-"));
    for (const item of COPIED) {
      const from = path.join(REPO_ROOT, item);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(copy, item), { recursive: true });
    }
    fs.writeFileSync(path.join(copy, "functions", `.env.${PROD}`), PROD_ENV);
    fs.writeFileSync(path.join(copy, "functions", `.secrets.${PROD}`), PROD_SECRETS);
  });

  afterEach(() => fs.rmSync(copy, { recursive: true, force: true }));

  const check = (project = PROD, today?: string) =>
    runPreflight({ root: copy, project, today, firestoreHost: rulesHost() });

  const edit = (file: string, change: (text: string) => string) => {
    const full = path.join(copy, file);
    fs.writeFileSync(full, change(fs.readFileSync(full, "utf8")));
  };

  it("passes on the repository itself, for its demo project, and exits 0", async () => {
    const result = await runNpmScript("deploy:check", []);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /ok {3}firestore\.rules compiles/);
    assert.match(result.stdout, /ok {3}indexes cover the \d+ queries in the code/);
    assert.match(result.stdout, /Ready to deploy/);
  });

  it("passes on a production project whose settings and secrets are all there", async () => {
    const report = await check();
    assert.deepEqual(problemsOf(report), []);
    assert.equal(report.ok, true);
  });

  it("fails, exit 1, naming the setting and the file, when a required setting has no value", async () => {
    edit(`functions/.env.${PROD}`, (t) => t.replace(/^PUBLIC_WEBHOOK_BASE_URL=.*\n/m, ""));
    const report = await check();
    assert.equal(report.ok, false);
    assert.deepEqual(
      problemsOf(report).filter((p) => p.includes("PUBLIC_WEBHOOK_BASE_URL")).length,
      1,
    );
    assert.match(
      problemsOf(report)[0],
      /add PUBLIC_WEBHOOK_BASE_URL=\.\.\. to functions\/\.env\.bristol-plumbing-prod/,
    );

    const cli = await runNpmScript("deploy:check", ["--root", copy, "--project", PROD]);
    assert.equal(cli.code, 1);
    assert.match(cli.stdout, /FAIL settings and secrets/);
  });

  it("fails when a whole-number setting is not one", async () => {
    edit(`functions/.env.${PROD}`, (t) =>
      t.replace("VOICE_MIN_INSTANCES=1", "VOICE_MIN_INSTANCES=one"),
    );
    assert.match(
      problemsOf(await check()).join("\n"),
      /VOICE_MIN_INSTANCES must be a whole number/,
    );
  });

  it("fails when a test-only override points production at another server", async () => {
    edit(`functions/.env.${PROD}`, (t) => `${t}TWILIO_API_BASE_URL=http://127.0.0.1:9999\n`);
    const problems = problemsOf(await check()).join("\n");
    assert.match(
      problems,
      /TWILIO_API_BASE_URL is set to "http:\/\/127\.0\.0\.1:9999".*must be empty in production/,
    );
  });

  it("fails when the webhook base URL is not https in production", async () => {
    edit(`functions/.env.${PROD}`, (t) =>
      t.replace(/PUBLIC_WEBHOOK_BASE_URL=https/, "PUBLIC_WEBHOOK_BASE_URL=http"),
    );
    assert.match(
      problemsOf(await check()).join("\n"),
      /PUBLIC_WEBHOOK_BASE_URL must be an https:\/\/ URL/,
    );
  });

  it("fails, naming the command to run, when a secret is not recorded as set", async () => {
    edit(`functions/.secrets.${PROD}`, (t) => t.replace("CALENDAR_TOKEN_KEY\n", ""));
    const problems = problemsOf(await check());
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /secret CALENDAR_TOKEN_KEY \(used by voice, sms, .*\)/);
    assert.match(
      problems[0],
      /npx firebase functions:secrets:set CALENDAR_TOKEN_KEY --project bristol-plumbing-prod/,
    );
  });

  it("refuses a secrets list that holds a value, and a secret set as a plain setting", async () => {
    edit(`functions/.secrets.${PROD}`, (t) =>
      t.replace("TWILIO_AUTH_TOKEN", "TWILIO_AUTH_TOKEN=abc123"),
    );
    edit(`functions/.env.${PROD}`, (t) => `${t}ANTHROPIC_API_KEY=sk-not-here\n`);
    const problems = problemsOf(await check()).join("\n");
    assert.match(
      problems,
      /must name secrets only, never hold their values: remove "TWILIO_AUTH_TOKEN=\.\.\."/,
    );
    assert.match(problems, /ANTHROPIC_API_KEY is a secret but .* sets it as a plain setting/);
    assert.doesNotMatch(problems, /abc123|sk-not-here/);
  });

  it("fails for a runtime Google no longer deploys, and for one past its date", async () => {
    edit("firebase.json", (t) => t.replace('"runtime": "nodejs22"', '"runtime": "nodejs20"'));
    assert.match(
      problemsOf(await check()).join("\n"),
      /nodejs20 stopped deploying on 2026-10-30; move .* to nodejs22/,
    );

    edit("firebase.json", (t) => t.replace('"runtime": "nodejs20"', '"runtime": "nodejs22"'));
    assert.deepEqual(problemsOf(await check(PROD, "2027-06-01")), []);
    assert.match(
      problemsOf(await check(PROD, "2027-10-31")).join("\n"),
      /nodejs22 stopped deploying on 2027-10-31/,
    );
  });

  it("fails, giving the index to add, when firestore.indexes.json lacks one a query needs", async () => {
    edit("firestore.indexes.json", (t) => {
      const file = JSON.parse(t) as { indexes: { collectionGroup: string }[] };
      file.indexes = file.indexes.filter((i) => i.collectionGroup !== "customers");
      return JSON.stringify(file);
    });
    const problems = problemsOf(await check());
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(
      problems[0],
      /^functions\/src\/adapters\/firestore\/customer\.repository\.ts:\d+: the query on customers \(postcodeKey ==, orderBy updatedAt desc\)/,
    );
    assert.match(
      problems[0],
      /"fields":\[{"fieldPath":"postcodeKey","order":"ASCENDING"},{"fieldPath":"updatedAt","order":"DESCENDING"}\]/,
    );
  });

  it("fails when new code queries in a way no index serves, in the functions or the dashboard", async () => {
    fs.writeFileSync(
      path.join(copy, "functions/src/adapters/firestore/new-query.ts"),
      `export const q = (db: any) => db.collection("businesses/b/outbox").where("status", "==", "FAILED").orderBy("createdAt", "desc").get();\n`,
    );
    fs.writeFileSync(
      path.join(copy, "hosting/src/new-query.ts"),
      'export const q = (store: any, base: string) => query(collection(store, `${base}/jobs`), where("done", "==", true), orderBy("at"));\n',
    );
    const problems = problemsOf(await check()).join("\n");
    assert.match(
      problems,
      /new-query\.ts:1: the query on outbox \(status ==, orderBy createdAt desc\) needs a composite index/,
    );
    assert.match(
      problems,
      /hosting\/src\/new-query\.ts:1: the query on jobs \(done ==, orderBy at\)/,
    );
  });

  it("fails, quoting the compiler, when firestore.rules do not compile", async () => {
    edit("firestore.rules", (t) => t.replace(/allow read/, "allow read: if (;\n      allow read"));
    const problems = problemsOf(await check());
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^firestore\.rules: Error compiling rules: L\d+:\d+/);
  });

  it("fails when the Hosting build is missing or incomplete", async () => {
    const assets = path.join(copy, "hosting/dist/assets");
    const first = fs.readdirSync(assets).find((f) => f.endsWith(".js"));
    assert.ok(first);
    fs.rmSync(path.join(assets, first));
    assert.match(
      problemsOf(await check()).join("\n"),
      new RegExp(`loads /assets/${first.replace(/[.-]/g, "\\$&")}, which the build lacks`),
    );

    fs.rmSync(path.join(copy, "hosting/dist"), { recursive: true });
    assert.match(
      problemsOf(await check()).join("\n"),
      /hosting\/dist\/index\.html is missing: run `npm run build`/,
    );
  });
});
