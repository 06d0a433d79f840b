/**
 * `npm run sms -- --from +447700900222 "YES"`: texts the local stack's sms
 * webhook exactly as Twilio would (signed, form-encoded), prints the reply
 * and the outbox messages the text caused in the next couple of seconds.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { z } from "zod";
import { DEFAULT_BASE_URL, DEFAULT_TO } from "./simulator/cli-options";
import { SimulatorError } from "./simulator/errors";
import { findRepoRoot, firstSet, readSecretLocal, localAuthToken } from "./simulator/local-config";
import { fetchTransport, type Transport } from "./simulator/transport";
import { countryOf, DEMO_ACCOUNT_SID, TWILIO_API_VERSION } from "./simulator/twilio-params";

export const DEFAULT_FROM = "+447700900222";
export const DEFAULT_FIRESTORE = "127.0.0.1:8080";
export const DEFAULT_PROJECT = "demo-bristol-plumbing";
const DEFAULT_WAIT_MS = 2_000;

export const SMS_USAGE = `Usage: npm run sms -- [options] "text of the message"

Texts the local stack's sms webhook exactly as Twilio would, prints the reply
(the TwiML <Message>) and the outbox messages the text caused.

Options:
  --from NUMBER         sender (default ${DEFAULT_FROM}, Tom Okafor in the demo data)
  --to NUMBER           the business's number (default ${DEFAULT_TO})
  --base-url URL        functions base URL (default ${DEFAULT_BASE_URL})
  --auth-token TOKEN    Twilio auth token used to sign (default: $TWILIO_AUTH_TOKEN, then
                        TWILIO_AUTH_TOKEN in functions/.secret.local)
  --firestore HOST      the stack's Firestore (default ${DEFAULT_FIRESTORE})
  --project ID          Firebase project (default ${DEFAULT_PROJECT})
  --wait MS             how long to watch the outbox (default ${DEFAULT_WAIT_MS})
  -h, --help            show this help`;

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 number such as +447700900222");

const optionsSchema = z.object({
  from: e164,
  to: e164,
  baseUrl: z.url({ protocol: /^https?$/ }),
  authToken: z.string().min(1).optional(),
  firestore: z.string().regex(/^[\w.-]+:\d+$/, "must be host:port"),
  project: z.string().min(1),
  wait: z.coerce.number().int().min(0).max(60_000),
  text: z.string(),
});
export type SmsCliOptions = z.infer<typeof optionsSchema>;

export function parseSmsOptions(argv: readonly string[]): SmsCliOptions | "help" {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        help: { type: "boolean", short: "h" },
        from: { type: "string" },
        to: { type: "string" },
        "base-url": { type: "string" },
        "auth-token": { type: "string" },
        firestore: { type: "string" },
        project: { type: "string" },
        wait: { type: "string" },
      },
    });
  } catch (error) {
    throw new SimulatorError(
      `${error instanceof Error ? error.message : String(error)} (see --help)`,
    );
  }
  const { values, positionals } = parsed;
  if (values.help === true) return "help";
  if (positionals.length === 0) throw new SimulatorError(`No message text given.\n\n${SMS_USAGE}`);
  const result = optionsSchema.safeParse({
    from: values.from ?? DEFAULT_FROM,
    to: values.to ?? DEFAULT_TO,
    baseUrl: values["base-url"] ?? DEFAULT_BASE_URL,
    authToken: values["auth-token"],
    firestore: values.firestore ?? DEFAULT_FIRESTORE,
    project: values.project ?? DEFAULT_PROJECT,
    wait: values.wait ?? String(DEFAULT_WAIT_MS),
    text: positionals.join(" "),
  });
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue.path[0] ?? "");
    throw new SimulatorError(
      `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue.message} (see --help)`,
    );
  }
  return result.data;
}

export interface SentSms {
  messageSid: string;
  status: number;
  twiml: string;
  /** The text of the reply's <Message>, or null when the answer was an empty <Response/>. */
  reply: string | null;
}

/** The parameters Twilio posts for an incoming SMS. */
export function inboundSmsParams(input: {
  messageSid: string;
  accountSid: string;
  from: string;
  to: string;
  body: string;
}): Record<string, string> {
  return {
    ToCountry: countryOf(input.to),
    SmsMessageSid: input.messageSid,
    NumMedia: "0",
    SmsSid: input.messageSid,
    SmsStatus: "received",
    Body: input.body,
    FromCountry: countryOf(input.from),
    To: input.to,
    NumSegments: "1",
    MessageSid: input.messageSid,
    AccountSid: input.accountSid,
    From: input.from,
    ApiVersion: TWILIO_API_VERSION,
  };
}

export function newMessageSid(): string {
  return "SM" + randomBytes(16).toString("hex");
}

/** Posts one signed inbound SMS to {baseUrl}/sms/incoming and reads the reply. */
export async function sendInboundSms(
  input: {
    baseUrl: string;
    authToken: string;
    from: string;
    to: string;
    body: string;
    messageSid?: string;
    accountSid?: string;
    idempotencyToken?: string;
  },
  transport: Transport = fetchTransport(),
): Promise<SentSms> {
  const messageSid = input.messageSid ?? newMessageSid();
  const url = `${input.baseUrl.replace(/\/+$/, "")}/sms/incoming`;
  const params = inboundSmsParams({
    messageSid,
    accountSid: input.accountSid ?? DEMO_ACCOUNT_SID,
    from: input.from,
    to: input.to,
    body: input.body,
  });
  const response = await transport({
    method: "POST",
    url,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": getExpectedTwilioSignature(input.authToken, url, params),
      ...(input.idempotencyToken ? { "i-twilio-idempotency-token": input.idempotencyToken } : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
  if (response.status !== 200) {
    const hint =
      response.status === 403
        ? " Is the signature wrong? The auth token must match TWILIO_AUTH_TOKEN in functions/.secret.local."
        : response.status === 404
          ? " Is the sms function loaded? Rebuild and restart `npm start`."
          : "";
    throw new SimulatorError(`POST ${url} answered HTTP ${response.status}.${hint}`, response.body);
  }
  return {
    messageSid,
    status: response.status,
    twiml: response.body,
    reply: messageText(response.body),
  };
}

/** The text of the first <Message> in a TwiML answer. */
export function messageText(twiml: string): string | null {
  const match = /<Message(?:\s[^>]*)?>([\s\S]*?)<\/Message>/.exec(twiml);
  if (!match) return null;
  return match[1]
    .replace(/<Body>([\s\S]*?)<\/Body>/, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

export interface OutboxLine {
  id: string;
  to: string;
  purpose: string;
  body: string;
}

/**
 * The outbox messages the text caused: to the sender, or about this message
 * (an owner forward carries its MessageSid), created since `since`.
 */
export async function watchOutbox(
  options: {
    firestore: string;
    project: string;
    to: string;
    from: string;
    since: Date;
    waitMs: number;
  },
  messageSid: string,
): Promise<OutboxLine[]> {
  process.env.FIRESTORE_EMULATOR_HOST ??= options.firestore;
  process.env.GCLOUD_PROJECT ??= options.project;
  const { getApps, initializeApp } = await import("firebase-admin/app");
  const { getFirestore, Timestamp } = await import("firebase-admin/firestore");
  const app =
    getApps().find((a) => a.name === "sms-simulator") ??
    initializeApp({ projectId: options.project }, "sms-simulator");
  const db = getFirestore(app);
  const route = await db.doc(`phoneRoutes/${options.to}`).get();
  const businessId = route.get("businessId");
  if (typeof businessId !== "string") return [];
  const found = new Map<string, OutboxLine>();
  const until = Date.now() + options.waitMs;
  for (;;) {
    const snapshot = await db
      .collection(`businesses/${businessId}/outbox`)
      .where("createdAt", ">=", Timestamp.fromMillis(options.since.getTime() - 1_000))
      .get();
    for (const doc of snapshot.docs) {
      const data = doc.data();
      if (data.to !== options.from && data.relatedId !== messageSid) continue;
      found.set(doc.id, {
        id: doc.id,
        to: String(data.to),
        purpose: String(data.purpose),
        body: String(data.body),
      });
    }
    if (Date.now() >= until) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return [...found.values()];
}

export async function runSmsSimulator(argv: readonly string[]): Promise<number> {
  try {
    const options = parseSmsOptions(argv);
    if (options === "help") {
      console.log(SMS_USAGE);
      return 0;
    }
    const secrets = readSecretLocal(findRepoRoot(__dirname));
    const authToken = localAuthToken(options.authToken, secrets);
    const since = new Date();
    console.log(`${options.from} -> ${options.to}: ${options.text}`);
    const sent = await sendInboundSms({
      baseUrl: options.baseUrl,
      authToken,
      from: options.from,
      to: options.to,
      body: options.text,
      accountSid: firstSet(process.env.TWILIO_ACCOUNT_SID, secrets.TWILIO_ACCOUNT_SID),
    });
    console.log(sent.reply === null ? "Reply: (none)" : `Reply: ${sent.reply}`);
    let outbox: OutboxLine[];
    try {
      outbox = await withTimeout(
        watchOutbox({ ...options, since, waitMs: options.wait }, sent.messageSid),
        options.wait + 5_000,
      );
    } catch (error) {
      console.error(
        `Could not read the outbox from Firestore at ${options.firestore}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return 1;
    }
    for (const line of outbox) console.log(`Outbox (${line.purpose}) to ${line.to}: ${line.body}`);
    if (outbox.length === 0) console.log("Outbox: nothing queued.");
    return 0;
  } catch (error) {
    if (!(error instanceof SimulatorError)) throw error;
    console.error(error.message);
    if (error.details) console.error(error.details.slice(0, 2_000));
    return 1;
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

if (require.main === module) {
  runSmsSimulator(process.argv.slice(2)).then(
    (code) => {
      // firebase-admin keeps its channel open: leave explicitly.
      process.exit(code);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(2);
    },
  );
}
