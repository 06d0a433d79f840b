import { strict as assert } from "node:assert";
import { alertOwner } from "../../src/app/alert-owner";
import { handleCallTurn, recordCallEnded, startCall } from "../../src/app/handle-call";
import { scheduledSmsId } from "../../src/domain/notifications/scheduled-sms";
import { aBusiness, aCallWorld, CallWorld, InMemoryOutboxQueue } from "../support/call-fixtures";
import { InMemoryScheduledSmsQueue } from "../support/in-memory-scheduled-sms";
import { InMemorySmsConversations } from "../support/sms-fixtures";

/** Wednesday 25 November 2026 (GMT): 10:00 is working hours, 22:30 is the owner's quiet hours. */
const MORNING = new Date("2026-11-25T10:00:00Z");
const LATE_EVENING = new Date("2026-11-25T22:30:00Z");
const MOBILE_CALLER = "+447700900999";
const LANDLINE_CALLER = "+441179460999";

function sid(n: number): string {
  return `CA${String(n).padStart(32, "0")}`;
}

async function callThatHangsUp(world: CallWorld, callSid: string, from: string, lines: string[]) {
  await startCall({ callSid, from, to: world.business.phoneNumber }, world.deps);
  for (const [index, speech] of lines.entries()) {
    await handleCallTurn(
      { businessId: world.business.id, callSid, step: index + 1, speech, confidence: 0.9 },
      world.deps,
    );
  }
  const ended = { businessId: world.business.id, callSid, callStatus: "completed" };
  await recordCallEnded(ended, world.deps);
}

describe("owner alerts that are not emergencies", () => {
  describe("when one is raised during the owner's quiet hours", () => {
    it("waits in the queue until the quiet hours end", async () => {
      const outbox = new InMemoryOutboxQueue();
      const scheduled = new InMemoryScheduledSmsQueue();
      const business = aBusiness();
      const result = await alertOwner(
        business,
        { outboxId: "owner-message-x", purpose: "owner-message", body: "Call Sam back" },
        LATE_EVENING,
        { outbox, scheduled },
      );
      assert.equal(outbox.messages.length, 0);
      assert.equal(result.dueAt.toISOString(), "2026-11-26T07:00:00.000Z");
      const waiting = scheduled.items.get(scheduledSmsId(business.id, "owner-message-x"));
      assert.equal(waiting?.kind, "owner-alert");
      assert.equal(waiting?.to, business.ownerMobile);
      assert.equal(waiting?.body, "Call Sam back");
    });
  });

  describe("when one is raised in working hours", () => {
    it("goes to the owner at once", async () => {
      const outbox = new InMemoryOutboxQueue();
      const scheduled = new InMemoryScheduledSmsQueue();
      await alertOwner(
        aBusiness(),
        { outboxId: "owner-message-y", purpose: "owner-message", body: "Call Sam back" },
        MORNING,
        { outbox, scheduled },
      );
      assert.equal(outbox.messages.length, 1);
      assert.equal(scheduled.items.size, 0);
    });
  });
});

describe("a caller who hangs up part-way through booking", () => {
  it("is a lost lead the owner hears about once, with what they wanted and that we texted them", async () => {
    const world = aCallWorld({ now: MORNING });
    world.deps.smsConversations = new InMemorySmsConversations();
    await callThatHangsUp(world, sid(1), MOBILE_CALLER, [
      "my kitchen tap keeps dripping",
      "My name is Jo Bloggs",
    ]);
    // Twilio may send the status callback again.
    await recordCallEnded(
      { businessId: world.business.id, callSid: sid(1), callStatus: "completed" },
      world.deps,
    );
    const alerts = world.outbox.byPurpose("owner-lost-lead");
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].to, world.business.ownerMobile);
    assert.match(
      alerts[0].body,
      /^Missed lead: Jo Bloggs 07700 900999 hung up while booking dripping tap repair/,
    );
    assert.match(alerts[0].body, /We've texted them to finish booking\.$/);
    assert.equal(world.outbox.byPurpose("booking-follow-up").length, 1);
  });

  it("tells the owner to call back a caller we cannot text", async () => {
    const world = aCallWorld({ now: MORNING });
    await callThatHangsUp(world, sid(2), LANDLINE_CALLER, ["my drain is blocked"]);
    const [alert] = world.outbox.byPurpose("owner-lost-lead");
    assert.match(alert.body, /Call them back\.$/);
  });

  it("is not a lead when the call booked a job", async () => {
    const world = aCallWorld({ now: MORNING });
    await callThatHangsUp(world, sid(3), MOBILE_CALLER, [
      "Hi, this is Sarah Jones at 22 Park Street, Bristol BS1 5JA, my kitchen tap keeps dripping",
      "the first one",
      "yes",
    ]);
    assert.equal(world.outbox.byPurpose("booking-confirmation").length, 1);
    assert.equal(world.outbox.byPurpose("owner-lost-lead").length, 0);
  });

  it("is not alerted when the business switched lost-lead alerts off", async () => {
    const business = aBusiness();
    business.notifications.ownerAlerts.lostLead = false;
    const world = aCallWorld({ now: MORNING, business });
    await callThatHangsUp(world, sid(4), MOBILE_CALLER, ["my drain is blocked"]);
    assert.equal(world.outbox.byPurpose("owner-lost-lead").length, 0);
  });
});
