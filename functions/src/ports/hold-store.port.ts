import type { Slot } from "../domain/scheduling/availability";
import type { SlotHold } from "../domain/scheduling/hold";

/**
 * Holds on offered times (see domain/scheduling/hold.ts). Every method is
 * best effort from the call's point of view: a failure means offering
 * without holds, never a failed call.
 */
export interface HoldStore {
  /** Holds not yet expired at `now` (anyone's), overlapping [from, to). */
  listActive(businessId: string, from: Date, to: Date, now: Date): Promise<SlotHold[]>;
  /**
   * Holds each span for `holder` until `expiresAt`. A span that overlaps
   * someone else's unexpired hold is not held, and is returned in `refused`.
   */
  hold(
    businessId: string,
    holder: string,
    spans: readonly Slot[],
    now: Date,
    expiresAt: Date,
  ): Promise<{ held: Slot[]; refused: Slot[] }>;
  /** Drops every hold of this holder. */
  releaseAll(businessId: string, holder: string): Promise<void>;
}
