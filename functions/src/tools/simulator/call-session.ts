import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import type { Caller } from "./callers";
import { SimulatorError } from "./errors";
import type { HttpResponse, Transport } from "./transport";
import { legParams, newSid } from "./twilio-params";
import {
  parseTwiml,
  TwimlParseError,
  type DialNumber,
  type DialVerb,
  type GatherVerb,
  type HttpMethod,
  type PromptVerb,
  type RecordVerb,
  type TwimlVerb,
} from "./twiml-reader";

/** What the phone at the end of a <Dial> does when it rings. */
export type LegBehaviour = "accept" | "decline" | "no-answer";
export const LEG_BEHAVIOURS: readonly LegBehaviour[] = ["accept", "decline", "no-answer"];

export type CallEnding = "hangup" | "transfer-accepted" | "caller-hung-up";

export interface TranscriptEvent {
  readonly who: "receptionist" | "caller" | "system";
  readonly text: string;
}

/** The machine-readable record of a call (printed by --json). */
export interface CallTranscript {
  readonly callSid: string;
  readonly events: readonly TranscriptEvent[];
  readonly ended: CallEnding;
}

export interface CallSessionOptions {
  /** e.g. http://127.0.0.1:5001/demo-bristol-plumbing/europe-west2 */
  readonly baseUrl: string;
  readonly from: string;
  readonly to: string;
  readonly confidence: number;
  readonly authToken: string;
  readonly accountSid: string;
  /** The first number dialled. */
  readonly owner: LegBehaviour;
  /** The numbers dialled after it, in order of first appearance; missing ones do not answer. */
  readonly backups: readonly LegBehaviour[];
}

export interface CallSessionDeps {
  readonly transport: Transport;
  readonly caller: Caller;
  readonly print: (line: string) => void;
  readonly newCallSid?: () => string;
  /** Milliseconds, for the reported call duration. */
  readonly now?: () => number;
}

/** A webhook answered badly: Twilio would apologise to the caller and hang up. */
export class WebhookError extends SimulatorError {}

/** Documents fetched in a row without the caller getting a turn before we call it a loop. */
const MAX_HOPS_WITHOUT_CALLER = 25;
/** Simulated time on the owner's phone: listening to the whisper, then talking to the caller. */
const WHISPER_SECONDS = 6;
const BRIDGED_TALK_SECONDS = 60;

type Next =
  | {
      readonly kind: "fetch";
      readonly method: HttpMethod;
      readonly url: string;
      readonly params: Record<string, string>;
    }
  | {
      readonly kind: "end";
      readonly how: "hangup" | "caller-hung-up" | "rejected";
      readonly reason?: "busy" | "rejected";
    };

type LegOutcome = "bridged" | "hung-up";

interface Leg {
  readonly number: DialNumber;
  readonly callSid: string;
  readonly behaviour: LegBehaviour;
  readonly label: string;
}

/** Plays one inbound call against the voice webhooks, exactly as Twilio would drive them. */
export async function simulateCall(
  options: CallSessionOptions,
  deps: CallSessionDeps,
): Promise<CallTranscript> {
  return new CallSession(options, deps).run();
}

class CallSession {
  private readonly callSid: string;
  private readonly events: TranscriptEvent[] = [];
  private readonly baseUrl: string;
  private readonly now: () => number;
  private readonly newCallSid: () => string;
  private readonly behaviourByNumber = new Map<string, LegBehaviour>();
  private readonly startedAt: number;
  private simulatedSeconds = 0;
  private hopsWithoutCaller = 0;
  private documentsFetched = 0;
  private answered = false;
  private transferAccepted = false;
  /** A recording's status callback, sent once Twilio has fetched the <Record> action. */
  private pendingRecordingStatus: (() => Promise<void>) | undefined;

  constructor(
    private readonly options: CallSessionOptions,
    private readonly deps: CallSessionDeps,
  ) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.now = deps.now ?? Date.now;
    this.newCallSid = deps.newCallSid ?? (() => newSid("CA"));
    this.callSid = this.newCallSid();
    this.startedAt = this.now();
  }

  async run(): Promise<CallTranscript> {
    this.system(`[calling ${this.options.to} from ${this.options.from}]`);
    let next: Next = {
      kind: "fetch",
      method: "POST",
      url: `${this.baseUrl}/voice/incoming`,
      params: {},
    };
    try {
      while (next.kind === "fetch") {
        const verbs = await this.fetchTwiml(next.method, next.url, {
          ...this.parentParams(),
          ...next.params,
        });
        await this.sendRecordingStatus();
        next = await this.play(verbs, next.url);
      }
    } catch (error) {
      if (error instanceof WebhookError) await this.reportApplicationError();
      throw error;
    } finally {
      this.deps.caller.close();
    }
    await this.finish(next);
    return {
      callSid: this.callSid,
      events: this.events,
      ended: this.transferAccepted
        ? "transfer-accepted"
        : next.how === "caller-hung-up"
          ? "caller-hung-up"
          : "hangup",
    };
  }

  // --- the caller's leg -----------------------------------------------------

  private parentParams(): Record<string, string> {
    return {
      ...legParams({
        accountSid: this.options.accountSid,
        callSid: this.callSid,
        from: this.options.from,
        to: this.options.to,
      }),
      Direction: "inbound",
      // Twilio's first request arrives while the call is still ringing.
      CallStatus: this.documentsFetched === 0 ? "ringing" : "in-progress",
    };
  }

  private async play(verbs: readonly TwimlVerb[], currentUrl: string): Promise<Next> {
    for (const [index, verb] of verbs.entries()) {
      switch (verb.kind) {
        case "say":
        case "play":
        case "pause":
          this.prompt(verb);
          break;
        case "message":
          this.system(`[text message to ${verb.to ?? "the caller"}] ${verb.text}`);
          break;
        case "gather": {
          const next = await this.gather(verb, currentUrl);
          if (next) return next;
          break;
        }
        case "record": {
          const next = await this.record(verb, currentUrl);
          if (next) return next;
          break;
        }
        case "redirect":
          return {
            kind: "fetch",
            method: verb.method,
            url: resolve(verb.url, currentUrl),
            params: {},
          };
        case "hangup":
          return { kind: "end", how: "hangup" };
        case "reject": {
          // Only a first-verb <Reject> leaves the call unanswered.
          const unanswered = !this.answered && index === 0;
          return { kind: "end", how: "rejected", reason: unanswered ? verb.reason : undefined };
        }
        case "dial": {
          const next = await this.dial(verb, currentUrl);
          if (next) return next;
          break;
        }
        case "unsupported":
          this.system(`[skipped <${verb.name}>: the simulator does not play it]`);
          break;
      }
      this.answered = true;
    }
    // Twilio hangs up when a document runs out of instructions.
    return { kind: "end", how: "hangup" };
  }

  private prompt(verb: PromptVerb): void {
    switch (verb.kind) {
      case "say":
        // Time passes on the call while the receptionist speaks: CallDuration counts it.
        this.simulatedSeconds += speakingSeconds(verb.text);
        this.deps.print(`Receptionist: ${verb.text}`);
        this.events.push({ who: "receptionist", text: verb.text });
        break;
      case "play":
        this.system(verb.digits ? `[plays digits ${verb.digits}]` : `[plays audio ${verb.url}]`);
        break;
      case "pause":
        this.simulatedSeconds += verb.seconds;
        this.deps.print(`(pause ${verb.seconds}s)`);
        break;
    }
  }

  private async gather(verb: GatherVerb, currentUrl: string): Promise<Next | undefined> {
    this.answered = true;
    for (const prompt of verb.prompts) this.prompt(prompt);
    if (!verb.input.includes("speech")) this.deps.print("(keypad: type the digits to press)");

    const reply = await this.deps.caller.listen({ input: verb.input, numDigits: verb.numDigits });
    this.hopsWithoutCaller = 0;
    if (reply === null) return { kind: "end", how: "caller-hung-up" };

    const heard = reply.trim();
    // Silence lasts until the gather gives up listening.
    this.simulatedSeconds += heard ? speakingSeconds(heard) : (verb.timeout ?? 5);
    this.events.push({ who: "caller", text: heard });
    if (this.deps.caller.echo) this.deps.print(`Caller: ${heard || "(silence)"}`);
    else if (!heard) this.deps.print("(silence)");

    const result = this.gatherResult(verb, heard);
    if (!result && !verb.actionOnEmptyResult) {
      // Without actionOnEmptyResult Twilio moves on to the next verb.
      return undefined;
    }
    return {
      kind: "fetch",
      method: verb.method,
      url: resolve(verb.action ?? currentUrl, currentUrl),
      params: result ?? {},
    };
  }

  /**
   * A recorded message: what the caller says is the recording. Twilio posts
   * the action with the recording's URL and length, then the recording status
   * callback; when nothing was said it skips the action (the next verb plays)
   * and reports the recording absent.
   */
  private async record(verb: RecordVerb, currentUrl: string): Promise<Next | undefined> {
    this.answered = true;
    if (verb.playBeep) this.deps.print("(beep)");
    const reply = await this.deps.caller.listen({ input: ["speech"] });
    this.hopsWithoutCaller = 0;
    if (reply === null) return { kind: "end", how: "caller-hung-up" };
    const heard = reply.trim();
    this.events.push({ who: "caller", text: heard });
    if (this.deps.caller.echo) this.deps.print(`Caller: ${heard || "(silence)"}`);
    const recordingSid = newSid("RE");
    const recordingUrl = `https://api.twilio.com/2010-04-01/Accounts/${this.options.accountSid}/Recordings/${recordingSid}`;
    const seconds = heard ? Math.min(speakingSeconds(heard), verb.maxLength ?? 3600) : 0;
    this.simulatedSeconds += heard ? seconds : (verb.timeout ?? 5);
    const status = heard ? "completed" : "absent";
    const target = verb.recordingStatusCallback;
    if (target && verb.recordingStatusCallbackEvents.includes(status)) {
      const params = {
        AccountSid: this.options.accountSid,
        CallSid: this.callSid,
        RecordingSid: recordingSid,
        RecordingUrl: recordingUrl,
        RecordingStatus: status,
        RecordingDuration: String(seconds),
        RecordingChannels: "1",
        RecordingSource: "RecordVerb",
      };
      this.pendingRecordingStatus = async () => {
        const response = await this.send(verb.recordingStatusCallbackMethod, target, params);
        this.system(`[recording status callback] ${status}, ${seconds}s -> ${response.status}`);
      };
    }
    if (!heard) {
      this.system("(nothing recorded)");
      await this.sendRecordingStatus();
      return undefined;
    }
    return {
      kind: "fetch",
      method: verb.method,
      url: resolve(verb.action ?? currentUrl, currentUrl),
      params: {
        RecordingUrl: recordingUrl,
        RecordingDuration: String(seconds),
        Digits: verb.finishOnKey?.includes("#") ? "#" : "hangup",
      },
    };
  }

  private async sendRecordingStatus(): Promise<void> {
    const pending = this.pendingRecordingStatus;
    this.pendingRecordingStatus = undefined;
    if (pending) await pending();
  }

  private gatherResult(verb: GatherVerb, heard: string): Record<string, string> | undefined {
    if (!heard) return undefined;
    if (verb.input.includes("dtmf") && /^[0-9*#]+$/.test(heard)) {
      // "#" is the default finishOnKey: Twilio does not include it.
      const digits = heard.replace(/#$/, "");
      return { Digits: verb.numDigits ? digits.slice(0, verb.numDigits) : digits };
    }
    if (verb.input.includes("speech")) {
      return { SpeechResult: heard, Confidence: String(this.options.confidence) };
    }
    this.deps.print("(only keypad digits count here: Twilio hears nothing)");
    return undefined;
  }

  // --- <Dial>: the phones being rung ------------------------------------------

  private async dial(verb: DialVerb, currentUrl: string): Promise<Next | undefined> {
    this.answered = true;
    const legs: Leg[] = verb.numbers.map((number) => {
      const behaviour = this.behaviourFor(number.number);
      const isOwner = this.behaviourByNumber.keys().next().value === number.number;
      return { number, behaviour, callSid: this.newCallSid(), label: isOwner ? "owner" : "backup" };
    });

    for (const leg of legs) {
      this.system(`[transfer] ringing ${leg.number.number} ...`);
      await this.legStatus(leg, "initiated", "initiated");
      await this.legStatus(leg, "ringing", "ringing");
    }

    // Simultaneous ringing: the first phone that picks up wins, the others stop.
    const picker = legs.find((leg) => leg.behaviour !== "no-answer");
    let dialParams: Record<string, string>;
    if (!picker) {
      this.simulatedSeconds += verb.timeout;
      for (const leg of legs) {
        this.system(`[transfer] no answer from ${leg.number.number} after ${verb.timeout}s`);
        await this.legStatus(leg, "completed", "no-answer");
      }
      dialParams = {
        DialCallStatus: "no-answer",
        DialCallSid: legs[0].callSid,
        DialCallDuration: "0",
        DialBridged: "false",
      };
    } else {
      for (const leg of legs) {
        if (leg !== picker) await this.legStatus(leg, "completed", "canceled");
      }
      dialParams = await this.answer(picker, verb);
    }

    if (!verb.action) return undefined;
    return {
      kind: "fetch",
      method: verb.method,
      url: resolve(verb.action, currentUrl),
      params: dialParams,
    };
  }

  private behaviourFor(number: string): LegBehaviour {
    const known = this.behaviourByNumber.get(number);
    if (known) return known;
    const position = this.behaviourByNumber.size;
    const behaviour =
      position === 0 ? this.options.owner : (this.options.backups[position - 1] ?? "no-answer");
    this.behaviourByNumber.set(number, behaviour);
    return behaviour;
  }

  private async answer(leg: Leg, verb: DialVerb): Promise<Record<string, string>> {
    const number = leg.number.number;
    if (!leg.number.url && leg.behaviour === "decline") {
      // No whisper to listen to: declining means rejecting the ringing call.
      this.system(`[transfer] ${number} rejected the call`);
      await this.legStatus(leg, "completed", "busy");
      return {
        DialCallStatus: "busy",
        DialCallSid: leg.callSid,
        DialCallDuration: "0",
        DialBridged: "false",
      };
    }

    this.system(`[transfer] ${number} picked up`);
    await this.legStatus(leg, "answered", "in-progress");
    const outcome = leg.number.url ? await this.whisper(leg, verb) : "bridged";
    const seconds =
      (leg.number.url ? WHISPER_SECONDS : 0) + (outcome === "bridged" ? BRIDGED_TALK_SECONDS : 0);
    this.simulatedSeconds += seconds;

    if (outcome === "bridged") {
      this.transferAccepted = true;
      this.system(`[transfer] connected: caller is now talking to ${number}`);
    } else {
      this.system(`[transfer] ${number} hung up without taking the call`);
    }
    await this.legStatus(leg, "completed", "completed", seconds);
    return {
      DialCallStatus: "completed",
      DialCallSid: leg.callSid,
      DialCallDuration: String(seconds),
      DialBridged: String(outcome === "bridged"),
    };
  }

  /** Plays the <Number url> TwiML to the answering phone; bridged if it runs to its end. */
  private async whisper(leg: Leg, dial: DialVerb): Promise<LegOutcome> {
    const hears = `  (${leg.label}'s phone hears)`;
    const childParams = {
      ...legParams({
        accountSid: this.options.accountSid,
        callSid: leg.callSid,
        from: dial.callerId ?? this.options.from,
        to: leg.number.number,
      }),
      ParentCallSid: this.callSid,
      Direction: "outbound-dial",
      CallStatus: "in-progress",
    };
    let method = leg.number.method;
    let url = leg.number.url ?? "";
    let extra: Record<string, string> = {};

    for (;;) {
      const verbs = await this.fetchTwiml(method, url, { ...childParams, ...extra });
      let followed = false;
      for (const verb of verbs) {
        if (verb.kind === "say") this.system(`${hears} ${verb.text}`);
        else if (verb.kind === "play") this.system(`${hears} [plays audio ${verb.url}]`);
        else if (verb.kind === "hangup" || verb.kind === "reject") return "hung-up";
        else if (verb.kind === "redirect") {
          [method, url, extra, followed] = [verb.method, resolve(verb.url, url), {}, true];
        } else if (verb.kind === "gather") {
          for (const prompt of verb.prompts) {
            if (prompt.kind === "say") this.system(`${hears} ${prompt.text}`);
            if (prompt.kind === "play") this.system(`${hears} [plays audio ${prompt.url}]`);
          }
          const result = this.ownerKeys(leg, verb);
          if (result || verb.actionOnEmptyResult) {
            [method, url, extra, followed] = [
              verb.method,
              resolve(verb.action ?? url, url),
              result ?? {},
              true,
            ];
          }
        } else if (verb.kind !== "pause") {
          this.system(`${hears} [skipped <${verb.kind}>: not played on a transfer leg]`);
        }
        if (followed) break;
      }
      // The whisper ran out of instructions: Twilio connects the two calls.
      if (!followed) return "bridged";
    }
  }

  private ownerKeys(leg: Leg, verb: GatherVerb): Record<string, string> | undefined {
    const who = `  (${leg.label}`;
    if (leg.behaviour !== "accept") {
      this.system(`${who} does not accept)`);
      return undefined;
    }
    if (verb.input.includes("dtmf")) {
      this.system(`${who} presses 1)`);
      return { Digits: "1" };
    }
    this.system(`${who} says "yes")`);
    return { SpeechResult: "yes", Confidence: String(this.options.confidence) };
  }

  /** Posts a child-leg progress event to <Number statusCallback> when it asked for it. */
  private async legStatus(
    leg: Leg,
    event: string,
    callStatus: string,
    seconds?: number,
  ): Promise<void> {
    const target = leg.number.statusCallback;
    if (!target || !leg.number.statusCallbackEvents.includes(event)) return;
    const params: Record<string, string> = {
      ...legParams({
        accountSid: this.options.accountSid,
        callSid: leg.callSid,
        from: this.options.from,
        to: leg.number.number,
      }),
      ParentCallSid: this.callSid,
      Direction: "outbound-dial",
      CallStatus: callStatus,
      CallbackSource: "call-progress-events",
      Timestamp: new Date(this.now()).toUTCString(),
    };
    if (event === "completed") params.CallDuration = String(seconds ?? 0);
    await this.send(leg.number.statusCallbackMethod, target, params);
  }

  // --- the end of the call ------------------------------------------------------

  private async finish(end: Extract<Next, { kind: "end" }>): Promise<void> {
    if (end.how === "caller-hung-up") this.system("[caller hung up]");
    else if (end.how === "rejected") this.system("[call rejected]");
    else this.system("[call ended]");

    const unanswered = end.how === "rejected" && end.reason !== undefined;
    const status = unanswered ? (end.reason === "busy" ? "busy" : "no-answer") : "completed";
    const duration = unanswered ? 0 : this.durationSeconds();
    await this.sendStatusCallback(status, duration);
  }

  private durationSeconds(): number {
    const elapsed = Math.ceil((this.now() - this.startedAt) / 1000);
    return Math.max(1, elapsed + this.simulatedSeconds);
  }

  private async sendStatusCallback(status: string, duration: number): Promise<void> {
    const url = `${this.baseUrl}/voice/status`;
    const response = await this.send("POST", url, {
      ...this.parentParams(),
      Direction: "inbound",
      CallStatus: status,
      CallDuration: String(duration),
      CallbackSource: "call-progress-events",
      Timestamp: new Date(this.now()).toUTCString(),
    });
    this.system(
      `[status callback] CallStatus=${status} CallDuration=${duration}s -> ${response.status}`,
    );
  }

  /** What Twilio does when a webhook fails mid-call; best effort, the original error wins. */
  private async reportApplicationError(): Promise<void> {
    this.system(
      '[Twilio says "We are sorry, an application error has occurred. Goodbye." and hangs up]',
    );
    try {
      await this.sendStatusCallback("completed", this.durationSeconds());
    } catch {
      // The status endpoint may be broken too; the first failure is the one to show.
    }
  }

  // --- webhooks -------------------------------------------------------------------

  private async fetchTwiml(
    method: HttpMethod,
    url: string,
    params: Record<string, string>,
  ): Promise<TwimlVerb[]> {
    this.hopsWithoutCaller += 1;
    if (this.hopsWithoutCaller > MAX_HOPS_WITHOUT_CALLER) {
      throw new SimulatorError(
        `The call went through ${MAX_HOPS_WITHOUT_CALLER} webhooks in a row without the caller getting a turn (a <Redirect> loop?).`,
      );
    }
    const response = await this.send(method, url, params);
    this.documentsFetched += 1;
    try {
      return parseTwiml(response.body);
    } catch (error) {
      if (error instanceof TwimlParseError) {
        throw new WebhookError(
          `The TwiML from ${method} ${url} could not be read: ${error.message}.`,
          response.body,
        );
      }
      throw error;
    }
  }

  /** Signs and sends one webhook as Twilio does; a non-2xx answer is an error. */
  private async send(
    method: HttpMethod,
    url: string,
    params: Record<string, string>,
  ): Promise<HttpResponse> {
    const query = new URLSearchParams(params).toString();
    // Twilio signs the exact URL it requests, plus the POST parameters.
    const target = method === "GET" ? `${url}${url.includes("?") ? "&" : "?"}${query}` : url;
    const signed = method === "GET" ? {} : params;
    const headers: Record<string, string> = {
      "X-Twilio-Signature": getExpectedTwilioSignature(this.options.authToken, target, signed),
      "User-Agent": "TwilioProxy/1.1 (local call simulator)",
      Accept: "*/*",
    };
    if (method === "POST") headers["Content-Type"] = "application/x-www-form-urlencoded";
    const response = await this.deps.transport({
      method,
      url: target,
      headers,
      body: method === "POST" ? query : undefined,
    });
    if (response.status < 200 || response.status > 299) {
      const hint =
        response.status === 403
          ? " Is the signature wrong? The auth token must match TWILIO_AUTH_TOKEN in functions/.secret.local, and --base-url the stack's PUBLIC_WEBHOOK_BASE_URL."
          : "";
      throw new WebhookError(
        `${method} ${url} answered HTTP ${response.status}.${hint}`,
        response.body.trim() || "(empty body)",
      );
    }
    return response;
  }

  private system(text: string): void {
    this.deps.print(text);
    this.events.push({ who: "system", text: text.trim() });
  }
}

/** Action URLs are absolute in practice; relative ones resolve like a browser would. */
function resolve(target: string, currentUrl: string): string {
  return new URL(target, currentUrl).toString();
}

/** Speech at about 150 words a minute, as text-to-speech and most callers speak. */
function speakingSeconds(text: string): number {
  const words = text.split(/\s+/).filter(Boolean).length;
  return Math.max(1, Math.round(words / 2.5));
}
