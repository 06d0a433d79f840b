import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { validateRequest } from "twilio/lib/webhooks/webhooks";
import { scriptCaller } from "../../src/tools/simulator/callers";
import {
  simulateCall,
  type CallSessionOptions,
  type CallTranscript,
  type LegBehaviour,
} from "../../src/tools/simulator/call-session";
import { SimulatorError } from "../../src/tools/simulator/errors";
import { fetchTransport } from "../../src/tools/simulator/transport";

const AUTH_TOKEN = "test-auth-token-0123456789abcdef";
const PREFIX = "/demo-bristol-plumbing/europe-west2";
const OWNER = "+447700900123";
const BACKUP = "+447700900456";
const CLI = path.resolve(__dirname, "../../src/tools/call-simulator.js");

interface ReceivedWebhook {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly params: Record<string, string>;
}

type Answer = { status: number; body: string };
type Override = (hook: ReceivedWebhook) => Answer | undefined;

/**
 * A tiny scripted receptionist speaking the product's webhook contract. Like the
 * product, it refuses (403) any request whose X-Twilio-Signature does not verify.
 */
class FakeReceptionist {
  readonly received: ReceivedWebhook[] = [];
  rejectedSignatures = 0;
  override: Override | undefined;
  private server = http.createServer((req, res) => void this.handle(req, res));
  base = "";

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.base = `http://127.0.0.1:${port}${PREFIX}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  reset(): void {
    this.received.length = 0;
    this.rejectedSignatures = 0;
    this.override = undefined;
  }

  to(route: string): ReceivedWebhook[] {
    return this.received.filter((hook) => hook.path === route);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body = "";
    for await (const chunk of req) body += String(chunk);
    const { port } = this.server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}${req.url ?? ""}`;
    const params = req.method === "POST" ? Object.fromEntries(new URLSearchParams(body)) : {};
    const signature = req.headers["x-twilio-signature"];
    if (typeof signature !== "string" || !validateRequest(AUTH_TOKEN, signature, url, params)) {
      this.rejectedSignatures += 1;
      res.writeHead(403, { "Content-Type": "text/plain" }).end("Invalid Twilio signature");
      return;
    }
    const parsed = new URL(url);
    const hook: ReceivedWebhook = {
      method: req.method ?? "",
      path: parsed.pathname.slice(PREFIX.length),
      query: parsed.searchParams,
      params: req.method === "GET" ? Object.fromEntries(parsed.searchParams) : params,
    };
    this.received.push(hook);
    const answer = this.override?.(hook) ?? this.answer(hook);
    res.writeHead(answer.status, { "Content-Type": "text/xml" }).end(answer.body);
  }

  private answer(hook: ReceivedWebhook): Answer {
    const b = this.base;
    const p = hook.params;
    const twiml = (inner: string): Answer => ({
      status: 200,
      body: `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`,
    });
    const listen = (say: string): string =>
      `<Gather input="speech" action="${b}/voice/turn" method="POST" speechTimeout="auto" actionOnEmptyResult="true"><Say>${say}</Say></Gather>`;
    const dial = (number: string, step: number): string =>
      `<Dial action="${b}/voice/dial-result?step=${step}" timeout="20" callerId="+441174960000">` +
      `<Number url="${b}/voice/whisper" statusCallback="${b}/voice/leg-status" statusCallbackEvent="completed">${number}</Number></Dial>`;

    switch (hook.path) {
      case "/voice/incoming":
        return twiml(listen("Bristol Plumbing &amp; Heating, how can I help?"));
      case "/voice/turn": {
        const said = p.SpeechResult ?? p.Digits;
        if (said === undefined) {
          return twiml(
            `<Say>Sorry, I didn't catch that.</Say><Redirect method="GET">${b}/voice/reprompt?attempt=2</Redirect>`,
          );
        }
        if (/burst/.test(said)) {
          return twiml(
            `<Say>That is an emergency. Connecting you to the plumber.</Say>${dial(OWNER, 0)}`,
          );
        }
        if (/menu/.test(said)) {
          return twiml(
            `<Gather input="speech dtmf" numDigits="1" action="menu"><Say>Press 1 to book, 2 for prices.</Say></Gather>`,
          );
        }
        if (/quiet/.test(said)) {
          return twiml(
            `<Gather input="speech"><Say>Anything else?</Say></Gather><Say>Goodbye then.</Say>`,
          );
        }
        return twiml(`<Say>Thanks, we will call you back. Goodbye.</Say><Hangup/>`);
      }
      case "/voice/reprompt":
        return twiml(listen("Could you say that again?"));
      case "/voice/menu":
        return twiml(`<Say>You pressed ${p.Digits ?? "nothing"}.</Say><Hangup/>`);
      case "/voice/whisper":
        return twiml(
          `<Gather input="dtmf" numDigits="1" timeout="8" action="${b}/voice/whisper-answer">` +
            `<Say>Emergency call from ${p.From}. Press 1 to accept.</Say></Gather><Say>Call not taken.</Say><Hangup/>`,
        );
      case "/voice/whisper-answer":
        return p.Digits === "1" ? twiml("<Say>Connecting.</Say>") : twiml("<Hangup/>");
      case "/voice/dial-result": {
        const step = Number(hook.query.get("step"));
        if (p.DialBridged === "true") return twiml("<Hangup/>");
        if (step === 0) return twiml(`<Say>Trying our backup engineer.</Say>${dial(BACKUP, 1)}`);
        return twiml("<Say>Nobody can take your call right now. We will text you.</Say><Hangup/>");
      }
      case "/voice/status":
      case "/voice/leg-status":
        return { status: 204, body: "" };
      default:
        return { status: 404, body: `no route ${hook.path}` };
    }
  }
}

describe("the local call simulator", function () {
  const receptionist = new FakeReceptionist();
  let printed: string[] = [];

  before(() => receptionist.start());
  after(() => receptionist.stop());
  beforeEach(() => {
    receptionist.reset();
    printed = [];
  });

  function call(
    lines: string[],
    overrides: Partial<CallSessionOptions> = {},
  ): Promise<CallTranscript> {
    return simulateCall(
      {
        baseUrl: receptionist.base,
        from: "+441179460123",
        to: "+441174960000",
        confidence: 0.87,
        authToken: AUTH_TOKEN,
        accountSid: "AC" + "ab".repeat(16),
        owner: "accept" satisfies LegBehaviour,
        backups: [],
        ...overrides,
      },
      {
        transport: fetchTransport(5_000),
        caller: scriptCaller(lines),
        print: (line) => printed.push(line),
      },
    );
  }

  describe("when a caller asks a question and the receptionist hangs up", () => {
    it("signs every webhook so the receptionist accepts it", async () => {
      await call(["Can you fix a dripping tap?"]);
      assert.equal(receptionist.rejectedSignatures, 0);
      assert.deepEqual(
        receptionist.received.map((hook) => hook.path),
        ["/voice/incoming", "/voice/turn", "/voice/status"],
      );
    });

    it("sends Twilio's call parameters, ringing first and in progress after", async () => {
      await call(["Can you fix a dripping tap?"]);
      const [incoming, turn] = receptionist.received;
      assert.match(incoming.params.CallSid, /^CA[0-9a-f]{32}$/);
      assert.equal(turn.params.CallSid, incoming.params.CallSid);
      assert.equal(incoming.params.AccountSid, "AC" + "ab".repeat(16));
      assert.equal(incoming.params.From, "+441179460123");
      assert.equal(incoming.params.Caller, "+441179460123");
      assert.equal(incoming.params.To, "+441174960000");
      assert.equal(incoming.params.Called, "+441174960000");
      assert.equal(incoming.params.Direction, "inbound");
      assert.equal(incoming.params.ApiVersion, "2010-04-01");
      assert.equal(incoming.params.FromCountry, "GB");
      assert.equal(incoming.params.CallStatus, "ringing");
      assert.equal(turn.params.CallStatus, "in-progress");
    });

    it("sends what the caller said as SpeechResult with the chosen Confidence", async () => {
      await call(["Can you fix a dripping tap?"]);
      const [turn] = receptionist.to("/voice/turn");
      assert.equal(turn.params.SpeechResult, "Can you fix a dripping tap?");
      assert.equal(turn.params.Confidence, "0.87");
    });

    it("prints the conversation and ends at Hangup with a completed status callback", async () => {
      const transcript = await call(["Can you fix a dripping tap?"]);
      assert.ok(printed.includes("Receptionist: Bristol Plumbing & Heating, how can I help?"));
      assert.ok(printed.includes("Caller: Can you fix a dripping tap?"));
      assert.ok(printed.includes("Receptionist: Thanks, we will call you back. Goodbye."));
      assert.ok(printed.includes("[call ended]"));
      assert.equal(transcript.ended, "hangup");
      const [status] = receptionist.to("/voice/status");
      assert.equal(status.params.CallStatus, "completed");
      assert.match(status.params.CallDuration, /^[1-9]\d*$/);
      assert.deepEqual(
        transcript.events.filter((event) => event.who !== "system"),
        [
          { who: "receptionist", text: "Bristol Plumbing & Heating, how can I help?" },
          { who: "caller", text: "Can you fix a dripping tap?" },
          { who: "receptionist", text: "Thanks, we will call you back. Goodbye." },
        ],
      );
    });
  });

  describe("when the caller stays silent", () => {
    it("posts to the action without SpeechResult, then follows the Redirect", async () => {
      const transcript = await call(["", "Can you fix a dripping tap?"]);
      const [silent, spoken] = receptionist.to("/voice/turn");
      assert.equal("SpeechResult" in silent.params, false);
      assert.equal("Confidence" in silent.params, false);
      assert.equal(spoken.params.SpeechResult, "Can you fix a dripping tap?");
      const [reprompt] = receptionist.to("/voice/reprompt");
      assert.equal(reprompt.method, "GET");
      assert.equal(reprompt.query.get("attempt"), "2");
      assert.equal(reprompt.params.CallSid, transcript.callSid);
      assert.equal(receptionist.rejectedSignatures, 0);
      assert.ok(printed.includes("Caller: (silence)"));
      assert.ok(printed.includes("Receptionist: Could you say that again?"));
    });
  });

  describe("when the receptionist offers a keypad menu", () => {
    it("sends keyed digits as Digits, resolving a relative action URL", async () => {
      await call(["Read me the menu", "2"]);
      const [menu] = receptionist.to("/voice/menu");
      assert.equal(menu.params.Digits, "2");
      assert.equal("SpeechResult" in menu.params, false);
      assert.ok(printed.includes("Receptionist: You pressed 2."));
    });
  });

  describe("when a Gather without actionOnEmptyResult hears nothing", () => {
    it("moves on to the next verb and ends the call when the document runs out", async () => {
      const transcript = await call(["Please be quiet", ""]);
      assert.equal(receptionist.to("/voice/turn").length, 1);
      assert.ok(printed.includes("Receptionist: Goodbye then."));
      assert.equal(transcript.ended, "hangup");
      assert.equal(receptionist.to("/voice/status").length, 1);
    });
  });

  describe("when the script runs out while the receptionist is still listening", () => {
    it("hangs up as the caller and reports the call completed", async () => {
      const transcript = await call([]);
      assert.equal(transcript.ended, "caller-hung-up");
      assert.ok(printed.includes("[caller hung up]"));
      assert.equal(receptionist.to("/voice/status")[0]?.params.CallStatus, "completed");
      assert.ok(printed.some((line) => line.startsWith("[status callback] CallStatus=completed")));
    });
  });

  describe("when an emergency is escalated and the owner does not answer", () => {
    it("reports no-answer for the owner, then connects the backup who presses 1", async () => {
      const transcript = await call(["My pipe has burst!"], {
        owner: "no-answer",
        backups: ["accept"],
      });

      const [first, second] = receptionist.to("/voice/dial-result");
      assert.equal(first.query.get("step"), "0");
      assert.equal(first.params.DialCallStatus, "no-answer");
      assert.equal(first.params.DialCallDuration, "0");
      assert.match(first.params.DialCallSid, /^CA[0-9a-f]{32}$/);
      assert.equal(second.query.get("step"), "1");
      assert.equal(second.params.DialCallStatus, "completed");
      assert.ok(Number(second.params.DialCallDuration) > 0);

      const whispers = receptionist.to("/voice/whisper");
      assert.equal(whispers.length, 1, "only the backup answered");
      const whisper = whispers[0].params;
      assert.equal(whisper.To, BACKUP);
      assert.equal(whisper.From, "+441174960000", "the Dial callerId");
      assert.equal(whisper.Direction, "outbound-dial");
      assert.equal(whisper.ParentCallSid, transcript.callSid);
      assert.equal(whisper.CallSid, second.params.DialCallSid);
      assert.notEqual(whisper.CallSid, transcript.callSid);
      assert.equal(receptionist.to("/voice/whisper-answer")[0]?.params.Digits, "1");

      const legs = receptionist.to("/voice/leg-status").map((hook) => hook.params.CallStatus);
      assert.deepEqual(legs, ["no-answer", "completed"]);
      assert.equal(receptionist.rejectedSignatures, 0);

      assert.ok(printed.includes(`[transfer] ringing ${OWNER} ...`));
      assert.ok(printed.includes(`[transfer] ringing ${BACKUP} ...`));
      assert.ok(
        printed.includes(
          "  (backup's phone hears) Emergency call from +441174960000. Press 1 to accept.",
        ),
      );
      assert.ok(printed.includes(`[transfer] connected: caller is now talking to ${BACKUP}`));
      assert.equal(transcript.ended, "transfer-accepted");
      assert.equal(receptionist.to("/voice/status").length, 1);
    });
  });

  describe("when the owner answers but declines the transfer", () => {
    it("lets the whisper time out, reports a short completed leg and tries the backup", async () => {
      const transcript = await call(["My pipe has burst!"], { owner: "decline" });
      const [first, second] = receptionist.to("/voice/dial-result");
      assert.equal(first.params.DialCallStatus, "completed");
      assert.equal(first.params.DialBridged, "false");
      assert.ok(Number(first.params.DialCallDuration) > 0);
      assert.ok(Number(first.params.DialCallDuration) < 30);
      assert.equal(receptionist.to("/voice/whisper-answer").length, 0, "nothing was pressed");
      assert.ok(printed.includes("  (owner's phone hears) Call not taken."));
      assert.equal(second.params.DialCallStatus, "no-answer", "backups do not answer by default");
      assert.ok(
        printed.includes("Receptionist: Nobody can take your call right now. We will text you."),
      );
      assert.equal(transcript.ended, "hangup");
    });
  });

  describe("when the owner accepts straight away", () => {
    it("connects the caller to the owner and ends after the Dial action", async () => {
      const transcript = await call(["My pipe has burst!"]);
      assert.equal(receptionist.to("/voice/whisper")[0]?.params.To, OWNER);
      assert.equal(receptionist.to("/voice/dial-result").length, 1);
      assert.ok(printed.includes(`[transfer] connected: caller is now talking to ${OWNER}`));
      assert.equal(transcript.ended, "transfer-accepted");
    });
  });

  describe("when one Dial rings the owner and the backup together", () => {
    it("lets the first phone to pick up win and reports its leg", async () => {
      receptionist.override = (hook) => {
        if (hook.path !== "/voice/turn") return undefined;
        const b = receptionist.base;
        return {
          status: 200,
          body:
            `<Response><Dial action="${b}/voice/dial-result?step=1">` +
            `<Number url="${b}/voice/whisper">${OWNER}</Number>` +
            `<Number url="${b}/voice/whisper">${BACKUP}</Number></Dial></Response>`,
        };
      };
      const transcript = await call(["burst pipe"], { owner: "no-answer", backups: ["accept"] });
      const whispers = receptionist.to("/voice/whisper");
      assert.deepEqual(
        whispers.map((hook) => hook.params.To),
        [BACKUP],
      );
      const [result] = receptionist.to("/voice/dial-result");
      assert.equal(result.params.DialCallSid, whispers[0].params.CallSid);
      assert.equal(result.params.DialBridged, "true");
      assert.equal(transcript.ended, "transfer-accepted");
    });
  });

  describe("when the receptionist rejects the call outright", () => {
    it("ends unanswered and reports the call busy", async () => {
      receptionist.override = (hook) =>
        hook.path === "/voice/incoming"
          ? { status: 200, body: '<Response><Reject reason="busy"/></Response>' }
          : undefined;
      const transcript = await call(["hello"]);
      assert.equal(transcript.ended, "hangup");
      assert.ok(printed.includes("[call rejected]"));
      const [status] = receptionist.to("/voice/status");
      assert.equal(status.params.CallStatus, "busy");
      assert.equal(status.params.CallDuration, "0");
    });
  });

  describe("when the signing token is wrong", () => {
    it("fails with the receptionist's 403 and its body", async () => {
      await assert.rejects(
        call(["hello"], { authToken: "not-the-right-token" }),
        (error: unknown) =>
          error instanceof SimulatorError &&
          /HTTP 403/.test(error.message) &&
          error.details === "Invalid Twilio signature",
      );
      assert.ok(receptionist.rejectedSignatures > 0);
    });
  });

  describe("when a webhook fails", () => {
    it("shows the status and body, and still reports the call as ended", async () => {
      receptionist.override = (hook) =>
        hook.path === "/voice/turn" ? { status: 500, body: "TypeError: boom" } : undefined;
      await assert.rejects(
        call(["hello"]),
        (error: unknown) =>
          error instanceof SimulatorError &&
          error.message === `POST ${receptionist.base}/voice/turn answered HTTP 500.` &&
          error.details === "TypeError: boom",
      );
      assert.equal(receptionist.to("/voice/status").length, 1);
    });

    it("explains TwiML it cannot read", async () => {
      receptionist.override = (hook) =>
        hook.path === "/voice/incoming"
          ? { status: 200, body: "<Response><Say>Hi</Response>" }
          : undefined;
      await assert.rejects(
        call(["hello"]),
        (error: unknown) =>
          error instanceof SimulatorError && /could not be read/.test(error.message),
      );
    });

    it("stops a Redirect loop instead of spinning forever", async () => {
      receptionist.override = (hook) =>
        hook.path === "/voice/incoming"
          ? {
              status: 200,
              body: `<Response><Redirect>${receptionist.base}/voice/incoming</Redirect></Response>`,
            }
          : undefined;
      await assert.rejects(
        call([]),
        (error: unknown) => error instanceof SimulatorError && /Redirect/.test(error.message),
      );
    });
  });

  describe("run from the command line", () => {
    let scriptFile: string;
    const temporaryDirs: string[] = [];
    const temporaryDir = (prefix: string): string => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      temporaryDirs.push(dir);
      return dir;
    };
    after(() => {
      for (const dir of temporaryDirs) fs.rmSync(dir, { recursive: true, force: true });
    });
    before(() => {
      scriptFile = path.join(temporaryDir("call-sim-"), "call.txt");
      fs.writeFileSync(scriptFile, "\nCan you fix a dripping tap?\n");
    });

    it("exits 0 and prints the JSON transcript last, signing with TWILIO_AUTH_TOKEN", async () => {
      const result = await runCli(
        ["--base-url", receptionist.base, "--script", scriptFile, "--json"],
        {
          TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        },
      );
      assert.equal(result.code, 0, result.stderr);
      const lines = result.stdout.trim().split("\n");
      const transcript = JSON.parse(lines[lines.length - 1]) as CallTranscript;
      assert.equal(transcript.ended, "hangup");
      assert.deepEqual(
        transcript.events.filter((event) => event.who === "caller").map((event) => event.text),
        ["", "Can you fix a dripping tap?"],
      );
      assert.equal(receptionist.to("/voice/incoming")[0]?.params.From, "+447700900999");
      assert.equal(receptionist.rejectedSignatures, 0);
    });

    it("prefers --auth-token over TWILIO_AUTH_TOKEN", async () => {
      const result = await runCli(
        ["--base-url", receptionist.base, "--script", scriptFile, "--auth-token", AUTH_TOKEN],
        { TWILIO_AUTH_TOKEN: "stale-token" },
      );
      assert.equal(result.code, 0, result.stderr);
      assert.equal(receptionist.rejectedSignatures, 0);
    });

    it("falls back to TWILIO_AUTH_TOKEN in functions/.secret.local of its own checkout", async () => {
      const checkout = copyCompiledCliTo(temporaryDir("checkout-"));
      fs.writeFileSync(
        path.join(checkout.root, "functions", ".secret.local"),
        `# local secrets\nTWILIO_AUTH_TOKEN="${AUTH_TOKEN}"\n`,
      );
      const result = await runCli(
        ["--base-url", receptionist.base, "--script", scriptFile],
        {
          NODE_PATH: path.resolve(__dirname, "../../../../node_modules"),
        },
        checkout.cli,
      );
      assert.equal(result.code, 0, result.stderr);
      assert.equal(receptionist.to("/voice/incoming").length, 1);
      assert.equal(receptionist.rejectedSignatures, 0);
    });

    it("refuses to call without any auth token, saying where to put one", async () => {
      const checkout = copyCompiledCliTo(temporaryDir("checkout-"));
      const result = await runCli(
        ["--base-url", receptionist.base, "--script", scriptFile],
        {
          NODE_PATH: path.resolve(__dirname, "../../../../node_modules"),
        },
        checkout.cli,
      );
      assert.equal(result.code, 1);
      assert.match(result.stderr, /No Twilio auth token.*functions\/\.secret\.local/);
      assert.equal(receptionist.received.length, 0);
    });

    it("rejects a mistyped option before calling anyone", async () => {
      const result = await runCli(
        ["--base-url", receptionist.base, "--owner", "maybe", "--auth-token", AUTH_TOKEN],
        {},
      );
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^--owner: .*accept.*decline.*no-answer/);
      assert.equal(receptionist.received.length, 0);
    });

    it("exits non-zero with a friendly message when the stack is not running", async () => {
      const port = await closedPort();
      const result = await runCli(
        [
          "--base-url",
          `http://127.0.0.1:${port}${PREFIX}`,
          "--script",
          scriptFile,
          "--auth-token",
          AUTH_TOKEN,
        ],
        {},
      );
      assert.equal(result.code, 1);
      assert.equal(
        result.stderr.trim(),
        `The local stack is not running at http://127.0.0.1:${port} — start it with \`npm start\` in another terminal.`,
      );
    });

    it("exits non-zero when a webhook answers with an error", async () => {
      receptionist.override = () => ({ status: 404, body: "Function voice does not exist" });
      const result = await runCli(
        ["--base-url", receptionist.base, "--script", scriptFile, "--auth-token", AUTH_TOKEN],
        {},
      );
      assert.equal(result.code, 1);
      assert.match(result.stderr, /answered HTTP 404\.\n {2}Function voice does not exist/);
    });
  });
});

function runCli(
  args: string[],
  env: Record<string, string>,
  cli: string = CLI,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A port nothing listens on: bound, read, released. */
async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A bare checkout holding only the compiled CLI, so its .secret.local is the test's own. */
function copyCompiledCliTo(root: string): { root: string; cli: string } {
  const tools = path.dirname(CLI);
  const target = path.join(root, "functions", "lib", "src", "tools");
  fs.mkdirSync(target, { recursive: true });
  fs.writeFileSync(path.join(root, "functions", "package.json"), "{}");
  fs.cpSync(path.join(tools, "simulator"), path.join(target, "simulator"), { recursive: true });
  fs.copyFileSync(CLI, path.join(target, "call-simulator.js"));
  return { root, cli: path.join(target, "call-simulator.js") };
}
