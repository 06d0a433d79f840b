import { type Firestore, Timestamp } from "firebase-admin/firestore";
import { readDialogueState } from "../../domain/dialogue/dialogue-state";
import type {
  MessageCaller,
  RecordedMessage,
  RecordedMessageStore,
} from "../../ports/recorded-message.port";
import { turnFields } from "./call-writer";
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
 * In the same transaction the call's conversation is marked
 * (`recordedMessages.{RecordingSid}`), so its summary is written again with the words.
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
        text: turnText(message.transcript),
        ...(message.confidence === null ? {} : { confidence: message.confidence }),
      },
      days,
    );
    const turnRef = this.db.doc(paths.callTurn(message.businessId, message.callSid, key));
    const callRef = this.db.doc(paths.conversation(message.businessId, message.callSid));
    return this.db.runTransaction(async (tx) => {
      const [turn, call] = await Promise.all([tx.get(turnRef), tx.get(callRef)]);
      if (turn.exists) return "exists";
      tx.create(turnRef, {
        ...fields,
        recording: {
          sid: message.recordingSid,
          url: message.recordingUrl,
          durationSeconds: message.durationSeconds,
          transcribed: message.transcript !== null,
          // The words as heard; the turn's text says what to show when there are none.
          ...(message.transcript !== null ? { transcript: message.transcript } : {}),
          ...(message.transcriptionError ? { error: message.transcriptionError } : {}),
          ...(message.attempts !== undefined ? { attempts: message.attempts } : {}),
        },
      });
      // The audio at Twilio is queued for deletion with its message: never one without the other.
      if (message.deleteRecordingAt) {
        tx.set(this.db.doc(paths.recordingDeletion(message.businessId, message.recordingSid)), {
          callSid: message.callSid,
          recordingSid: message.recordingSid,
          deleteAt: Timestamp.fromDate(message.deleteRecordingAt),
        });
      }
      // The mark the summary trigger writes the call's summary again on, with the words.
      if (call.exists) {
        tx.update(callRef, {
          [`recordedMessages.${message.recordingSid}`]: {
            transcribed: message.transcript !== null,
            at: Timestamp.fromDate(message.at),
          },
        });
      }
      return "saved";
    });
  }

  async find(
    businessId: string,
    callSid: string,
    recordingSid: string,
  ): Promise<RecordedMessage | null> {
    const key = recordingTurnKey(recordingSid);
    const doc = await this.db.doc(paths.callTurn(businessId, callSid, key)).get();
    const recording: unknown = doc.get("recording");
    if (!doc.exists || !recording || typeof recording !== "object") return null;
    const r = recording as Record<string, unknown>;
    const transcribed = r.transcribed === true;
    const at: unknown = doc.get("at");
    const confidence: unknown = doc.get("confidence");
    return {
      businessId,
      callSid,
      recordingSid,
      recordingUrl: typeof r.url === "string" ? r.url : "",
      durationSeconds: typeof r.durationSeconds === "number" ? r.durationSeconds : 0,
      transcript: transcribed ? (typeof r.transcript === "string" ? r.transcript : "") : null,
      confidence: typeof confidence === "number" ? confidence : null,
      ...(typeof r.error === "string" ? { transcriptionError: r.error } : {}),
      ...(typeof r.attempts === "number" ? { attempts: r.attempts } : {}),
      at: at instanceof Timestamp ? at.toDate() : new Date(0),
    };
  }

  async callerOf(businessId: string, callSid: string): Promise<MessageCaller | null> {
    const doc = await this.db.doc(paths.conversation(businessId, callSid)).get();
    if (!doc.exists) return null;
    const phone: unknown = doc.get("callerPhone");
    const customerName: unknown = doc.get("customer.name");
    const stored = readDialogueState(doc.get("state"));
    const state = stored.ok ? stored.state : null;
    const name =
      typeof customerName === "string" && customerName ? customerName : state?.draft.name;
    const reason = state?.messageReason;
    return {
      phone: typeof phone === "string" && phone.length > 0 ? phone : null,
      ...(name ? { name } : {}),
      ...(reason ? { reason } : {}),
    };
  }
}

/** What the transcript shows for a message: its words, or why there are none. */
function turnText(transcript: string | null): string {
  if (transcript === null) return "(a recorded message that could not be transcribed)";
  return transcript.trim() || "(a recorded message with no words that could be made out)";
}
