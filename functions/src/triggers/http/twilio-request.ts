import type { z } from "zod";
import { isSignedByTwilio } from "../../adapters/twilio/twilio-signature";

export { withDeadline } from "../../app/webhook-deadline";

/** What an HTTP function answers; the thin trigger writes it to the response. */
export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** A Twilio webhook as the function receives it. */
export interface TwilioHttpRequest {
  method: string;
  /** Path and query after the function's own URL, e.g. "/turn?b=acme&step=2". */
  path: string;
  signature: string | null;
  body: unknown;
}

export interface TwilioEndpoint {
  /** PUBLIC_WEBHOOK_BASE_URL: the functions' base URL exactly as Twilio calls it. */
  publicBaseUrl: string;
  authToken: string;
  /** The deployed function's name: part of the URL Twilio signs. */
  functionName: string;
}

export type TwilioCheck =
  { ok: true; params: Record<string, string> } | { ok: false; answer: HttpAnswer };

/**
 * The first checks of every Twilio webhook, in order: POST (405), a
 * signature present (403), valid for the public URL from configuration and
 * every posted parameter (403). The URL is never rebuilt from request headers.
 */
export function checkTwilioRequest(req: TwilioHttpRequest, endpoint: TwilioEndpoint): TwilioCheck {
  if (req.method !== "POST") return refuse(405, "Twilio webhooks are POST requests.");
  if (!req.signature) return refuse(403, "Missing X-Twilio-Signature.");
  const params = stringParams(req.body);
  if (!params || !signedForUrl(req.signature, req.path, params, endpoint)) {
    return refuse(403, "Invalid X-Twilio-Signature for this URL and body.");
  }
  return { ok: true, params };
}

function signedForUrl(
  signature: string,
  requestPath: string,
  params: Record<string, string>,
  endpoint: TwilioEndpoint,
): boolean {
  const base = `${endpoint.publicBaseUrl.replace(/\/+$/, "")}/${endpoint.functionName}`;
  const path = requestPath.startsWith("/") || requestPath === "" ? requestPath : `/${requestPath}`;
  if (isSignedByTwilio(endpoint.authToken, signature, base + path, params)) return true;
  // The runtime shows a request to the function's bare URL as "/" (or "/?query"),
  // while Twilio signed the URL without that slash.
  return path === "/" || path.startsWith("/?")
    ? isSignedByTwilio(endpoint.authToken, signature, base + path.slice(1), params)
    : false;
}

/** Form fields as Twilio posts them: every value a string. */
function stringParams(body: unknown): Record<string, string> | null {
  if (!body || typeof body !== "object" || Array.isArray(body)) return null;
  const entries = Object.entries(body as Record<string, unknown>);
  return entries.every(([, v]) => typeof v === "string")
    ? (Object.fromEntries(entries) as Record<string, string>)
    : null;
}

/** A 400 that names every field that is wrong. */
export function malformed(error: z.ZodError, what = "Twilio request"): HttpAnswer {
  const problems = error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`);
  return plain(400, `Malformed ${what}: ${problems.join("; ")}`);
}

export function plain(status: number, body: string): HttpAnswer {
  return { status, contentType: "text/plain", body };
}

export function xml(body: string): HttpAnswer {
  return { status: 200, contentType: "text/xml", body };
}

function refuse(status: number, body: string): TwilioCheck {
  return { ok: false, answer: plain(status, body) };
}
