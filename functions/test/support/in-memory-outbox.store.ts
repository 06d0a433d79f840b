import { isTerminal, mergeTwilioStatus } from "../../src/domain/delivery/delivery.state-machine";
import type { SmsFailedAttention } from "../../src/domain/delivery/failure-visibility";
import type { NewOutboxMessage, OutboxMessage } from "../../src/domain/delivery/outbox-message";
import type { Customer } from "../../src/domain/customers/customer";
import type { Degradation, DegradedAttention } from "../../src/domain/health/degradation";
import type {
  AttentionBoard,
  DegradationBoard,
  DegradationReporter,
} from "../../src/ports/attention.port";
import type { SmsConsentStore } from "../../src/ports/sms-consent.port";
import type { Clock } from "../../src/ports/clock.port";
import type { LogFields, Logger } from "../../src/ports/logger.port";
import type {
  AttemptClaim,
  BusinessSmsProfile,
  CarrierStatusApplied,
  CarrierStatusUpdate,
  DeliveryOutcome,
  OutboxDeliveryStore,
  OutboxMessageRef,
  SmsStatusStore,
} from "../../src/ports/outbox-delivery.port";
import type { OutboxQueue } from "../../src/ports/outbox.port";
import type { SmsTurn } from "../../src/domain/sms/sms-thread";
import type { RecipientInfo, RecipientStatus } from "../../src/ports/recipient-status.port";
import type { SmsHistory } from "../../src/ports/sms-conversation.port";
import {
  SmsSendError,
  type SentSmsQuery,
  type SmsAccepted,
  type SmsGateway,
  type SmsRequest,
} from "../../src/ports/sms-gateway.port";

const key = (ref: OutboxMessageRef) => `${ref.businessId}/${ref.messageId}`;

/** The outbox in memory, with the same once-only claim rule as the Firestore one. */
export class InMemoryOutboxStore implements OutboxQueue, OutboxDeliveryStore, SmsStatusStore {
  readonly messages = new Map<string, OutboxMessage>();
  readonly claims = new Map<string, AttemptClaim>();
  /** Each business's SMS profile (sending number, country, owner's mobile). */
  readonly profiles = new Map<string, BusinessSmsProfile>();
  readonly sidIndex = new Map<string, OutboxMessageRef>();

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

  async smsProfile(businessId: string): Promise<BusinessSmsProfile | undefined> {
    return this.profiles.get(businessId);
  }

  /** Messages queued for one business, oldest first. */
  queuedFor(businessId: string): OutboxMessage[] {
    return [...this.messages.values()].filter((m) => m.businessId === businessId);
  }

  async findBySid(sid: string): Promise<OutboxMessageRef | undefined> {
    return this.sidIndex.get(sid);
  }

  async applyCarrierStatus(
    ref: OutboxMessageRef,
    update: CarrierStatusUpdate,
  ): Promise<CarrierStatusApplied | undefined> {
    const message = this.messages.get(key(ref));
    if (!message) return undefined;
    const previous = message.twilioStatus;
    const current = mergeTwilioStatus(previous, update.status);
    const failed = update.failure && current === update.status ? update.failure : undefined;
    const next: OutboxMessage = {
      ...message,
      twilioStatus: current,
      twilioSid: message.twilioSid ?? update.sid,
      updatedAt: update.at,
      ...(failed && {
        lastError: failed.error,
        lastErrorCode: failed.code,
        ownerShouldKnow: failed.ownerShouldKnow,
      }),
    };
    this.messages.set(key(ref), next);
    if (!message.twilioSid) this.sidIndex.set(update.sid, ref);
    return { message: { ...next }, previous, current };
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
    if (outcome.status === "SUCCESS") this.sidIndex.set(outcome.twilioSid, ref);
    const message = this.messages.get(key(ref));
    if (!message || isTerminal(message.status) || message.attempts !== attempt) return "superseded";
    const { at, ...fields } = outcome;
    this.messages.set(key(ref), {
      ...message,
      ...fields,
      // Sticky, as in Firestore: once unknown, every later attempt reconciles.
      outcomeUnknown:
        message.outcomeUnknown ||
        ("outcomeUnknown" in fields && fields.outcomeUnknown) ||
        undefined,
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

type Step =
  | { kind: "fail"; error: SmsSendError | Error }
  /** The carrier takes the message but the answer is lost (timeout, reset). */
  | { kind: "accept-then-fail"; error: SmsSendError };

/**
 * An SMS gateway that accepts, or fails as scripted, and records each send.
 * `accepted` is what the carrier holds; findSent searches it like Twilio's list.
 */
export class ScriptedSmsGateway implements SmsGateway {
  readonly sent: SmsRequest[] = [];
  readonly accepted: Array<SmsAccepted & SmsRequest & { createdAt: Date }> = [];
  readonly lookups: SentSmsQuery[] = [];
  private readonly script: Step[] = [];
  private readonly lookupFailures: SmsSendError[] = [];
  private counter = 0;

  constructor(private readonly clock?: Clock) {}

  failNext(error: SmsSendError | Error): void {
    this.script.push({ kind: "fail", error });
  }

  /** The next send reaches the carrier, but the caller sees `error`. */
  acceptNextThenFail(error: SmsSendError): void {
    this.script.push({ kind: "accept-then-fail", error });
  }

  failNextLookup(error: SmsSendError): void {
    this.lookupFailures.push(error);
  }

  async send(req: SmsRequest): Promise<SmsAccepted> {
    this.sent.push(req);
    const step = this.script.shift();
    if (step?.kind === "fail") throw step.error;
    this.counter += 1;
    const accepted = { sid: `SM${String(this.counter).padStart(32, "0")}`, status: "queued" };
    this.accepted.push({ ...req, ...accepted, createdAt: this.clock?.now() ?? new Date() });
    if (step?.kind === "accept-then-fail") throw step.error;
    return accepted;
  }

  async findSent(query: SentSmsQuery): Promise<SmsAccepted | undefined> {
    this.lookups.push(query);
    const failure = this.lookupFailures.shift();
    if (failure) throw failure;
    const found = this.accepted.find(
      (m) =>
        m.to === query.to &&
        m.from === query.from &&
        m.body === query.body &&
        m.createdAt >= query.createdSince,
    );
    return found ? { sid: found.sid, status: found.status } : undefined;
  }
}

/** Customers' opt-out and names, in memory. */
export class InMemoryRecipients implements RecipientStatus {
  readonly customers = new Map<string, RecipientInfo>();

  set(businessId: string, e164: string, info: RecipientInfo): void {
    this.customers.set(`${businessId}/${e164}`, info);
  }

  async recipient(businessId: string, e164: string): Promise<RecipientInfo> {
    return this.customers.get(`${businessId}/${e164}`) ?? { optedOut: false };
  }
}

/** The dashboard's attention list, in memory; raising an item twice keeps the first. */
export class InMemoryAttentionBoard implements AttentionBoard {
  readonly items = new Map<string, SmsFailedAttention & { businessId: string }>();

  async raise(businessId: string, item: SmsFailedAttention): Promise<void> {
    const k = `${businessId}/${item.messageId}`;
    if (!this.items.has(k)) this.items.set(k, { ...item, businessId });
  }

  for(businessId: string): SmsFailedAttention[] {
    return [...this.items.values()]
      .filter((i) => i.businessId === businessId)
      .map(({ businessId: _, ...item }) => item);
  }
}

/** Customers' SMS conversations, in memory; can fail on demand. */
export class RecordingSmsHistory implements SmsHistory {
  readonly turns: Array<SmsTurn & { businessId: string; phone: string }> = [];
  failing = false;

  async append(businessId: string, phone: string, turn: SmsTurn): Promise<void> {
    if (this.failing) throw new Error("history unavailable");
    this.turns.push({ ...turn, businessId, phone });
  }
}

/** Opt-outs kept where delivery reads them (the customer's smsOptedOut), as in Firestore. */
export class InMemoryConsentOnRecipients implements SmsConsentStore {
  readonly changes: Array<{ businessId: string; phone: string; optedOut: boolean }> = [];
  constructor(private readonly recipients: InMemoryRecipients) {}

  async setSmsOptOut(
    businessId: string,
    phone: string,
    optedOut: boolean,
    at: Date,
  ): Promise<Customer> {
    const existing = await this.recipients.recipient(businessId, phone);
    this.recipients.set(businessId, phone, { ...existing, optedOut });
    this.changes.push({ businessId, phone, optedOut });
    return {
      id: phone,
      businessId,
      name: existing.name ?? "",
      phone,
      smsOptedOut: optedOut,
      createdAt: at,
      updatedAt: at,
    };
  }
}

/** The dashboard's degradation items in memory, keyed `{businessId}/{degradation}`. */
export class InMemoryDegradationBoard implements DegradationBoard {
  readonly items = new Map<string, DegradedAttention & { acknowledged: boolean }>();
  writes = 0;
  async degradation(businessId: string, degradation: Degradation) {
    const item = this.items.get(`${businessId}/${degradation}`);
    return item ? { window: item.window } : null;
  }
  async raiseDegradation(businessId: string, item: DegradedAttention) {
    this.writes += 1;
    this.items.set(`${businessId}/${item.degradation}`, { ...item, acknowledged: false });
  }
}

/** A degradation reporter that records each report. */
export class RecordingDegradationReporter implements DegradationReporter {
  readonly reports: Array<{ businessId: string; degradation: Degradation; detail?: string }> = [];
  async report(businessId: string, degradation: Degradation, detail?: string): Promise<void> {
    this.reports.push({ businessId, degradation, detail });
  }
}
