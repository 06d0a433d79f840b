import { strict as assert } from "node:assert";
import { errorText, logError, logInfo, logWarn, redactPhones } from "../../src/logs";
import { RecordingLogger } from "../support/in-memory-outbox.store";

describe("log redaction (src/logs.ts)", () => {
  describe("redactPhones", () => {
    const cases: [string, string][] = [
      ["Twilio refused +447700900123", "Twilio refused +44******0123"],
      ["cannot text 07700 900123 now", "cannot text +44******0123 now"],
      ["cannot text 07700900123", "cannot text +44******0123"],
      ["to +44 7700 900123.", "to +44******0123."],
      ["number 447700900123 unknown", "number +44******0123 unknown"],
      ["landline 0117 496 0000, then", "landline +44******0000, then"],
      ["dashed 0117-496-0000", "dashed +44******0000"],
      ["US +1 415 555 0100 too", "US +1******0100 too"],
    ];
    for (const [text, expected] of cases) {
      it(`masks ${JSON.stringify(text)}`, () => {
        assert.equal(redactPhones(text), expected);
      });
    }

    it("leaves ids, SIDs, dates, times and short numbers alone", () => {
      for (const text of [
        "CA0123456789abcdef0123456789abcdef",
        "SM07700900123",
        "appointment 07700900123abc",
        "2026-12-03T10:15:00.000Z",
        "took 1234567 ms",
        "09:00 to 17:30",
        "error 21610",
      ]) {
        assert.equal(redactPhones(text), text);
      }
    });
  });

  describe("logInfo, logWarn, logError", () => {
    for (const [log, level] of [
      [logInfo, "info"],
      [logWarn, "warn"],
      [logError, "error"],
    ] as const) {
      it(`${level}: an error message naming a number is logged masked, other fields kept`, () => {
        const logger = new RecordingLogger();
        log(logger, "sms.failed", {
          businessId: "bristol-plumbing",
          callSid: "CA0123456789abcdef",
          attempt: 3,
          error: errorText(new Error("21211: '+447700900123' and 07700 900123 are not valid")),
        });
        assert.deepEqual(logger.lines, [
          {
            level,
            event: "sms.failed",
            fields: {
              businessId: "bristol-plumbing",
              callSid: "CA0123456789abcdef",
              attempt: 3,
              error: "21211: '+44******0123' and +44******0123 are not valid",
            },
          },
        ]);
        assert.doesNotMatch(JSON.stringify(logger.lines), /7700\s?900123/);
      });
    }

    it("masks a number in any free-text field, not only error", () => {
      const logger = new RecordingLogger();
      logWarn(logger, "calendar.sync-retry", { reason: "owner 07700 900123 unreachable" });
      assert.equal(logger.lines[0].fields.reason, "owner +44******0123 unreachable");
    });
  });

  it("errorText reads an Error's message, or anything else as text", () => {
    assert.equal(errorText(new Error("boom")), "boom");
    assert.equal(errorText("plain"), "plain");
    assert.equal(errorText(42), "42");
  });
});
