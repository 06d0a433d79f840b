import { strict as assert } from "node:assert";
import { createServer } from "node:net";
import { SimulatorError } from "../../src/tools/simulator/errors";
import {
  DEFAULT_FROM,
  messageText,
  parseSmsOptions,
  runSmsSimulator,
  sendInboundSms,
} from "../../src/tools/sms-simulator";

describe("npm run sms", () => {
  describe("when given a message and a sender", () => {
    it("reads the options and joins the words of the message", () => {
      const options = parseSmsOptions(["--from", "+447700900555", "can", "we", "do", "Friday"]);
      assert.notEqual(options, "help");
      if (options === "help") return;
      assert.equal(options.from, "+447700900555");
      assert.equal(options.text, "can we do Friday");
      assert.equal(options.to, "+441174960000");
      assert.deepEqual(parseSmsOptions(["YES"]), { ...options, from: DEFAULT_FROM, text: "YES" });
    });

    it("refuses a number that is not E.164 and a missing message", () => {
      assert.throws(
        () => parseSmsOptions(["--from", "07700 900555", "YES"]),
        /--from: must be an E.164/,
      );
      assert.throws(() => parseSmsOptions(["--from", "+447700900555"]), /No message text/);
    });
  });

  describe("reading the reply", () => {
    it("takes the text of the <Message>, unescaped", () => {
      assert.equal(
        messageText(
          '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Fish &amp; chips at 8 &lt;ish&gt;</Message></Response>',
        ),
        "Fish & chips at 8 <ish>",
      );
      assert.equal(messageText('<?xml version="1.0" encoding="UTF-8"?><Response/>'), null);
    });
  });

  describe("when the stack is not running", () => {
    it("says so in one line and exits non-zero", async () => {
      const port = await freePort();
      await assert.rejects(
        sendInboundSms({
          baseUrl: `http://127.0.0.1:${port}/demo-bristol-plumbing/europe-west2`,
          authToken: "token",
          from: "+447700900222",
          to: "+441174960000",
          body: "YES",
        }),
        (error: unknown) =>
          error instanceof SimulatorError &&
          /local stack is not running .+npm start/.test(error.message),
      );
      const errors: string[] = [];
      const original = console.error;
      console.error = (line: string) => errors.push(line);
      try {
        const code = await runSmsSimulator([
          "--base-url",
          `http://127.0.0.1:${port}/demo-bristol-plumbing/europe-west2`,
          "--auth-token",
          "token",
          "YES",
        ]);
        assert.equal(code, 1);
      } finally {
        console.error = original;
      }
      assert.match(errors.join("\n"), /not running/);
    });
  });
});

/** A port nothing listens on. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}
