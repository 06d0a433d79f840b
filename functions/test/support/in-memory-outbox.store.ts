import { isTerminal } from "../../src/domain/delivery/delivery.state-machine";
import type { NewOutboxMessage, OutboxMessage } from "../../src/domain/delivery/outbox-message";
import type { Clock } from "../../src/ports/clock.port";
import type { LogFields, Logger } from "../../src/ports/logger.port";
import type {
  AttemptClaim,
  DeliveryOutcome,
  OutboxDeliveryStore,
  OutboxMessageRef,
} from "../../src/ports/outbox-delivery.port";
import type { OutboxQueue } from "../../src/ports/outbox.port";
import {
  SmsSendError,
  type SmsAccepted,
  type SmsGateway,
  type SmsRequest,
} from "../../src/ports/sms-gateway.port";

const key = (ref: OutboxMessageRef) => `${ref.businessId}/${ref.messageId}`;

/** The outbox in memory, with the same once-only claim rule as the Firestore one. */
export class InMemoryOutboxStore implements OutboxQueue, OutboxDeliveryStore {
  readonly messages = new Map<string, OutboxMessage>();
  readonly claims = new Map<string, AttemptClaim>();
  readonly senders = new Map<string, string>();

  constructor(private readonly clock: Clock) {}

  async enqueue(message: NewOutboxMessage): Promise<"queued" | "already-queued"> {
    const k = key({ businessId: message.businessId, messageId: message.id });
    if (this.messages.has(k)) return "already-queued";
    const now = this.clock.now();
    this.messages.set(k, {
      ...message,
      status: "PENDING",
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    });
    return "queued";
  }

  get(ref: OutboxMessageRef): OutboxMessage {
    const message = this.messages.get(key(ref));
    if (!message) throw new Error(`no message ${key(ref)}`);
    return message;
  }

  async load(ref: OutboxMessageRef): Promise<OutboxMessage | undefined> {
    const message = this.messages.get(key(ref));
    return message ? { ...message } : undefined;
  }

  async senderNumber(businessId: string): Promise<string | undefined> {
    return this.senders.get(businessId);
  }

  async claimAttempt(
    ref: OutboxMessageRef,
    claim: AttemptClaim,
  ): Promise<"claimed" | "already-claimed"> {
    const claimKey = `${key(ref)}#${claim.attempt}`;
    if (this.claims.has(claimKey)) return "already-claimed";
    this.claims.set(claimKey, claim);
    const message = this.get(ref);
    this.messages.set(key(ref), {
      ...message,
      status: "PROCESSING",
      attempts: claim.attempt,
      leaseExpiresAt: claim.leaseExpiresAt,
      updatedAt: claim.claimedAt,
    });
    return "claimed";
  }

  async recordOutcome(
    ref: OutboxMessageRef,
    attempt: number,
    outcome: DeliveryOutcome,
  ): Promise<"recorded" | "superseded"> {
    const message = this.messages.get(key(ref));
    if (!message || isTerminal(message.status) || message.attempts !== attempt) return "superseded";
    const { at, ...fields } = outcome;
    this.messages.set(key(ref), {
      ...message,
      ...fields,
      updatedAt: at,
      leaseExpiresAt: undefined,
      nextAttemptAt: outcome.status === "RETRY" ? outcome.nextAttemptAt : undefined,
    });
    return "recorded";
  }
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Remembers every log line, so tests can check what was (and was not) logged. */
export class RecordingLogger implements Logger {
  readonly lines: Array<{ level: string; event: string; fields: LogFields }> = [];
  info(event: string, fields: LogFields = {}): void {
    this.lines.push({ level: "info", event, fields });
  }
  warn(event: string, fields: LogFields = {}): void {
    this.lines.push({ level: "warn", event, fields });
  }
  error(event: string, fields: LogFields = {}): void {
    this.lines.push({ level: "error", event, fields });
  }
}

/** An SMS gateway that accepts, or fails as scripted, and records each send. */
export class ScriptedSmsGateway implements SmsGateway {
  readonly sent: SmsRequest[] = [];
  private readonly script: Array<SmsSendError | Error> = [];
  private counter = 0;

  failNext(error: SmsSendError | Error): void {
    this.script.push(error);
  }

  async send(req: SmsRequest): Promise<SmsAccepted> {
    this.sent.push(req);
    const failure = this.script.shift();
    if (failure) throw failure;
    this.counter += 1;
    return { sid: `SM${String(this.counter).padStart(32, "0")}`, status: "queued" };
  }
}
