import { strict as assert } from "node:assert";
import { spoken } from "../../src/domain/dialogue/wording";
import { handleCallTurn, startCall } from "../../src/app/handle-call";
import { handleInboundSms } from "../../src/app/handle-inbound-sms";
import {
  DIALOGUE_STATE_VERSION,
  DialogueState,
  initialDialogueState,
  readDialogueState,
} from "../../src/domain/dialogue/dialogue-state";
import { smsConversationId } from "../../src/domain/sms/sms-thread";
import { aCallWorld } from "../support/call-fixtures";
import { anSmsWorld } from "../support/sms-fixtures";

const NOW = new Date("2026-11-25T10:00:00Z");
const CALL_SID = `CA${"3".repeat(32)}`;
const CALLER = "+447700900999";

describe("the stored conversation state", () => {
  describe("when it is read", () => {
    it("reads a state as the engine stores it, with its version", () => {
      const state = initialDialogueState();
      const read = readDialogueState(JSON.parse(JSON.stringify(state)));
      assert.deepEqual(read, { ok: true, state: { ...state, version: DIALOGUE_STATE_VERSION } });
    });

    it("reads a state stored before the version field existed as version 1", () => {
      const older: Partial<DialogueState> = initialDialogueState();
      delete older.version;
      const read = readDialogueState(older);
      assert.equal(read.ok, true);
      assert.equal(read.ok && read.state.version, 1);
    });

    it("reads nulls written by hand as absent fields", () => {
      const read = readDialogueState({ ...initialDialogueState(), chosen: null, asking: null });
      assert.equal(read.ok, true);
      assert.equal(read.ok && read.state.chosen, undefined);
    });

    it("refuses a state of a later version, a stage it does not know, and a broken offer", () => {
      const base = initialDialogueState();
      const cases: Array<[unknown, RegExp]> = [
        [{ ...base, version: DIALOGUE_STATE_VERSION + 1 }, /^version/],
        [{ ...base, stage: "dancing" }, /^stage/],
        [{ ...base, offers: [{ start: "tomorrow", end: "later" }] }, /^offers\.0\.start/],
        [{ ...base, draft: "Sarah" }, /^draft/],
        [null, /state/],
        ["{not json", /state/],
      ];
      for (const [stored, problem] of cases) {
        const read = readDialogueState(stored);
        assert.equal(read.ok, false, JSON.stringify(stored));
        assert.match(read.ok ? "" : read.problem, problem);
      }
    });
  });

  describe("when a call's stored state cannot be read", () => {
    it("starts afresh politely, logs it, and the call goes on to a booking", async () => {
      const world = aCallWorld({ now: NOW });
      await startCall(
        { callSid: CALL_SID, from: CALLER, to: world.business.phoneNumber },
        world.deps,
      );
      const stored = world.conversations.conversations.get(`${world.business.id}/${CALL_SID}`);
      assert.ok(stored);
      stored.state = { stage: "collecting", draft: 42 } as unknown as DialogueState;

      const turn = (step: number, speech: string) =>
        handleCallTurn(
          { businessId: world.business.id, callSid: CALL_SID, step, speech, confidence: 0.9 },
          world.deps,
        );
      const first = await turn(1, "Sarah Jones");
      assert.equal(first.instruction.kind, "gather");
      const said = first.instruction.kind === "gather" ? first.instruction.say.join(" ") : "";
      assert.ok(said.startsWith(`${spoken.lostPlace()} `), said);
      assert.match(said, /How can I help\?/);
      const logged = world.logger.lines.find((l) => l.event === "conversation.state-unreadable");
      assert.equal(logged?.fields.channel, "voice");
      assert.match(String(logged?.fields.problem), /^[\w.]+: /);
      assert.equal(
        world.conversations.stored(world.business.id, CALL_SID).state.stage,
        "awaiting-request",
      );

      await turn(
        2,
        "Hi, this is Sarah Jones at 22 Park Street, Bristol BS1 5JA, my kitchen tap keeps dripping",
      );
      await turn(3, "the first one");
      const booked = await turn(4, "yes");
      const words = booked.instruction.kind === "gather" ? booked.instruction.say.join(" ") : "";
      assert.match(words, /You're booked in/);
    });
  });

  describe("when what a customer's texts carry on cannot be read", () => {
    it("reads the text afresh, answers it, and logs it without the number", async () => {
      const world = anSmsWorld({ now: NOW });
      await world.sms.setPending(
        world.business.id,
        CALLER,
        {
          conversationId: smsConversationId(CALLER),
          state: { stage: "choosing-slot", offers: "three" } as unknown as DialogueState,
          expiresAt: new Date(NOW.getTime() + 3_600_000).toISOString(),
        },
        NOW,
      );
      const answer = await handleInboundSms(
        {
          messageSid: `SM${"4".repeat(32)}`,
          from: CALLER,
          to: world.business.phoneNumber,
          body: "Can you bring a new washer?",
          numMedia: 0,
        },
        world.smsDeps,
      );
      // Afresh, with no visit booked, it asks for a job: a booking opened by this text.
      assert.equal(answer.outcome, "conversation-continued");
      assert.match(answer.reply ?? "", /^Bristol Plumbing: .*name/);
      const logged = world.logger.lines.find((l) => l.event === "conversation.state-unreadable");
      assert.equal(logged?.fields.channel, "sms");
      assert.doesNotMatch(String(logged?.fields.conversationId), /900999/);
    });
  });
});
