import type { NewOutboxMessage } from "../domain/delivery/outbox-message";

/** Queues outgoing SMS; a trigger delivers them. */
export interface OutboxQueue {
  /** Stores the message once: queueing an id that exists already is a no-op. */
  enqueue(message: NewOutboxMessage): Promise<"queued" | "already-queued">;
}
