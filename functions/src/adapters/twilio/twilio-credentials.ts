import type { TwilioSenderConfig } from "./twilio-sms.sender";

/**
 * The sender configuration, or undefined when credentials are missing: then
 * outgoing SMS are recorded as simulated instead of sent (local stack, demos).
 */
export function twilioSenderConfig(settings: {
  accountSid: string;
  authToken: string;
  apiBaseUrl: string;
}): TwilioSenderConfig | undefined {
  const accountSid = settings.accountSid.trim();
  const authToken = settings.authToken.trim();
  if (!accountSid || !authToken) return undefined;
  const apiBaseUrl = settings.apiBaseUrl.trim();
  return { accountSid, authToken, apiBaseUrl: apiBaseUrl || undefined };
}
