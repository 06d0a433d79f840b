import { strict as assert } from "node:assert";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import type { Customer } from "../../src/domain/customers/customer";
import { handleSmsRequest, SmsConfig } from "../../src/triggers/http/sms-webhook.handler";
import { aCustomer, InMemoryCallWriter } from "../support/call-fixtures";
import { anSmsWorld, SmsWorld } from "../support/sms-fixtures";

const BASE = "https://europe-west2-demo-bristol-plumbing.cloudfunctions.net";
const AUTH_TOKEN = "test-auth-token";
const MESSAGE_SID = `SM${"a".repeat(32)}`;

function signedText(world: SmsWorld, body: string) {
  const params = {
    MessageSid: MESSAGE_SID,
    AccountSid: `AC${"0".repeat(32)}`,
    From: aCustomer().phone,
    To: world.business.phoneNumber,
    Body: body,
    NumMedia: "0",
  };
  return {
    method: "POST",
    path: "/incoming",
    signature: getExpectedTwilioSignature(AUTH_TOKEN, `${BASE}/sms/incoming`, params),
    body: params,
    idempotencyToken: null,
  };
}

function config(world: SmsWorld, deadlineMs?: number): SmsConfig {
  return { publicBaseUrl: BASE, authToken: AUTH_TOKEN, deps: world.smsDeps, deadlineMs };
}

describe("the sms webhook", () => {
  describe("when handling a text takes longer than Twilio waits", () => {
    it("finishes the handling, answers nothing, and sends the reply as a text of its own", async () => {
      const world = anSmsWorld({ now: new Date("2026-11-25T10:00:00Z"), customers: [aCustomer()] });
      // The customer record answers slowly: the handling outlives Twilio's wait (20 ms here).
      const findByPhone = world.customers.findByPhone.bind(world.customers);
      world.customers.findByPhone = async (
        businessId: string,
        e164: string,
      ): Promise<Customer | null> => {
        await new Promise((resolve) => setTimeout(resolve, 60));
        return findByPhone(businessId, e164);
      };
      const answer = await handleSmsRequest(signedText(world, "HELP"), config(world, 20));
      assert.equal(answer.status, 200);
      assert.doesNotMatch(answer.body, /<Message>/);
      const [reply] = world.outbox.byPurpose("sms-reply");
      assert.ok(reply, "the reply is queued");
      assert.equal(reply.to, aCustomer().phone);
      assert.equal(reply.id, `sms-reply-${MESSAGE_SID}`);
      assert.match(reply.body, /Bristol Plumbing/);
    });

    it("answers in the TwiML as usual when it is quick", async () => {
      const world = anSmsWorld({ now: new Date("2026-11-25T10:00:00Z"), customers: [aCustomer()] });
      const answer = await handleSmsRequest(signedText(world, "HELP"), config(world));
      assert.match(answer.body, /<Message>.*Bristol Plumbing/s);
      assert.deepEqual(world.outbox.byPurpose("sms-reply"), []);
    });
  });

  describe("when handling a text fails", () => {
    function failing(world: SmsWorld) {
      (world.smsDeps.writer as InMemoryCallWriter).failWith = new Error("firestore unavailable");
    }

    it("asks the customer to try again or call", async () => {
      const world = anSmsWorld({ now: new Date("2026-11-25T10:00:00Z"), customers: [aCustomer()] });
      failing(world);
      const answer = await handleSmsRequest(
        signedText(world, "water pouring through my ceiling"),
        config(world),
      );
      assert.equal(answer.status, 200);
      assert.match(answer.body, /<Message>Sorry, something went wrong on our side/);
    });

    it("sends nothing to a customer who opted out of texts", async () => {
      const world = anSmsWorld({
        now: new Date("2026-11-25T10:00:00Z"),
        customers: [aCustomer({ smsOptedOut: true })],
      });
      failing(world);
      const answer = await handleSmsRequest(
        signedText(world, "water pouring through my ceiling"),
        config(world),
      );
      assert.equal(answer.status, 200);
      assert.doesNotMatch(answer.body, /<Message>/);
      assert.deepEqual(world.outbox.messages, []);
    });
  });
});
