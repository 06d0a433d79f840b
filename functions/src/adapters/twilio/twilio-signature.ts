type WebhooksModule = typeof import("twilio/lib/webhooks/webhooks");
let webhooks: WebhooksModule | undefined;

/**
 * True when X-Twilio-Signature matches the URL Twilio called and every
 * parameter it posted, per Twilio's HMAC-SHA1 scheme. The URL must be the
 * public one from configuration, never rebuilt from request headers.
 */
export function isSignedByTwilio(
  authToken: string,
  signature: string,
  url: string,
  params: Record<string, string>,
): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  webhooks ??= require("twilio/lib/webhooks/webhooks") as WebhooksModule;
  return webhooks.validateRequest(authToken, signature, url, params);
}
