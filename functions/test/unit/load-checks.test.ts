import { strict as assert } from "node:assert";
import { declaredConcurrency } from "../../src/tools/load/declared-concurrency";
import { summarise } from "../../src/tools/load/latency-stats";
import { overlappingPairs, type BookedSpan } from "../../src/tools/load/overlaps";

const at = (hhmm: string) => new Date(`2030-01-07T${hhmm}:00Z`);
const job = (
  id: string,
  start: string,
  end: string,
  bufferMinutes = 0,
  businessId = "acme",
): BookedSpan => ({ id, businessId, start: at(start), end: at(end), bufferMinutes });

describe("counting double bookings after a load run", () => {
  it("finds two jobs of one business whose times overlap", () => {
    const pairs = overlappingPairs([job("a", "10:00", "11:00"), job("b", "10:30", "11:30")]);
    assert.deepEqual(pairs, [["a", "b"]]);
  });

  it("counts the buffer after a job as claimed time", () => {
    // 09:00-10:30 plus a 15-minute buffer claims until 10:45.
    const pairs = overlappingPairs([
      job("boiler", "09:00", "10:30", 15),
      job("tap", "10:30", "11:30"),
    ]);
    assert.deepEqual(pairs, [["boiler", "tap"]]);
  });

  it("does not count jobs that only touch, or jobs of different businesses", () => {
    assert.deepEqual(
      overlappingPairs([
        job("a", "10:00", "11:00"),
        job("b", "11:00", "12:00"),
        job("c", "10:00", "11:00", 0, "other-business"),
      ]),
      [],
    );
  });

  it("counts every pair when three jobs share a time", () => {
    const pairs = overlappingPairs([
      job("a", "10:00", "12:00"),
      job("b", "10:15", "10:45"),
      job("c", "11:00", "11:30"),
    ]);
    assert.deepEqual(pairs, [
      ["a", "b"],
      ["a", "c"],
    ]);
  });
});

describe("the concurrency one instance serves", () => {
  it("is the declared concurrency when the function sets one", () => {
    assert.deepEqual(declaredConcurrency({ concurrency: 40, cpu: 1 }), {
      value: 40,
      source: "declared",
    });
  });

  it("reads a params expression's value", () => {
    assert.deepEqual(declaredConcurrency({ concurrency: { value: () => 12 } }), {
      value: 12,
      source: "declared",
    });
  });

  it("is Cloud Run's default of 80 when nothing is declared", () => {
    assert.deepEqual(declaredConcurrency({ concurrency: null, availableMemoryMb: 256 }), {
      value: 80,
      source: "default",
    });
  });

  it("is 1 when the function has less than one CPU", () => {
    assert.equal(declaredConcurrency({ cpu: 0.5 }).value, 1);
    assert.equal(declaredConcurrency({ cpu: "gcf_gen1", availableMemoryMb: 256 }).value, 1);
    assert.equal(declaredConcurrency({ cpu: "gcf_gen1", availableMemoryMb: 4096 }).value, 80);
  });
});

describe("latency percentiles", () => {
  it("takes the nearest rank", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, shuffled order
    assert.deepEqual(summarise(samples), { n: 100, p50: 50, p95: 95, p99: 99 });
  });

  it("is NaN without samples rather than a made-up zero", () => {
    assert.ok(Number.isNaN(summarise([]).p99));
  });
});
