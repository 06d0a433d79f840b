import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Firestore } from "firebase-admin/firestore";
import {
  officialCandidates,
  parseJavaVersion,
  startBestFirestore,
} from "../../src/tools/firestore-backend";

const PROJECT = "demo-backend-test";
const RULES = path.resolve(__dirname, "../../../../firestore.rules");

/** A client of that server only (the client prefers FIRESTORE_EMULATOR_HOST, read once). */
function clientOf(host: string): Firestore {
  const shared = process.env.FIRESTORE_EMULATOR_HOST;
  process.env.FIRESTORE_EMULATOR_HOST = host;
  try {
    return new Firestore({ projectId: PROJECT });
  } finally {
    process.env.FIRESTORE_EMULATOR_HOST = shared;
  }
}

async function serves(host: string): Promise<boolean> {
  try {
    return (await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

async function eventually(probe: () => Promise<boolean>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const hasOfficial = officialCandidates().some((c) => c.command);

describe("choosing and running the Firestore backend", () => {
  describe("reading the Java version", () => {
    it("takes the major version of modern and 1.x version strings", () => {
      assert.equal(parseJavaVersion('openjdk version "17.0.15" 2025-04-15'), 17);
      assert.equal(parseJavaVersion('openjdk version "21" 2023-09-19'), 21);
      assert.equal(parseJavaVersion('java version "1.8.0_412"'), 8);
      assert.equal(parseJavaVersion("command not found"), undefined);
    });
  });

  describe("when the official emulator is required but cannot run", () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const key of ["FIRESTORE_EMULATOR_LAUNCHER", "FIREBASE_EMULATORS_PATH", "PATH"]) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    });

    it("fails naming why each official emulator is unavailable, instead of falling back", async () => {
      process.env.FIRESTORE_EMULATOR_LAUNCHER = "/nonexistent/cloud_firestore_emulator";
      process.env.FIREBASE_EMULATORS_PATH = "/nonexistent";
      await assert.rejects(
        startBestFirestore({ projectId: PROJECT, backend: "official" }),
        (error: Error) =>
          /no official Firestore emulator can run here/.test(error.message) &&
          /official-firebase-tools: firebase-tools' emulator jar is not downloaded/.test(
            error.message,
          ) &&
          /official-gcloud: FIRESTORE_EMULATOR_LAUNCHER=\/nonexistent/.test(error.message),
      );
    });

    it("falls back to the embedded server when allowed, and says so", async () => {
      process.env.FIRESTORE_EMULATOR_LAUNCHER = "/nonexistent/cloud_firestore_emulator";
      process.env.FIREBASE_EMULATORS_PATH = "/nonexistent";
      const lines: string[] = [];
      const backend = await startBestFirestore({
        projectId: PROJECT,
        backend: "auto",
        log: (l) => lines.push(l),
      });
      try {
        assert.equal(backend.kind, "embedded");
        assert.match(
          lines.join("\n"),
          /no official Firestore emulator .*using the embedded server/,
        );
        assert.match(lines.join("\n"), /last resort/);
      } finally {
        await backend.stop();
      }
    });
  });

  describe("the embedded server, with --keep's export and import", () => {
    it("saves the documents on stop and loads them on the next start", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fs-embedded-"));
      const first = await startBestFirestore({
        projectId: PROJECT,
        backend: "embedded",
        exportDir: dir,
      });
      const db = clientOf(first.host);
      await db.doc("businesses/b1/customers/c1").set({ name: "Margaret" });
      await db.terminate();
      await first.stop();

      const second = await startBestFirestore({
        projectId: PROJECT,
        backend: "embedded",
        importDir: dir,
      });
      const again = clientOf(second.host);
      try {
        assert.equal(second.imported, true);
        assert.equal((await again.doc("businesses/b1/customers/c1").get()).get("name"), "Margaret");
      } finally {
        await again.terminate();
        await second.stop();
      }
    });
  });

  describe("the official emulator", function () {
    this.timeout(90_000);
    before(function () {
      if (!hasOfficial) this.skip();
    });

    it("serves with the rules loaded, and stop() leaves nothing listening", async () => {
      const backend = await startBestFirestore({
        projectId: PROJECT,
        backend: "official",
        rulesPath: RULES,
      });
      assert.match(backend.kind, /^official-/);
      assert.match(backend.host, /^127\.0\.0\.1:\d+$/);
      const url = `http://${backend.host}/v1/projects/${PROJECT}/databases/(default)/documents/businesses/b1`;
      assert.equal((await fetch(url)).status, 403, "firestore.rules refuse an anonymous read");
      await backend.stop();
      assert.equal(await serves(backend.host), false);
    });

    it("exports on stop and imports on the next start (npm start -- --keep)", async () => {
      const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fs-official-")), "firestore");
      const first = await startBestFirestore({
        projectId: PROJECT,
        backend: "official",
        exportDir: dir,
      });
      const db = clientOf(first.host);
      await db.doc("businesses/b1/appointments/a1").set({ status: "booked" });
      await db.terminate();
      await first.stop();

      const second = await startBestFirestore({
        projectId: PROJECT,
        backend: "official",
        importDir: dir,
      });
      const again = clientOf(second.host);
      try {
        assert.equal(second.imported, true);
        assert.equal(
          (await again.doc("businesses/b1/appointments/a1").get()).get("status"),
          "booked",
        );
      } finally {
        await again.terminate();
        await second.stop();
      }
    });

    it("does not outlive a parent that is killed outright (SIGKILL)", async () => {
      const entry = path.resolve(__dirname, "../../src/tools/firestore-backend.js");
      const script =
        `require(${JSON.stringify(entry)}).startBestFirestore({ projectId: "${PROJECT}", backend: "official" })` +
        `.then((b) => console.log("HOST " + b.host), (e) => { console.error(e); process.exit(1); });` +
        `setInterval(() => {}, 1000);`;
      const parent = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      parent.stdout.on("data", (c: Buffer) => (output += c.toString()));
      parent.stderr.on("data", (c: Buffer) => (output += c.toString()));
      await eventually(
        async () => /HOST \S+/.test(output),
        `the emulator started:\n${output}`,
        60_000,
      );
      const host = /HOST (\S+)/.exec(output)?.[1] ?? "";
      assert.equal(await serves(host), true);

      parent.kill("SIGKILL");
      await eventually(async () => !(await serves(host)), "the orphaned emulator stopped");
    });
  });
});
