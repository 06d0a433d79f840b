import { strict as assert } from "node:assert";
import {
  canTransition,
  CLAIM_LEASE_MS,
  classifySendFailure,
  decideAfterFailure,
  isTerminal,
  MAX_ATTEMPTS,
  mergeTwilioStatus,
  readiness,
  retryDelayMs,
  smsValidationProblem,
} from "../../src/domain/delivery/delivery.state-machine";
import { DELIVERY_STATUSES } from "../../src/domain/delivery/outbox-message";

const now = new Date("2026-03-10T09:00:00Z");
const seconds = (n: number) => new Date(now.getTime() + n * 1000);

describe("the delivery state machine", () => {
  describe("transitions", () => {
    it("never leaves a final state", () => {
      for (const terminal of ["SUCCESS", "SIMULATED", "ERROR"] as const) {
        assert.equal(isTerminal(terminal), true);
        for (const to of DELIVERY_STATUSES) assert.equal(canTransition(terminal, to), false);
      }
    });

    it("lets a pending message only be claimed", () => {
      const allowed = DELIVERY_STATUSES.filter((to) => canTransition("PENDING", to));
      assert.deepEqual(allowed, ["PROCESSING"]);
    });

    it("lets an attempt end in any outcome, and a retry only be claimed again", () => {
      for (const to of ["SUCCESS", "SIMULATED", "RETRY", "ERROR"] as const) {
        assert.equal(canTransition("PROCESSING", to), true);
      }
      assert.deepEqual(
        DELIVERY_STATUSES.filter((to) => canTransition("RETRY", to)),
        ["PROCESSING"],
      );
      assert.equal(canTransition("PROCESSING", "PENDING"), false);
    });
  });

  describe("after a failed attempt", () => {
    it("backs off 30 s, 2 min, 10 min, then 30 min", () => {
      assert.deepEqual([1, 2, 3, 4].map(retryDelayMs), [30_000, 120_000, 600_000, 1_800_000]);
    });

    it("schedules the next attempt after the delay for the attempt that failed", () => {
      assert.deepEqual(decideAfterFailure(2, false, now), {
        status: "RETRY",
        nextAttemptAt: seconds(120),
      });
    });

    it("gives up for good on a permanent failure, even on the first attempt", () => {
      assert.deepEqual(decideAfterFailure(1, true, now), { status: "ERROR", reason: "permanent" });
    });

    it("gives up once the last allowed attempt failed", () => {
      assert.equal(decideAfterFailure(MAX_ATTEMPTS - 1, false, now).status, "RETRY");
      assert.deepEqual(decideAfterFailure(MAX_ATTEMPTS, false, now), {
        status: "ERROR",
        reason: "attempts-exhausted",
      });
    });
  });

  describe("whether a run may start an attempt", () => {
    it("starts the first attempt of a pending message", () => {
      assert.deepEqual(readiness({ status: "PENDING", attempts: 0 }, now), {
        kind: "attempt",
        attempt: 1,
      });
    });

    it("does nothing for a message already delivered", () => {
      assert.deepEqual(readiness({ status: "SUCCESS", attempts: 1 }, now), { kind: "done" });
    });

    it("waits while another run holds the attempt's lease", () => {
      assert.deepEqual(
        readiness({ status: "PROCESSING", attempts: 1, leaseExpiresAt: seconds(5) }, now),
        { kind: "wait", until: seconds(5), reason: "lease-held" },
      );
    });

    it("takes over with the next attempt once the lease has expired", () => {
      assert.deepEqual(
        readiness({ status: "PROCESSING", attempts: 1, leaseExpiresAt: seconds(-1) }, now),
        { kind: "attempt", attempt: 2 },
      );
    });

    it("gives up on an abandoned last attempt instead of starting one more", () => {
      assert.deepEqual(
        readiness(
          { status: "PROCESSING", attempts: MAX_ATTEMPTS, leaseExpiresAt: seconds(-1) },
          now,
        ),
        { kind: "abandoned-at-limit" },
      );
    });

    it("waits for the backoff of a retry, then tries again", () => {
      const retry = { status: "RETRY" as const, attempts: 1, nextAttemptAt: seconds(30) };
      assert.deepEqual(readiness(retry, now), {
        kind: "wait",
        until: seconds(30),
        reason: "backoff",
      });
      assert.deepEqual(readiness(retry, seconds(30)), { kind: "attempt", attempt: 2 });
    });

    it("holds a lease longer than a function may run", () => {
      assert.ok(CLAIM_LEASE_MS > 60_000);
    });
  });

  describe("classifying Twilio failures", () => {
    const cases: Array<[string, { httpStatus?: number; code?: number }, string]> = [
      ["an invalid 'To' number", { httpStatus: 400, code: 21211 }, "permanent"],
      ["an unsubscribed recipient", { httpStatus: 400, code: 21610 }, "permanent"],
      ["a landline recipient", { httpStatus: 400, code: 21614 }, "permanent"],
      ["any other validation answer", { httpStatus: 400, code: 12345 }, "permanent"],
      ["rejected credentials", { httpStatus: 401, code: 20003 }, "permanent"],
      ["a rate limit", { httpStatus: 429, code: 20429 }, "transient"],
      ["a rate limit code under another status", { httpStatus: 400, code: 20429 }, "transient"],
      ["a server error", { httpStatus: 500 }, "transient"],
      ["an unavailable service", { httpStatus: 503 }, "transient"],
      ["no answer at all", {}, "transient"],
    ];
    for (const [name, facts, expected] of cases) {
      it(`treats ${name} as ${expected}`, () => {
        assert.equal(classifySendFailure(facts), expected);
      });
    }
  });

  describe("checking a message before sending", () => {
    const valid = { to: "+447700900123", from: "+441174960000", body: "Booked for 10:00." };

    it("accepts a well-formed message", () => {
      assert.equal(smsValidationProblem(valid), undefined);
    });

    it("rejects a recipient that is not E.164", () => {
      assert.match(smsValidationProblem({ ...valid, to: "07700 900123" }) ?? "", /recipient/);
    });

    it("rejects a missing sender", () => {
      assert.match(smsValidationProblem({ ...valid, from: "" }) ?? "", /sender/);
    });

    it("rejects an empty or overlong body", () => {
      assert.match(smsValidationProblem({ ...valid, body: "  " }) ?? "", /empty/);
      assert.match(smsValidationProblem({ ...valid, body: "x".repeat(1601) }) ?? "", /longer/);
    });
  });

  describe("when Twilio status callbacks arrive", () => {
    it("moves forward through Twilio's statuses", () => {
      assert.equal(mergeTwilioStatus("queued", "sent"), "sent");
      assert.equal(mergeTwilioStatus("sent", "delivered"), "delivered");
    });

    it("ignores a late callback that would move the message backwards", () => {
      assert.equal(mergeTwilioStatus("delivered", "sent"), "delivered");
      assert.equal(mergeTwilioStatus("sent", "queued"), "sent");
    });

    it("keeps the first final outcome", () => {
      assert.equal(mergeTwilioStatus("undelivered", "delivered"), "undelivered");
    });

    it("ignores statuses it does not know", () => {
      assert.equal(mergeTwilioStatus("sent", "mystery"), "sent");
    });
  });
});
