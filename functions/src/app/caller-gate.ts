/**
 * Rate limits and screening at the door (docs/abuse-protection.md). The
 * webhooks ask here before the call or text reaches the receptionist:
 * a new call or text from a number is counted in its window; a number over
 * its limit, on the business's screening list or on the known-spam list is
 * turned away. A limited or screened caller still gets one chance to say
 * what is wrong, and an emergency in those words texts the owner at once.
 * The limiter failing never blocks anybody: it lets the call through.
 */
import {
  AbusePolicy,
  defaultAbusePolicy,
  gateVerdict,
  GateVerdict,
  isBusinessNumber,
  ScreeningReason,
} from "../domain/abuse/abuse-policy";
import { spoken } from "../domain/dialogue/wording";
import { emergencyFromTurnedAwayText } from "../domain/notifications/owner-texts";
import type { Business } from "../domain/business/business";
import { detectEmergency } from "../domain/emergency/emergency.classifier";
import { carrierKeywordOf } from "../domain/sms/carrier-keywords";
import { errorText, logError, logWarn, maskPhone } from "../logs";
import type { CallerCounters } from "../ports/caller-gate.port";
import type { Clock } from "../ports/clock.port";
import type { Logger } from "../ports/logger.port";
import type { OutboxQueue } from "../ports/outbox.port";

export interface CallerGateDeps {
  counters: CallerCounters;
  outbox: OutboxQueue;
  clock: Clock;
  logger: Logger;
}

export type TurnedAwayWhy = "limited" | ScreeningReason;

function policyOf(business: Business): AbusePolicy {
  return business.abuse ?? defaultAbusePolicy;
}

/** The verdict on a new call (`kind` "call") or text from `number` (E.164, or null when withheld). */
export async function admit(
  business: Business,
  number: string | null,
  kind: "call" | "text",
  deps: CallerGateDeps,
): Promise<GateVerdict> {
  // A withheld number cannot be counted apart from every other withheld caller: never limited.
  if (!number || isBusinessNumber(business, number)) return { kind: "pass" };
  const policy = policyOf(business);
  const window = kind === "call" ? policy.callsPerNumber : policy.textsPerNumber;
  let verdict: GateVerdict;
  try {
    const arrival = await deps.counters.arrive({
      businessId: business.id,
      number,
      kind,
      window,
      now: deps.clock.now(),
    });
    verdict = gateVerdict({ ...arrival, window });
  } catch (error) {
    logError(deps.logger, "abuse.gate-failed", {
      businessId: business.id,
      kind,
      error: errorText(error),
    });
    return { kind: "pass" };
  }
  if (verdict.kind === "pass") return verdict;
  logWarn(deps.logger, kind === "call" ? "abuse.call-turned-away" : "abuse.text-turned-away", {
    businessId: business.id,
    from: maskPhone(number),
    why: verdict.kind === "limited" ? "limited" : verdict.reason,
    count: verdict.kind === "limited" ? verdict.count : null,
  });
  if (verdict.kind === "screened") {
    await deps.counters.noteTurnedAway(business.id, number).catch(() => undefined);
  }
  return verdict;
}

/**
 * A text from a number over its limit or screened: no reply. STOP, START and
 * HELP are never turned away (the law and the carriers require an answer to
 * them), and an emergency in the text still texts the owner.
 */
export async function admitText(
  business: Business,
  input: { from: string; body: string; messageSid: string },
  deps: CallerGateDeps,
): Promise<GateVerdict> {
  if (carrierKeywordOf(input.body)) return { kind: "pass" };
  const verdict = await admit(business, input.from, "text", deps);
  if (verdict.kind === "pass") return verdict;
  const why: TurnedAwayWhy = verdict.kind === "limited" ? "limited" : verdict.reason;
  await alertIfEmergency(business, input.from, input.body, why, `sms-${input.messageSid}`, deps);
  return verdict;
}

/**
 * What a turned-away caller hears after their one chance to speak: if they
 * described an emergency, its safety advice and the promise of a call back
 * (the owner is texted now); otherwise a polite goodbye.
 */
export async function answerTurnedAwayCall(
  business: Business,
  input: { callSid: string; from: string | null; why: TurnedAwayWhy; speech: string | null },
  deps: CallerGateDeps,
): Promise<string[]> {
  const detection = await alertIfEmergency(
    business,
    input.from,
    input.speech ?? "",
    input.why,
    input.callSid,
    deps,
  );
  if (!detection) return [spoken.turnedAwayNotEmergency()];
  return [
    detection.safetyAdvice,
    spoken.turnedAwayOwnerTexted(business.ownerName, business.emergency.callbackPromise),
    spoken.dangerCall999Goodbye(),
  ];
}

async function alertIfEmergency(
  business: Business,
  from: string | null,
  words: string,
  why: TurnedAwayWhy,
  relatedId: string,
  deps: CallerGateDeps,
) {
  const detection = words.trim() ? detectEmergency(words, business.emergency.extraPhrases) : null;
  if (!detection) return null;
  // The same id the receptionist's own emergency alert uses: one text, however it got here.
  await deps.outbox.enqueue({
    id: `emergency-alert-${relatedId}`,
    businessId: business.id,
    to: business.ownerMobile,
    body: emergencyFromTurnedAwayText({
      label: detection.label,
      callerPhone: from ?? "withheld number",
      why,
      words,
    }),
    purpose: "owner-emergency-alert",
    relatedId,
  });
  logWarn(deps.logger, "abuse.emergency-from-turned-away", {
    businessId: business.id,
    relatedId,
    kind: detection.kind,
  });
  return detection;
}

/**
 * A call has ended after `durationSeconds`: a short one counts towards
 * screening the number (repeated short or silent calls are what robocallers
 * and silent diallers make).
 */
export async function recordCallLength(
  business: Business,
  input: { from: string | null; durationSeconds: number },
  deps: CallerGateDeps,
): Promise<void> {
  const rule = policyOf(business).shortCalls;
  if (!rule.enabled || !input.from || isBusinessNumber(business, input.from)) return;
  if (input.durationSeconds > rule.maxSeconds) return;
  const screened = await deps.counters.recordShortCall({
    businessId: business.id,
    number: input.from,
    window: { limit: rule.count, windowMinutes: rule.withinHours * 60 },
    now: deps.clock.now(),
  });
  if (screened) {
    logWarn(deps.logger, "abuse.number-screened", {
      businessId: business.id,
      from: maskPhone(input.from),
      reason: screened.reason,
    });
  }
}
