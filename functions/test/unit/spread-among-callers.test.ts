import { strict as assert } from "node:assert";
import { spreadAmongCallers } from "../../src/domain/scheduling/offers";

const hour = (h: number) => ({
  start: new Date(Date.UTC(2026, 10, 26, h)),
  end: new Date(Date.UTC(2026, 10, 26, h + 1)),
});
const ranked = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map(hour);

describe("offers for callers who lost theirs to others ringing at the same moment", () => {
  it("gives each caller the asked number of the ranked times, in rank order", () => {
    const picked = spreadAmongCallers(ranked, 3, "CA1/1");
    assert.equal(picked.length, 3);
    const at = ranked.indexOf(picked[0]);
    assert.deepEqual(picked, ranked.slice(at, at + 3));
  });

  it("is the same for the same caller and round, so a retried webhook offers the same", () => {
    assert.deepEqual(
      spreadAmongCallers(ranked, 3, "CA1/2"),
      spreadAmongCallers(ranked, 3, "CA1/2"),
    );
  });

  it("sends twenty simultaneous callers to different places among the best times", () => {
    const starts = new Set(
      Array.from({ length: 20 }, (_, i) =>
        spreadAmongCallers(ranked, 3, `CA${i}/1`)[0].start.getTime(),
      ),
    );
    assert.ok(starts.size >= 6, `only ${starts.size} different first offers among 20 callers`);
  });

  it("offers what there is when there are no more times than asked for", () => {
    assert.deepEqual(spreadAmongCallers(ranked.slice(0, 2), 3, "CA9/1"), ranked.slice(0, 2));
  });
});
