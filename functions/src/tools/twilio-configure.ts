import * as fs from "node:fs";
import * as path from "node:path";
import type { Twilio } from "twilio";
import { createTwilioClient } from "../adapters/twilio/twilio-sms.sender";
import { findRepoRoot, parseEnvFile } from "./simulator/local-config";

/**
 * npm run twilio:configure -- --number +44... (--project ID | --base-url URL) [--dry-run]
 *
 * Points a business's Twilio number at the deployed functions: the voice
 * webhook, the voice fallback, the call status callback and the incoming SMS
 * webhook, each POST. Reads the number's settings first and changes only what
 * differs, so a second run changes nothing; prints every change. Needs real
 * credentials in TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (TWILIO_API_BASE_URL
 * redirects the client, for tests).
 */

/** The number's settings this tool owns, by the twilio client's update() names. */
export interface NumberWebhooks {
  voiceUrl: string;
  voiceMethod: string;
  voiceFallbackUrl: string;
  voiceFallbackMethod: string;
  statusCallback: string;
  statusCallbackMethod: string;
  smsUrl: string;
  smsMethod: string;
  /** A TwiML App on the number overrides voiceUrl: cleared. */
  voiceApplicationSid: string;
  /** Likewise for smsUrl. */
  smsApplicationSid: string;
}

export interface Change {
  setting: keyof NumberWebhooks;
  from: string;
  to: string;
}

export class ConfigureError extends Error {}

/** Where each webhook of the deployed functions lives under the public base URL. */
export function webhooksFor(baseUrl: string): NumberWebhooks {
  const base = baseUrl.replace(/\/+$/, "");
  return {
    voiceUrl: `${base}/voice/incoming`,
    voiceMethod: "POST",
    voiceFallbackUrl: `${base}/voiceFallback`,
    voiceFallbackMethod: "POST",
    statusCallback: `${base}/voice/status`,
    statusCallbackMethod: "POST",
    smsUrl: `${base}/sms/incoming`,
    smsMethod: "POST",
    voiceApplicationSid: "",
    smsApplicationSid: "",
  };
}

/**
 * Reads the number and brings the settings above to `wanted`, changing only
 * those that differ; returns the changes (none: nothing was sent).
 */
export async function configureNumber(
  client: Twilio,
  phoneNumber: string,
  wanted: NumberWebhooks,
  options: { dryRun?: boolean } = {},
): Promise<{ sid: string; changes: Change[] }> {
  const found = await client.incomingPhoneNumbers.list({ phoneNumber, limit: 20 });
  const number = found.find((n) => n.phoneNumber === phoneNumber);
  if (!number) {
    throw new ConfigureError(
      `${phoneNumber} is not a number of this Twilio account: check the number (E.164, e.g. +441179460000) and TWILIO_ACCOUNT_SID`,
    );
  }
  const current: NumberWebhooks = {
    voiceUrl: number.voiceUrl ?? "",
    voiceMethod: number.voiceMethod ?? "",
    voiceFallbackUrl: number.voiceFallbackUrl ?? "",
    voiceFallbackMethod: number.voiceFallbackMethod ?? "",
    statusCallback: number.statusCallback ?? "",
    statusCallbackMethod: number.statusCallbackMethod ?? "",
    smsUrl: number.smsUrl ?? "",
    smsMethod: number.smsMethod ?? "",
    voiceApplicationSid: number.voiceApplicationSid ?? "",
    smsApplicationSid: number.smsApplicationSid ?? "",
  };
  const changes = (Object.keys(wanted) as (keyof NumberWebhooks)[])
    .filter((setting) => current[setting] !== wanted[setting])
    .map((setting) => ({ setting, from: current[setting], to: wanted[setting] }));
  if (changes.length > 0 && !options.dryRun) {
    const update = Object.fromEntries(changes.map((c) => [c.setting, c.to]));
    await client.incomingPhoneNumbers(number.sid).update(update);
  }
  return { sid: number.sid, changes };
}

interface Options {
  number: string;
  baseUrl?: string;
  project?: string;
  dryRun: boolean;
}

const USAGE = `usage: npm run twilio:configure -- --number +441179460000 (--project PROJECT_ID | --base-url https://...) [--dry-run]
  --number    the business's Twilio number, E.164
  --project   read PUBLIC_WEBHOOK_BASE_URL from functions/.env.PROJECT_ID
  --base-url  the functions' public base URL, e.g. https://europe-west2-PROJECT_ID.cloudfunctions.net
  --dry-run   print what would change, change nothing
Credentials: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN in the environment.`;

function parseArgs(argv: string[]): Options {
  const options: Partial<Options> = { dryRun: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--dry-run") {
      options.dryRun = true;
      continue;
    }
    const value = argv[i + 1];
    if (!value || value.startsWith("--")) throw new ConfigureError(`${arg} needs a value`);
    if (arg === "--number") options.number = value;
    else if (arg === "--base-url") options.baseUrl = value;
    else if (arg === "--project") options.project = value;
    else throw new ConfigureError(`unknown option ${arg}`);
    i += 1;
  }
  if (!options.number || !/^\+[1-9]\d{6,14}$/.test(options.number)) {
    throw new ConfigureError("--number must be the Twilio number in E.164, e.g. +441179460000");
  }
  if (!options.baseUrl && !options.project) {
    throw new ConfigureError("give --project PROJECT_ID or --base-url URL");
  }
  return options as Options;
}

function resolveBaseUrl(options: Options): string {
  let base = options.baseUrl;
  if (!base) {
    const root = findRepoRoot(process.cwd()) ?? findRepoRoot(__dirname);
    const file = root && path.join(root, "functions", `.env.${options.project}`);
    const values = file && fs.existsSync(file) ? parseEnvFile(fs.readFileSync(file, "utf8")) : {};
    base = values.PUBLIC_WEBHOOK_BASE_URL;
    if (!base) {
      throw new ConfigureError(
        `no PUBLIC_WEBHOOK_BASE_URL in functions/.env.${options.project}: set it there (docs/deployment.md) or pass --base-url`,
      );
    }
  }
  if (!/^https:\/\/[^/]+/.test(base)) {
    throw new ConfigureError(`the base URL must be https://, not "${base}"`);
  }
  return base;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  let options: Options;
  let baseUrl: string;
  try {
    options = parseArgs(argv);
    baseUrl = resolveBaseUrl(options);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const accountSid = env.TWILIO_ACCOUNT_SID?.trim();
  const authToken = env.TWILIO_AUTH_TOKEN?.trim();
  if (!accountSid || !authToken) {
    console.error(
      "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set to the account's real credentials (Twilio console, Account info)",
    );
    return 2;
  }
  const client = await createTwilioClient({
    accountSid,
    authToken,
    apiBaseUrl: env.TWILIO_API_BASE_URL?.trim() || undefined,
  });
  try {
    const { sid, changes } = await configureNumber(client, options.number, webhooksFor(baseUrl), {
      dryRun: options.dryRun,
    });
    const verb = options.dryRun ? "would change" : "changed";
    if (changes.length === 0) {
      console.log(`${options.number} (${sid}) already points at ${baseUrl}: nothing to change`);
    } else {
      console.log(`${options.number} (${sid}): ${verb} ${changes.length} setting(s)`);
      for (const c of changes)
        console.log(`  ${c.setting}: ${c.from || "(empty)"} -> ${c.to || "(empty)"}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ConfigureError) {
      console.error(error.message);
      return 1;
    }
    const rest = error as { status?: number; code?: number; message?: string };
    const hint =
      rest.status === 401
        ? ": Twilio refused the credentials (TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN)"
        : "";
    console.error(
      `Twilio answered ${rest.status ?? "nothing"}${rest.code ? ` (${rest.code})` : ""}: ${rest.message ?? String(error)}${hint}`,
    );
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
