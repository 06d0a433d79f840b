import { strict as assert } from "node:assert";
import { missedTargets, target, verdict } from "../../bench/targets";

describe("npm run bench's targets (bench/targets.ts)", () => {
  const met = target("choose a time: p95 / baseline p95", 1.2, 1.5, "x");
  const onTheLimit = target("module load: time / baseline", 1.3, 1.3, "x");
  const missed = target("understanding one turn: p95", 1.42, 1, " ms");

  it("passes a run whose every figure is at or under its limit", () => {
    assert.deepEqual(verdict([met, onTheLimit]), {
      lines: ["All 2 targets met."],
      exitCode: 0,
    });
  });

  it("fails a run that misses one, naming it with its figure and limit", () => {
    assert.deepEqual(verdict([met, missed, onTheLimit]), {
      lines: [
        "MISSED 1 of 3 targets:",
        "  understanding one turn: p95: 1.42 ms (target at most 1 ms)",
      ],
      exitCode: 1,
    });
  });

  it("counts a figure that could not be measured (NaN) as missed", () => {
    const unmeasured = target("details -> offers: p95 / baseline p95", Number.NaN, 3, "x");
    assert.deepEqual(missedTargets([met, unmeasured]), [unmeasured]);
    assert.equal(verdict([unmeasured]).exitCode, 1);
  });
});
