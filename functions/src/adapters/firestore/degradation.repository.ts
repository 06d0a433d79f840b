import { type Firestore, Timestamp } from "firebase-admin/firestore";
import {
  attentionId,
  type Degradation,
  type DegradedAttention,
} from "../../domain/health/degradation";
import type { DegradationBoard } from "../../ports/attention.port";
import { paths } from "./paths";

/**
 * Degradations as attention items, `businesses/{id}/attention/degraded-{kind}`,
 * beside the failed-text items the dashboard's "Needs you" already reads.
 */
export class FirestoreDegradationBoard implements DegradationBoard {
  constructor(private readonly db: Firestore) {}

  async degradation(
    businessId: string,
    degradation: Degradation,
  ): Promise<{ window?: string } | null> {
    const doc = await this.db.doc(paths.attentionItem(businessId, attentionId(degradation))).get();
    if (!doc.exists) return null;
    const window = doc.get("window") as unknown;
    return typeof window === "string" ? { window } : {};
  }

  async raiseDegradation(businessId: string, item: DegradedAttention): Promise<void> {
    await this.db.doc(paths.attentionItem(businessId, attentionId(item.degradation))).set({
      ...item,
      at: Timestamp.fromDate(item.at),
      // A new alert window asks the owner to look again.
      acknowledgedAt: null,
      acknowledgedBy: null,
    });
  }
}
