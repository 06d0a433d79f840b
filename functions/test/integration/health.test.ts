import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Timestamp } from "firebase-admin/firestore";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { paths } from "../../src/adapters/firestore/paths";
import { formatHealth, readHealth } from "../../src/tools/health";
import { createTestTenant } from "../support/firestore-tenant";
import { TEST_PROJECT_ID } from "../support/root-hooks";

const SCRIPT = path.resolve(__dirname, "..", "..", "src", "tools", "health.js");

describe("npm run health, on the emulator's Firestore", function () {
  this.timeout(30_000);
  const now = new Date();
  const ago = (ms: number) => Timestamp.fromMillis(now.getTime() - ms);

  async function troubledTenant() {
    const business = await createTestTenant();
    const db = appFirestore();
    const outbox = (id: string, fields: Record<string, unknown>) =>
      db.doc(paths.outboxMessage(business.id, id)).set({ businessId: business.id, ...fields });
    await outbox("sent", { status: "SUCCESS", createdAt: ago(60_000), updatedAt: ago(50_000) });
    await outbox("failed", { status: "ERROR", createdAt: ago(3600_000), updatedAt: ago(3500_000) });
    await outbox("old-failure", {
      status: "ERROR",
      createdAt: ago(3 * 86400_000),
      updatedAt: ago(3 * 86400_000),
    });
    await outbox("stuck", {
      status: "RETRY",
      createdAt: ago(20 * 60_000),
      updatedAt: ago(19 * 60_000),
    });
    await outbox("fresh", { status: "PENDING", createdAt: ago(5_000), updatedAt: ago(5_000) });
    await db
      .doc(paths.scheduledSmsItem(`${business.id}-late`))
      .set({ businessId: business.id, status: "waiting", dueAt: ago(30 * 60_000) });
    await db
      .doc(paths.calendarSyncQueueItem(business.id, "apt-1"))
      .set({ businessId: business.id, dueAt: ago(2 * 3600_000) });
    await db.doc(paths.attentionItem(business.id, "degraded-texts-failing")).set({
      kind: "receptionist-degraded",
      degradation: "texts-failing",
      acknowledgedAt: null,
    });
    return business;
  }

  it("reports each signal against its threshold, naming the runbook", async () => {
    const business = await troubledTenant();
    const [health] = await readHealth(appFirestore(), now, [business.id]);
    assert.deepEqual(health.outbox, { ERROR: 2, PENDING: 1, RETRY: 1, SUCCESS: 1 });
    assert.equal(health.failedLastDay, 1);
    assert.equal(health.stuckTexts, 1);
    assert.equal(health.overdueReminders, 1);
    assert.ok(health.oldestReminderLateMs >= 30 * 60_000);
    assert.equal(health.calendarBacklog, 1);
    assert.deepEqual(health.degraded, ["texts-failing"]);
    const text = formatHealth([health]);
    assert.match(text, /^ATTENTION {2}test-tenant/);
    assert.match(text, /1 text\(s\) stuck: docs\/runbooks\/stuck-outbox\.md/);
    assert.match(text, /calendar retries waiting over an hour/);
  });

  it("exits 1 for a business in trouble and 0 for a healthy one", async () => {
    const troubled = await troubledTenant();
    const healthy = await createTestTenant();
    const env = { ...process.env, GCLOUD_PROJECT: TEST_PROJECT_ID };
    const bad = spawnSync(process.execPath, [SCRIPT, "--business", troubled.id], {
      env,
      encoding: "utf8",
    });
    assert.equal(bad.status, 1, bad.stderr);
    assert.match(bad.stdout, /stuck texts {7}1/);
    const good = spawnSync(process.execPath, [SCRIPT, "--business", healthy.id, "--json"], {
      env,
      encoding: "utf8",
    });
    assert.equal(good.status, 0, good.stderr);
    const [report] = JSON.parse(good.stdout) as { problems: string[] }[];
    assert.deepEqual(report.problems, []);
  });

  it("prints the voice turns' p50/p95/p99 from the local run's log, and exits 1 over the SLO", async () => {
    const slow = await createTestTenant();
    const quick = await createTestTenant();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "health-log-"));
    const logFile = path.join(dir, "function-logs.jsonl");
    const turn = (businessId: string, latencyMs: number, route = "/turn") =>
      JSON.stringify({
        receivedAt: now.toISOString(),
        severity: "INFO",
        message: "voice.turn",
        businessId,
        callSid: "CA0123",
        route,
        status: 200,
        outcome: "answered",
        latencyMs,
      });
    const lines = [
      ...Array.from({ length: 20 }, (_, i) => turn(slow.id, i < 17 ? 300 : 4_000)),
      ...Array.from({ length: 20 }, () => turn(quick.id, 200)),
      turn(quick.id, 60_000, "/status"),
      JSON.stringify({ severity: "INFO", message: "sms.webhook", status: 200, latencyMs: 80 }),
      '{"cut short',
    ];
    fs.writeFileSync(logFile, lines.join("\n") + "\n");
    const env = { ...process.env, GCLOUD_PROJECT: TEST_PROJECT_ID };
    try {
      const bad = spawnSync(process.execPath, [SCRIPT, "--business", slow.id, "--logs", logFile], {
        env,
        encoding: "utf8",
      });
      assert.equal(bad.status, 1, bad.stderr);
      assert.match(
        bad.stdout,
        /voice turns {7}20 in this run: p50 300 ms, p95 4\.0 s, p99 4\.0 s \(SLO: p95 under 1\.5 s, p99 under 3\.0 s\)/,
      );
      assert.match(bad.stdout, /voice turns slower than the SLO \(p95 4\.0 s, p99 4\.0 s\)/);
      assert.match(bad.stdout, /sms webhooks {8}1 in this run: p50 80 ms/);
      const good = spawnSync(
        process.execPath,
        [SCRIPT, "--business", quick.id, "--logs", logFile, "--json"],
        { env, encoding: "utf8" },
      );
      assert.equal(good.status, 0, good.stderr);
      const [report] = JSON.parse(good.stdout) as {
        voiceTurns: { n: number; p99: number };
        problems: string[];
      }[];
      assert.deepEqual(report.voiceTurns, { n: 20, p50: 200, p95: 200, p99: 200 });
      assert.deepEqual(report.problems, []);
      const none = spawnSync(
        process.execPath,
        [SCRIPT, "--business", quick.id, "--logs", path.join(dir, "missing.jsonl")],
        { env, encoding: "utf8" },
      );
      assert.equal(none.status, 0, none.stderr);
      assert.match(none.stdout, /voice turns {7}no log of a local run \(npm start writes/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says the stack is not running when Firestore does not answer", () => {
    const result = spawnSync(process.execPath, [SCRIPT], {
      env: { ...process.env, FIRESTORE_EMULATOR_HOST: "127.0.0.1:1" },
      encoding: "utf8",
    });
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /cannot read Firestore at 127\.0\.0\.1:1 .*is the local stack running \(npm start\)\?/,
    );
  });
});
