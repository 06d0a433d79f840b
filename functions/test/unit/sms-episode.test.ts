import { strict as assert } from "node:assert";
import { initialDialogueState } from "../../src/domain/dialogue/dialogue-state";
import {
  episodeState,
  episodeStep,
  SMS_SUMMARY_IDLE_MINUTES,
  smsSummaryDueAt,
} from "../../src/domain/summaries/sms-episode";

describe("a text thread's episode", () => {
  const AT = new Date("2026-11-25T10:00:00Z");

  it("is due its summary once idle for the named window", () => {
    assert.equal(SMS_SUMMARY_IDLE_MINUTES, 120);
    assert.equal(smsSummaryDueAt(AT).toISOString(), "2026-11-25T12:00:00.000Z");
  });

  it("records only what a text added to a conversation carried on", () => {
    const before = {
      ...initialDialogueState(),
      done: [{ action: "message" as const, reason: "question" as const }],
    };
    const after = {
      ...before,
      draft: { name: "Jo", address: "3 Elm Close", problem: "blocked sink" },
      done: [...before.done, { action: "booked" as const, appointmentId: "apt-1", job: "Sink" }],
    };
    const step = episodeStep(before, after, AT);
    assert.deepEqual(step.done, [{ action: "booked", appointmentId: "apt-1", job: "Sink" }]);
    assert.deepEqual(step.draft, { name: "Jo", address: "3 Elm Close", problem: "blocked sink" });
    assert.equal(step.at, AT.toISOString());
  });

  it("folds its steps in time order: every action, the latest details, any emergency", () => {
    const state = episodeState([
      {
        at: "2026-11-25T10:05:00.000Z",
        done: [{ action: "cancelled", appointmentId: "apt-1" }],
        draft: { address: "4 New Road" },
      },
      {
        at: "2026-11-25T10:00:00.000Z",
        done: [{ action: "booked", appointmentId: "apt-1" }],
        draft: { name: "Jo", address: "3 Elm Close" },
        emergency: { kind: "flood", label: "Flooding", words: "water everywhere" },
        safetyAsked: ["gas"],
      },
    ]);
    assert.deepEqual(
      state.done?.map((d) => d.action),
      ["booked", "cancelled"],
    );
    assert.deepEqual(state.draft, { name: "Jo", address: "4 New Road" });
    assert.equal(state.emergency?.label, "Flooding");
    assert.deepEqual(state.safetyAsked, ["gas"]);
  });
});
