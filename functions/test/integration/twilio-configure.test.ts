import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fakeAccountSid, TwilioFakeServer } from "../support/twilio-fake.server";
import { REPO_ROOT } from "../support/npm-script";

/**
 * `npm run twilio:configure`, run as an operator would, with the real twilio
 * client pointed at a local server speaking Twilio's IncomingPhoneNumbers API.
 */
const NUMBER = "+441179460000";
const BASE = "https://europe-west2-bristol-plumbing-prod.cloudfunctions.net";
const SCRIPT = path.join(REPO_ROOT, "functions", "lib", "src", "tools", "twilio-configure.js");

describe("npm run twilio:configure", function () {
  this.timeout(30_000);
  const accountSid = fakeAccountSid();
  const authToken = "configure-test-token";
  let twilio: TwilioFakeServer;
  let apiBaseUrl: string;

  before(async () => {
    twilio = new TwilioFakeServer({ accountSid, authToken });
    apiBaseUrl = (await twilio.start()).baseUrl;
  });
  after(() => twilio.stop());
  beforeEach(() => twilio.reset());

  function run(args: string[], env: Record<string, string | undefined> = {}, cwd = REPO_ROOT) {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      cwd,
      env: {
        PATH: process.env.PATH,
        TWILIO_ACCOUNT_SID: accountSid,
        TWILIO_AUTH_TOKEN: authToken,
        TWILIO_API_BASE_URL: apiBaseUrl,
        ...env,
      } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on("close", (code) => resolve({ code, stdout, stderr })),
    );
  }

  it("points a newly bought number at the functions, printing each change, and exits 0", async () => {
    twilio.addPhoneNumber(NUMBER);
    const result = await run(["--number", NUMBER, "--base-url", BASE]);
    assert.equal(result.code, 0, result.stderr);
    const [number] = twilio.phoneNumbers();
    assert.equal(number.voice_url, `${BASE}/voice/incoming`);
    assert.equal(number.voice_method, "POST");
    assert.equal(number.voice_fallback_url, `${BASE}/voiceFallback`);
    assert.equal(number.voice_fallback_method, "POST");
    assert.equal(number.status_callback, `${BASE}/voice/status`);
    assert.equal(number.sms_url, `${BASE}/sms/incoming`);
    assert.equal(twilio.numberUpdates().length, 1);
    assert.ok(twilio.requests.every((r) => r.authorized));
    assert.match(result.stdout, /changed 4 setting\(s\)/);
    assert.match(
      result.stdout,
      /voiceUrl: https:\/\/demo\.twilio\.com\/welcome\/voice\/ -> https:\/\/europe-west2-bristol-plumbing-prod\.cloudfunctions\.net\/voice\/incoming/,
    );
    assert.match(result.stdout, /voiceFallbackUrl: \(empty\) -> .*\/voiceFallback/);
    assert.match(result.stdout, /statusCallback: \(empty\) -> .*\/voice\/status/);
    assert.match(
      result.stdout,
      /smsUrl: https:\/\/demo\.twilio\.com\/welcome\/sms\/reply -> .*\/sms\/incoming/,
    );
  });

  it("changes nothing, and says so, when run again", async () => {
    twilio.addPhoneNumber(NUMBER);
    assert.equal((await run(["--number", NUMBER, "--base-url", BASE])).code, 0);
    const again = await run(["--number", NUMBER, "--base-url", `${BASE}/`]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already points at .*: nothing to change/);
    assert.equal(twilio.numberUpdates().length, 1, "the second run sent no update");
  });

  it("changes only what differs, and clears a TwiML App that would override the voice URL", async () => {
    twilio.addPhoneNumber(NUMBER, {
      voice_url: `${BASE}/voice/incoming`,
      voice_fallback_url: `${BASE}/voiceFallback`,
      status_callback: `${BASE}/voice/status`,
      sms_url: "https://old-host.example/sms",
      sms_method: "GET",
      voice_application_sid: `AP${"1".repeat(32)}`,
    });
    const result = await run(["--number", NUMBER, "--base-url", BASE]);
    assert.equal(result.code, 0, result.stderr);
    const [update] = twilio.numberUpdates();
    assert.deepEqual(Object.keys(update.form).sort(), [
      "SmsMethod",
      "SmsUrl",
      "VoiceApplicationSid",
    ]);
    const [number] = twilio.phoneNumbers();
    assert.equal(number.sms_url, `${BASE}/sms/incoming`);
    assert.equal(number.sms_method, "POST");
    assert.equal(number.voice_application_sid, null);
    assert.match(result.stdout, /changed 3 setting\(s\)/);
  });

  it("with --dry-run, prints what would change and changes nothing", async () => {
    twilio.addPhoneNumber(NUMBER);
    const result = await run(["--number", NUMBER, "--base-url", BASE, "--dry-run"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /would change 4 setting\(s\)/);
    assert.equal(twilio.numberUpdates().length, 0);
    assert.equal(twilio.phoneNumbers()[0].voice_url, "https://demo.twilio.com/welcome/voice/");
  });

  it("takes the base URL from the project's functions/.env file", async () => {
    twilio.addPhoneNumber(NUMBER);
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "twilio-configure-"));
    fs.mkdirSync(path.join(repo, "functions"));
    fs.writeFileSync(path.join(repo, "functions", "package.json"), "{}");
    fs.writeFileSync(
      path.join(repo, "functions", ".env.bristol-plumbing-prod"),
      `PUBLIC_WEBHOOK_BASE_URL=${BASE}\n`,
    );
    try {
      const result = await run(
        ["--number", NUMBER, "--project", "bristol-plumbing-prod"],
        {},
        repo,
      );
      assert.equal(result.code, 0, result.stderr);
      assert.equal(twilio.phoneNumbers()[0].voice_url, `${BASE}/voice/incoming`);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it("says where to set the base URL when the project has none", async () => {
    twilio.addPhoneNumber(NUMBER);
    const result = await run(["--number", NUMBER, "--project", "no-such-project"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no PUBLIC_WEBHOOK_BASE_URL in functions\/\.env\.no-such-project/);
    assert.equal(twilio.requests.length, 0);
  });

  it("fails clearly, exit 1, for a number the account does not have", async () => {
    twilio.addPhoneNumber("+441179469999");
    const result = await run(["--number", NUMBER, "--base-url", BASE]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /\+441179460000 is not a number of this Twilio account/);
    assert.equal(twilio.numberUpdates().length, 0);
  });

  it("fails clearly when Twilio refuses the credentials", async () => {
    twilio.addPhoneNumber(NUMBER);
    const result = await run(["--number", NUMBER, "--base-url", BASE], {
      TWILIO_AUTH_TOKEN: "wrong",
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Twilio answered 401 \(20003\).*refused the credentials/);
  });

  it("refuses to start without credentials, an E.164 number or an https base URL", async () => {
    const noCredentials = await run(["--number", NUMBER, "--base-url", BASE], {
      TWILIO_AUTH_TOKEN: "",
    });
    assert.equal(noCredentials.code, 2);
    assert.match(noCredentials.stderr, /TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set/);
    const badNumber = await run(["--number", "01179460000", "--base-url", BASE]);
    assert.equal(badNumber.code, 2);
    assert.match(badNumber.stderr, /--number must be the Twilio number in E\.164/);
    const http = await run(["--number", NUMBER, "--base-url", "http://example.com"]);
    assert.equal(http.code, 2);
    assert.match(http.stderr, /must be https:\/\//);
    assert.equal(twilio.requests.length, 0);
  });
});
