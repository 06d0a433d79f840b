import type { Service } from "../business/business";
import type { Slot } from "./availability";

/**
 * An offered time kept for one caller for a few minutes, so a caller
 * ringing at the same moment is offered something else. Advisory only: a
 * booking is decided by the slot locks, so a hold that expired or was
 * lost can never block or double-book.
 */
export interface SlotHold {
  start: Date;
  end: Date;
  /** Who it is held for: the CallSid. */
  holder: string;
  expiresAt: Date;
}

/** What an offer holds: the job and the clean-up after it, as availability counts them. */
export function holdSpan(slot: Slot, service: Service): Slot {
  return {
    start: slot.start,
    end: new Date(slot.end.getTime() + (service.bufferMinutes ?? 0) * 60_000),
  };
}

/** Others' holds that still count at `now`: unexpired and not the caller's own. */
export function activeHoldsOfOthers(
  holds: readonly SlotHold[],
  holder: string,
  now: Date,
): SlotHold[] {
  return holds.filter((h) => h.holder !== holder && h.expiresAt.getTime() > now.getTime());
}
