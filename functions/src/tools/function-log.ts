import * as fs from "node:fs";
import * as path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { type LatencySummary, summarise } from "./load/latency-stats";

/**
 * The functions' structured log lines from a local run. `npm start` keeps
 * every line a function writes through the logger (logs.ts: one JSON object,
 * `message` the event name) in this file, one JSON object a line, with the
 * time the stack saw it as `receivedAt`; each start begins it afresh.
 * `npm run health` reads the webhook latencies from it, as production reads
 * them from the log-based metrics (functions/ops/monitoring).
 */
export const FUNCTION_LOG_FILE = path.join("emulator-data", "runtime", "function-logs.jsonl");

export type LogEntry = Record<string, unknown> & { message: string };

/**
 * The structured entry in one line of the Functions emulator's output
 * (`>  {"severity":"INFO","message":"voice.turn",...}`), or undefined for any
 * other line.
 */
export function structuredLogEntry(line: string): LogEntry | undefined {
  const plain = stripVTControlCharacters(line).trim();
  const match = /^>\s+(\{.*\})$/.exec(plain);
  if (!match) return undefined;
  try {
    const entry: unknown = JSON.parse(match[1]);
    if (
      entry &&
      typeof entry === "object" &&
      typeof (entry as { message?: unknown }).message === "string" &&
      typeof (entry as { severity?: unknown }).severity === "string"
    ) {
      return entry as LogEntry;
    }
  } catch {
    // A user line that merely looks like JSON.
  }
  return undefined;
}

/** Reads a function log file; missing means no local run has written one. */
export function readFunctionLog(file: string): LogEntry[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const entries: LogEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const entry: unknown = JSON.parse(line);
      if (entry && typeof entry === "object" && typeof (entry as LogEntry).message === "string") {
        entries.push(entry as LogEntry);
      }
    } catch {
      // A line cut short by a crash: skip it.
    }
  }
  return entries;
}

/**
 * The voice webhook's per-turn latency, from its `voice.turn` events: every
 * route but `/status` (the SLO's "turn", docs/slos.md), exactly what the
 * voice_turn_latency metric selects.
 */
export function voiceTurnLatency(
  entries: readonly LogEntry[],
  businessId?: string,
): LatencySummary {
  return summarise(
    latencies(
      entries.filter((e) => e.message === "voice.turn" && e.route !== "/status"),
      businessId,
    ),
  );
}

/** The inbound SMS webhook's latency, from its `sms.webhook` events (no SLO of its own). */
export function smsWebhookLatency(entries: readonly LogEntry[]): LatencySummary {
  return summarise(latencies(entries.filter((e) => e.message === "sms.webhook")));
}

function latencies(entries: readonly LogEntry[], businessId?: string): number[] {
  return entries
    .filter((e) => businessId === undefined || e.businessId === businessId)
    .map((e) => e.latencyMs)
    .filter((ms): ms is number => typeof ms === "number" && Number.isFinite(ms) && ms >= 0);
}
