import type { Firestore } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import type { SlotHold } from "../../domain/scheduling/hold";
import type { HoldStore } from "../../ports/hold-store.port";
import { toDate } from "./converters";
import { paths } from "./paths";

/**
 * Holds as one document per 15-minute granule of the held span,
 * `businesses/{id}/slotHolds/{granule}`, so two callers holding overlapping
 * times collide on a document, as bookings do on their locks. They are
 * written with the turn that offers them (call-writer.ts: create(), and
 * only on a collision a transaction that takes over our own or an expired
 * hold). `expiresAt` is also the field for a Firestore TTL policy, which
 * deletes leftovers in production.
 */
export class FirestoreHoldRepository implements HoldStore {
  constructor(private readonly db: Firestore) {}

  async listActive(businessId: string, from: Date, to: Date, now: Date): Promise<SlotHold[]> {
    // Single-field range: live holds are few, whatever the size of the diary.
    const snapshot = await this.db
      .collection(paths.slotHolds(businessId))
      .where("expiresAt", ">", Timestamp.fromDate(now))
      .get();
    const byHold = new Map<string, SlotHold>();
    for (const doc of snapshot.docs) {
      const hold: SlotHold = {
        holder: String(doc.get("holder") ?? ""),
        start: toDate(doc.get("start")),
        end: toDate(doc.get("end")),
        expiresAt: toDate(doc.get("expiresAt")),
      };
      if (hold.start.getTime() >= to.getTime() || hold.end.getTime() <= from.getTime()) continue;
      byHold.set(`${hold.holder}/${hold.start.getTime()}/${hold.end.getTime()}`, hold);
    }
    return [...byHold.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
  }
}
