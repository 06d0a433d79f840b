import { z } from "zod";
import { isSignedByTwilio } from "../../adapters/twilio/twilio-signature";
import { recordSmsStatus, type RecordSmsStatusDeps } from "../../app/record-sms-status";
import type { OutboxMessageRef } from "../../ports/outbox-delivery.port";

/** The deployed function's name: part of the URL Twilio signs. */
export const SMS_STATUS_FUNCTION = "smsStatusCallback";

export interface SmsStatusHttpRequest {
  method: string;
  /** Path and query after the function's own URL, e.g. "/bristol-plumbing/booking-confirmation-a1". */
  path: string;
  signature: string | null;
  body: unknown;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface SmsStatusConfig {
  /** PUBLIC_WEBHOOK_BASE_URL: the functions' base URL exactly as Twilio calls it. */
  publicBaseUrl: string;
  authToken: string;
  deps: RecordSmsStatusDeps;
}

/** Twilio's status callback fields this product reads; Twilio sends many more. */
const statusBody = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, "MessageSid must look like SM + 32 hex"),
  MessageStatus: z
    .string()
    .regex(/^[a-z][a-z_-]{0,31}$/, "MessageStatus must be a lower-case status word"),
  ErrorCode: z
    .string()
    .regex(/^\d{0,6}$/, "ErrorCode must be a number")
    .optional()
    .transform((code) => (code ? Number(code) : undefined)),
});

/** {businessId}/{messageId}: the message the callback URL was made for. */
const MARKER = /^\/([^/?#]+)\/([^/?#]+)$/;

/**
 * Checks in this order: a signature is present and valid for the public URL
 * and every posted parameter (403), then the body's shape (400), then records
 * the status. A SID we do not know is still answered 200, so Twilio stops.
 */
export async function handleSmsStatusRequest(
  req: SmsStatusHttpRequest,
  config: SmsStatusConfig,
): Promise<HttpAnswer> {
  if (req.method !== "POST") return plain(405, "Twilio status callbacks are POST requests.");
  if (!req.signature) return plain(403, "Missing X-Twilio-Signature.");
  const params = stringParams(req.body);
  if (!params || !signedForThisUrl(req, params, config)) {
    return plain(403, "Invalid X-Twilio-Signature for this URL and body.");
  }
  const parsed = statusBody.safeParse(params);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    return plain(400, `Malformed status callback: ${problems.join("; ")}`);
  }
  const result = await recordSmsStatus(
    {
      sid: parsed.data.MessageSid,
      status: parsed.data.MessageStatus,
      errorCode: parsed.data.ErrorCode,
      marker: markerOf(req.path),
    },
    config.deps,
  );
  return plain(200, result.kind === "unknown-sid" ? "Unknown message; ignored." : "Recorded.");
}

function signedForThisUrl(
  req: SmsStatusHttpRequest,
  params: Record<string, string>,
  config: SmsStatusConfig,
): boolean {
  const base = `${config.publicBaseUrl.replace(/\/+$/, "")}/${SMS_STATUS_FUNCTION}`;
  const path = req.path.startsWith("/") || req.path === "" ? req.path : `/${req.path}`;
  if (isSignedByTwilio(config.authToken, req.signature ?? "", base + path, params)) return true;
  // The runtime shows a request to the function's bare URL as "/" (or "/?query"),
  // while Twilio signed the URL without that slash.
  return path.startsWith("/?") || path === "/"
    ? isSignedByTwilio(config.authToken, req.signature ?? "", base + path.slice(1), params)
    : false;
}

function markerOf(path: string): OutboxMessageRef | undefined {
  const match = MARKER.exec(path.split("?")[0]);
  if (!match) return undefined;
  try {
    return { businessId: decodeURIComponent(match[1]), messageId: decodeURIComponent(match[2]) };
  } catch {
    return undefined;
  }
}

function stringParams(body: unknown): Record<string, string> | null {
  if (!body || typeof body !== "object" || Array.isArray(body)) return null;
  const entries = Object.entries(body as Record<string, unknown>);
  return entries.every(([, v]) => typeof v === "string")
    ? (Object.fromEntries(entries) as Record<string, string>)
    : null;
}

function plain(status: number, body: string): HttpAnswer {
  return { status, contentType: "text/plain", body };
}
