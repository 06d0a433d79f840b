import type { Firestore } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import { lockGranulesFor } from "../../domain/scheduling/appointment";
import type { Slot } from "../../domain/scheduling/availability";
import type { SlotHold } from "../../domain/scheduling/hold";
import type { HoldStore } from "../../ports/hold-store.port";
import { isAlreadyExists, isFailedPrecondition, toDate } from "./converters";
import { paths } from "./paths";

type GranuleOutcome = "created" | "mine" | "taken-over" | "refused";

/**
 * Holds as one document per 15-minute granule of the held span,
 * `businesses/{id}/slotHolds/{granule}`, made with create(), so two callers
 * holding overlapping times collide on a document, as bookings do on their
 * locks. An expired hold is simply overwritten. `expiresAt` is also a good
 * field for a Firestore TTL policy, which deletes leftovers in production.
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

  async hold(
    businessId: string,
    holder: string,
    spans: readonly Slot[],
    now: Date,
    expiresAt: Date,
  ): Promise<{ held: Slot[]; refused: Slot[] }> {
    const held: Slot[] = [];
    const refused: Slot[] = [];
    for (const span of spans) {
      const granules = lockGranulesFor(span.start, span.end);
      const outcomes = await Promise.all(
        granules.map((g) => this.holdGranule(businessId, holder, g, span, now, expiresAt)),
      );
      if (!outcomes.includes("refused")) {
        held.push(span);
        continue;
      }
      refused.push(span);
      // Give back what this span took, so a half-held span blocks nobody.
      const taken = granules.filter(
        (_, i) => outcomes[i] === "created" || outcomes[i] === "taken-over",
      );
      await this.release(businessId, holder, taken);
    }
    return { held, refused };
  }

  async releaseAll(businessId: string, holder: string): Promise<void> {
    const snapshot = await this.db
      .collection(paths.slotHolds(businessId))
      .where("holder", "==", holder)
      .get();
    await this.release(
      businessId,
      holder,
      snapshot.docs.map((d) => d.id),
    );
  }

  private async holdGranule(
    businessId: string,
    holder: string,
    granule: string,
    span: Slot,
    now: Date,
    expiresAt: Date,
  ): Promise<GranuleOutcome> {
    const ref = this.db.doc(paths.slotHold(businessId, granule));
    const data = {
      holder,
      start: Timestamp.fromDate(span.start),
      end: Timestamp.fromDate(span.end),
      expiresAt: Timestamp.fromDate(expiresAt),
      createdAt: Timestamp.fromDate(now),
    };
    try {
      await ref.create(data);
      return "created";
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    const existing = await ref.get();
    if (!existing.exists) {
      // Released since our create(): create again, so that of several callers
      // arriving now exactly one gets it (a set() would let them all think so).
      return ref.create(data).then(
        () => "created" as const,
        (error: unknown) => {
          if (isAlreadyExists(error)) return "refused" as const;
          throw error;
        },
      );
    }
    const mine = existing.get("holder") === holder;
    const expired = toDate(existing.get("expiresAt")).getTime() <= now.getTime();
    if (!mine && !expired) return "refused";
    // Our own (refreshed) or a dead one, only as we read it: of two callers taking
    // over one dead hold, the second fails the precondition and is refused.
    try {
      await ref.update(data, { lastUpdateTime: existing.updateTime });
    } catch (error) {
      if (isFailedPrecondition(error)) return "refused";
      throw error;
    }
    return mine ? "mine" : "taken-over";
  }

  /** Deletes these granules' holds where this holder still has them. */
  private async release(businessId: string, holder: string, granules: readonly string[]) {
    await Promise.all(
      granules.map(async (granule) => {
        const ref = this.db.doc(paths.slotHold(businessId, granule));
        const doc = await ref.get();
        if (doc.get("holder") === holder) await ref.delete();
      }),
    );
  }
}
