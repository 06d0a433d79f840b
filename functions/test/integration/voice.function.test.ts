import { strict as assert } from "node:assert";
import { spoken } from "../../src/domain/dialogue/wording";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { paths } from "../../src/adapters/firestore/paths";
import type { Business } from "../../src/domain/business/business";
import { DEMO_ACCOUNT_SID, newSid } from "../../src/tools/simulator/twilio-params";
import { createTestTenant } from "../support/firestore-tenant";
import { simulatedCall } from "../support/simulated-call";
import { startWebhooksTestServer, WebhooksTestServer } from "../support/webhooks-test-server";

const MARGARET = {
  name: "Margaret Holloway",
  phone: "+441179460123",
  address: "14 Cotham Road, Bristol BS6 6DR",
  propertyNotes: "Your stopcock is under the kitchen sink, behind the bleach.",
};

describe("the voice function, over HTTP, against Firestore", function () {
  this.timeout(30_000);
  let server: WebhooksTestServer;

  before(async () => {
    server = await startWebhooksTestServer();
  });
  after(async () => {
    await server.stop();
  });

  const call = (
    business: Pick<Business, "phoneNumber">,
    lines: string[],
    options: Parameters<typeof simulatedCall>[3] = {},
  ) => simulatedCall(server, business, lines, options);

  async function docs(collectionPath: string) {
    const snapshot = await appFirestore().collection(collectionPath).get();
    return snapshot.docs.map(
      (d) => ({ id: d.id, ...d.data() }) as Record<string, unknown> & { id: string },
    );
  }

  describe("when a new caller gives every detail in one breath", () => {
    it("offers times without asking again, books the job and queues a confirmation SMS", async () => {
      const business = await createTestTenant();
      const { transcript, said } = await call(business, [
        "Hi, this is Sarah Jones at 22 Park Street, Bristol BS1 5JA, my kitchen tap keeps dripping",
        "the first one",
        "yes please",
        "no thanks, that's all",
      ]);
      assert.equal(transcript.ended, "hangup");
      assert.match(said[1], /I can offer/);
      assert.ok(
        !said.some((s) => /your name|the address/i.test(s)),
        "asked again for a detail already given",
      );

      const appointments = await docs(paths.appointments(business.id));
      assert.equal(appointments.length, 1);
      const appointment = appointments[0];
      assert.equal(appointment.serviceId, "dripping-tap");
      assert.equal(appointment.customerName, "Sarah Jones");
      assert.equal(appointment.customerPhone, "+447700900999");
      const start = (appointment.start as FirebaseFirestore.Timestamp).toMillis();
      const end = (appointment.end as FirebaseFirestore.Timestamp).toMillis();
      assert.equal(end - start, 60 * 60_000, "a dripping tap is booked for 60 minutes");

      const customer = await appFirestore().doc(paths.customer(business.id, "+447700900999")).get();
      assert.equal(customer.get("name"), "Sarah Jones");
      assert.match(String(customer.get("address")), /22 Park Street/);

      const outbox = await docs(paths.outbox(business.id));
      assert.deepEqual(
        outbox.map((m) => m.purpose),
        ["booking-confirmation"],
      );
      assert.equal(outbox[0].to, "+447700900999");
      assert.match(String(outbox[0].body), /dripping tap repair/i);

      const conversation = await appFirestore()
        .doc(paths.conversation(business.id, transcript.callSid))
        .get();
      assert.equal(conversation.get("outcome"), "booked");
      assert.equal(conversation.get("turns"), undefined, "the transcript is not on the document");
      const turns = await appFirestore()
        .collection(paths.conversationTurns(business.id, transcript.callSid))
        .get();
      assert.ok(turns.size >= 8, `every turn is stored (${turns.size})`);
      assert.deepEqual(
        turns.docs.slice(0, 3).map((d) => d.get("speaker")),
        ["receptionist", "caller", "receptionist"],
        "in call order",
      );
    });
  });

  describe("when a known customer rings", () => {
    it("greets them by name and only asks them to confirm the address", async () => {
      const business = await createTestTenant({}, [MARGARET]);
      const { said } = await call(
        business,
        ["I need a boiler service", "yes that's right", "the second one", "yes", "no"],
        { from: MARGARET.phone },
      );
      assert.match(said[0], /Hello Margaret/);
      assert.match(said[1], /14 Cotham Road/);
      assert.match(said[2], /I can offer/);
      const appointments = await docs(paths.appointments(business.id));
      assert.equal(appointments.length, 1);
      assert.equal(appointments[0].serviceId, "boiler-service");
      assert.equal(appointments[0].address, MARGARET.address);
    });
  });

  describe("when the caller reports a burst pipe in the middle of a booking", () => {
    it("alerts the owner, reads the property notes and transfers to the owner who accepts", async () => {
      const business = await createTestTenant({}, [MARGARET]);
      const { transcript, said, printed } = await call(
        business,
        ["I'd like to book a boiler service", "oh no, a pipe has just burst in the kitchen"],
        { from: MARGARET.phone, owner: "accept" },
      );
      assert.equal(transcript.ended, "transfer-accepted");
      const emergencyTurn = said.find((s) => /emergency/i.test(s)) ?? "";
      assert.match(emergencyTurn, /stopcock/i);
      assert.match(said.join(" "), /under the kitchen sink/);
      assert.ok(
        printed.some((l) => l.includes(business.ownerMobile)),
        "the owner's phone was rung",
      );

      const outbox = await docs(paths.outbox(business.id));
      const alert = outbox.find((m) => m.purpose === "owner-emergency-alert");
      assert.ok(alert, "owner alert queued");
      assert.equal(alert.to, business.ownerMobile);
      assert.match(String(alert.body), /\+441179460123/);
      assert.match(String(alert.body), /14 Cotham Road/);
      assert.match(String(alert.body), /burst/);

      const conversation = await appFirestore()
        .doc(paths.conversation(business.id, transcript.callSid))
        .get();
      assert.equal(conversation.get("emergency"), true);
      assert.equal(conversation.get("outcome"), "transferred");
      assert.equal(conversation.get("escalation.acceptedLeg"), 0);
    });
  });

  describe("when nobody on the escalation ladder accepts an emergency", () => {
    it("tries the owner then the backup, tells the caller when they'll be called back, and says so to the owner", async () => {
      const business = await createTestTenant();
      const { transcript, said, printed } = await call(
        business,
        ["I can smell gas in the kitchen"],
        {
          owner: "no-answer",
          backups: ["decline"],
        },
      );
      assert.equal(transcript.ended, "hangup");
      assert.match(said.join(" "), /0800 111 999/);
      assert.match(said.join(" "), /call you back within 30 minutes/);
      assert.ok(printed.some((l) => l.includes(business.ownerMobile)));
      assert.ok(
        printed.some((l) => l.includes(business.backupNumbers[0])),
        "the backup was rung",
      );
      const purposes = (await docs(paths.outbox(business.id))).map((m) => m.purpose).sort();
      assert.deepEqual(purposes, ["owner-emergency-alert", "owner-emergency-unanswered"]);
      const conversation = await appFirestore()
        .doc(paths.conversation(business.id, transcript.callSid))
        .get();
      assert.equal(conversation.get("outcome"), "emergency-unanswered");
    });
  });

  describe("when the called number belongs to no business", () => {
    it("answers politely and hangs up", async () => {
      const { said, transcript } = await call({ phoneNumber: "+441179999999" } as Business, []);
      assert.equal(transcript.ended, "hangup");
      assert.equal(said[0], spoken.notSetUp());
    });
  });

  describe("when a request is not from Twilio", () => {
    const post = async (url: string, params: Record<string, string>, signature?: string) => {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          ...(signature ? { "x-twilio-signature": signature } : {}),
        },
        body: new URLSearchParams(params).toString(),
      });
      return { status: response.status, body: await response.text() };
    };
    const params = () => ({
      CallSid: newSid("CA"),
      From: "+447700900999",
      To: "+441174960000",
      AccountSid: DEMO_ACCOUNT_SID,
    });

    it("rejects a request without a signature with 403", async () => {
      const response = await post(`${server.baseUrl}/voice/incoming`, params());
      assert.equal(response.status, 403);
    });

    it("rejects a signature made with another auth token with 403", async () => {
      const url = `${server.baseUrl}/voice/incoming`;
      const p = params();
      const response = await post(url, p, getExpectedTwilioSignature("not-the-token", url, p));
      assert.equal(response.status, 403);
    });

    it("rejects a signed request whose parameters were changed with 403", async () => {
      const url = `${server.baseUrl}/voice/incoming`;
      const p = params();
      const signature = getExpectedTwilioSignature(server.authToken, url, p);
      const response = await post(url, { ...p, From: "+447700900666" }, signature);
      assert.equal(response.status, 403);
    });

    it("rejects a correctly signed but malformed request with 400 and says why", async () => {
      const url = `${server.baseUrl}/voice/incoming`;
      const p = { CallSid: "not-a-call", To: "+441174960000" };
      const response = await post(url, p, getExpectedTwilioSignature(server.authToken, url, p));
      assert.equal(response.status, 400);
      assert.match(response.body, /CallSid/);
    });
  });

  describe("when Twilio retries a turn", () => {
    it("answers the same again without booking or texting twice", async () => {
      const business = await createTestTenant();
      const callSid = newSid("CA");
      const signedPost = async (path: string, p: Record<string, string>) => {
        const url = `${server.baseUrl}/voice${path}`;
        const all = {
          CallSid: callSid,
          AccountSid: DEMO_ACCOUNT_SID,
          From: "+447700900888",
          To: business.phoneNumber,
          ...p,
        };
        const response = await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": getExpectedTwilioSignature(server.authToken, url, all),
          },
          body: new URLSearchParams(all).toString(),
        });
        assert.equal(response.status, 200);
        return response.text();
      };
      const turn = (step: number, speech: string) =>
        signedPost(`/turn?b=${business.id}&step=${step}`, {
          SpeechResult: speech,
          Confidence: "0.9",
        });
      await signedPost("/incoming", {});
      await turn(1, "My name is Ann Lee, 5 Mill Lane, Bristol BS3 4AA, the drain is blocked");
      await turn(2, "the first one");
      const first = await turn(3, "yes");
      const retried = await turn(3, "yes");
      assert.equal(retried, first);
      assert.match(first, /booked in/);
      assert.equal((await docs(paths.appointments(business.id))).length, 1);
      assert.equal((await docs(paths.outbox(business.id))).length, 1);
    });
  });
});
