import { strict as assert } from "node:assert";
import {
  abusePolicySchema,
  defaultAbusePolicy,
  gateVerdict,
  isBusinessNumber,
  windowSlot,
} from "../../src/domain/abuse/abuse-policy";
import { spoken } from "../../src/domain/dialogue/wording";
import { emergencyFromTurnedAwayText } from "../../src/domain/notifications/owner-texts";
import { clientIp } from "../../src/triggers/http/ip-limit";

describe("rate limits and screening rules (abuse-policy.ts)", () => {
  const window = { limit: 3, windowMinutes: 10 };

  it("puts each moment in its fixed window, whose counter may go an hour after it closes", () => {
    const slot = windowSlot(new Date("2026-12-03T09:17:45Z"), 10);
    assert.equal(slot.start.toISOString(), "2026-12-03T09:10:00.000Z");
    assert.equal(slot.expireAt.toISOString(), "2026-12-03T10:20:00.000Z");
    assert.equal(
      windowSlot(new Date("2026-12-03T09:19:59.999Z"), 10).start.getTime(),
      slot.start.getTime(),
    );
    assert.equal(
      windowSlot(new Date("2026-12-03T09:20:00Z"), 10).start.toISOString(),
      "2026-12-03T09:20:00.000Z",
    );
  });

  it("lets the first `limit` arrivals in a window through and limits the next", () => {
    for (const count of [1, 2, 3]) {
      assert.deepEqual(gateVerdict({ count, window, entry: null, knownSpam: false }), {
        kind: "pass",
      });
    }
    assert.deepEqual(gateVerdict({ count: 4, window, entry: null, knownSpam: false }), {
      kind: "limited",
      count: 4,
    });
  });

  it("screens a number on the list or the spam list, unless the owner allowed it", () => {
    const since = new Date();
    const screened = {
      number: "+447700900001",
      status: "screened" as const,
      reason: "short-calls" as const,
      since,
    };
    const allowed = { ...screened, status: "allowed" as const, reason: "owner" as const };
    assert.deepEqual(gateVerdict({ count: 1, window, entry: screened, knownSpam: false }), {
      kind: "screened",
      reason: "short-calls",
    });
    assert.deepEqual(gateVerdict({ count: 1, window, entry: null, knownSpam: true }), {
      kind: "screened",
      reason: "known-spam",
    });
    assert.deepEqual(gateVerdict({ count: 1, window, entry: allowed, knownSpam: true }), {
      kind: "pass",
    });
    // Allowed is not unlimited: the rate limit still applies.
    assert.equal(
      gateVerdict({ count: 4, window, entry: allowed, knownSpam: false }).kind,
      "limited",
    );
  });

  it("never limits the business's own numbers", () => {
    const business = {
      ownerMobile: "+447700900123",
      backupNumbers: ["+447700900456"],
      phoneNumber: "+441179000000",
    };
    assert.ok(isBusinessNumber(business, "+447700900123"));
    assert.ok(isBusinessNumber(business, "+447700900456"));
    assert.ok(!isBusinessNumber(business, "+447700900999"));
  });

  it("refuses a limit that would turn away a first call, and fills every default", () => {
    const refused = abusePolicySchema.safeParse({
      callsPerNumber: { limit: 1, windowMinutes: 10 },
    });
    assert.equal(refused.success, false);
    assert.deepEqual(
      refused.error?.issues.map((i) => i.path.join(".")),
      ["callsPerNumber.limit"],
    );
    assert.deepEqual(defaultAbusePolicy.callsPerNumber, { limit: 6, windowMinutes: 10 });
    assert.equal(defaultAbusePolicy.shortCalls.enabled, true);
  });

  it("tells a turned-away caller why, and always offers the emergency question", () => {
    const limited = spoken.turnedAway("Bristol Plumbing", "limited");
    assert.match(limited, /^Thanks for calling Bristol Plumbing\./);
    assert.match(limited, /several calls from your number/);
    assert.match(spoken.ifEmergencyTellMe(), /emergency/);
    assert.notEqual(spoken.turnedAway("Bristol Plumbing", "known-spam"), limited);
    assert.match(spoken.turnedAway("Bristol Plumbing", "known-spam"), /can't take calls/);
    const text = emergencyFromTurnedAwayText({
      label: "burst pipe",
      callerPhone: "+447700900001",
      why: "limited",
      words: "x".repeat(200),
    });
    assert.ok(text.length < 260, "one or two SMS segments");
    assert.match(text, /^EMERGENCY \(burst pipe\): \+447700900001/);
  });

  it("reads the client's address as the last X-Forwarded-For entry, which a client cannot choose", () => {
    assert.equal(clientIp("1.2.3.4, 203.0.113.9", "10.0.0.1"), "203.0.113.9");
    assert.equal(clientIp(undefined, "10.0.0.1"), "10.0.0.1");
    assert.equal(clientIp("", undefined), "unknown");
  });
});
