import { strict as assert } from "node:assert";
import { callerProfile, loadCaller } from "../../src/tools/load/load-caller";
import { spoken } from "../../src/domain/dialogue/wording";

const GREETING =
  "Thanks for calling Bristol Plumbing. How can I help? You can tell me what's wrong, or ask to book a visit.";

async function hears(call: ReturnType<typeof loadCaller>, ...lines: string[]) {
  for (const line of lines) call.print(`Receptionist: ${line}`);
  return call.caller.listen({ input: ["speech"] });
}

describe("the load test's caller", () => {
  it("gives every detail at once, takes the first offer, confirms and says goodbye", async () => {
    const call = loadCaller(callerProfile(1));
    assert.equal(
      await hears(call, GREETING),
      "Hi, this is James Jones at 2 Gloucester Road, Bristol BS7 8AE, my boiler needs its annual service",
    );
    assert.equal(
      await hears(call, "I can offer Monday at 9am, or Monday at 11am. Which would suit you best?"),
      "the first one",
    );
    assert.equal(
      await hears(call, "So that's a boiler service, Monday at 9am. Shall I book it?"),
      "yes please",
    );
    assert.equal(
      await hears(
        call,
        "You're booked in for Monday at 9am.",
        "Is there anything else I can help with?",
      ),
      "no thanks, that's all",
    );
    assert.deepEqual(call.report(), {
      toldBooked: true,
      slotsTaken: 0,
      noFreeTime: false,
      failures: [],
    });
  });

  it("counts a slot another caller took first, and picks again", async () => {
    const call = loadCaller(callerProfile(0));
    await hears(call, GREETING);
    const reply = await hears(
      call,
      "I'm sorry, that time has just been taken.",
      "I can offer Monday at 10am, or Monday at 2pm. Which would suit you best?",
    );
    assert.equal(reply, "the first one");
    assert.equal(call.report().slotsTaken, 1);
  });

  it("hangs up and reports the fallback when the receptionist has trouble", async () => {
    const call = loadCaller(callerProfile(0));
    const reply = await hears(
      call,
      spoken.troubleOnMySide(),
      "Please call Bristol Plumbing back in a minute.",
    );
    assert.equal(reply, null);
    assert.deepEqual(call.report().failures, [spoken.troubleOnMySide()]);
  });

  it("hangs up on a prompt it cannot place, quoting it", async () => {
    const call = loadCaller(callerProfile(0));
    assert.equal(await hears(call, "What's your favourite colour?"), null);
    assert.deepEqual(call.report().failures, ["unexpected prompt: What's your favourite colour?"]);
  });

  it("gives distinct callers different names and addresses", () => {
    const profiles = Array.from({ length: 64 }, (_, i) => callerProfile(i));
    assert.equal(new Set(profiles.map((p) => `${p.name}|${p.address}`)).size, 64);
  });
});
