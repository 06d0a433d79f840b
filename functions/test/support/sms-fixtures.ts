import type { InboundSmsDeps } from "../../src/app/handle-inbound-sms";
import type { Customer } from "../../src/domain/customers/customer";
import type { SmsPending, SmsThread, SmsTurn } from "../../src/domain/sms/sms-thread";
import type { SmsEpisodeStep } from "../../src/domain/summaries/sms-episode";
import type {
  InboundAnswer,
  InboundClaim,
  InboundProgress,
  InboundSms,
  InboundSmsLog,
} from "../../src/ports/inbound-sms.port";
import type { SmsConsentStore } from "../../src/ports/sms-consent.port";
import type { SmsConversations } from "../../src/ports/sms-conversation.port";
import { aCallWorld, CallWorld, InMemoryCallWriter, InMemoryCustomerStore } from "./call-fixtures";

/** SMS conversations in memory: turns in order, and the pending continuation. */
export class InMemorySmsConversations implements SmsConversations {
  readonly turns = new Map<string, SmsTurn[]>();
  readonly pending = new Map<string, SmsPending | null>();
  /** Each thread's episode steps by key, for its summary. */
  readonly steps = new Map<string, Record<string, SmsEpisodeStep>>();

  async append(businessId: string, phone: string, turn: SmsTurn): Promise<void> {
    const key = `${businessId}/${phone}`;
    this.turns.set(key, [...(this.turns.get(key) ?? []), structuredClone(turn)]);
  }

  async getThread(businessId: string, phone: string): Promise<SmsThread | null> {
    const key = `${businessId}/${phone}`;
    if (!this.turns.has(key) && !this.pending.has(key)) return null;
    return { businessId, phone, pending: structuredClone(this.pending.get(key) ?? null) };
  }

  async setPending(
    businessId: string,
    phone: string,
    pending: SmsPending | null,
    _at: Date,
  ): Promise<void> {
    this.pending.set(`${businessId}/${phone}`, structuredClone(pending));
  }

  async recordStep(
    businessId: string,
    phone: string,
    key: string,
    step: SmsEpisodeStep,
  ): Promise<void> {
    const thread = `${businessId}/${phone}`;
    this.steps.set(thread, { ...this.steps.get(thread), [key]: structuredClone(step) });
  }

  history(businessId: string, phone: string): SmsTurn[] {
    return this.turns.get(`${businessId}/${phone}`) ?? [];
  }
}

/** The once-only claim of the Firestore log: a MessageSid or token seen before is a duplicate. */
export class InMemoryInboundSmsLog implements InboundSmsLog {
  readonly messages = new Map<
    string,
    InboundSms & { answer?: InboundAnswer; joinedUntil?: Date }
  >();
  readonly tokens = new Map<string, string>();

  async claim(message: InboundSms): Promise<InboundClaim> {
    const tokenKey = message.idempotencyToken
      ? `${message.businessId}/${message.idempotencyToken}`
      : undefined;
    if (tokenKey && this.tokens.has(tokenKey)) {
      const sid = this.tokens.get(tokenKey) ?? "";
      return {
        status: "duplicate",
        answer: this.answerOf(message.businessId, sid),
        messageSid: sid,
      };
    }
    if (tokenKey) this.tokens.set(tokenKey, message.messageSid);
    const key = `${message.businessId}/${message.messageSid}`;
    if (this.messages.has(key)) {
      return {
        status: "duplicate",
        answer: this.answerOf(message.businessId, message.messageSid),
        messageSid: message.messageSid,
      };
    }
    this.messages.set(key, structuredClone(message));
    return { status: "claimed" };
  }

  async recordAnswer(
    businessId: string,
    messageSid: string,
    answer: InboundAnswer,
  ): Promise<{ overlapped: boolean }> {
    const found = this.messages.get(`${businessId}/${messageSid}`);
    if (!found) throw new Error(`no inbound message ${messageSid}`);
    const overlapped = found.joinedUntil !== undefined;
    found.answer = { ...structuredClone(answer), ...(overlapped ? { replyByOutbox: true } : {}) };
    return { overlapped };
  }

  async release(message: InboundSms, at: Date): Promise<{ waiting: boolean }> {
    const key = `${message.businessId}/${message.messageSid}`;
    const joinedUntil = this.messages.get(key)?.joinedUntil;
    this.messages.delete(key);
    if (message.idempotencyToken) {
      this.tokens.delete(`${message.businessId}/${message.idempotencyToken}`);
    }
    return { waiting: joinedUntil !== undefined && joinedUntil > at };
  }

  async join(businessId: string, messageSid: string, until: Date): Promise<InboundProgress> {
    const progress = await this.progress(businessId, messageSid);
    const found = this.messages.get(`${businessId}/${messageSid}`);
    if (progress.state === "in-progress" && found) {
      if (!found.joinedUntil || found.joinedUntil < until) found.joinedUntil = until;
    }
    return progress;
  }

  async progress(businessId: string, messageSid: string): Promise<InboundProgress> {
    const found = this.messages.get(`${businessId}/${messageSid}`);
    if (!found) return { state: "released" };
    return found.answer
      ? { state: "answered", answer: structuredClone(found.answer) }
      : { state: "in-progress" };
  }

  private answerOf(businessId: string, messageSid: string): InboundAnswer | null {
    return structuredClone(this.messages.get(`${businessId}/${messageSid}`)?.answer ?? null);
  }
}

/** Opt-outs written onto the in-memory customers, as the Firestore repository does. */
export class InMemorySmsConsent implements SmsConsentStore {
  constructor(private readonly customers: InMemoryCustomerStore) {}

  async setSmsOptOut(
    businessId: string,
    phone: string,
    optedOut: boolean,
    at: Date,
  ): Promise<Customer> {
    const existing = await this.customers.findByPhone(businessId, phone);
    const customer: Customer = {
      ...(existing ?? { id: phone, businessId, name: "", phone, createdAt: at }),
      smsOptedOut: optedOut,
      smsOptedOutAt: optedOut ? at : undefined,
      updatedAt: at,
    };
    if (!optedOut) delete customer.smsOptedOutAt;
    this.customers.add(customer);
    return structuredClone(customer);
  }
}

export interface SmsWorld extends CallWorld {
  smsDeps: InboundSmsDeps;
  sms: InMemorySmsConversations;
  inbound: InMemoryInboundSmsLog;
  consent: InMemorySmsConsent;
}

/** Every port of the call and SMS use cases in memory; calls here follow up by text. */
export function anSmsWorld(options: Parameters<typeof aCallWorld>[0]): SmsWorld {
  const world = aCallWorld(options);
  const sms = new InMemorySmsConversations();
  const inbound = new InMemoryInboundSmsLog();
  const consent = new InMemorySmsConsent(world.customers);
  const deps = { ...world.deps, smsConversations: sms };
  const smsDeps = { ...deps, consent, inbound, sms };
  // One writer for both, applying to the stores the text handler uses.
  const writer = new InMemoryCallWriter(() => smsDeps);
  deps.writer = writer;
  smsDeps.writer = writer;
  return {
    ...world,
    deps,
    smsDeps,
    sms,
    inbound,
    consent,
  };
}
