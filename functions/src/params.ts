import { defineSecret, defineString } from "firebase-functions/params";

/**
 * Every deployment setting. Values are read with .value() only at run time
 * (inside handlers or bootstrap), never at module load.
 */

/** Region the functions run in; London for UK trades. */
export const REGION = "europe-west2";

export const publicWebhookBaseUrl = defineString("PUBLIC_WEBHOOK_BASE_URL", {
  description:
    "Public https base URL under which the functions are reachable, exactly as Twilio calls them, " +
    "e.g. https://europe-west2-my-project.cloudfunctions.net. Twilio signatures are checked against it.",
});

export const twilioAccountSid = defineString("TWILIO_ACCOUNT_SID", {
  description: "Twilio Account SID (AC...). Leave empty to record outgoing SMS as simulated.",
  default: "",
});

export const twilioAuthToken = defineSecret("TWILIO_AUTH_TOKEN");

export const twilioApiBaseUrl = defineString("TWILIO_API_BASE_URL", {
  description:
    "Override of https://api.twilio.com for the REST client; empty in production, a local server in tests.",
  default: "",
});
