import { randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local HTTP server speaking the part of Twilio's REST API the product uses
 * (Messages: create, fetch, list by recipient; IncomingPhoneNumbers: list by
 * number, fetch, update; Recordings: delete), so the real twilio client can
 * be pointed at it. It records every request and can fail on demand.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Decoded form fields of a POST. */
  form: Record<string, string>;
  /** Whether the basic auth matched the configured account. */
  authorized: boolean;
}

export interface FakeMessage {
  sid: string;
  account_sid: string;
  to: string;
  from: string;
  body: string;
  status: string;
  status_callback: string | null;
  date_created: string;
}

/** The webhook settings of an IncomingPhoneNumber, as Twilio's JSON names them. */
export interface NumberConfig {
  voice_url: string | null;
  voice_method: string;
  voice_fallback_url: string | null;
  voice_fallback_method: string;
  status_callback: string | null;
  status_callback_method: string;
  sms_url: string | null;
  sms_method: string;
  voice_application_sid: string | null;
  sms_application_sid: string | null;
}

export interface FakePhoneNumber extends NumberConfig {
  sid: string;
  phone_number: string;
  friendly_name: string;
}

/** Form fields of an IncomingPhoneNumber update, and the JSON field each sets. */
const NUMBER_FORM_FIELDS: Record<string, keyof NumberConfig> = {
  VoiceUrl: "voice_url",
  VoiceMethod: "voice_method",
  VoiceFallbackUrl: "voice_fallback_url",
  VoiceFallbackMethod: "voice_fallback_method",
  StatusCallback: "status_callback",
  StatusCallbackMethod: "status_callback_method",
  SmsUrl: "sms_url",
  SmsMethod: "sms_method",
  VoiceApplicationSid: "voice_application_sid",
  SmsApplicationSid: "sms_application_sid",
};

/** What the next request(s) get instead of a normal answer. */
export type Fault =
  /** An error answer in Twilio's JSON error shape. */
  | { kind: "error"; status: number; code?: number; message?: string }
  /**
   * Act on the request at once but answer only after `ms` (as Twilio does when
   * its answer is slow): a client that times out first never learns the result.
   */
  | { kind: "delay"; ms: number }
  /** Drop the connection without answering, and without acting on the request. */
  | { kind: "reset" }
  /** Act on the request (a POST creates its message), then drop the connection unanswered. */
  | { kind: "accept-then-reset" };

export interface TwilioFakeOptions {
  accountSid: string;
  authToken: string;
}

const API_PREFIX = "/2010-04-01/Accounts/";

interface Answer {
  status: number;
  body: unknown;
}

const ok = (status: number, body: unknown): Answer => ({ status, body });

function twilioError(status: number, code: number | undefined, message: string) {
  return {
    code: code ?? null,
    message,
    more_info: code ? `https://www.twilio.com/docs/errors/${code}` : null,
    status,
  };
}

export class TwilioFakeServer {
  readonly requests: RecordedRequest[] = [];
  private readonly messages = new Map<string, FakeMessage>();
  private readonly numbers = new Map<string, FakePhoneNumber>();
  private readonly recordingSids = new Set<string>();
  private readonly faults: Fault[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private server: http.Server | undefined;
  private baseUrl = "";

  constructor(private readonly options: TwilioFakeOptions) {}

  async start(): Promise<{ baseUrl: string }> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.json(res, 500, twilioError(500, undefined, String(error)));
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return { baseUrl: this.baseUrl };
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  /** Applies `fault` to each of the next `times` requests, in order. */
  failNext(fault: Fault, times = 1): void {
    for (let i = 0; i < times; i += 1) this.faults.push(fault);
  }

  /** Forgets the failures queued by failNext that no request has taken yet. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Messages the fake accepted, oldest first. */
  sentMessages(): FakeMessage[] {
    return [...this.messages.values()];
  }

  /**
   * Puts a number in the account, as the console leaves a newly bought one
   * (Twilio's demo voice URL, nothing else) unless `config` says otherwise.
   */
  addPhoneNumber(phoneNumber: string, config: Partial<NumberConfig> = {}): FakePhoneNumber {
    const number: FakePhoneNumber = {
      sid: `PN${randomBytes(16).toString("hex")}`,
      phone_number: phoneNumber,
      friendly_name: phoneNumber,
      voice_url: "https://demo.twilio.com/welcome/voice/",
      voice_method: "POST",
      voice_fallback_url: null,
      voice_fallback_method: "POST",
      status_callback: null,
      status_callback_method: "POST",
      sms_url: "https://demo.twilio.com/welcome/sms/reply",
      sms_method: "POST",
      voice_application_sid: null,
      sms_application_sid: null,
      ...config,
    };
    this.numbers.set(number.sid, number);
    return number;
  }

  /** The account's numbers as they are now. */
  phoneNumbers(): FakePhoneNumber[] {
    return [...this.numbers.values()].map((n) => ({ ...n }));
  }

  /** Requests that tried to change a number's configuration. */
  numberUpdates(): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.method === "POST" && /\/IncomingPhoneNumbers\/PN[0-9a-f]{32}\.json$/.test(r.path),
    );
  }

  /** Puts a call recording in the account; a new SID unless one is given. */
  addRecording(sid = `RE${randomBytes(16).toString("hex")}`): string {
    this.recordingSids.add(sid);
    return sid;
  }

  /** The account's recordings not deleted. */
  recordings(): string[] {
    return [...this.recordingSids];
  }

  /** Requests that tried to delete a recording (answered or not). */
  recordingDeletes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === "DELETE" && r.path.includes("/Recordings/"));
  }

  /** Requests that tried to create a message (accepted or not). */
  sendRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === "POST" && r.path.endsWith("/Messages.json"));
  }

  reset(): void {
    this.requests.length = 0;
    this.faults.length = 0;
    this.messages.clear();
    this.numbers.clear();
    this.recordingSids.clear();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const raw = await readBody(req);
    const form = Object.fromEntries(new URLSearchParams(raw));
    const authorized = this.isAuthorized(req.headers.authorization, url.pathname);
    this.requests.push({
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      form,
      authorized,
    });

    const fault = this.faults.shift();
    if (fault?.kind === "reset") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "error") {
      this.json(
        res,
        fault.status,
        twilioError(fault.status, fault.code, fault.message ?? `Injected failure ${fault.status}`),
      );
      return;
    }
    const answer = authorized
      ? this.route(req.method ?? "GET", url, form)
      : { status: 401, body: twilioError(401, 20003, "Authenticate") };
    if (fault?.kind === "accept-then-reset") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "delay") await this.sleep(fault.ms);
    this.json(res, answer.status, answer.body);
  }

  private route(method: string, url: URL, form: Record<string, string>): Answer {
    const accountSid = this.options.accountSid;
    if (url.pathname.startsWith(`${API_PREFIX}${accountSid}/IncomingPhoneNumbers`)) {
      return this.routeNumbers(method, url, form);
    }
    const recording = url.pathname.match(
      new RegExp(`^${API_PREFIX}${accountSid}/Recordings/(RE[0-9a-fA-F]{32})\\.json$`),
    );
    if (method === "DELETE" && recording) {
      // Twilio answers 204 with no body, or 404 when there is no such recording (any more).
      if (this.recordingSids.delete(recording[1])) return { status: 204, body: undefined };
    }
    const base = `${API_PREFIX}${accountSid}/Messages`;
    if (method === "POST" && url.pathname === `${base}.json`) {
      return this.createMessage(form);
    }
    if (method === "GET" && url.pathname === `${base}.json`) {
      const to = url.searchParams.get("To");
      const from = url.searchParams.get("From");
      // Twilio lists newest first.
      const messages = this.sentMessages()
        .filter((m) => (!to || m.to === to) && (!from || m.from === from))
        .reverse();
      return ok(
        200,
        listPage(
          "messages",
          messages.map((m) => this.resource(m)),
          base,
          url,
        ),
      );
    }
    const single = url.pathname.match(new RegExp(`^${base}/(SM[0-9a-f]{32})\\.json$`));
    const message = method === "GET" && single ? this.messages.get(single[1]) : undefined;
    if (message) return ok(200, this.resource(message));
    return {
      status: 404,
      body: twilioError(404, 20404, `The requested resource ${url.pathname} was not found`),
    };
  }

  /** IncomingPhoneNumbers: list (filtered by PhoneNumber), fetch and update one. */
  private routeNumbers(method: string, url: URL, form: Record<string, string>): Answer {
    const base = `${API_PREFIX}${this.options.accountSid}/IncomingPhoneNumbers`;
    if (method === "GET" && url.pathname === `${base}.json`) {
      const wanted = url.searchParams.get("PhoneNumber");
      const numbers = [...this.numbers.values()].filter(
        (n) => !wanted || n.phone_number === wanted,
      );
      return ok(
        200,
        listPage(
          "incoming_phone_numbers",
          numbers.map((n) => this.numberResource(n)),
          base,
          url,
        ),
      );
    }
    const single = url.pathname.match(new RegExp(`^${base}/(PN[0-9a-f]{32})\\.json$`));
    const number = single ? this.numbers.get(single[1]) : undefined;
    if (number && method === "GET") return ok(200, this.numberResource(number));
    if (number && method === "POST") {
      for (const [field, key] of Object.entries(NUMBER_FORM_FIELDS)) {
        const value = form[field];
        if (value === undefined) continue;
        if (/Url$|^StatusCallback$/.test(field) && value !== "" && !/^https?:\/\//.test(value)) {
          return {
            status: 400,
            body: twilioError(400, 21502, `${field} is not valid: ${value}`),
          };
        }
        (number as unknown as Record<string, string | null>)[key] = value === "" ? null : value;
      }
      return ok(200, this.numberResource(number));
    }
    return {
      status: 404,
      body: twilioError(404, 20404, `The requested resource ${url.pathname} was not found`),
    };
  }

  /** Twilio's JSON IncomingPhoneNumber resource. */
  private numberResource(n: FakePhoneNumber) {
    return {
      account_sid: this.options.accountSid,
      api_version: "2010-04-01",
      capabilities: { voice: true, sms: true, mms: false, fax: false },
      date_created: "Mon, 01 Jun 2026 09:00:00 +0000",
      date_updated: "Mon, 01 Jun 2026 09:00:00 +0000",
      ...n,
      uri: `${API_PREFIX}${this.options.accountSid}/IncomingPhoneNumbers/${n.sid}.json`,
    };
  }

  private createMessage(form: Record<string, string>): Answer {
    if (!form.To)
      return { status: 400, body: twilioError(400, 21604, "A 'To' phone number is required.") };
    if (!form.From && !form.MessagingServiceSid) {
      return { status: 400, body: twilioError(400, 21603, "A 'From' phone number is required.") };
    }
    if (!form.Body)
      return { status: 400, body: twilioError(400, 21602, "Message body is required.") };
    const message: FakeMessage = {
      sid: `SM${randomBytes(16).toString("hex")}`,
      account_sid: this.options.accountSid,
      to: form.To,
      from: form.From ?? "",
      body: form.Body,
      status: "queued",
      status_callback: form.StatusCallback ?? null,
      date_created: new Date().toUTCString().replace("GMT", "+0000"),
    };
    this.messages.set(message.sid, message);
    return ok(201, this.resource(message));
  }

  /** Twilio's JSON message resource. */
  private resource(m: FakeMessage) {
    const uri = `${API_PREFIX}${m.account_sid}/Messages/${m.sid}.json`;
    return {
      account_sid: m.account_sid,
      api_version: "2010-04-01",
      body: m.body,
      date_created: m.date_created,
      date_sent: null,
      date_updated: m.date_created,
      direction: "outbound-api",
      error_code: null,
      error_message: null,
      from: m.from,
      messaging_service_sid: null,
      num_media: "0",
      num_segments: String(Math.max(1, Math.ceil(m.body.length / 160))),
      price: null,
      price_unit: "USD",
      sid: m.sid,
      status: m.status,
      subresource_uris: { media: uri.replace(".json", "/Media.json") },
      to: m.to,
      uri,
    };
  }

  private isAuthorized(header: string | undefined, path: string): boolean {
    if (!header?.startsWith("Basic ")) return false;
    const [user, password] = Buffer.from(header.slice(6), "base64").toString("utf8").split(":");
    const { accountSid, authToken } = this.options;
    return (
      user === accountSid && password === authToken && path.startsWith(API_PREFIX + accountSid)
    );
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    if (status === 204) {
      res.writeHead(204);
      res.end();
      return;
    }
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** A realistic-looking account for tests: "AC" followed by 32 hex digits. */
export function fakeAccountSid(): string {
  return `AC${randomBytes(16).toString("hex")}`;
}

/** One page of a Twilio list resource holding every item: the envelope the client pages by. */
function listPage(key: string, items: unknown[], base: string, url: URL): Record<string, unknown> {
  return {
    [key]: items,
    end: Math.max(items.length - 1, 0),
    first_page_uri: `${base}.json?PageSize=50&Page=0`,
    next_page_uri: null,
    page: 0,
    page_size: 50,
    previous_page_uri: null,
    start: 0,
    uri: `${url.pathname}${url.search}`,
  };
}

/**
 * A fake Twilio account of its own for the enclosing mocha suite: started
 * before its tests, emptied before each (requests, messages, numbers,
 * recordings, faults), stopped after. `config()` is what a client needs to
 * reach it, once it has started.
 */
export function twilioFakeForSuite(authToken = "test-auth-token-0123456789abcdef") {
  const accountSid = fakeAccountSid();
  const fake = new TwilioFakeServer({ accountSid, authToken });
  let apiBaseUrl = "";
  before(async () => {
    ({ baseUrl: apiBaseUrl } = await fake.start());
  });
  after(() => fake.stop());
  beforeEach(() => fake.reset());
  return {
    fake,
    accountSid,
    authToken,
    config: () => ({ accountSid, authToken, apiBaseUrl }),
  };
}
