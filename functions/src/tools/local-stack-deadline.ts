import { withDeadline } from "../app/webhook-deadline";

/** How long a one-off tool waits for the local stack's Firestore before saying it is not running. */
export const LOCAL_STACK_DEADLINE_MS = 20_000;

/**
 * Runs `work` against the local stack, or returns "timeout" after the deadline: a tool
 * started without `npm start` then says so instead of hanging.
 */
export function withinLocalStackDeadline<T>(
  work: Promise<T>,
  ms: number = LOCAL_STACK_DEADLINE_MS,
): Promise<T | "timeout"> {
  return withDeadline(work, ms);
}
