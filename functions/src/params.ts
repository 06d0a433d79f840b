import { defineInt, defineSecret, defineString } from "firebase-functions/params";

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

/** Google Calendar integration (docs/google-calendar.md). Empty client id: the integration is off. */
export const googleOAuthClientId = defineString("GOOGLE_OAUTH_CLIENT_ID", {
  description:
    "OAuth 2.0 client id (Web application) from the Google Cloud console; empty turns Google Calendar off.",
  default: "",
});

export const googleOAuthClientSecret = defineSecret("GOOGLE_OAUTH_CLIENT_SECRET");

/** 32 random bytes, base64: encrypts refresh tokens (AES-256-GCM) and signs OAuth state. */
export const calendarTokenKey = defineSecret("CALENDAR_TOKEN_KEY");

export const googleApiBaseUrl = defineString("GOOGLE_API_BASE_URL", {
  description:
    "Override of https://www.googleapis.com for the Calendar API; empty in production, a local server in tests.",
  default: "",
});

export const googleOAuthBaseUrl = defineString("GOOGLE_OAUTH_BASE_URL", {
  description:
    "Override of Google's OAuth endpoints (consent, token, revoke) under one base URL; empty in production.",
  default: "",
});

export const dashboardBaseUrl = defineString("DASHBOARD_BASE_URL", {
  description:
    "Public URL of the owner dashboard, e.g. https://my-project.web.app; calendar events and owner SMS link to it.",
  default: "",
});

/**
 * Warm instances kept for the voice function (0 by default). One costs money
 * every hour; it spares the first caller after a quiet spell a cold start
 * (docs/deployment.md says when it is worth it).
 */
export const voiceMinInstances = defineInt("VOICE_MIN_INSTANCES", {
  description:
    "Instances of the voice function kept warm; 0 (default) scales to zero, 1 avoids cold starts on calls.",
  default: 0,
});

/**
 * Anthropic API key for the language model that reads unclear caller turns.
 * Unset or empty: every flow runs on the rules alone. Read with .value() at
 * run time only; the SDK itself is loaded on first use.
 */
export const anthropicApiKey = defineSecret("ANTHROPIC_API_KEY");

export const anthropicBaseUrl = defineString("ANTHROPIC_BASE_URL", {
  description:
    "Override of https://api.anthropic.com for the Messages API; empty in production, a local server in tests.",
  default: "",
});

/**
 * Who the voice fallback texts when it cannot read the called business (the
 * operator on call), in E.164. Empty: the caller still hears the apology and
 * can leave a message, but nobody is texted (docs/runbooks/on-call.md).
 */
export const fallbackAlertNumber = defineString("FALLBACK_ALERT_NUMBER", {
  description:
    "Mobile (E.164) texted by the voice fallback when the called business cannot be read; empty: nobody.",
  default: "",
});

/**
 * Where messages callers leave are transcribed: "google" (Cloud Speech-to-Text,
 * with the function's own service account), or "off" (the message is kept and
 * the owner texted the link, untranscribed; the local stack, or a project
 * without the Speech API).
 */
export const speechTranscription = defineString("SPEECH_TRANSCRIPTION", {
  description:
    'Transcription of recorded messages: "google" (Cloud Speech-to-Text) or "off" (kept untranscribed).',
  default: "google",
  input: { select: { options: [{ value: "google" }, { value: "off" }] } },
});
