import { strict as assert } from "node:assert";
import {
  conversationJustEnded,
  summariseEndedConversation,
} from "../../src/app/summarise-conversation";
import { initialDialogueState } from "../../src/domain/dialogue/dialogue-state";
import type { ConversationFacts } from "../../src/domain/summaries/conversation-summary";
import type {
  ConversationSummaryStore,
  StoredSummary,
} from "../../src/ports/conversation-summary.port";
import { ManualClock, RecordingLogger } from "../support/in-memory-outbox.store";

class InMemorySummaries implements ConversationSummaryStore {
  readonly stored = new Map<string, StoredSummary>();
  constructor(private readonly conversations: Map<string, ConversationFacts>) {}
  async facts(businessId: string, conversationId: string) {
    return this.conversations.get(`${businessId}/${conversationId}`) ?? null;
  }
  async create(businessId: string, record: StoredSummary) {
    const key = `${businessId}/${record.conversationId}`;
    if (this.stored.has(key)) return "exists" as const;
    this.stored.set(key, record);
    return "created" as const;
  }
}

describe("summarising a conversation that ended", () => {
  const facts: ConversationFacts = {
    channel: "call",
    callerPhone: "+447700900444",
    state: { ...initialDialogueState(), draft: { problem: "boiler not firing" } },
    turns: [{ speaker: "caller", text: "my boiler's not firing up" }],
  };
  const NOW = new Date("2026-11-25T10:00:00Z");

  it("stores the summary and its paragraph once, and says so the second time", async () => {
    const summaries = new InMemorySummaries(new Map([["b1/CA1", facts]]));
    const deps = { summaries, clock: new ManualClock(NOW), logger: new RecordingLogger() };
    assert.equal(
      await summariseEndedConversation({ businessId: "b1", conversationId: "CA1" }, deps),
      "created",
    );
    assert.equal(
      await summariseEndedConversation({ businessId: "b1", conversationId: "CA1" }, deps),
      "exists",
    );
    const stored = summaries.stored.get("b1/CA1");
    assert.equal(stored?.summary.outcome, "dropped");
    assert.equal(stored?.createdAt.toISOString(), NOW.toISOString());
    assert.match(stored?.text ?? "", /hung up before booking \(boiler not firing\)/);
  });

  it("reports a conversation it cannot find", async () => {
    const deps = {
      summaries: new InMemorySummaries(new Map()),
      clock: new ManualClock(NOW),
      logger: new RecordingLogger(),
    };
    assert.equal(
      await summariseEndedConversation({ businessId: "b1", conversationId: "CA9" }, deps),
      "missing",
    );
  });

  describe("knowing which write ended a call", () => {
    it("is the write that first records the end, either way it is recorded", () => {
      assert.equal(conversationJustEnded({ endedAt: null }, { endedAt: new Date() }), true);
      assert.equal(conversationJustEnded({}, { endStatus: "completed" }), true);
      assert.equal(conversationJustEnded(undefined, { endedAt: new Date() }), true);
    });

    it("is not a turn, a later write, a deletion or a text thread", () => {
      assert.equal(conversationJustEnded({}, { turnCount: 2 }), false);
      assert.equal(
        conversationJustEnded({ endedAt: new Date() }, { endedAt: new Date(), x: 1 }),
        false,
      );
      assert.equal(conversationJustEnded({ endedAt: new Date() }, undefined), false);
      assert.equal(conversationJustEnded({}, { channel: "sms", endedAt: new Date() }), false);
    });
  });
});
