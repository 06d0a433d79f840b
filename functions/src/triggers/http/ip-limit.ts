import { defaultAbusePolicy, overLimit, RateWindow } from "../../domain/abuse/abuse-policy";
import type { IpCounter } from "../../ports/caller-gate.port";
import type { Logger } from "../../ports/logger.port";
import { errorText, logError, logWarn } from "../../logs";

/**
 * The client's address as Cloud Run saw it. Google's front end appends the
 * address it received the request from to X-Forwarded-For, after anything
 * the client sent, so the last entry is the one a client cannot choose.
 */
export function clientIp(forwardedFor: string | null | undefined, socketIp?: string): string {
  const entries = (forwardedFor ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  return entries.at(-1) ?? socketIp ?? "unknown";
}

/**
 * A 429 (with Retry-After) once an IP address has made more than the
 * window's requests to a public endpoint; null lets the request through.
 * The counter failing lets it through too: the limit never breaks the endpoint.
 */
export async function ipLimited(
  input: { endpoint: string; ip: string; now: Date; window?: RateWindow },
  deps: { counter: IpCounter; logger: Logger },
): Promise<{
  status: 429;
  contentType: string;
  body: string;
  headers: Record<string, string>;
} | null> {
  const window = input.window ?? defaultAbusePolicy.requestsPerIp;
  let count: number;
  try {
    count = await deps.counter.arrive({
      endpoint: input.endpoint,
      ip: input.ip,
      window,
      now: input.now,
    });
  } catch (error) {
    logError(deps.logger, "abuse.ip-limit-failed", {
      endpoint: input.endpoint,
      error: errorText(error),
    });
    return null;
  }
  if (!overLimit(count, window)) return null;
  logWarn(deps.logger, "abuse.ip-limited", { endpoint: input.endpoint, count });
  const size = window.windowMinutes * 60_000;
  const retryAfter = Math.ceil((size - (input.now.getTime() % size)) / 1000);
  return {
    status: 429,
    contentType: "application/json",
    body: JSON.stringify({
      error: "too many requests; try again later",
      retryAfterSeconds: retryAfter,
    }),
    headers: { "Retry-After": String(retryAfter) },
  };
}
