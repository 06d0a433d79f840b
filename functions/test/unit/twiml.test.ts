import { strict as assert } from "node:assert";
import { renderApology, renderTwiml, VoiceUrls } from "../../src/adapters/twilio/twiml.builder";

const urls: VoiceUrls = {
  turn: (step) => `https://voice.example/voice/turn?b=acme&step=${step}`,
  recorded: (step) => `https://voice.example/voice/recorded?b=acme&step=${step}`,
  recordingStatus: () => "https://voice.example/voiceRecording?b=acme",
  dialResult: (leg) => `https://voice.example/voice/dial-result?b=acme&c=CA1&leg=${leg}`,
  whisper: (leg) => `https://voice.example/voice/whisper?b=acme&c=CA1&leg=${leg}`,
  whisperAccept: (leg) => `https://voice.example/voice/whisper-accept?b=acme&c=CA1&leg=${leg}`,
};

/** The attributes of the first element with this name, decoded. */
function attributes(xml: string, element: string): Record<string, string> {
  const tag = new RegExp(`<${element}(\\s[^>]*)?/?>`).exec(xml);
  assert.ok(tag, `no <${element}> in ${xml}`);
  const found: Record<string, string> = {};
  for (const m of (tag[1] ?? "").matchAll(/(\w+)="([^"]*)"/g)) {
    found[m[1]] = m[2].replaceAll("&amp;", "&");
  }
  return found;
}

describe("rendering TwiML", () => {
  describe("when the caller is asked to speak", () => {
    const xml = renderTwiml({ kind: "gather", say: ["How can I help?"], step: 3 }, urls, {
      hints: ["burst pipe", "stopcock"],
    });
    const gather = attributes(xml, "Gather");

    it("listens for speech in British English until two seconds after the caller stops", () => {
      assert.equal(gather.input, "speech");
      assert.equal(gather.language, "en-GB");
      assert.equal(gather.speechTimeout, "2");
    });

    it("uses the enhanced phone-call model, with a whole-second timeout as Twilio requires", () => {
      assert.equal(gather.speechModel, "phone_call");
      assert.equal(gather.enhanced, "true");
      assert.notEqual(gather.speechTimeout, "auto");
    });

    it("posts silence to the turn handler too", () => {
      assert.equal(gather.actionOnEmptyResult, "true");
    });

    it("posts the result to this turn's URL", () => {
      assert.equal(gather.action, "https://voice.example/voice/turn?b=acme&step=3");
      assert.equal(gather.method, "POST");
    });

    it("passes the trade words as hints", () => {
      assert.equal(gather.hints, "burst pipe, stopcock");
    });

    it("speaks inside the gather so the caller can interrupt", () => {
      assert.match(xml, /<Gather[^>]*><Say[^>]*>How can I help\?<\/Say><\/Gather>/);
    });
  });

  describe("when the caller is asked to leave a message", () => {
    const xml = renderTwiml(
      { kind: "record", say: ["What would you like me to tell Dave?"], step: 4 },
      urls,
      { hints: [] },
    );
    const record = attributes(xml, "Record");

    it("asks first, then records after a beep", () => {
      assert.match(xml, /<Say[^>]*>What would you like me to tell Dave\?<\/Say><Record /);
      assert.equal(record.playBeep, "true");
    });

    it("posts the end of the recording to this turn's recorded URL", () => {
      assert.equal(record.action, "https://voice.example/voice/recorded?b=acme&step=4");
      assert.equal(record.method, "POST");
    });

    it("sends the finished recording, or its absence, to the transcription callback", () => {
      assert.equal(record.recordingStatusCallback, "https://voice.example/voiceRecording?b=acme");
      assert.equal(record.recordingStatusCallbackMethod, "POST");
      assert.equal(record.recordingStatusCallbackEvent, "completed absent");
    });

    it("stops at two minutes, on the hash key or after 5 s of silence, trimming the silence", () => {
      assert.equal(record.maxLength, "120");
      assert.equal(record.finishOnKey, "#");
      assert.equal(record.timeout, "5");
      assert.equal(record.trim, "trim-silence");
    });

    it("comes back to the recorded URL when nothing was recorded (Twilio then skips the action)", () => {
      assert.match(
        xml,
        /<Record [^>]*\/><Redirect method="POST">https:\/\/voice\.example\/voice\/recorded\?b=acme&amp;step=4<\/Redirect><\/Response>$/,
      );
    });
  });

  describe("when the call is put through to a phone", () => {
    const xml = renderTwiml(
      { kind: "dial", say: ["Putting you through."], to: "+447700900123", leg: 1, ringSeconds: 20 },
      urls,
      { hints: [], callerIdForTransfers: "+441174960000" },
    );

    it("reports how the leg ended to the dial-result URL", () => {
      const dial = attributes(xml, "Dial");
      assert.equal(dial.action, "https://voice.example/voice/dial-result?b=acme&c=CA1&leg=1");
      assert.equal(dial.timeout, "20");
      assert.equal(dial.callerId, "+441174960000");
    });

    it("plays the whisper to the person rung before connecting", () => {
      const number = attributes(xml, "Number");
      assert.equal(number.url, "https://voice.example/voice/whisper?b=acme&c=CA1&leg=1");
      assert.match(xml, /<Number[^>]*>\+447700900123<\/Number>/);
    });

    it("leaves the caller ID to Twilio when the business has none to show", () => {
      const plain = renderTwiml(
        { kind: "dial", say: [], to: "+447700900123", leg: 0, ringSeconds: 15 },
        urls,
        { hints: [] },
      );
      assert.equal(attributes(plain, "Dial").callerId, undefined);
    });
  });

  describe("when the person rung hears the whisper", () => {
    const xml = renderTwiml(
      { kind: "whisper", say: "Emergency call. Press 1 to accept.", leg: 0 },
      urls,
      { hints: [] },
    );

    it("waits for one key press and posts it, even when none comes", () => {
      const gather = attributes(xml, "Gather");
      assert.equal(gather.input, "dtmf");
      assert.equal(gather.numDigits, "1");
      assert.equal(gather.actionOnEmptyResult, "true");
      assert.equal(gather.action, "https://voice.example/voice/whisper-accept?b=acme&c=CA1&leg=0");
    });

    it("hangs up on them otherwise, so the caller is not connected", () => {
      assert.match(xml, /<\/Gather><Hangup\/><\/Response>$/);
    });
  });

  describe("when the spoken text has XML special characters", () => {
    it("escapes them", () => {
      const xml = renderTwiml(
        { kind: "hang-up", say: ['Smith & Sons <plumbing> say "bye"'] },
        urls,
        { hints: [] },
      );
      assert.ok(xml.includes("Smith &amp; Sons &lt;plumbing&gt;"), xml);
      assert.doesNotMatch(xml, /<plumbing>/);
      assert.match(xml, /<Hangup\/><\/Response>$/);
    });

    it("escapes them in an apology too", () => {
      const xml = renderApology(["A & B"]);
      assert.ok(xml.includes("A &amp; B"));
    });
  });

  describe("when the owner accepts the call", () => {
    it("says so and ends the whisper, which bridges the call", () => {
      const xml = renderTwiml({ kind: "connect", say: ["Connecting you now."] }, urls, {
        hints: [],
      });
      assert.match(xml, /<Say[^>]*>Connecting you now\.<\/Say><\/Response>$/);
      assert.doesNotMatch(xml, /Hangup|Gather/);
    });
  });
});
