import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { ClaudeLanguageModel } from "../../src/adapters/llm/claude-language-model";
import { FALLBACK_DEMO_TENANT } from "../../src/tools/nlu-cli";
import {
  formatLive,
  LIVE_NEEDS_KEY,
  liveClassifier,
  parseCorpus,
  runEvaluation,
} from "../../src/tools/nlu-eval";
import { AnthropicFakeServer } from "../support/anthropic-fake.server";

const EVAL = path.resolve(__dirname, "../../src/tools/nlu-eval.js");
const emptySlots = {
  name: null,
  address: null,
  postcode: null,
  serviceId: null,
  timeWish: null,
  chosenSlotId: null,
};

describe("npm run eval -- --live", function () {
  this.timeout(30_000);

  it("without a key, says what it needs and exits 2 without calling anyone", async () => {
    const env = { ...process.env, ANTHROPIC_API_KEY: "" };
    const run = promisify(execFile)(process.execPath, [EVAL, "--live"], { env });
    await assert.rejects(run, (err: { code?: number; stderr?: string }) => {
      assert.equal(err.code, 2);
      assert.equal(err.stderr?.trim(), LIVE_NEEDS_KEY);
      return true;
    });
  });

  describe("with a key (a local Messages API server)", () => {
    let server: AnthropicFakeServer;
    before(async () => {
      server = new AnthropicFakeServer();
      await server.start();
    });
    after(() => server.stop());

    it("asks only where the call would, merges by the call's rule, and counts fallbacks and latency", async () => {
      const items = parseCorpus(
        "text\tintent\temergency\n" +
          "my pipe has burst\temergency\tburst-pipe\n" +
          "flibber the wotsit\tcancel\tnone\n" +
          "mumble mumble the thing by the stairs\temergency\tflooding\n" +
          "gobbledygook again\tbook\tnone\n",
        "development",
      );
      server
        .replyJson({ intent: "cancel", emergencyKind: null, slots: emptySlots })
        .replyJson({ intent: "emergency", emergencyKind: "flooding", slots: emptySlots })
        .reply({ status: 529, errorType: "overloaded_error" });
      const model = new ClaudeLanguageModel({ apiKey: () => "k", baseURL: server.baseURL });
      const { classify, live } = await liveClassifier(items, FALLBACK_DEMO_TENANT, model);
      assert.equal(live.asked, 3, "never asked after the rules' clear emergency");
      assert.equal(server.requests.length, 3);
      assert.equal(live.fallbacks, 1);
      assert.deepEqual(live.reasons, { overloaded: 1 });
      assert.equal(live.addedMs.length, 3);
      const run = runEvaluation(items, classify);
      assert.equal(run.development.caughtOutright, 2, "the model added the flood");
      assert.equal(run.development.intentCorrect, 3);
      assert.match(formatLive(live, items.length), /fallback rate\s+33\.3%.*overloaded 1/s);
    });
  });
});
