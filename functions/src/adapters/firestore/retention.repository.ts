import type { DocumentReference, Firestore, Query } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import type { RetentionStore } from "../../ports/retention.port";
import { paths } from "./paths";

const PAGE = 400;

/** Deletes, in batches, up to `limit` of the documents the query finds. */
async function deleteAll(db: Firestore, query: Query, limit: number): Promise<number> {
  let deleted = 0;
  while (deleted < limit) {
    const page = await query.limit(Math.min(PAGE, limit - deleted)).get();
    if (page.empty) break;
    await deleteRefs(
      db,
      page.docs.map((d) => d.ref),
    );
    deleted += page.size;
    if (page.size < PAGE) break;
  }
  return deleted;
}

async function deleteRefs(db: Firestore, refs: DocumentReference[]): Promise<void> {
  for (let i = 0; i < refs.length; i += PAGE) {
    const batch = db.batch();
    for (const ref of refs.slice(i, i + PAGE)) batch.delete(ref);
    await batch.commit();
  }
}

export class FirestoreRetentionStore implements RetentionStore {
  constructor(private readonly db: Firestore) {}

  async deleteExpired(now: Date, limit: number): Promise<number> {
    // Turns: the transcript of calls and texts, and callers' recorded messages (docs/privacy.md).
    const query = this.db
      .collectionGroup("turns")
      .where("expireAt", "<=", Timestamp.fromDate(now))
      .orderBy("expireAt");
    return deleteAll(this.db, query, limit);
  }

  async businessIds(): Promise<string[]> {
    const refs = await this.db.collection("businesses").listDocuments();
    return refs.map((r) => r.id);
  }

  async deleteAged(businessId: string, from: Date, before: Date, limit: number): Promise<number> {
    const cutoff = Timestamp.fromDate(before);
    const conversations = await this.db
      .collection(`${paths.business(businessId)}/conversations`)
      .where("updatedAt", ">=", Timestamp.fromDate(from))
      .where("updatedAt", "<", cutoff)
      .select()
      .get();
    let deleted = 0;
    for (const conversation of conversations.docs) {
      if (deleted >= limit) return deleted;
      const turns = conversation.ref.collection("turns").where("at", "<", cutoff);
      deleted += await deleteAll(this.db, turns, limit - deleted);
    }
    const texts = this.db
      .collection(`${paths.business(businessId)}/inboundSms`)
      .where("receivedAt", "<", cutoff);
    deleted += await deleteAll(this.db, texts, limit - deleted);
    return deleted;
  }
}
