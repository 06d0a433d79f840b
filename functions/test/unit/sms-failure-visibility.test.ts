import { strict as assert } from "node:assert";
import {
  isSendOutcomeUnknown,
  mustReconcileBeforeSending,
} from "../../src/domain/delivery/delivery.state-machine";
import {
  failureFollowUp,
  failureReason,
  ownerFailureText,
  smsFailedAttention,
} from "../../src/domain/delivery/failure-visibility";

describe("whether a failed send may have reached Twilio", () => {
  it("is known not to when Twilio answered, whatever the answer", () => {
    assert.equal(isSendOutcomeUnknown({ httpStatus: 503 }), false);
    assert.equal(isSendOutcomeUnknown({ httpStatus: 400 }), false);
  });

  it("is known not to when the connection was never made", () => {
    for (const networkCode of ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]) {
      assert.equal(isSendOutcomeUnknown({ networkCode }), false, networkCode);
    }
  });

  it("is unknown after a timeout or a reset", () => {
    assert.equal(isSendOutcomeUnknown({ networkCode: "ECONNABORTED" }), true);
    assert.equal(isSendOutcomeUnknown({ networkCode: "ECONNRESET" }), true);
    assert.equal(isSendOutcomeUnknown({}), true);
  });

  it("makes the next attempt look first, as does taking over a dead worker's attempt", () => {
    assert.equal(mustReconcileBeforeSending({ status: "RETRY", outcomeUnknown: true }), true);
    assert.equal(mustReconcileBeforeSending({ status: "PROCESSING" }), true);
    assert.equal(mustReconcileBeforeSending({ status: "RETRY" }), false);
    assert.equal(mustReconcileBeforeSending({ status: "PENDING" }), false);
  });
});

describe("who hears about a failed text", () => {
  it("tells the owner, on the dashboard and by SMS, when a customer missed a text", () => {
    assert.deepEqual(failureFollowUp({ purpose: "booking-confirmation", code: 30003 }), {
      attention: true,
      ownerSms: true,
      ownerShouldKnow: true,
    });
  });

  it("shows an owner-bound failure on the dashboard only", () => {
    assert.deepEqual(failureFollowUp({ purpose: "owner-emergency-alert", code: 21211 }), {
      attention: true,
      ownerSms: false,
      ownerShouldKnow: true,
    });
  });

  it("asks nothing of the owner when the customer opted out", () => {
    const none = { attention: false, ownerSms: false, ownerShouldKnow: false };
    assert.deepEqual(failureFollowUp({ purpose: "booking-confirmation", code: 21610 }), none);
    assert.deepEqual(failureFollowUp({ purpose: "booking-confirmation", optedOut: true }), none);
  });

  it("gives reasons in plain words, never the vendor's text", () => {
    assert.equal(failureReason(30003, "x"), "phone unreachable (off or out of signal)");
    assert.equal(
      failureReason(30999, "Twilio said +447700900123"),
      "delivery failed (error 30999)",
    );
    assert.equal(
      failureReason(undefined, "recipient number is invalid: too short"),
      "recipient number is invalid: too short",
    );
  });

  it("names the customer and number in the owner's text", () => {
    assert.equal(
      ownerFailureText({ name: "Sam", phone: "+447700900123" }, "not a mobile number"),
      "Couldn't text Sam (+447700900123): not a mobile number",
    );
    assert.equal(
      ownerFailureText({ phone: "+447700900123" }, "the message was blocked"),
      "Couldn't text +447700900123: the message was blocked",
    );
  });

  it("masks the number on the attention item", () => {
    const at = new Date("2026-03-10T09:00:00Z");
    const item = smsFailedAttention({
      messageId: "m1",
      to: "+447700900123",
      purpose: "booking-confirmation",
      reason: "r",
      at,
    });
    assert.equal(item.to, "+44******0123");
    assert.equal(item.kind, "sms-failed");
  });
});
