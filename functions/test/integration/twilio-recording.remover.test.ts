import { strict as assert } from "node:assert";
import { TwilioRecordingRemover } from "../../src/adapters/twilio/twilio-recording.remover";
import { twilioFakeForSuite } from "../support/twilio-fake.server";

describe("deleting a recording at Twilio, through the twilio client, against a Twilio-speaking server", () => {
  const twilio = twilioFakeForSuite();
  const fake = twilio.fake;

  function remover(overrides: { authToken?: string } = {}) {
    return new TwilioRecordingRemover(
      { ...twilio.config(), ...overrides, timeoutMs: 2_000 },
      { attempts: 3, retryDelayMs: 5 },
    );
  }

  async function failure(promise: Promise<unknown>): Promise<Error> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof Error);
      return error;
    }
    assert.fail("expected the deletion to fail");
  }

  it("deletes it with DELETE .../Recordings/{Sid}.json, signed with the account", async () => {
    const sid = fake.addRecording();
    const other = fake.addRecording();
    assert.equal(await remover().remove(sid), "deleted");
    assert.deepEqual(fake.recordings(), [other], "that recording only");
    const [request] = fake.recordingDeletes();
    assert.equal(request.path, `/2010-04-01/Accounts/${twilio.accountSid}/Recordings/${sid}.json`);
    assert.equal(request.authorized, true);
  });

  it("treats Twilio's 404 as already gone, without trying again", async () => {
    const sid = fake.addRecording();
    assert.equal(await remover().remove(sid), "deleted");
    assert.equal(await remover().remove(sid), "gone");
    assert.equal(fake.recordingDeletes().length, 2);
  });

  it("tries again after a 5xx or no answer, and deletes it", async () => {
    const sid = fake.addRecording();
    fake.failNext({ kind: "error", status: 503, code: 20503, message: "Service unavailable" });
    fake.failNext({ kind: "reset" });
    assert.equal(await remover().remove(sid), "deleted");
    assert.equal(fake.recordingDeletes().length, 3);
    assert.deepEqual(fake.recordings(), []);
  });

  it("gives up after its tries when Twilio keeps failing, saying so, and the recording stays", async () => {
    const sid = fake.addRecording();
    fake.failNext({ kind: "error", status: 500, message: "Internal error" }, 3);
    const error = await failure(remover().remove(sid));
    assert.match(error.message, /Twilio 500 deleting RE[0-9a-f]{32} \(try 3\)/);
    assert.equal(fake.recordingDeletes().length, 3);
    assert.deepEqual(fake.recordings(), [sid]);
  });

  it("does not try again when Twilio refuses the credentials (401)", async () => {
    const sid = fake.addRecording();
    const error = await failure(remover({ authToken: "wrong-token" }).remove(sid));
    assert.match(error.message, /Twilio 401/);
    assert.equal(fake.recordingDeletes().length, 1);
    assert.deepEqual(fake.recordings(), [sid]);
  });

  it("refuses what is not a recording SID, asking Twilio nothing", async () => {
    const error = await failure(remover().remove("../Messages/SM1"));
    assert.match(error.message, /not a recording SID/);
    assert.equal(fake.requests.length, 0);
  });
});
