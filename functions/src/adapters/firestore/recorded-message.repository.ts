import type { Firestore } from "firebase-admin/firestore";
import type { RecordedMessage, RecordedMessageStore } from "../../ports/recorded-message.port";
import { turnFields } from "./call-writer";
import { isAlreadyExists } from "./converters";
import { paths } from "./paths";
import type { TranscriptRetention } from "../../ports/retention.port";

/** Key of a recorded message's turn: after every numbered turn of the call ("0003-1" < "r..."). */
export function recordingTurnKey(recordingSid: string): string {
  return `recording-${recordingSid}`;
}

/**
 * A message a caller left is one more turn of the call's transcript (speaker
 * "caller"), created once under a key made from the recording, so a retried
 * callback finds it there and the summary and the dashboard read it with the rest.
 */
export class FirestoreRecordedMessageRepository implements RecordedMessageStore {
  constructor(
    private readonly db: Firestore,
    /** Stamps the message with its TTL field `expireAt` after the business's recordingDays. */
    private readonly retention?: TranscriptRetention,
  ) {}

  async save(message: RecordedMessage): Promise<"saved" | "exists"> {
    const key = recordingTurnKey(message.recordingSid);
    const days = this.retention
      ? await this.retention.recordingDays(message.businessId)
      : undefined;
    const fields = turnFields(
      {
        key,
        at: message.at,
        speaker: "caller",
        text: message.transcript ?? "(a recorded message that could not be transcribed)",
        ...(message.confidence === null ? {} : { confidence: message.confidence }),
      },
      days,
    );
    try {
      await this.db.doc(paths.callTurn(message.businessId, message.callSid, key)).create({
        ...fields,
        recording: {
          sid: message.recordingSid,
          url: message.recordingUrl,
          durationSeconds: message.durationSeconds,
          transcribed: message.transcript !== null,
          ...(message.transcriptionError ? { error: message.transcriptionError } : {}),
        },
      });
      return "saved";
    } catch (error) {
      if (isAlreadyExists(error)) return "exists";
      throw error;
    }
  }

  async callerOf(businessId: string, callSid: string): Promise<string | null> {
    const doc = await this.db.doc(paths.conversation(businessId, callSid)).get();
    const phone: unknown = doc.get("callerPhone");
    return typeof phone === "string" && phone.length > 0 ? phone : null;
  }
}
