/**
 * What Cloud Run does in front of one instance: at most `limit` requests run
 * at once; the rest wait in arrival order until one finishes.
 */
export interface GateStats {
  readonly limit: number;
  /** Requests admitted so far. */
  readonly admitted: number;
  /** The most requests ever waiting at once. */
  readonly maxQueued: number;
  /** Requests that had to wait at all. */
  readonly queuedRequests: number;
  /** The most requests ever running at once (never above the limit). */
  readonly maxInFlight: number;
}

export class ConcurrencyGate {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private admitted = 0;
  private maxQueued = 0;
  private queuedRequests = 0;
  private maxInFlight = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`concurrency must be a whole number of at least 1, not ${limit}`);
    }
  }

  /** Runs `work` once a place is free; the place is given back however it ends. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.enter();
    try {
      return await work();
    } finally {
      this.leave();
    }
  }

  stats(): GateStats {
    return {
      limit: this.limit,
      admitted: this.admitted,
      maxQueued: this.maxQueued,
      queuedRequests: this.queuedRequests,
      maxInFlight: this.maxInFlight,
    };
  }

  private enter(): Promise<void> {
    if (this.inFlight < this.limit) {
      this.admit();
      return Promise.resolve();
    }
    this.queuedRequests += 1;
    return new Promise((resolve) => {
      this.waiting.push(() => {
        this.admit();
        resolve();
      });
      this.maxQueued = Math.max(this.maxQueued, this.waiting.length);
    });
  }

  private admit(): void {
    this.inFlight += 1;
    this.admitted += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
  }

  private leave(): void {
    this.inFlight -= 1;
    this.waiting.shift()?.();
  }
}
