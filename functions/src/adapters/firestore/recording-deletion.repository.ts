import type { Firestore } from "firebase-admin/firestore";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import type {
  RecordingDeletion,
  RecordingDeletionQueue,
} from "../../ports/recording-deletion.port";
import { paths } from "./paths";
import { recordingTurnKey } from "./recorded-message.repository";

/**
 * Recordings still kept at Twilio: one document each,
 * businesses/{b}/recordingDeletions/{RecordingSid} {callSid, recordingSid,
 * deleteAt}, written with the message (recorded-message.repository.ts) and
 * carrying no TTL, so it outlives the message's turn until the audio is gone.
 */
export class FirestoreRecordingDeletionQueue implements RecordingDeletionQueue {
  constructor(private readonly db: Firestore) {}

  /** One collection-group query on deleteAt (its index is in firestore.indexes.json). */
  async dueRecordings(now: Date, limit: number): Promise<RecordingDeletion[]> {
    const snapshot = await this.db
      .collectionGroup("recordingDeletions")
      .where("deleteAt", "<=", Timestamp.fromDate(now))
      .orderBy("deleteAt")
      .limit(limit)
      .get();
    return snapshot.docs.flatMap((doc) => {
      const businessId = doc.ref.parent.parent?.id;
      const callSid: unknown = doc.get("callSid");
      const deleteAt: unknown = doc.get("deleteAt");
      if (!businessId || typeof callSid !== "string" || !(deleteAt instanceof Timestamp)) return [];
      return [{ businessId, callSid, recordingSid: doc.id, deleteAt: deleteAt.toDate() }];
    });
  }

  async recordingDeleted(deletion: Omit<RecordingDeletion, "deleteAt">, at: Date): Promise<void> {
    const { businessId, callSid, recordingSid } = deletion;
    const queued = this.db.doc(paths.recordingDeletion(businessId, recordingSid));
    const turn = this.db.doc(paths.callTurn(businessId, callSid, recordingTurnKey(recordingSid)));
    await this.db.runTransaction(async (tx) => {
      const message = await tx.get(turn);
      // The turn says its audio is gone, so nobody follows a dead link; a turn expired stays gone.
      if (message.exists) tx.update(turn, { "recording.deletedAt": Timestamp.fromDate(at) });
      tx.delete(queued);
    });
  }

  async recordingDeletionFailed(
    deletion: Omit<RecordingDeletion, "deleteAt">,
    error: string,
  ): Promise<void> {
    const queued = this.db.doc(paths.recordingDeletion(deletion.businessId, deletion.recordingSid));
    await queued.update({ attempts: FieldValue.increment(1), lastError: error });
  }
}
