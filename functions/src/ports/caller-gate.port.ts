import type { RateWindow, ScreeningEntry } from "../domain/abuse/abuse-policy";

/** What one arrival found: the count in its window (itself included) and the number's standing. */
export interface Arrival {
  count: number;
  entry: ScreeningEntry | null;
  /** On the operator's list of known spam numbers (top-level spamNumbers/{e164}). */
  knownSpam: boolean;
}

/**
 * Rate counters and the screening list. Counters are fixed windows, one
 * document per key and window, incremented in a transaction, carrying a TTL
 * field so Firestore deletes them after the window.
 */
export interface CallerCounters {
  /** Counts one new call or text from `number`, and reads its screening entry and the spam list. */
  arrive(input: {
    businessId: string;
    number: string;
    kind: "call" | "text";
    window: RateWindow;
    now: Date;
  }): Promise<Arrival>;
  /**
   * Counts one short call from `number`; once the count reaches `window.limit`
   * within one window, screens the number (reason "short-calls") unless it is
   * on the list already (screened, or allowed by the owner). Returns the new
   * entry when this call screened it.
   */
  recordShortCall(input: {
    businessId: string;
    number: string;
    window: RateWindow;
    now: Date;
  }): Promise<ScreeningEntry | null>;
  /** Adds one to the entry's count of calls and texts turned away. */
  noteTurnedAway(businessId: string, number: string): Promise<void>;
}

/** Requests from one IP address to a public endpoint that belongs to no one business. */
export interface IpCounter {
  arrive(input: { endpoint: string; ip: string; window: RateWindow; now: Date }): Promise<number>;
}
