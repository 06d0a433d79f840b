import type { RecordingSource } from "../../ports/recorded-message.port";
import type { TwilioSenderConfig } from "./twilio-sms.sender";

const TWILIO_API = "https://api.twilio.com";

/**
 * Downloads a recording's WAV from Twilio with the account's credentials
 * (recordings are behind HTTP basic auth). Only URLs on Twilio's API (or the
 * configured local server) under this account are fetched, so a forged URL
 * can never carry the credentials elsewhere. The twilio client has no media
 * download, so this is one fetch.
 */
export class TwilioRecordingSource implements RecordingSource {
  constructor(
    private readonly config: TwilioSenderConfig,
    private readonly timeoutMs = 10_000,
  ) {}

  async fetchWav(recordingUrl: string): Promise<Buffer> {
    const url = new URL(recordingUrl.replace(/\.(?:wav|mp3|json)$/, "") + ".wav");
    const allowed = new URL(this.config.apiBaseUrl ?? TWILIO_API);
    const prefix = `/2010-04-01/Accounts/${this.config.accountSid}/Recordings/`;
    if (url.origin !== allowed.origin || !url.pathname.startsWith(prefix)) {
      throw new Error(`refusing to fetch a recording outside this Twilio account: ${url.origin}`);
    }
    const auth = Buffer.from(`${this.config.accountSid}:${this.config.authToken}`).toString(
      "base64",
    );
    const response = await fetch(url, {
      headers: { Authorization: `Basic ${auth}` },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new Error(`recording fetch answered ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  }
}
