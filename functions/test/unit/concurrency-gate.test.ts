import { strict as assert } from "node:assert";
import { ConcurrencyGate } from "../../src/tools/load/concurrency-gate";

/** A piece of work the test finishes by hand. */
function pending() {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { done, finish, fail };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("the concurrency gate in front of one instance", () => {
  it("runs at most `limit` requests at once and queues the rest in arrival order", async () => {
    const gate = new ConcurrencyGate(2);
    const works = [pending(), pending(), pending(), pending()];
    const started: number[] = [];
    const runs = works.map((work, index) =>
      gate.run(async () => {
        started.push(index);
        await work.done;
      }),
    );
    await tick();
    assert.deepEqual(started, [0, 1]);
    assert.equal(gate.stats().maxQueued, 2);

    works[1].finish();
    await tick();
    assert.deepEqual(started, [0, 1, 2], "the first one waiting goes next");
    works[0].finish();
    await tick();
    assert.deepEqual(started, [0, 1, 2, 3]);
    works[2].finish();
    works[3].finish();
    await Promise.all(runs);
    assert.deepEqual(gate.stats(), {
      limit: 2,
      admitted: 4,
      maxQueued: 2,
      queuedRequests: 2,
      maxInFlight: 2,
    });
  });

  it("gives the place back when a request fails", async () => {
    const gate = new ConcurrencyGate(1);
    const first = pending();
    const failing = gate.run(() => first.done);
    let secondRan = false;
    const second = gate.run(async () => {
      secondRan = true;
    });
    await tick();
    assert.equal(secondRan, false);
    first.fail(new Error("instance crashed"));
    await assert.rejects(failing, /instance crashed/);
    await second;
    assert.equal(secondRan, true);
  });

  it("never queues below its limit", async () => {
    const gate = new ConcurrencyGate(80);
    await Promise.all(Array.from({ length: 50 }, () => gate.run(() => tick())));
    assert.equal(gate.stats().maxQueued, 0);
    assert.equal(gate.stats().maxInFlight, 50);
  });

  it("refuses a limit that is not a whole number of at least 1", () => {
    assert.throws(() => new ConcurrencyGate(0), /at least 1/);
    assert.throws(() => new ConcurrencyGate(2.5), /whole number/);
  });
});
