import { parseArgs } from "node:util";
import { z } from "zod";
import { LEG_BEHAVIOURS, type LegBehaviour } from "./call-session";
import { SimulatorError } from "./errors";

export const DEFAULT_BASE_URL = "http://127.0.0.1:5001/demo-bristol-plumbing/europe-west2";
/** An unknown caller (Ofcom's drama range, never a real phone). */
export const DEFAULT_FROM = "+447700900999";
/** The demo business's number. */
export const DEFAULT_TO = "+441174960000";

export const USAGE = `Usage: npm run call -- [options]

Rings the local stack's voice webhooks exactly as Twilio would and shows what the caller hears.
Type what the caller says at the "You:" prompt (an empty line is silence, Ctrl-D hangs up),
or pass --script with one utterance per line. Keypad presses are typed as digits, e.g. 1 or 123#.

Options:
  --from NUMBER         caller's number (default ${DEFAULT_FROM}, an unknown caller)
  --to NUMBER           number called (default ${DEFAULT_TO}, the demo business)
  --script FILE         caller's lines, one per turn; empty line = silence; the caller hangs up
                        when the script runs out
  --owner BEHAVIOUR     first phone a transfer rings: accept | decline | no-answer (default accept)
  --backup LIST         phones rung after it, in order, comma-separated (default: none answer)
  --confidence N        speech recognition confidence sent with each utterance (default 0.92)
  --base-url URL        functions base URL (default ${DEFAULT_BASE_URL})
  --auth-token TOKEN    Twilio auth token used to sign (default: $TWILIO_AUTH_TOKEN, then
                        TWILIO_AUTH_TOKEN in functions/.secret.local)
  --account-sid SID     AccountSid sent (default: $TWILIO_ACCOUNT_SID, .secret.local, or a demo SID)
  --json                print the transcript as JSON on the last line
  -h, --help            show this help`;

export interface CliOptions {
  readonly help: boolean;
  readonly from: string;
  readonly to: string;
  readonly script?: string;
  readonly owner: LegBehaviour;
  readonly backups: readonly LegBehaviour[];
  readonly confidence: number;
  readonly baseUrl: string;
  readonly authToken?: string;
  readonly accountSid?: string;
  readonly json: boolean;
}

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 number such as +441174960000");
const behaviour = z.enum(LEG_BEHAVIOURS as [LegBehaviour, ...LegBehaviour[]]);

const schema = z.object({
  help: z.boolean(),
  from: e164,
  to: e164,
  script: z.string().min(1).optional(),
  owner: behaviour,
  backups: z.array(behaviour),
  confidence: z.coerce.number().min(0).max(1),
  baseUrl: z.url({ protocol: /^https?$/ }),
  authToken: z.string().min(1).optional(),
  accountSid: z
    .string()
    .regex(/^AC[0-9a-f]{32}$/, "must be AC followed by 32 hex digits")
    .optional(),
  json: z.boolean(),
});

/** Parses the command line; a mistake becomes a one-line SimulatorError. */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: "boolean", short: "h" },
        from: { type: "string" },
        to: { type: "string" },
        script: { type: "string" },
        owner: { type: "string" },
        backup: { type: "string" },
        confidence: { type: "string" },
        "base-url": { type: "string" },
        "auth-token": { type: "string" },
        "account-sid": { type: "string" },
        json: { type: "boolean" },
      },
    }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SimulatorError(`${message} (see --help)`);
  }

  const backup = typeof values.backup === "string" ? values.backup : "";
  const parsed = schema.safeParse({
    help: values.help === true,
    from: values.from ?? DEFAULT_FROM,
    to: values.to ?? DEFAULT_TO,
    script: values.script,
    owner: values.owner ?? "accept",
    backups: backup
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
    confidence: values.confidence ?? "0.92",
    baseUrl: values["base-url"] ?? DEFAULT_BASE_URL,
    authToken: values["auth-token"],
    accountSid: values["account-sid"],
    json: values.json === true,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const option = optionName(String(issue.path[0] ?? ""));
    throw new SimulatorError(`--${option}: ${issue.message} (see --help)`);
  }
  return parsed.data;
}

function optionName(key: string): string {
  if (key === "backups") return "backup";
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
