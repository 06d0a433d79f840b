import type { SmsFailedAttention } from "../domain/delivery/failure-visibility";
import type { Degradation, DegradedAttention } from "../domain/health/degradation";

/** Items the dashboard lists for the owner to look at. */
export interface AttentionBoard {
  /** Stores the item under its message id: raising the same one twice keeps one. */
  raise(businessId: string, item: SmsFailedAttention): Promise<void>;
}

/** The receptionist's own degradations, one item each on the dashboard (domain/health). */
export interface DegradationBoard {
  /** The degradation's item, if raised before: the alert window it was last announced in. */
  degradation(businessId: string, degradation: Degradation): Promise<{ window?: string } | null>;
  /** Raises (or re-raises, un-acknowledged) the degradation's one item. */
  raiseDegradation(businessId: string, item: DegradedAttention): Promise<void>;
}

/** Tells the owner the receptionist is degraded; deduplicated per alert window. */
export interface DegradationReporter {
  report(businessId: string, degradation: Degradation, detail?: string): Promise<void>;
}
