import { z } from "zod";
import { renderApology, renderTwiml, VoiceUrls } from "../../adapters/twilio/twiml.builder";
import {
  answerWhisper,
  CallAnswer,
  CallDeps,
  handleCallTurn,
  handleDialResult,
  handleRecordedMessage,
  recordCallEnded,
  startCall,
  whisperToCallee,
} from "../../app/handle-call";
import {
  admit,
  answerTurnedAwayCall,
  recordCallLength,
  TurnedAwayWhy,
} from "../../app/caller-gate";
import { WebhookDeadline } from "../../app/webhook-deadline";
import { errorText, logError, logVoiceTurn } from "../../logs";
import { SCREENING_REASONS } from "../../domain/abuse/abuse-policy";
import type { Business } from "../../domain/business/business";
import { speechHintsFor } from "../../domain/dialogue/speech-hints";
import { documentIdSchema } from "../../shared/document-id";
import { normalisePhoneNumber } from "../../domain/phone/phone-number";
import type { CallerCounters } from "../../ports/caller-gate.port";
import {
  checkTwilioRequest,
  HttpAnswer,
  malformed,
  plain,
  TwilioHttpRequest,
  withDeadline,
  xml,
} from "./twilio-request";
import { recordingCallbackUrl } from "./voice-recording.handler";
import { spoken } from "../../domain/dialogue/wording";

export type { HttpAnswer } from "./twilio-request";
export type VoiceHttpRequest = TwilioHttpRequest;

export interface VoiceConfig {
  /** PUBLIC_WEBHOOK_BASE_URL: the functions' base URL exactly as Twilio calls it. */
  publicBaseUrl: string;
  authToken: string;
  deps: CallDeps;
  /**
   * Rate counters and the screening list (docs/abuse-protection.md); without
   * them every call goes straight to the receptionist.
   */
  gate?: CallerCounters;
  /**
   * The caller hears something within this, fallback included; it must be
   * well inside Twilio's 15 s.
   */
  deadlineMs?: number;
}

export const DEFAULT_DEADLINE_MS = 9_000;
/** Kept back from the deadline to look up the business for the fallback answer. */
const FALLBACK_LOOKUP_MS = 1_500;
const FUNCTION_NAME = "voice";

const callSid = z
  .string()
  .regex(/^CA[0-9a-fA-F]{32}$/, "CallSid must look like CA + 32 hex digits");
const businessId = documentIdSchema(100);
const nonNegativeInt = z.coerce.number().int().min(0).max(1000);
const phone = z.string().max(32).optional();

const incomingBody = z.object({ CallSid: callSid, From: phone, To: z.string().min(3).max(32) });
const turnQuery = z.object({
  b: businessId,
  step: nonNegativeInt.refine((n) => n >= 1, "step starts at 1"),
});
const turnBody = z.object({
  CallSid: callSid,
  SpeechResult: z.string().max(2000).optional(),
  Confidence: z.coerce.number().min(0).max(1).optional(),
});
const legQuery = z.object({ b: businessId, c: callSid, leg: nonNegativeInt });
/** The end of a <Record>: nothing recorded when RecordingUrl is absent (our own redirect). */
const recordedBody = z.object({
  CallSid: callSid,
  RecordingUrl: z.string().url().max(500).optional(),
  RecordingDuration: z.coerce.number().int().min(0).max(3600).optional(),
  Digits: z.string().max(10).optional(),
});
const dialBody = z.object({
  CallSid: callSid,
  DialCallStatus: z.enum(["completed", "answered", "busy", "no-answer", "failed", "canceled"]),
});
const whisperAcceptBody = z.object({ Digits: z.string().max(10).optional() });
const statusBody = z.object({
  CallSid: callSid,
  CallStatus: z.string().min(1).max(32),
  To: z.string().min(3).max(32),
  From: phone,
  CallDuration: z.coerce.number().int().min(0).max(86_400).optional(),
});
const turnedAwayQuery = z.object({ b: businessId, why: z.enum(["limited", ...SCREENING_REASONS]) });
const turnedAwayBody = z.object({
  CallSid: callSid,
  From: phone,
  SpeechResult: z.string().max(2000).optional(),
});

/** TwiML already rendered: the answers of the door (rate limits and screening). */
interface RenderedAnswer {
  twiml: string;
}

class BadRequest extends Error {}

/**
 * Checks in this order: a signature is present, it is valid for the public
 * URL and every posted parameter (403 otherwise), then the body's shape (400),
 * then answers TwiML. Failures after that still answer TwiML the caller can hear.
 */
export async function handleVoiceRequest(
  req: VoiceHttpRequest,
  config: VoiceConfig,
): Promise<HttpAnswer> {
  const started = Date.now();
  const seen: TurnFacts = {};
  const answer = await answerVoiceRequest(req, config, seen);
  logVoiceTurn(config.deps.logger, {
    businessId: seen.businessId,
    callSid: seen.callSid,
    route: req.path.split("?")[0],
    status: answer.status,
    outcome: seen.outcome ?? outcomeOf(answer.status),
    latencyMs: Date.now() - started,
  });
  return answer;
}

/** What one request turned out to be, filled in as it is answered (for its log line). */
interface TurnFacts {
  businessId?: string;
  callSid?: string;
  outcome?: "fallback-timeout" | "fallback-error";
}

function outcomeOf(status: number): string {
  if (status === 403 || status === 405) return "refused";
  if (status === 400) return "malformed";
  if (status === 404) return "not-found";
  return "answered";
}

async function answerVoiceRequest(
  req: VoiceHttpRequest,
  config: VoiceConfig,
  seen: TurnFacts,
): Promise<HttpAnswer> {
  const checked = checkTwilioRequest(req, { ...config, functionName: FUNCTION_NAME });
  if (!checked.ok) return checked.answer;
  const params = checked.params;
  const base = config.publicBaseUrl.replace(/\/+$/, "");
  const [pathname, search = ""] = req.path.split("?");
  const query = Object.fromEntries(new URLSearchParams(search));
  seen.callSid = params.CallSid;
  seen.businessId = query.b;

  const deadlineMs = config.deadlineMs ?? DEFAULT_DEADLINE_MS;
  // The fallback's own lookup comes out of the deadline, not on top of it.
  const lookupMs = Math.min(FALLBACK_LOOKUP_MS, Math.floor(deadlineMs / 5));
  try {
    const answer = await answerInTime(
      pathname,
      query,
      params,
      config,
      deadlineMs - lookupMs,
      lookupMs,
    );
    if (answer === "not-found") return plain(404, `No voice route ${pathname}.`);
    if (answer === "empty")
      return xml('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    if (typeof answer === "object" && "twiml" in answer) return xml(answer.twiml);
    if (answer === "timeout") {
      logError(config.deps.logger, "voice.deadline-exceeded", {
        route: pathname,
        callSid: params.CallSid,
      });
      seen.outcome = "fallback-timeout";
      return xml(await fallbackTwiml(query.b, config, lookupMs));
    }
    seen.businessId ??= answer.business?.id;
    return xml(renderAnswer(answer, params.CallSid, query, base));
  } catch (error) {
    if (error instanceof BadRequest) return plain(400, error.message);
    logError(config.deps.logger, "voice.failed", {
      route: pathname,
      callSid: params.CallSid,
      error: errorText(error),
    });
    seen.outcome = "fallback-error";
    return xml(await fallbackTwiml(query.b, config, lookupMs));
  }
}

/**
 * Runs the route within its deadline. At the deadline no new write starts
 * (WebhookDeadline), so the work left behind after the fallback answer is
 * only reads; a commit already on its way is given `graceMs` to land, and
 * if it does the caller hears the real answer. The status callback has no
 * caller waiting and is always run to the end.
 */
async function answerInTime(
  pathname: string,
  query: Record<string, string>,
  params: Record<string, string>,
  config: VoiceConfig,
  ms: number,
  graceMs: number,
): Promise<CallAnswer | RenderedAnswer | "not-found" | "empty" | "timeout"> {
  if (pathname === "/status") return route(pathname, query, params, config);
  const deadline = new WebhookDeadline();
  const work = route(pathname, query, params, { ...config, deps: deadline.guard(config.deps) });
  const answer = await withDeadline(work, ms);
  if (answer !== "timeout") return answer;
  deadline.expire();
  if (!deadline.inFlight) return "timeout";
  return withDeadline(
    work.catch(() => "timeout" as const),
    graceMs,
  );
}

async function route(
  pathname: string,
  query: Record<string, string>,
  params: Record<string, string>,
  config: VoiceConfig,
): Promise<CallAnswer | RenderedAnswer | "not-found" | "empty"> {
  const deps = config.deps;
  switch (pathname) {
    case "/incoming": {
      const body = parse(incomingBody, params);
      const turnedAway = await atTheDoor(body, config);
      if (turnedAway) return turnedAway;
      return startCall({ callSid: body.CallSid, from: body.From ?? null, to: body.To }, deps);
    }
    case "/turn": {
      const q = parse(turnQuery, query);
      const body = parse(turnBody, params);
      return handleCallTurn(
        {
          businessId: q.b,
          callSid: body.CallSid,
          step: q.step,
          speech: body.SpeechResult?.trim() ? body.SpeechResult : null,
          confidence: body.Confidence ?? null,
        },
        deps,
      );
    }
    case "/recorded": {
      const q = parse(turnQuery, query);
      const body = parse(recordedBody, params);
      return handleRecordedMessage(
        {
          businessId: q.b,
          callSid: body.CallSid,
          step: q.step,
          seconds: body.RecordingUrl ? (body.RecordingDuration ?? 0) : 0,
        },
        deps,
      );
    }
    case "/dial-result": {
      const q = parse(legQuery, query);
      const body = parse(dialBody, params);
      return handleDialResult(
        { businessId: q.b, callSid: q.c, leg: q.leg, dialStatus: body.DialCallStatus },
        deps,
      );
    }
    case "/whisper": {
      const q = parse(legQuery, query);
      return whisperToCallee({ businessId: q.b, callSid: q.c, leg: q.leg }, deps);
    }
    case "/whisper-accept": {
      const q = parse(legQuery, query);
      const body = parse(whisperAcceptBody, params);
      return answerWhisper(
        { businessId: q.b, callSid: q.c, leg: q.leg, digits: body.Digits ?? null },
        deps,
      );
    }
    case "/turned-away": {
      const q = parse(turnedAwayQuery, query);
      const body = parse(turnedAwayBody, params);
      const business = await deps.businesses.getById(q.b);
      if (!business) return "not-found";
      const say = await answerTurnedAwayCall(
        business,
        {
          callSid: body.CallSid,
          from: callerNumber(body.From, business),
          why: q.why,
          speech: body.SpeechResult?.trim() ? body.SpeechResult : null,
        },
        gateDeps(config, config.gate),
      );
      return { twiml: renderTwiml({ kind: "hang-up", say }, unusableUrls(), { hints: [] }) };
    }
    case "/status": {
      const body = parse(statusBody, params);
      const business = await deps.businesses.findByPhoneNumber(body.To);
      if (business) {
        await recordCallEnded(
          { businessId: business.id, callSid: body.CallSid, callStatus: body.CallStatus },
          deps,
        );
        if (config.gate && body.CallDuration !== undefined) {
          await recordCallLength(
            business,
            { from: callerNumber(body.From, business), durationSeconds: body.CallDuration },
            gateDeps(config, config.gate),
          ).catch((error: unknown) =>
            logError(deps.logger, "abuse.short-call-not-counted", {
              callSid: body.CallSid,
              error: errorText(error),
            }),
          );
        }
      }
      return "empty";
    }
    default:
      return "not-found";
  }
}

/**
 * The door, before the receptionist: a new call from a number over its limit
 * or screened hears why, and gets one chance to say what is wrong (an
 * emergency in those words still texts the owner). Null lets the call in.
 */
async function atTheDoor(
  body: { CallSid: string; From?: string; To: string },
  config: VoiceConfig,
): Promise<RenderedAnswer | null> {
  if (!config.gate) return null;
  const business = await config.deps.businesses.findByPhoneNumber(body.To);
  if (!business) return null;
  const from = callerNumber(body.From, business);
  const verdict = await admit(business, from, "call", gateDeps(config, config.gate));
  if (verdict.kind === "pass") return null;
  const why: TurnedAwayWhy = verdict.kind === "limited" ? "limited" : verdict.reason;
  const base = `${config.publicBaseUrl.replace(/\/+$/, "")}/${FUNCTION_NAME}`;
  const action = `${base}/turned-away?b=${encodeURIComponent(business.id)}&why=${why}`;
  return {
    twiml: renderTwiml(
      {
        kind: "gather",
        say: [spoken.turnedAway(business.name, why), spoken.ifEmergencyTellMe()],
        step: 1,
      },
      { ...unusableUrls(), turn: () => action },
      { hints: [] },
    ),
  };
}

function gateDeps(config: VoiceConfig, counters: CallerCounters | undefined) {
  if (!counters) throw new Error("no caller gate configured");
  const { outbox, clock, logger } = config.deps;
  return { counters, outbox, clock, logger };
}

/** The caller's number in E.164, or null when withheld or unreadable. */
function callerNumber(from: string | undefined, business: Business): string | null {
  if (!from) return null;
  const result = normalisePhoneNumber(from, business.defaultCountry);
  return result.ok ? result.e164 : null;
}

function renderAnswer(
  answer: CallAnswer,
  parentCallSid: string,
  query: Record<string, string>,
  base: string,
): string {
  const business = answer.business;
  if (!business) return renderTwiml(answer.instruction, unusableUrls(), { hints: [] });
  // Whisper callbacks come from the rung phone's leg; the conversation is keyed by the caller's CallSid.
  const conversationSid = query.c ?? parentCallSid;
  return renderTwiml(
    answer.instruction,
    voiceUrls(`${base}/${FUNCTION_NAME}`, business.id, conversationSid, base),
    {
      hints: speechHintsFor(business),
      callerIdForTransfers: business.phoneNumber,
      voice: business.voice,
    },
  );
}

export function voiceUrls(
  voiceBase: string,
  businessId: string,
  conversationSid: string,
  /** PUBLIC_WEBHOOK_BASE_URL, for the recording callback (its own function). */
  publicBaseUrl: string,
): VoiceUrls {
  const b = encodeURIComponent(businessId);
  const c = encodeURIComponent(conversationSid);
  return {
    turn: (step) => `${voiceBase}/turn?b=${b}&step=${step}`,
    recorded: (step) => `${voiceBase}/recorded?b=${b}&step=${step}`,
    recordingStatus: () => recordingCallbackUrl(publicBaseUrl, businessId),
    dialResult: (leg) => `${voiceBase}/dial-result?b=${b}&c=${c}&leg=${leg}`,
    whisper: (leg) => `${voiceBase}/whisper?b=${b}&c=${c}&leg=${leg}`,
    whisperAccept: (leg) => `${voiceBase}/whisper-accept?b=${b}&c=${c}&leg=${leg}`,
  };
}

function unusableUrls(): VoiceUrls {
  const none = () => {
    throw new Error("no callback URL without a business");
  };
  return {
    turn: none,
    recorded: none,
    recordingStatus: none,
    dialResult: none,
    whisper: none,
    whisperAccept: none,
  };
}

/**
 * What the caller hears when something failed or took too long: put them
 * through to the owner if we can find the number quickly, else apologise.
 */
async function fallbackTwiml(
  businessId: string | undefined,
  config: VoiceConfig,
  lookupMs: number,
): Promise<string> {
  const apology = spoken.troubleOnMySide();
  if (businessId) {
    const business = await withDeadline(
      config.deps.businesses.getById(businessId).catch(() => null),
      lookupMs,
    );
    if (business && business !== "timeout") {
      return renderTwiml(
        {
          kind: "hang-up",
          say: [apology, spoken.callBackOrTextOwner(business)],
        },
        unusableUrls(),
        { hints: [], voice: business.voice },
      );
    }
  }
  return renderApology([apology, spoken.callBackInAMinute()]);
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new BadRequest(malformed(result.error).body);
  }
  return result.data;
}
