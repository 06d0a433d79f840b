import { getApps, initializeApp } from "firebase-admin/app";
import { type Firestore, getFirestore, Timestamp } from "firebase-admin/firestore";
import * as path from "node:path";
import { paths } from "../adapters/firestore/paths";
import {
  FUNCTION_LOG_FILE,
  type LogEntry,
  readFunctionLog,
  smsWebhookLatency,
  voiceTurnLatency,
} from "./function-log";
import type { LatencySummary } from "./load/latency-stats";
import { PROJECT_ID } from "./local-stack";
import { findRepoRoot } from "./simulator/local-config";

/**
 * npm run health [-- --business ID] [--json]: the signals behind docs/slos.md,
 * read from a running local stack's Firestore (or FIRESTORE_EMULATOR_HOST):
 * outbox states, texts failed in the last day, stuck texts, overdue reminders,
 * the calendar sync backlog, and the degradations the owner was told of;
 * and, from the local run's function log (function-log.ts), the voice
 * webhook's per-turn latency against its SLO.
 * Exit 0 when every signal is within its threshold, 1 when one is not, 2 when
 * Firestore cannot be reached. Production reads the same signals from the
 * log-based metrics (functions/ops/monitoring).
 */

/** The thresholds of docs/slos.md, as the local check applies them. */
export const HEALTH_THRESHOLDS = {
  /** A text still not final this long after it was queued is stuck. */
  stuckTextMs: 10 * 60_000,
  /** A reminder this long past due and still waiting is late (the 5-minute job runs twice meanwhile). */
  lateReminderMs: 15 * 60_000,
  /** A calendar retry waiting this long means Google has been failing for an hour. */
  calendarBacklogMs: 60 * 60_000,
  /** Voice turn latency SLO (docs/slos.md): p95 under 1.5 s, p99 under 3 s. */
  voiceTurnP95Ms: 1_500,
  voiceTurnP99Ms: 3_000,
};

const FINAL = new Set(["SUCCESS", "SIMULATED", "ERROR"]);

export interface BusinessHealth {
  businessId: string;
  outbox: Record<string, number>;
  failedLastDay: number;
  stuckTexts: number;
  overdueReminders: number;
  oldestReminderLateMs: number;
  calendarBacklog: number;
  oldestCalendarRetryMs: number;
  degraded: string[];
  /** Per-turn latency of this business's voice webhook in the local run; null without a log. */
  voiceTurns: LatencySummary | null;
  problems: string[];
}

const millis = (value: unknown): number | undefined =>
  value instanceof Timestamp ? value.toMillis() : undefined;

export async function readHealth(
  db: Firestore,
  now: Date,
  businessIds?: string[],
  /** The local run's function log (function-log.ts), when there is one. */
  log?: readonly LogEntry[],
): Promise<BusinessHealth[]> {
  const ids = businessIds ?? (await db.collection("businesses").get()).docs.map((d) => d.id);
  const reminders = await db
    .collection(paths.scheduledSms())
    .where("status", "==", "waiting")
    .get();
  const calendarQueue = await db.collection(paths.calendarSyncQueue()).get();
  const t = now.getTime();
  const out: BusinessHealth[] = [];
  for (const businessId of ids) {
    const outboxDocs = (await db.collection(paths.outbox(businessId)).get()).docs;
    const outbox: Record<string, number> = {};
    let failedLastDay = 0;
    let stuckTexts = 0;
    for (const doc of outboxDocs) {
      const status = String(doc.get("status") ?? "?");
      outbox[status] = (outbox[status] ?? 0) + 1;
      const updated = millis(doc.get("updatedAt")) ?? 0;
      const created = millis(doc.get("createdAt")) ?? t;
      if (status === "ERROR" && t - updated < 24 * 3600_000) failedLastDay += 1;
      if (!FINAL.has(status) && t - created > HEALTH_THRESHOLDS.stuckTextMs) stuckTexts += 1;
    }
    const late = reminders.docs
      .filter((d) => d.get("businessId") === businessId)
      .map((d) => t - (millis(d.get("dueAt")) ?? t))
      .filter((ms) => ms > 0);
    const overdue = late.filter((ms) => ms > HEALTH_THRESHOLDS.lateReminderMs);
    const backlog = calendarQueue.docs
      .filter((d) => d.id.startsWith(`${businessId}_`))
      .map((d) => t - (millis(d.get("dueAt")) ?? t))
      .filter((ms) => ms > 0);
    const attention = await db.collection(`${paths.business(businessId)}/attention`).get();
    const degraded = attention.docs
      .filter((d) => d.get("kind") === "receptionist-degraded" && !d.get("acknowledgedAt"))
      .map((d) => String(d.get("degradation")));
    const health: BusinessHealth = {
      businessId,
      outbox,
      failedLastDay,
      stuckTexts,
      overdueReminders: overdue.length,
      oldestReminderLateMs: Math.max(0, ...late),
      calendarBacklog: backlog.length,
      oldestCalendarRetryMs: Math.max(0, ...backlog),
      degraded,
      voiceTurns: log ? voiceTurnLatency(log, businessId) : null,
      problems: [],
    };
    if (stuckTexts)
      health.problems.push(`${stuckTexts} text(s) stuck: docs/runbooks/stuck-outbox.md`);
    if (failedLastDay)
      health.problems.push(
        `${failedLastDay} text(s) failed in the last day: docs/runbooks/undelivered-sms-spike.md`,
      );
    if (overdue.length)
      health.problems.push(
        `${overdue.length} reminder(s) over 15 minutes late: docs/runbooks/stuck-outbox.md`,
      );
    if (health.oldestCalendarRetryMs > HEALTH_THRESHOLDS.calendarBacklogMs)
      health.problems.push(
        "calendar retries waiting over an hour: docs/runbooks/google-grant-revoked.md",
      );
    for (const d of degraded) health.problems.push(`degraded: ${d} (the owner was told)`);
    const turns = health.voiceTurns;
    if (
      turns &&
      turns.n > 0 &&
      (turns.p95 > HEALTH_THRESHOLDS.voiceTurnP95Ms || turns.p99 > HEALTH_THRESHOLDS.voiceTurnP99Ms)
    )
      health.problems.push(
        `voice turns slower than the SLO (p95 ${seconds(turns.p95)}, p99 ${seconds(turns.p99)}): docs/slos.md`,
      );
    out.push(health);
  }
  return out;
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
const seconds = (ms: number) =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;

function latencyLine(summary: LatencySummary | null, slo: string): string {
  if (!summary) return `no log of a local run (npm start writes ${FUNCTION_LOG_FILE})`;
  if (summary.n === 0) return "none in this run";
  return `${summary.n} in this run: p50 ${seconds(summary.p50)}, p95 ${seconds(summary.p95)}, p99 ${seconds(summary.p99)}${slo}`;
}

const VOICE_SLO = ` (SLO: p95 under ${seconds(HEALTH_THRESHOLDS.voiceTurnP95Ms)}, p99 under ${seconds(HEALTH_THRESHOLDS.voiceTurnP99Ms)})`;

export function formatHealth(
  report: BusinessHealth[],
  /** The inbound SMS webhook's latency in the local run (all businesses); null without a log. */
  smsWebhooks: LatencySummary | null = null,
): string {
  const lines: string[] = [];
  for (const b of report) {
    const states = Object.entries(b.outbox)
      .sort()
      .map(([s, n]) => `${s} ${n}`)
      .join(", ");
    lines.push(`${b.problems.length ? "ATTENTION" : "ok"}  ${b.businessId}`);
    lines.push(`  outbox            ${states || "empty"}`);
    lines.push(`  failed (24 h)     ${b.failedLastDay}`);
    lines.push(`  stuck texts       ${b.stuckTexts}`);
    lines.push(
      `  reminders late    ${b.overdueReminders} over 15 min (most late: ${minutes(b.oldestReminderLateMs)})`,
    );
    lines.push(
      `  calendar backlog  ${b.calendarBacklog} due (oldest: ${minutes(b.oldestCalendarRetryMs)})`,
    );
    lines.push(`  degraded          ${b.degraded.join(", ") || "none"}`);
    lines.push(`  voice turns       ${latencyLine(b.voiceTurns, VOICE_SLO)}`);
    for (const p of b.problems) lines.push(`  - ${p}`);
  }
  lines.push(`sms webhooks        ${latencyLine(smsWebhooks, "")}`);
  lines.push("Production reads the same signals from the log-based metrics: docs/slos.md.");
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  const at = argv.indexOf("--business");
  const business = at >= 0 ? argv[at + 1] : undefined;
  const logAt = argv.indexOf("--logs");
  const logArg = logAt >= 0 ? argv[logAt + 1] : undefined;
  if (
    (at >= 0 && !business) ||
    (logAt >= 0 && !logArg) ||
    argv.some(
      (a, i) =>
        a.startsWith("--") &&
        !["--json", "--business", "--logs"].includes(a) &&
        i !== at + 1 &&
        i !== logAt + 1,
    )
  ) {
    console.error("usage: npm run health [-- --business BUSINESS_ID] [--logs FILE] [--json]");
    return 2;
  }
  const root = findRepoRoot(__dirname) ?? process.cwd();
  const log = readFunctionLog(logArg ?? path.join(root, FUNCTION_LOG_FILE));
  process.env.FIRESTORE_EMULATOR_HOST ??= "127.0.0.1:8080";
  const projectId = process.env.GCLOUD_PROJECT ?? PROJECT_ID;
  const app = getApps()[0] ?? initializeApp({ projectId });
  const db = getFirestore(app);
  let report: BusinessHealth[];
  try {
    report = await Promise.race([
      readHealth(db, new Date(), business ? [business] : undefined, log),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("no answer in 10 s")), 10_000).unref(),
      ),
    ]);
  } catch (error) {
    console.error(
      `cannot read Firestore at ${process.env.FIRESTORE_EMULATOR_HOST} (${(error as Error).message}): is the local stack running (npm start)?`,
    );
    return 2;
  }
  console.log(
    json ? JSON.stringify(report) : formatHealth(report, log ? smsWebhookLatency(log) : null),
  );
  return report.some((b) => b.problems.length) ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(2);
    },
  );
}
