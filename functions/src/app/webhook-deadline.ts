import type { CallDeps } from "./call-context";

/** Thrown where a webhook would have written after its deadline passed. */
export class DeadlinePassed extends Error {
  constructor() {
    super("the webhook's deadline passed before it wrote anything");
  }
}

/**
 * Keeps a late webhook from writing once its fallback answer is on its way:
 * Cloud Run throttles CPU after the response, so work left running then may
 * stall half done. Before the deadline, writes go ahead as usual. After it, a
 * write not yet started is refused (DeadlinePassed), so what is left is reads
 * whose results nobody uses; a write already started is waited for by the
 * handler (`inFlight`), so the caller hears its real answer if it lands.
 * Every write a call makes is one atomic commit, so even an abandoned one is
 * applied whole or not at all.
 */
export class WebhookDeadline {
  private passed = false;
  private readonly writing = new Set<Promise<unknown>>();

  /** The deadline has passed: no new writes. */
  expire(): void {
    this.passed = true;
  }

  /** Whether a write started before the deadline is still on its way. */
  get inFlight(): boolean {
    return this.writing.size > 0;
  }

  /** Runs a write, unless the deadline has passed. */
  write<T>(run: () => Promise<T>): Promise<T> {
    if (this.passed) return Promise.reject(new DeadlinePassed());
    const writing = run();
    this.writing.add(writing);
    const done = () => this.writing.delete(writing);
    writing.then(done, done);
    return writing;
  }

  /** The call's ports, with every write going through this deadline. */
  guard(deps: CallDeps): CallDeps {
    const writer = deps.writer;
    const conversations = deps.conversations;
    const appointments = deps.appointments;
    return {
      ...deps,
      writer: { commit: (writes) => this.write(() => writer.commit(writes)) },
      conversations: {
        get: (b, c) => conversations.get(b, c),
        listTurns: (b, c) => conversations.listTurns(b, c),
        create: (conversation, turns) =>
          this.write(() => conversations.create(conversation, turns)),
        markAccepted: (b, c, leg) => this.write(() => conversations.markAccepted(b, c, leg)),
      },
      appointments: {
        listBooked: (b, from, to) => appointments.listBooked(b, from, to),
        get: (b, id) => appointments.get(b, id),
        listUpcomingForCustomer: (b, c, from) => appointments.listUpcomingForCustomer(b, c, from),
        book: (a) => this.write(() => appointments.book(a)),
        cancel: (b, id, reason, at) => this.write(() => appointments.cancel(b, id, reason, at)),
        reschedule: (b, id, start, end, at, reason) =>
          this.write(() => appointments.reschedule(b, id, start, end, at, reason)),
        annotate: (b, id, fields) => this.write(() => appointments.annotate(b, id, fields)),
      },
    };
  }
}

/** The work's result, or "timeout" once `ms` have passed; the work itself carries on. */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
