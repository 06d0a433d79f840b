import type { Twilio } from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import {
  classifySendFailure,
  isSendOutcomeUnknown,
} from "../../domain/delivery/delivery.state-machine";
import {
  SmsSendError,
  type SentSmsQuery,
  type SmsAccepted,
  type SmsGateway,
  type SmsRequest,
} from "../../ports/sms-gateway.port";

export interface TwilioSenderConfig {
  accountSid: string;
  authToken: string;
  /**
   * Origin that replaces https://api.twilio.com, e.g. "http://127.0.0.1:4010".
   * Empty or absent in production; a local Twilio-speaking server in tests.
   */
  apiBaseUrl?: string;
  /** Per-request timeout; Twilio normally answers in well under a second. */
  timeoutMs?: number;
}

/** Short enough to leave room for retries inside one function run. */
export const DEFAULT_TWILIO_TIMEOUT_MS = 8_000;

/** Loaded on first send, not at module load: most function runs never send. */
// The default export is the CommonJS module itself, with RequestClient on it.
const loadTwilio = async () => (await import("twilio")).default;
type TwilioModule = Awaited<ReturnType<typeof loadTwilio>>;

/** Where an https://*.twilio.com URL goes when an override origin is configured. */
export function rebaseTwilioUrl(uri: string, overrideOrigin: string): string {
  const original = new URL(uri);
  if (!original.hostname.endsWith("twilio.com")) return uri;
  const target = new URL(overrideOrigin);
  original.protocol = target.protocol;
  original.host = target.host;
  return original.toString();
}

/**
 * A RequestClient that sends every Twilio API call to another origin. Built
 * after the twilio module is loaded, since that load is deferred.
 */
function rebasingRequestClient(
  twilio: TwilioModule,
  overrideOrigin: string,
  timeoutMs: number,
): RequestClient {
  class RebasingRequestClient extends twilio.RequestClient {
    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      return super.request<TData>({ ...opts, uri: rebaseTwilioUrl(opts.uri, overrideOrigin) });
    }
  }
  return new RebasingRequestClient({ timeout: timeoutMs, autoRetry: false });
}

interface TwilioRestError {
  status: number;
  code?: number;
  message: string;
}

/** Twilio's RestException: an HTTP answer that was not a success. */
function isRestError(error: unknown): error is TwilioRestError {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { status?: unknown }).status === "number" &&
    typeof (error as { message?: unknown }).message === "string"
  );
}

export function toSmsSendError(error: unknown): SmsSendError {
  if (isRestError(error)) {
    const code = typeof error.code === "number" ? error.code : undefined;
    return new SmsSendError({
      permanent: classifySendFailure({ httpStatus: error.status, code }) === "permanent",
      code,
      httpStatus: error.status,
      message: `Twilio ${error.status}${code ? ` (${code})` : ""}: ${error.message}`,
    });
  }
  // No answer at all: connection refused or reset, or the timeout fired.
  const networkCode =
    typeof error === "object" && error !== null && "code" in error
      ? String((error as { code: unknown }).code)
      : undefined;
  const detail = error instanceof Error ? error.message : String(error);
  return new SmsSendError({
    permanent: classifySendFailure({}) === "permanent",
    outcomeUnknown: isSendOutcomeUnknown({ networkCode }),
    message: `Twilio unreachable${networkCode ? ` (${networkCode})` : ""}: ${detail}`,
  });
}

/**
 * How many of the recipient's latest messages from our number reconciliation
 * reads. Twilio lists newest first, and a lost attempt is minutes old.
 */
export const RECONCILE_LOOKUP_LIMIT = 50;

/** SmsGateway through Twilio's Messages API, with the official client. */
export class TwilioSmsSender implements SmsGateway {
  private client: Twilio | undefined;

  constructor(private readonly config: TwilioSenderConfig) {}

  async send(req: SmsRequest): Promise<SmsAccepted> {
    const client = await this.twilioClient();
    try {
      const message = await client.messages.create({
        to: req.to,
        from: req.from,
        body: req.body,
        statusCallback: req.statusCallbackUrl,
      });
      return { sid: message.sid, status: message.status };
    } catch (error) {
      throw toSmsSendError(error);
    }
  }

  /**
   * Lists the recipient's messages from our number (Twilio filters on To and
   * From) and matches the exact body and creation time here: Twilio has no
   * filter for either, and DateSent is empty while a message is still queued.
   */
  async findSent(query: SentSmsQuery): Promise<SmsAccepted | undefined> {
    const client = await this.twilioClient();
    let listed;
    try {
      listed = await client.messages.list({
        to: query.to,
        from: query.from,
        limit: RECONCILE_LOOKUP_LIMIT,
      });
    } catch (error) {
      throw toSmsSendError(error);
    }
    const matches = listed.filter(
      (m) =>
        m.to === query.to &&
        m.from === query.from &&
        m.body === query.body &&
        m.direction !== "inbound" &&
        m.dateCreated instanceof Date &&
        m.dateCreated.getTime() >= query.createdSince.getTime(),
    );
    // Newest first from Twilio; the oldest match is the one a lost attempt created.
    const oldest = matches[matches.length - 1];
    return oldest ? { sid: oldest.sid, status: oldest.status } : undefined;
  }

  private async twilioClient(): Promise<Twilio> {
    this.client ??= await createTwilioClient(this.config);
    return this.client;
  }
}

/**
 * The official client, with a short timeout, no automatic retries, and the
 * API origin override applied. Also for reading messages back (reconciliation).
 */
export async function createTwilioClient(config: TwilioSenderConfig): Promise<Twilio> {
  const twilio = await loadTwilio();
  const timeout = config.timeoutMs ?? DEFAULT_TWILIO_TIMEOUT_MS;
  const httpClient = config.apiBaseUrl
    ? rebasingRequestClient(twilio, config.apiBaseUrl, timeout)
    : new twilio.RequestClient({ timeout, autoRetry: false });
  // Retrying is the outbox's job, with its own backoff and attempt count.
  return twilio(config.accountSid, config.authToken, { httpClient, autoRetry: false });
}
