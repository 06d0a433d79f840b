import { z } from "zod";
import { recordSmsStatus, type RecordSmsStatusDeps } from "../../app/record-sms-status";
import type { OutboxMessageRef } from "../../ports/outbox-delivery.port";
import { isDocumentId } from "../../shared/document-id";
import {
  checkTwilioRequest,
  HttpAnswer,
  malformed,
  plain,
  TwilioHttpRequest,
} from "./twilio-request";

export type { HttpAnswer } from "./twilio-request";

/** The deployed function's name: part of the URL Twilio signs. */
export const SMS_STATUS_FUNCTION = "smsStatusCallback";

/** The path is "/{businessId}/{messageId}": the message the callback URL was made for. */
export type SmsStatusHttpRequest = TwilioHttpRequest;

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
  const checked = checkTwilioRequest(req, { ...config, functionName: SMS_STATUS_FUNCTION });
  if (!checked.ok) return checked.answer;
  const params = checked.params;
  const parsed = statusBody.safeParse(params);
  if (!parsed.success) return malformed(parsed.error, "status callback");
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

function markerOf(path: string): OutboxMessageRef | undefined {
  const match = MARKER.exec(path.split("?")[0]);
  if (!match) return undefined;
  try {
    const ref = {
      businessId: decodeURIComponent(match[1]),
      messageId: decodeURIComponent(match[2]),
    };
    // A marker we never issued names no message (and no other path).
    return isDocumentId(ref.businessId) && isDocumentId(ref.messageId) ? ref : undefined;
  } catch {
    return undefined;
  }
}
