import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { CalendarSecrets } from "./calendar-secrets";

/**
 * The OAuth `state` parameter: a signed, expiring value naming the business
 * and the owner who started the connect flow. Single use is enforced by the
 * caller, which claims the nonce with create() when the callback arrives.
 */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

const payloadSchema = z.object({
  b: z.string().min(1),
  u: z.string().min(1),
  n: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  e: z.number().int(),
});

export interface OAuthState {
  businessId: string;
  uid: string;
  nonce: string;
  expiresAt: Date;
}

export function issueOAuthState(
  secrets: CalendarSecrets,
  owner: { businessId: string; uid: string },
  now: Date,
): string {
  const payload = Buffer.from(
    JSON.stringify({
      b: owner.businessId,
      u: owner.uid,
      n: randomBytes(18).toString("base64url"),
      e: now.getTime() + OAUTH_STATE_TTL_MS,
    }),
  ).toString("base64url");
  return `${payload}.${secrets.sign(payload)}`;
}

export type StateCheck =
  { ok: true; state: OAuthState } | { ok: false; reason: "missing" | "forged" | "expired" };

/** Checks signature and expiry; not single use (see above). */
export function checkOAuthState(
  secrets: CalendarSecrets,
  value: string | undefined,
  now: Date,
): StateCheck {
  if (!value) return { ok: false, reason: "missing" };
  const [payload, signature, extra] = value.split(".");
  if (!payload || !signature || extra !== undefined || !secrets.verify(payload, signature)) {
    return { ok: false, reason: "forged" };
  }
  let parsed: z.infer<typeof payloadSchema>;
  try {
    parsed = payloadSchema.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  } catch {
    return { ok: false, reason: "forged" };
  }
  if (parsed.e <= now.getTime()) return { ok: false, reason: "expired" };
  return {
    ok: true,
    state: { businessId: parsed.b, uid: parsed.u, nonce: parsed.n, expiresAt: new Date(parsed.e) },
  };
}
