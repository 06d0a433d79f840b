import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as semver from "semver";
import { runtimeProblem } from "../../src/tools/deploy/runtimes";

/**
 * What `firebase deploy` will be asked for: a runtime Cloud Run functions
 * still deploys, engines that agree with it, dependencies that run on it,
 * and run options on every function.
 */
const ROOT = path.resolve(__dirname, "..", "..", "..", "..");
const FUNCTIONS = path.join(ROOT, "functions");

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
}

const firebaseJson = readJson(path.join(ROOT, "firebase.json")) as {
  functions: { source: string; runtime?: string }[];
};
const functionsPackage = readJson(path.join(FUNCTIONS, "package.json")) as {
  engines?: { node?: string };
  dependencies: Record<string, string>;
};

describe("the deployment's runtime", () => {
  const runtime = firebaseJson.functions[0].runtime ?? "";

  it("is one Cloud Run functions still deploys today", () => {
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(runtimeProblem(runtime, today), undefined);
  });

  it("is the Node.js major the functions' engines ask for", () => {
    const major = runtime.replace(/^nodejs/, "");
    assert.equal(functionsPackage.engines?.node, major);
  });

  it("runs every production dependency, by their own engines field", () => {
    const node = `${runtime.replace(/^nodejs/, "")}.0.0`;
    const refused: string[] = [];
    const seen = new Set<string>();
    const visit = (name: string, from: string) => {
      let manifestPath: string;
      try {
        manifestPath = require.resolve(`${name}/package.json`, { paths: [from] });
      } catch {
        return; // optional, or exports no package.json: nothing to check
      }
      if (seen.has(manifestPath)) return;
      seen.add(manifestPath);
      const manifest = readJson(manifestPath) as {
        engines?: { node?: string };
        dependencies?: Record<string, string>;
      };
      const range = manifest.engines?.node;
      if (range && !semver.satisfies(node, range, { includePrerelease: true })) {
        refused.push(`${name} (node ${range})`);
      }
      for (const dep of Object.keys(manifest.dependencies ?? {})) {
        visit(dep, path.dirname(manifestPath));
      }
    };
    for (const dep of Object.keys(functionsPackage.dependencies)) visit(dep, FUNCTIONS);
    assert.ok(seen.size > 100, `walked ${seen.size} packages`);
    assert.deepEqual(refused, []);
  });
});

describe("every deployed function's run options", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require("../../src/index") as Record<string, { __endpoint?: unknown }>;
  const names = Object.keys(exported);

  it("are declared for every export", () => {
    assert.ok(names.length >= 9, names.join());
    for (const name of names) {
      const endpoint = exported[name].__endpoint as Record<string, unknown> | undefined;
      assert.ok(endpoint, `${name} is not a function`);
      for (const option of [
        "region",
        "availableMemoryMb",
        "timeoutSeconds",
        "concurrency",
        "maxInstances",
        "minInstances",
      ]) {
        assert.notEqual(endpoint[option], undefined, `${name} declares no ${option}`);
      }
    }
  });

  it("let the voice webhook answer many calls per instance, inside Twilio's 15 s", () => {
    const voice = exported.voice.__endpoint as Record<string, number>;
    assert.ok(voice.concurrency > 1);
    assert.ok(voice.timeoutSeconds >= 15);
  });

  it("keep the voice function's warm instances a setting, 0 unless the owner pays for one", () => {
    const voice = exported.voice.__endpoint as Record<string, unknown>;
    assert.match(String(voice.minInstances), /VOICE_MIN_INSTANCES/);
  });
});
