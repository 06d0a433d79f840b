import { defaultRetentionPolicy } from "../../domain/privacy/retention";
import type { BusinessDirectory } from "../../ports/business-directory.port";
import type { TranscriptRetention } from "../../ports/retention.port";

/**
 * The business's transcript retention, read through the business directory
 * (whose cache the webhook has just filled, so this costs no round trip).
 * A business that cannot be read keeps the default: a transcript is always
 * written with an expiry, and a failed lookup never fails a call.
 */
export class BusinessTranscriptRetention implements TranscriptRetention {
  constructor(private readonly businesses: BusinessDirectory) {}

  async transcriptDays(businessId: string): Promise<number> {
    const business = await this.businesses.getById(businessId).catch(() => null);
    return business?.retention?.transcriptDays ?? defaultRetentionPolicy.transcriptDays;
  }

  async recordingDays(businessId: string): Promise<number> {
    const business = await this.businesses.getById(businessId).catch(() => null);
    return business?.retention?.recordingDays ?? defaultRetentionPolicy.recordingDays;
  }
}
