import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  analyseLine,
  FALLBACK_DEMO_TENANT,
  loadDemoTenant,
  NluLineResult,
} from "../../src/tools/nlu-cli";

const CLI = path.resolve(__dirname, "../../src/tools/nlu-cli.js");

describe("nlu cli", () => {
  describe("analysing one line", () => {
    it("reports an emergency with its kind", () => {
      const result = analyseLine("help, my pipe has burst", FALLBACK_DEMO_TENANT);
      assert.equal(result.intent, "emergency");
      assert.equal(result.emergency, true);
      assert.equal(result.emergencyKind, "burst-pipe");
      assert.equal(result.text, "help, my pipe has burst");
    });

    it("reports a booking with its slots", () => {
      const result = analyseLine(
        "this is Sarah Jones, my kitchen tap is dripping",
        FALLBACK_DEMO_TENANT,
      );
      assert.equal(result.intent, "book");
      assert.equal(result.emergency, false);
      assert.equal(result.emergencyKind, null);
      assert.equal(result.slots.name, "Sarah Jones");
      assert.equal(result.slots.serviceId, "dripping-tap");
    });

    it("shows the safety question when the signals are partial, and the words behind it", () => {
      const result = analyseLine("there's water on the kitchen floor", FALLBACK_DEMO_TENANT);
      assert.equal(result.emergency, false);
      assert.deepEqual(result.safetyQuestion, {
        question: "Is water coming out right now that you can't stop?",
        kind: "burst-pipe",
      });
      assert.equal(result.matched, "water on the kitchen floor");
    });

    it("shows the matched words of a clear emergency and asks no question", () => {
      const result = analyseLine("the sealing is dripping onto the fuse box", FALLBACK_DEMO_TENANT);
      assert.equal(result.emergencyKind, "water-on-electrics");
      assert.equal(result.safetyQuestion, null);
      assert.match(result.matched ?? "", /fuse box/);
    });

    it("knows the owner's name, so asking for them is asking for a person", () => {
      assert.equal(analyseLine("could you get Dave for me", FALLBACK_DEMO_TENANT).intent, "human");
      assert.notEqual(
        analyseLine("could you get Dave for me", { ...FALLBACK_DEMO_TENANT, ownerName: "Priya" })
          .intent,
        "human",
      );
    });

    it("uses the tenant's own emergency phrases", () => {
      const tenant = { ...FALLBACK_DEMO_TENANT, extraEmergencyPhrases: ["water tank overflowing"] };
      assert.equal(analyseLine("the water tank overflowing", tenant).emergencyKind, "custom");
      assert.equal(
        analyseLine("the water tank overflowing", FALLBACK_DEMO_TENANT).emergency,
        false,
      );
    });
  });

  describe("loading the demo tenant", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "nlu-seed-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reads services and phrases from a seed file", () => {
      const services = [
        { id: "x", name: "Gutter clean", durationMinutes: 30, keywords: ["gutter"] },
      ];
      fs.writeFileSync(
        path.join(dir, "tenant.json"),
        JSON.stringify({
          business: { ownerName: "Priya", services, emergency: { extraPhrases: ["roof caving"] } },
        }),
      );
      const tenant = loadDemoTenant(dir);
      assert.deepEqual(tenant.services, services);
      assert.deepEqual(tenant.extraEmergencyPhrases, ["roof caving"]);
      assert.equal(tenant.ownerName, "Priya");
    });

    it("falls back to the built-in demo services when the seed is missing or unreadable", () => {
      assert.equal(loadDemoTenant(path.join(dir, "missing")), FALLBACK_DEMO_TENANT);
      fs.writeFileSync(path.join(dir, "broken.json"), "{ not json");
      fs.writeFileSync(
        path.join(dir, "other.json"),
        JSON.stringify({ business: { services: [] } }),
      );
      assert.equal(loadDemoTenant(dir), FALLBACK_DEMO_TENANT);
    });

    it("has the demo services with their durations", () => {
      const durations = Object.fromEntries(
        FALLBACK_DEMO_TENANT.services.map((s) => [s.id, s.durationMinutes]),
      );
      assert.deepEqual(durations, {
        "dripping-tap": 60,
        "boiler-service": 90,
        "drain-unblock": 60,
        "bathroom-quote": 45,
        assessment: 60,
      });
    });
  });

  describe("when run as a program", () => {
    it("prints one JSON object per non-empty input line", () => {
      const run = spawnSync(process.execPath, [CLI], {
        input: "I can smell gas\n\nmy sink's blocked\ncan I speak to a person\n",
        encoding: "utf8",
        timeout: 15000,
      });
      assert.equal(run.status, 0, run.stderr);
      const lines = run.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as NluLineResult);
      assert.deepEqual(
        lines.map((l) => [l.text, l.intent, l.emergencyKind, l.slots.serviceId ?? null]),
        [
          ["I can smell gas", "emergency", "gas-smell", null],
          ["my sink's blocked", "book", null, "drain-unblock"],
          ["can I speak to a person", "human", null, null],
        ],
      );
    });
  });
});
