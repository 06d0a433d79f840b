import { strict as assert } from "node:assert";
import {
  parseTwiml,
  TwimlParseError,
  type DialVerb,
  type GatherVerb,
} from "../../src/tools/simulator/twiml-reader";

describe("reading TwiML", () => {
  describe("when the product greets the caller and listens for speech", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Gather input="speech" action="http://127.0.0.1:5001/p/r/voice/turn?n=1&amp;t=2" method="POST"
          timeout="5" speechTimeout="auto" hints="boiler, leak" actionOnEmptyResult="true">
    <Say voice="Polly.Amy" language="en-GB">Hello, Bristol Plumbing &amp; Heating.
      How can I help?</Say>
  </Gather>
</Response>`;

    it("reads one Gather with its nested Say and every attribute", () => {
      const verbs = parseTwiml(xml);
      assert.equal(verbs.length, 1);
      const gather = verbs[0] as GatherVerb;
      assert.equal(gather.kind, "gather");
      assert.equal(gather.action, "http://127.0.0.1:5001/p/r/voice/turn?n=1&t=2");
      assert.equal(gather.method, "POST");
      assert.deepEqual(gather.input, ["speech"]);
      assert.equal(gather.timeout, 5);
      assert.equal(gather.speechTimeout, "auto");
      assert.equal(gather.hints, "boiler, leak");
      assert.equal(gather.actionOnEmptyResult, true);
      assert.deepEqual(gather.prompts, [
        { kind: "say", text: "Hello, Bristol Plumbing & Heating. How can I help?", loop: 1 },
      ]);
    });
  });

  describe("when verbs are self-closing or carry numeric entities", () => {
    it("reads Pause, Hangup, Reject and decodes &#39; and &#x2019;", () => {
      const verbs = parseTwiml(
        "<Response><Say>Don&#39;t worry, we&#x2019;re on it</Say><Pause length='2'/><Hangup/><Reject reason=\"busy\" /></Response>",
      );
      assert.deepEqual(verbs, [
        { kind: "say", text: "Don't worry, we\u2019re on it", loop: 1 },
        { kind: "pause", seconds: 2 },
        { kind: "hangup" },
        { kind: "reject", reason: "busy" },
      ]);
    });

    it("defaults a Gather to dtmf input, POST and no empty-result action", () => {
      const [gather] = parseTwiml("<Response><Gather numDigits='1'/></Response>") as GatherVerb[];
      assert.deepEqual(gather.input, ["dtmf"]);
      assert.equal(gather.method, "POST");
      assert.equal(gather.actionOnEmptyResult, false);
      assert.equal(gather.numDigits, 1);
      assert.equal(gather.action, undefined);
    });
  });

  describe("when the product transfers an emergency to the owner", () => {
    it("reads the Dial with each Number's whisper url and status callback", () => {
      const verbs = parseTwiml(`<Response>
        <Say>Putting you through now.</Say>
        <Dial action="https://x.test/voice/dial-result?step=0" timeout="20" callerId="+441174960000" answerOnBridge="true">
          <Number url="https://x.test/voice/whisper?c=1" statusCallback="https://x.test/voice/leg"
                  statusCallbackEvent="initiated answered completed">+447700900123</Number>
          <Number>+447700900456</Number>
        </Dial>
      </Response>`);
      assert.equal(verbs.length, 2);
      const dial = verbs[1] as DialVerb;
      assert.equal(dial.kind, "dial");
      assert.equal(dial.action, "https://x.test/voice/dial-result?step=0");
      assert.equal(dial.timeout, 20);
      assert.equal(dial.callerId, "+441174960000");
      assert.equal(dial.answerOnBridge, true);
      assert.deepEqual(
        dial.numbers.map((n) => [n.number, n.url, n.statusCallback, n.statusCallbackEvents]),
        [
          [
            "+447700900123",
            "https://x.test/voice/whisper?c=1",
            "https://x.test/voice/leg",
            ["initiated", "answered", "completed"],
          ],
          ["+447700900456", undefined, undefined, ["completed"]],
        ],
      );
    });

    it("treats a bare number inside Dial as a single Number", () => {
      const [dial] = parseTwiml("<Response><Dial> +447700900123 </Dial></Response>") as DialVerb[];
      assert.deepEqual(
        dial.numbers.map((n) => n.number),
        ["+447700900123"],
      );
      assert.equal(dial.timeout, 30);
    });
  });

  describe("when the document holds audio, redirects, texts, comments and CDATA", () => {
    it("reads every verb in order and skips comments", () => {
      const verbs = parseTwiml(`<Response>
        <!-- greeting -->
        <Play>https://cdn.test/hold.mp3</Play>
        <Sms to="+447700900999">Your booking: <![CDATA[Tue 10:00 & done]]></Sms>
        <Message>Thanks</Message>
        <Redirect method="GET">/voice/next</Redirect>
        <Enqueue>support</Enqueue>
      </Response>`);
      assert.deepEqual(verbs, [
        { kind: "play", url: "https://cdn.test/hold.mp3", loop: 1 },
        {
          kind: "message",
          text: "Your booking: Tue 10:00 & done",
          to: "+447700900999",
          from: undefined,
        },
        { kind: "message", text: "Thanks", to: undefined, from: undefined },
        { kind: "redirect", url: "/voice/next", method: "GET" },
        { kind: "unsupported", name: "Enqueue" },
      ]);
    });

    it("reads the words of SSML inside Say", () => {
      const [say] = parseTwiml(
        '<Response><Say>Call us <break time="1s"/> <emphasis>today</emphasis>.</Say></Response>',
      );
      assert.equal(say.kind === "say" && say.text, "Call us today.");
    });
  });

  describe("when the document is not valid TwiML", () => {
    const broken: Array<[string, string, RegExp]> = [
      ["an unclosed element", "<Response><Say>Hi</Response>", /closes <Say>/],
      ["a missing end tag", "<Response><Say>Hi</Say>", /<Response> is never closed/],
      ["a root other than Response", "<html><body/></html>", /<Response> root/],
      ["an empty body", "   ", /empty/],
      ["HTML error text", "Internal Server Error", /text outside the root/],
      ["a bare ampersand", "<Response><Say>Fish & chips</Say></Response>", /entity/],
      ["an unknown entity", "<Response><Say>&nbsp;</Say></Response>", /unknown entity/],
      ["an unquoted attribute", "<Response><Pause length=2/></Response>", /malformed attribute/],
      ["two roots", "<Response/><Response/>", /second root/],
      ["a bad Gather input", '<Response><Gather input="voice"/></Response>', /input/],
      ["a Dial without a number", "<Response><Dial/></Response>", /no number/],
      ["a Redirect without a URL", "<Response><Redirect/></Response>", /empty/],
      [
        "a Gather holding a Dial",
        "<Response><Gather><Dial>+44</Dial></Gather></Response>",
        /nested/,
      ],
      ["a non-numeric timeout", '<Response><Gather timeout="soon"/></Response>', /whole number/],
    ];
    for (const [what, xml, expected] of broken) {
      it(`rejects ${what}`, () => {
        assert.throws(
          () => parseTwiml(xml),
          (error: unknown) => error instanceof TwimlParseError && expected.test(error.message),
        );
      });
    }
  });
});
