import { SimulatorError } from "./errors";

/** One webhook request, already signed, as Twilio would send it. */
export interface HttpRequest {
  readonly method: "GET" | "POST";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** How the session reaches the webhooks: fetch in the CLI, anything in tests. */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

/** Twilio gives up on a webhook after 15 seconds. */
export const TWILIO_WEBHOOK_TIMEOUT_MS = 15_000;

export function fetchTransport(timeoutMs: number = TWILIO_WEBHOOK_TIMEOUT_MS): Transport {
  return async (request) => {
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw describeNetworkError(error, request.url, timeoutMs);
    }
    return { status: response.status, body: await response.text() };
  };
}

function describeNetworkError(error: unknown, url: string, timeoutMs: number): SimulatorError {
  const origin = new URL(url).origin;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new SimulatorError(
      `${url} did not answer within ${timeoutMs / 1000} s (Twilio would give up and play an application error).`,
    );
  }
  const code = networkErrorCode(error);
  if (code === "ECONNREFUSED") {
    return new SimulatorError(
      `The local stack is not running at ${origin} — start it with \`npm start\` in another terminal.`,
    );
  }
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return new SimulatorError(`Could not reach ${origin}: ${reason}.`);
}

/** fetch wraps socket errors: the code sits on `cause` (or on an AggregateError inside it). */
function networkErrorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const candidate = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof candidate.code === "string" && candidate.code.startsWith("E")) return candidate.code;
    queue.push(candidate.cause);
    if (Array.isArray(candidate.errors)) queue.push(...(candidate.errors as unknown[]));
  }
  return undefined;
}
