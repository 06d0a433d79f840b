import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { LOG_EVENTS } from "../../src/logs";
import { sourceFiles } from "../../src/tools/deploy/index-coverage";
import { emittedLogEvents, LOG_CALLS } from "../support/emitted-log-events";

/**
 * The log events, the log-based metrics and alert policies built on them
 * (functions/ops/monitoring), and the runbooks the policies send people to,
 * all agree with the code.
 */
const FUNCTIONS = path.resolve(__dirname, "..", "..", "..");
const ROOT = path.resolve(FUNCTIONS, "..");
const SRC = path.join(FUNCTIONS, "src");
const MONITORING = path.join(FUNCTIONS, "ops", "monitoring");

interface LogMetric {
  name: string;
  filter: string;
  valueExtractor?: string;
  labelExtractors?: Record<string, string>;
  metricDescriptor: { labels?: { key: string }[] };
}
interface AlertPolicy {
  displayName: string;
  documentation: { content: string };
  conditions: { conditionThreshold: { filter: string } }[];
}

const readDir = <T>(dir: string): [string, T][] =>
  fs
    .readdirSync(path.join(MONITORING, dir))
    .filter((f) => f.endsWith(".json"))
    .map((f) => [f, JSON.parse(fs.readFileSync(path.join(MONITORING, dir, f), "utf8")) as T]);

const metrics = readDir<LogMetric>("metrics");
const policies = readDir<AlertPolicy>("policies");
const emitted = emittedLogEvents(SRC);

describe("log events", () => {
  it("every event the code emits is listed in logs.ts, and every listed one is emitted", () => {
    const listed = new Set(Object.keys(LOG_EVENTS));
    const unlisted = [...emitted.keys()].filter((e) => !listed.has(e));
    const neverEmitted = [...listed].filter((e) => !emitted.has(e));
    assert.ok(emitted.size >= 60, `found only ${emitted.size} events: is the scan broken?`);
    assert.deepEqual(unlisted, [], `emitted but not listed in src/log-events.ts`);
    assert.deepEqual(neverEmitted, [], `listed in src/log-events.ts but never emitted`);
  });

  it("no log line carries a raw phone number, speech, a transcript or a message body", () => {
    const forbidden =
      /^(from|to|phone|caller|speech|speechResult|transcript|text|body|utterance|ownerMobile)$/;
    const offenders: string[] = [];
    for (const file of sourceFiles(SRC, ["tools", "shared"])) {
      const source = ts.createSourceFile(
        file,
        fs.readFileSync(file, "utf8"),
        ts.ScriptTarget.ES2022,
        true,
      );
      const visit = (node: ts.Node): void => {
        const viaLogs =
          ts.isCallExpression(node) &&
          ts.isIdentifier(node.expression) &&
          LOG_CALLS.test(node.expression.text);
        if (
          ts.isCallExpression(node) &&
          (viaLogs ||
            (ts.isPropertyAccessExpression(node.expression) &&
              ["info", "warn", "error"].includes(node.expression.name.text) &&
              /logger$/i.test(node.expression.expression.getText(source))))
        ) {
          const fields = node.arguments[viaLogs ? 2 : 1];
          if (fields && ts.isObjectLiteralExpression(fields)) {
            for (const p of fields.properties) {
              const name = p.name?.getText(source) ?? "";
              const masked =
                ts.isPropertyAssignment(p) &&
                /^(maskPhone|redactPhones)\(/.test(p.initializer.getText(source));
              if (forbidden.test(name) && !masked) {
                const line = source.getLineAndCharacterOfPosition(p.getStart(source)).line + 1;
                offenders.push(`${path.relative(SRC, file)}:${line} ${name}`);
              }
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    assert.deepEqual(offenders, []);
  });
});

describe("the log-based metrics (functions/ops/monitoring/metrics)", () => {
  it("exist, one file each, named as the metric", () => {
    assert.ok(metrics.length >= 10);
    for (const [file, metric] of metrics) assert.equal(`${metric.name}.json`, file);
  });

  for (const [file, metric] of metrics) {
    it(`${file}: its filter names an event logs.ts lists and the code emits`, () => {
      const events = [...metric.filter.matchAll(/jsonPayload\.message="([^"]+)"/g)].map(
        (m) => m[1],
      );
      assert.equal(events.length, 1, metric.filter);
      assert.ok(events[0] in LOG_EVENTS, `${events[0]} is not in src/log-events.ts`);
      assert.ok(emitted.has(events[0]), `${events[0]} is never emitted`);
      assert.match(metric.filter, /resource\.type="cloud_run_revision"/);
      const declared = (metric.metricDescriptor.labels ?? []).map((l) => l.key).sort();
      assert.deepEqual(Object.keys(metric.labelExtractors ?? {}).sort(), declared);
    });
  }
});

describe("the alert policies (functions/ops/monitoring/policies)", () => {
  const names = new Set(metrics.map(([, m]) => m.name));
  for (const [file, policy] of policies) {
    it(`${file}: watches a metric defined here and names a runbook that exists`, () => {
      for (const condition of policy.conditions) {
        const metric = /logging\.googleapis\.com\/user\/([a-z_]+)/.exec(
          condition.conditionThreshold.filter,
        )?.[1];
        assert.ok(metric && names.has(metric), `${file} watches ${metric ?? "nothing"}`);
      }
      const runbook = /docs\/runbooks\/[a-z-]+\.md/.exec(policy.documentation.content)?.[0];
      assert.ok(runbook, `${file} names no runbook`);
      assert.ok(fs.existsSync(path.join(ROOT, runbook)), `${runbook} does not exist`);
    });
  }
});

describe("npm run monitoring:apply", () => {
  /** A gcloud that records its arguments; EXISTS=1 makes every metric and policy exist already. */
  function fakeGcloud(dir: string): string {
    const log = path.join(dir, "calls.log");
    fs.writeFileSync(
      path.join(dir, "gcloud"),
      `#!/usr/bin/env bash
echo "$*" >> "${log}"
if [ "$1 $2" = "logging metrics" ] && [ "$3" = "describe" ]; then [ "\${EXISTS:-0}" = 1 ] && exit 0 || exit 1; fi
if [ "$3" = "policies" ] && [ "$4" = "list" ]; then [ "\${EXISTS:-0}" = 1 ] && echo "projects/p/alertPolicies/123"; fi
exit 0
`,
      { mode: 0o755 },
    );
    return log;
  }

  const run = (dir: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync("bash", [path.join(MONITORING, "apply.sh"), ...args], {
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, ...env },
      encoding: "utf8",
    });

  it("creates every metric and policy, with the notification channels given, then updates them in place", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "monitoring-apply-"));
    try {
      const log = fakeGcloud(dir);
      const channel = "projects/demo-x/notificationChannels/42";
      const first = run(dir, ["demo-x", channel]);
      assert.equal(first.status, 0, first.stderr);
      let calls = fs.readFileSync(log, "utf8").trim().split("\n");
      assert.equal(
        calls.filter((c) => c.startsWith("logging metrics create")).length,
        metrics.length,
      );
      assert.equal(
        calls.filter((c) => c.startsWith("alpha monitoring policies create")).length,
        policies.length,
      );
      assert.ok(calls.every((c) => c.includes("--project=demo-x")));
      assert.match(
        first.stdout,
        new RegExp(
          `Applied ${metrics.length} metrics and ${policies.length} alert policies to demo-x`,
        ),
      );

      fs.rmSync(log);
      const again = run(dir, ["demo-x"], { EXISTS: "1" });
      assert.equal(again.status, 0, again.stderr);
      calls = fs.readFileSync(log, "utf8").trim().split("\n");
      assert.equal(calls.filter((c) => c.includes(" create")).length, 0);
      assert.equal(
        calls.filter((c) => c.startsWith("logging metrics update")).length,
        metrics.length,
      );
      assert.equal(
        calls.filter((c) =>
          c.startsWith("alpha monitoring policies update projects/p/alertPolicies/123"),
        ).length,
        policies.length,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to run without a project", () => {
    const result = run(os.tmpdir(), []);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /usage: npm run monitoring:apply -- PROJECT_ID/);
  });
});
