/**
 * `npm run call`: rings the local stack's voice webhooks as Twilio would and
 * prints what the caller hears. See --help, or simulator/cli-options.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { scriptCaller, scriptLines, readlineCaller, type Caller } from "./simulator/callers";
import { simulateCall } from "./simulator/call-session";
import { parseCliOptions, USAGE, type CliOptions } from "./simulator/cli-options";
import { SimulatorError } from "./simulator/errors";
import { findRepoRoot, firstSet, readSecretLocal, localAuthToken } from "./simulator/local-config";
import { fetchTransport } from "./simulator/transport";
import { DEMO_ACCOUNT_SID } from "./simulator/twilio-params";

export async function runCallSimulator(argv: readonly string[]): Promise<number> {
  try {
    const options = parseCliOptions(argv);
    if (options.help) {
      console.log(USAGE);
      return 0;
    }
    const secrets = readSecretLocal(findRepoRoot(__dirname));
    const authToken = localAuthToken(options.authToken, secrets);
    const accountSid =
      firstSet(options.accountSid, process.env.TWILIO_ACCOUNT_SID, secrets.TWILIO_ACCOUNT_SID) ??
      DEMO_ACCOUNT_SID;

    const transcript = await simulateCall(
      {
        baseUrl: options.baseUrl,
        from: options.from,
        to: options.to,
        confidence: options.confidence,
        authToken,
        accountSid,
        owner: options.owner,
        backups: options.backups,
      },
      {
        transport: fetchTransport(),
        caller: openCaller(options),
        print: (line) => console.log(line),
      },
    );
    if (options.json) console.log(JSON.stringify(transcript));
    return 0;
  } catch (error) {
    if (!(error instanceof SimulatorError)) throw error;
    console.error(error.message);
    if (error.details) console.error(indent(error.details));
    return 1;
  }
}

function openCaller(options: CliOptions): Caller {
  if (!options.script) return readlineCaller(process.stdin, process.stdout);
  // npm runs scripts from the repo root; a relative path means the user's own directory.
  const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), options.script);
  let content: string;
  try {
    content = fs.readFileSync(file, "utf8");
  } catch {
    throw new SimulatorError(`Cannot read the script ${file}.`);
  }
  return scriptCaller(scriptLines(content));
}

function indent(text: string): string {
  const lines = text.split(/\r?\n/);
  const shown = lines.slice(0, 40).map((line) => `  ${line}`);
  if (lines.length > 40) shown.push(`  ... (${lines.length - 40} more lines)`);
  return shown.join("\n");
}

if (require.main === module) {
  runCallSimulator(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 2;
    },
  );
}
