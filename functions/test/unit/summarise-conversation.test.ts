import { strict as assert } from "node:assert";
import {
  conversationJustEnded,
  recordedMessageJustLanded,
  summariseEndedConversation,
} from "../../src/app/summarise-conversation";
import { initialDialogueState } from "../../src/domain/dialogue/dialogue-state";
import {
  type ConversationFacts,
  messageProgress,
} from "../../src/domain/summaries/conversation-summary";
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
  async save(businessId: string, record: StoredSummary) {
    const key = `${businessId}/${record.conversationId}`;
    const stored = this.stored.get(key);
    if (!stored) {
      this.stored.set(key, record);
      return "created" as const;
    }
    if (messageProgress(record.summary) <= messageProgress(stored.summary))
      return "exists" as const;
    this.stored.set(key, { ...record, createdAt: stored.createdAt, updatedAt: record.createdAt });
    return "updated" as const;
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

  it("writes the summary again once the call's recorded message is transcribed, never back", async () => {
    const recorded: ConversationFacts = {
      ...facts,
      state: {
        ...initialDialogueState("ended"),
        done: [{ action: "message", reason: "callback", seconds: 14 }],
      },
    };
    const conversations = new Map([["b1/CA2", recorded]]);
    const summaries = new InMemorySummaries(conversations);
    const clock = new ManualClock(NOW);
    const deps = { summaries, clock, logger: new RecordingLogger() };
    const run = () => summariseEndedConversation({ businessId: "b1", conversationId: "CA2" }, deps);

    assert.equal(await run(), "created");
    assert.match(summaries.stored.get("b1/CA2")?.text ?? "", /Message \(14 s\): not transcribed/);

    conversations.set("b1/CA2", {
      ...recorded,
      recordings: [{ seconds: 14, words: "the tap in the bathroom drips" }],
    });
    clock.advance(120_000);
    assert.equal(await run(), "updated");
    assert.equal(await run(), "exists", "a redelivered event stores nothing twice");
    const stored = summaries.stored.get("b1/CA2");
    assert.match(stored?.text ?? "", /Message \(14 s\): "the tap in the bathroom drips"$/);
    assert.equal(stored?.createdAt.toISOString(), NOW.toISOString(), "first written then");

    // Facts read before the words landed, stored late: the words stay.
    conversations.set("b1/CA2", recorded);
    assert.equal(await run(), "exists");
    assert.equal(
      summaries.stored.get("b1/CA2")?.summary.message?.words,
      "the tap in the bathroom drips",
    );
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

    it("writes again when a recorded message's transcription lands on an ended call", () => {
      const sid = `RE${"1".repeat(32)}`;
      const ended = { endedAt: new Date() };
      const landed = { ...ended, recordedMessages: { [sid]: { transcribed: true } } };
      assert.equal(recordedMessageJustLanded(ended, landed), true);
      assert.equal(recordedMessageJustLanded(landed, { ...landed, turnCount: 9 }), false);
      // Before the call has ended, the end's own summary reads the words.
      assert.equal(
        recordedMessageJustLanded({}, { recordedMessages: { [sid]: { transcribed: true } } }),
        false,
      );
      assert.equal(recordedMessageJustLanded(landed, undefined), false);
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
