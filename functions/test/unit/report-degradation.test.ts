import { strict as assert } from "node:assert";
import { deliverOutboxMessage } from "../../src/app/deliver-outbox-message";
import { degradationReporter, reportDegradation } from "../../src/app/report-degradation";
import { secondReading } from "../../src/app/second-reading";
import {
  alertWindow,
  type Degradation,
  isModelDegraded,
  isSystemicSmsFailure,
} from "../../src/domain/health/degradation";
import type { DegradationBoard, DegradationReporter } from "../../src/ports/attention.port";
import type { RulesReading } from "../../src/domain/nlu/model-reading";
import type { LanguageModel } from "../../src/ports/language-model.port";
import { SmsSendError } from "../../src/ports/sms-gateway.port";
import {
  aBusiness,
  InMemoryBusinessDirectory,
  InMemoryOutboxQueue,
} from "../support/call-fixtures";
import {
  InMemoryAttentionBoard,
  InMemoryDegradationBoard,
  InMemoryOutboxStore,
  InMemoryRecipients,
  ManualClock,
  RecordingLogger,
  ScriptedSmsGateway,
} from "../support/in-memory-outbox.store";

class RecordingReporter implements DegradationReporter {
  readonly reports: { businessId: string; degradation: Degradation; detail?: string }[] = [];
  async report(businessId: string, degradation: Degradation, detail?: string) {
    this.reports.push({ businessId, degradation, detail });
  }
}

describe("telling the owner the receptionist is degraded", () => {
  const business = aBusiness();
  let clock: ManualClock;
  let board: InMemoryDegradationBoard;
  let outbox: InMemoryOutboxQueue;
  let logger: RecordingLogger;
  const deps = () => ({
    board,
    outbox,
    businesses: new InMemoryBusinessDirectory(business),
    clock,
    logger,
  });

  beforeEach(() => {
    clock = new ManualClock(new Date("2026-12-03T08:10:00Z"));
    board = new InMemoryDegradationBoard();
    outbox = new InMemoryOutboxQueue();
    logger = new RecordingLogger();
  });

  it("raises one dashboard item and texts the owner, the first time", async () => {
    const outcome = await reportDegradation(
      { businessId: business.id, degradation: "texts-failing", detail: "error 20003" },
      deps(),
    );
    assert.equal(outcome, "alerted");
    const item = board.items.get(`${business.id}/texts-failing`);
    assert.equal(item?.kind, "receptionist-degraded");
    assert.equal(item?.title, "Texts are failing");
    assert.match(item?.reason ?? "", /\(error 20003\)$/);
    const [text] = outbox.messages;
    assert.equal(text.to, business.ownerMobile);
    assert.equal(text.purpose, "owner-receptionist-degraded");
    assert.match(
      text.body,
      new RegExp(`^${business.name}: texts from your receptionist are failing`),
    );
    const log = logger.lines.find((l) => l.event === "receptionist.degraded");
    assert.deepEqual(log?.fields, {
      businessId: business.id,
      degradation: "texts-failing",
      outcome: "alerted",
    });
  });

  it("does not text again, nor write, however often it recurs in the same window", async () => {
    for (let i = 0; i < 20; i += 1) {
      await reportDegradation({ businessId: business.id, degradation: "model-fallback" }, deps());
      clock.advance(60_000);
    }
    assert.equal(outbox.messages.length, 1);
    assert.equal(board.writes, 1);
  });

  it("racing reports queue a single text", async () => {
    await Promise.all(
      Array.from({ length: 5 }, () =>
        reportDegradation({ businessId: business.id, degradation: "calendar-unreachable" }, deps()),
      ),
    );
    assert.equal(outbox.messages.length, 1);
  });

  it("tells the owner again in the next window if it is still happening, un-acknowledged", async () => {
    await reportDegradation({ businessId: business.id, degradation: "texts-failing" }, deps());
    board.items.get(`${business.id}/texts-failing`)!.acknowledged = true;
    clock.advance(6 * 3600_000);
    assert.equal(
      await reportDegradation({ businessId: business.id, degradation: "texts-failing" }, deps()),
      "alerted",
    );
    assert.equal(outbox.messages.length, 2);
    assert.notEqual(outbox.messages[0].id, outbox.messages[1].id);
    assert.equal(board.items.get(`${business.id}/texts-failing`)!.acknowledged, false);
  });

  it("texts nobody for a business it cannot find", async () => {
    assert.equal(
      await reportDegradation({ businessId: "gone", degradation: "texts-failing" }, deps()),
      "unknown-business",
    );
    assert.equal(outbox.messages.length, 0);
  });

  it("never fails the work that noticed it", async () => {
    const failing: DegradationBoard = {
      degradation: () => Promise.reject(new Error("UNAVAILABLE")),
      raiseDegradation: () => Promise.resolve(),
    };
    const broken = { ...deps(), board: failing };
    await degradationReporter(broken).report(business.id, "texts-failing");
    assert.ok(logger.lines.some((l) => l.event === "receptionist.degraded-report-failed"));
  });

  it("windows are six-hour blocks of UTC", () => {
    assert.equal(alertWindow(new Date("2026-12-03T05:59:59Z")), "2026-12-03T00");
    assert.equal(alertWindow(new Date("2026-12-03T06:00:00Z")), "2026-12-03T06");
    assert.equal(alertWindow(new Date("2026-12-03T23:00:00Z")), "2026-12-03T18");
  });

  describe("what counts as degraded", () => {
    it("texts: the account, credentials, number or queue, or every attempt failing without a code", () => {
      assert.equal(isSystemicSmsFailure(20003, "permanent"), true);
      assert.equal(isSystemicSmsFailure(21606, "permanent"), true);
      assert.equal(isSystemicSmsFailure(undefined, "attempts-exhausted"), true);
      assert.equal(isSystemicSmsFailure(21211, "permanent"), false, "one bad number");
      assert.equal(isSystemicSmsFailure(21610, "permanent"), false, "one customer opted out");
      assert.equal(isSystemicSmsFailure(undefined, "permanent"), false);
    });

    it("the model: an outage, not a missing key, a switched-off setting or a refusal", () => {
      for (const reason of ["timeout", "rate-limited", "overloaded", "error", "invalid-output"]) {
        assert.equal(isModelDegraded(reason), true, reason);
      }
      for (const reason of ["no-key", "disabled", "refusal"])
        assert.equal(isModelDegraded(reason), false, reason);
    });
  });

  describe("where it is noticed", () => {
    it("a text failing on Twilio's credentials reports texts failing; a bad number does not", async () => {
      const clock2 = new ManualClock(new Date("2026-03-10T09:00:00Z"));
      const store = new InMemoryOutboxStore(clock2);
      store.profiles.set("bristol-plumbing", {
        phoneNumber: "+441174960000",
        defaultCountry: "GB",
        ownerMobile: "+447700900001",
      });
      const gateway = new ScriptedSmsGateway(clock2);
      const reporter = new RecordingReporter();
      const deliver = (id: string) =>
        deliverOutboxMessage(
          { businessId: "bristol-plumbing", messageId: id, eventId: `event-${id}` },
          {
            store,
            outbox: store,
            recipients: new InMemoryRecipients(),
            attention: new InMemoryAttentionBoard(),
            gateway,
            clock: clock2,
            logger: new RecordingLogger(),
            degradation: reporter,
          },
        );
      for (const [id, code] of [
        ["m1", 20003],
        ["m2", 21211],
      ] as const) {
        await store.enqueue({
          id,
          businessId: "bristol-plumbing",
          to: "+447700900123",
          body: "Hello",
          purpose: "booking-confirmation",
        });
        gateway.failNext(
          new SmsSendError({
            permanent: true,
            code,
            httpStatus: 400,
            message: `Twilio 400 (${code})`,
          }),
        );
        await deliver(id);
      }
      assert.deepEqual(
        reporter.reports.map((r) => r.degradation),
        ["texts-failing"],
      );
    });

    it("the language model timing out reports the model path falling back; no key does not", async () => {
      const reporter = new RecordingReporter();
      const modelSaying = (reason: "timeout" | "no-key"): LanguageModel => ({
        read: async () => ({ status: "unavailable", reason, latencyMs: 2500 }),
      });
      const rules: RulesReading = {
        intent: "unknown",
        emergencyKind: null,
        slots: {},
        offeredSlotIds: [],
      };
      for (const reason of ["timeout", "no-key"] as const) {
        await secondReading(
          {
            business,
            stage: "problem" as never,
            utterance: "well it's sort of doing a thing with the whatsit under the sink again",
            rules,
          },
          { model: modelSaying(reason), logger: new RecordingLogger(), degradation: reporter },
        );
      }
      assert.deepEqual(
        reporter.reports.map((r) => [r.degradation, r.detail]),
        [["model-fallback", "timeout"]],
      );
    });
  });
});
