import type { Twilio } from "twilio";
import type { RecordingRemover } from "../../ports/recording-deletion.port";
import { createTwilioClient, type TwilioSenderConfig } from "./twilio-sms.sender";

export interface RemoverOptions {
  /** Tries in all when Twilio answers 5xx or not at all; default 3. */
  attempts?: number;
  /** Pause before the second try, doubled before the third; default 1 s. */
  retryDelayMs?: number;
}

/** Whether a failure may pass: Twilio's 5xx, or no answer at all (no status). */
function mayPass(status: number | undefined): boolean {
  return status === undefined || status >= 500;
}

/**
 * Deletes a recording with the official client (Recordings resource,
 * DELETE /2010-04-01/Accounts/{AccountSid}/Recordings/{Sid}.json, 204).
 * Twilio's 404 means it is already gone; 5xx and no answer are tried again
 * after a pause; any other answer (401, 403...) is an error at once.
 */
export class TwilioRecordingRemover implements RecordingRemover {
  private client: Twilio | undefined;

  constructor(
    private readonly config: TwilioSenderConfig,
    private readonly options: RemoverOptions = {},
  ) {}

  async remove(recordingSid: string): Promise<"deleted" | "gone"> {
    if (!/^RE[0-9a-fA-F]{32}$/.test(recordingSid)) {
      throw new Error(`not a recording SID: ${recordingSid.slice(0, 40)}`);
    }
    this.client ??= await createTwilioClient(this.config);
    const attempts = Math.max(1, this.options.attempts ?? 3);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.recordings(recordingSid).remove();
        return "deleted";
      } catch (error) {
        const status = statusOf(error);
        if (status === 404) return "gone";
        if (!mayPass(status) || attempt >= attempts) {
          const detail = error instanceof Error ? error.message : String(error);
          throw new Error(
            `Twilio ${status ?? "unreachable"} deleting ${recordingSid} (try ${attempt}): ${detail}`,
          );
        }
        await sleep((this.options.retryDelayMs ?? 1_000) * 2 ** (attempt - 1));
      }
    }
  }
}

function statusOf(error: unknown): number | undefined {
  const status =
    typeof error === "object" && error !== null
      ? (error as { status?: unknown }).status
      : undefined;
  return typeof status === "number" ? status : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
