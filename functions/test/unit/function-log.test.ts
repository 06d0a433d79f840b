import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { logSmsWebhook, logVoiceTurn } from "../../src/logs";
import {
  type LogEntry,
  smsWebhookLatency,
  structuredLogEntry,
  voiceTurnLatency,
} from "../../src/tools/function-log";
import { RecordingLogger } from "../support/in-memory-outbox.store";

const FUNCTIONS = path.resolve(__dirname, "..", "..", "..");

/** What the functions' logger writes for each recorded line: the event as `message`. */
function entriesOf(logger: RecordingLogger): LogEntry[] {
  return logger.lines.map((l) => ({
    severity: l.level.toUpperCase(),
    message: l.event,
    ...JSON.parse(JSON.stringify(l.fields)),
  }));
}

/** Evaluates a log-based metric's filter of `jsonPayload.F="V"` / `!=` clauses on one entry. */
function metricSelects(filter: string, entry: LogEntry): boolean {
  const clauses = filter.split(/\s+AND\s+/);
  return clauses.every((clause) => {
    if (clause.startsWith("resource.type=")) return true;
    const m = /^jsonPayload\.([A-Za-z]+)(!=|=)"([^"]*)"$/.exec(clause.trim());
    assert.ok(m, `cannot read clause ${clause}`);
    const value = String(entry[m[1]] ?? "");
    return m[2] === "=" ? value === m[3] : value !== m[3];
  });
}

describe("the local run's function log (npm run health)", () => {
  it("picks the functions' structured lines out of the emulator's output, colours and all", () => {
    const line =
      '\u001b[90m> \u001b[39m {"severity":"INFO","message":"voice.turn","route":"/turn","latencyMs":42}';
    assert.deepEqual(structuredLogEntry(line), {
      severity: "INFO",
      message: "voice.turn",
      route: "/turn",
      latencyMs: 42,
    });
    assert.equal(structuredLogEntry("i  functions: Loaded functions definitions"), undefined);
    assert.equal(structuredLogEntry(">  plain text from a function"), undefined);
    assert.equal(structuredLogEntry('>  {"not":"a log entry"}'), undefined);
    assert.equal(structuredLogEntry(">  {broken json"), undefined);
  });

  describe("voice turn latency", () => {
    const logger = new RecordingLogger();
    for (let i = 1; i <= 100; i += 1) {
      logVoiceTurn(logger, {
        businessId: i <= 90 ? "bristol" : "bath",
        callSid: `CA${i}`,
        route: i % 2 ? "/turn" : "/incoming",
        status: 200,
        outcome: "answered",
        latencyMs: i * 10,
      });
    }
    // Status callbacks are no caller's wait: never counted as turns.
    logVoiceTurn(logger, {
      businessId: "bristol",
      callSid: "CA1",
      route: "/status",
      status: 200,
      outcome: "answered",
      latencyMs: 99_999,
    });
    logSmsWebhook(logger, { messageSid: "SM1", status: 200, outcome: "answered", latencyMs: 7 });
    const entries = entriesOf(logger);

    it("is p50/p95/p99 of one business's turns, /status left out", () => {
      assert.deepEqual(voiceTurnLatency(entries, "bristol"), {
        n: 90,
        p50: 450,
        p95: 860,
        p99: 900,
      });
      assert.equal(voiceTurnLatency(entries).n, 100);
      assert.deepEqual(smsWebhookLatency(entries), { n: 1, p50: 7, p95: 7, p99: 7 });
    });

    it("selects exactly the entries the voice_turn_latency metric selects, from the field it extracts", () => {
      const metric = JSON.parse(
        fs.readFileSync(
          path.join(FUNCTIONS, "ops", "monitoring", "metrics", "voice_turn_latency.json"),
          "utf8",
        ),
      ) as { filter: string; valueExtractor: string; labelExtractors: Record<string, string> };
      const selected = entries.filter((e) => metricSelects(metric.filter, e));
      assert.equal(selected.length, voiceTurnLatency(entries).n);
      const field = /^EXTRACT\(jsonPayload\.([A-Za-z]+)\)$/.exec(metric.valueExtractor)?.[1];
      assert.equal(field, "latencyMs");
      for (const e of selected) {
        assert.equal(typeof e[field], "number");
        for (const extractor of Object.values(metric.labelExtractors)) {
          const label = /^EXTRACT\(jsonPayload\.([A-Za-z]+)\)$/.exec(extractor)?.[1];
          assert.ok(label && typeof e[label] === "string", `${extractor} finds nothing`);
        }
        assert.ok(e.businessId && e.callSid, "each turn names its business and call");
      }
    });
  });
});
