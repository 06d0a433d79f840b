import type { SmsFailedAttention } from "../domain/delivery/failure-visibility";

/** Items the dashboard lists for the owner to look at. */
export interface AttentionBoard {
  /** Stores the item under its message id: raising the same one twice keeps one. */
  raise(businessId: string, item: SmsFailedAttention): Promise<void>;
}
