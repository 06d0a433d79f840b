import type { SlotHold } from "../domain/scheduling/hold";

/**
 * Holds on offered times (see domain/scheduling/hold.ts). A caller's holds
 * are written with the turn that offers them (CallWrites.holds). Reading is
 * best effort from the call's point of view: a failure means offering
 * without holds, never a failed call.
 */
export interface HoldStore {
  /** Holds not yet expired at `now` (anyone's), overlapping [from, to). */
  listActive(businessId: string, from: Date, to: Date, now: Date): Promise<SlotHold[]>;
}
