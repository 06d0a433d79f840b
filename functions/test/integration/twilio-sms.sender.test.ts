import { strict as assert } from "node:assert";
import {
  createTwilioClient,
  rebaseTwilioUrl,
  TwilioSmsSender,
} from "../../src/adapters/twilio/twilio-sms.sender";
import { SmsSendError } from "../../src/ports/sms-gateway.port";
import { twilioFakeForSuite } from "../support/twilio-fake.server";

const authToken = "test-auth-token-0123456789abcdef";
const sms = {
  to: "+447700900123",
  from: "+441174960000",
  body: "Your boiler service is booked for Tuesday 10:00.",
};

async function sendFailure(sender: TwilioSmsSender): Promise<SmsSendError> {
  try {
    await sender.send(sms);
  } catch (error) {
    assert.ok(error instanceof SmsSendError, `expected SmsSendError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the send to fail");
}

describe("Twilio SMS sender against a Twilio-speaking server", () => {
  const { fake, accountSid, config } = twilioFakeForSuite(authToken);

  function sender(overrides: { authToken?: string; timeoutMs?: number } = {}) {
    return new TwilioSmsSender({ ...config(), ...overrides });
  }

  describe("when Twilio accepts the message", () => {
    it("returns Twilio's message sid and status", async () => {
      const accepted = await sender().send({
        ...sms,
        statusCallbackUrl: "https://example.test/smsStatusCallback",
      });

      const [stored] = fake.sentMessages();
      assert.equal(accepted.sid, stored.sid);
      assert.match(accepted.sid, /^SM[0-9a-f]{32}$/);
      assert.equal(accepted.status, "queued");
    });

    it("posts To, From, Body and StatusCallback with the account's basic auth", async () => {
      await sender().send({ ...sms, statusCallbackUrl: "https://example.test/smsStatusCallback" });

      const [request] = fake.sendRequests();
      assert.equal(request.path, `/2010-04-01/Accounts/${accountSid}/Messages.json`);
      assert.equal(request.authorized, true);
      assert.deepEqual(request.form, {
        To: sms.to,
        From: sms.from,
        Body: sms.body,
        StatusCallback: "https://example.test/smsStatusCallback",
      });
    });
  });

  describe("when the auth token is wrong", () => {
    it("fails permanently with Twilio's authentication error", async () => {
      const failure = await sendFailure(sender({ authToken: "not-the-token" }));

      assert.equal(failure.httpStatus, 401);
      assert.equal(failure.code, 20003);
      assert.equal(failure.permanent, true);
      assert.equal(fake.sentMessages().length, 0);
    });
  });

  describe("when Twilio rate-limits the request", () => {
    it("fails transiently so the outbox retries later, without retrying by itself", async () => {
      fake.failNext({ kind: "error", status: 429, code: 20429, message: "Too Many Requests" });

      const failure = await sendFailure(sender());

      assert.equal(failure.permanent, false);
      assert.equal(failure.httpStatus, 429);
      assert.equal(failure.code, 20429);
      assert.equal(fake.sendRequests().length, 1);
    });
  });

  describe("when Twilio has a server error", () => {
    it("fails transiently", async () => {
      fake.failNext({ kind: "error", status: 503, message: "Service Unavailable" });

      const failure = await sendFailure(sender());

      assert.equal(failure.permanent, false);
      assert.equal(failure.httpStatus, 503);
    });
  });

  describe("when the recipient number is invalid", () => {
    it("fails permanently with code 21211", async () => {
      fake.failNext({
        kind: "error",
        status: 400,
        code: 21211,
        message: "The 'To' number +447700900123 is not a valid phone number.",
      });

      const failure = await sendFailure(sender());

      assert.equal(failure.permanent, true);
      assert.equal(failure.code, 21211);
      assert.equal(failure.httpStatus, 400);
    });
  });

  describe("when Twilio does not answer in time", () => {
    it("gives up after the timeout and fails transiently", async () => {
      fake.failNext({ kind: "delay", ms: 2_000 });
      const started = Date.now();

      const failure = await sendFailure(sender({ timeoutMs: 300 }));

      const elapsed = Date.now() - started;
      assert.equal(failure.permanent, false);
      assert.equal(failure.httpStatus, undefined);
      assert.ok(elapsed < 1_500, `took ${elapsed} ms`);
    });
  });

  describe("when the connection is reset", () => {
    it("fails transiently", async () => {
      fake.failNext({ kind: "reset" });

      const failure = await sendFailure(sender());

      assert.equal(failure.permanent, false);
      assert.match(failure.message, /unreachable/);
    });
  });

  describe("when messages are looked up later", () => {
    it("the fake answers the client's fetch and list-by-recipient calls", async () => {
      const accepted = await sender().send(sms);
      await sender().send({ ...sms, to: "+447700900999" });
      const twilio = await createTwilioClient(config());

      const fetched = await twilio.messages(accepted.sid).fetch();
      const listed = await twilio.messages.list({ to: sms.to });

      assert.equal(fetched.body, sms.body);
      assert.deepEqual(
        listed.map((m) => m.sid),
        [accepted.sid],
      );
    });
  });
});

describe("finding a message at Twilio after a lost answer", () => {
  const { fake, accountSid, config } = twilioFakeForSuite(authToken);

  const sender = (timeoutMs?: number) => new TwilioSmsSender({ ...config(), timeoutMs });
  const since = () => new Date(Date.now() - 60_000);

  describe("when Twilio took the message but answered after the client gave up", () => {
    it("reports the outcome unknown, and the lookup finds the message", async () => {
      fake.failNext({ kind: "delay", ms: 1_500 });

      const failure = await sendFailure(sender(300));
      const found = await sender().findSent({ ...sms, createdSince: since() });

      assert.equal(failure.outcomeUnknown, true);
      assert.equal(failure.permanent, false);
      assert.equal(fake.sentMessages().length, 1);
      assert.equal(found?.sid, fake.sentMessages()[0].sid);
    });
  });

  describe("when the connection is reset after Twilio took the message", () => {
    it("reports the outcome unknown", async () => {
      fake.failNext({ kind: "accept-then-reset" });

      const failure = await sendFailure(sender());

      assert.equal(failure.outcomeUnknown, true);
      assert.equal(fake.sentMessages().length, 1);
    });
  });

  describe("when Twilio answered with an error", () => {
    it("reports the outcome known", async () => {
      fake.failNext({ kind: "error", status: 503 });

      assert.equal((await sendFailure(sender())).outcomeUnknown, false);
    });
  });

  describe("when nothing listens at Twilio's address", () => {
    it("reports the outcome known: the request never left", async () => {
      const closed = new TwilioSmsSender({
        accountSid,
        authToken,
        apiBaseUrl: "http://127.0.0.1:9",
      });

      const failure = await sendFailure(closed);

      assert.equal(failure.outcomeUnknown, false);
      assert.equal(failure.permanent, false);
    });
  });

  describe("when looking for a message", () => {
    it("matches only the same sender, recipient and text, created since the given time", async () => {
      await sender().send({ ...sms, body: "Another text to the same customer." });
      await sender().send({ ...sms, from: "+441174960999" });
      const accepted = await sender().send(sms);

      const found = await sender().findSent({ ...sms, createdSince: since() });
      const tooLate = await sender().findSent({
        ...sms,
        createdSince: new Date(Date.now() + 60_000),
      });

      assert.equal(found?.sid, accepted.sid);
      assert.equal(found?.status, "queued");
      assert.equal(tooLate, undefined);
      const lookup = fake.requests.find((r) => r.method === "GET");
      assert.deepEqual(
        { To: lookup?.query.To, From: lookup?.query.From },
        { To: sms.to, From: sms.from },
      );
    });

    it("fails transiently when Twilio cannot answer the lookup", async () => {
      fake.failNext({ kind: "error", status: 500 });

      await assert.rejects(
        sender().findSent({ ...sms, createdSince: since() }),
        (error) => error instanceof SmsSendError && !error.permanent,
      );
    });
  });
});

describe("rebasing Twilio URLs onto a local server", () => {
  it("keeps the path and query and swaps the origin", () => {
    assert.equal(
      rebaseTwilioUrl(
        "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?To=%2B44",
        "http://127.0.0.1:4010",
      ),
      "http://127.0.0.1:4010/2010-04-01/Accounts/AC1/Messages.json?To=%2B44",
    );
  });

  it("leaves URLs of other hosts alone", () => {
    assert.equal(
      rebaseTwilioUrl("https://example.com/a", "http://127.0.0.1:4010"),
      "https://example.com/a",
    );
  });
});
