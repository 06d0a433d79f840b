import { randomBytes } from "node:crypto";

/** Twilio's wire version for voice webhooks. */
export const TWILIO_API_VERSION = "2010-04-01";

/** A demo Account SID, used when none is configured: "AC" + 32 hex like a real one. */
export const DEMO_ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);

export function newSid(prefix: "CA" | "AC" | "RE"): string {
  return prefix + randomBytes(16).toString("hex");
}

/** Twilio's ISO country for a number, from its calling code (enough for the demo numbers). */
export function countryOf(e164: string): string {
  if (e164.startsWith("+44")) return "GB";
  if (e164.startsWith("+353")) return "IE";
  if (e164.startsWith("+1")) return "US";
  return "";
}

export interface LegParties {
  readonly accountSid: string;
  readonly callSid: string;
  readonly from: string;
  readonly to: string;
}

/** The parameters Twilio sends with every webhook of a call leg, whatever the event. */
export function legParams(parties: LegParties): Record<string, string> {
  const fromCountry = countryOf(parties.from);
  const toCountry = countryOf(parties.to);
  return {
    AccountSid: parties.accountSid,
    ApiVersion: TWILIO_API_VERSION,
    CallSid: parties.callSid,
    From: parties.from,
    Caller: parties.from,
    FromCountry: fromCountry,
    CallerCountry: fromCountry,
    To: parties.to,
    Called: parties.to,
    ToCountry: toCountry,
    CalledCountry: toCountry,
  };
}
