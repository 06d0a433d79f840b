/** A text a customer sent to a business's number, as Twilio reported it. */
export interface InboundSms {
  businessId: string;
  /** Twilio's MessageSid: the message's identity, so a redelivery is recognised. */
  messageSid: string;
  from: string;
  to: string;
  body: string;
  numMedia: number;
  receivedAt: Date;
  /** Twilio's I-Twilio-Idempotency-Token header, the same on every retry of one webhook. */
  idempotencyToken?: string;
}

/** What we answered, kept on the stored message so a redelivery gets the same answer. */
export interface InboundAnswer {
  /** The text replied with in TwiML; null when we reply nothing (e.g. STOP). */
  reply: string | null;
  /** What the text was taken to mean, for the dashboard and tests. */
  outcome: string;
  /**
   * The reply went by the outbox (smsReplyOutboxId), not in a webhook answer:
   * another delivery of the text overlapped this one, so no answer carries it.
   */
  replyByOutbox?: boolean;
}

export type InboundClaim =
  | { status: "claimed" }
  /**
   * Seen before. `answer` is null while the first delivery is still being
   * handled; `messageSid` is the text's own (a retry known by its idempotency
   * token may come with another).
   */
  | { status: "duplicate"; answer: InboundAnswer | null; messageSid?: string };

/** Where the handling of a text stands, as a delivery that found it claimed sees it. */
export type InboundProgress =
  | { state: "answered"; answer: InboundAnswer }
  | { state: "in-progress" }
  /** The delivery handling it failed and let it go: it can be claimed afresh. */
  | { state: "released" };

/** Every inbound text, stored under its MessageSid with create(): once only. */
export interface InboundSmsLog {
  claim(message: InboundSms): Promise<InboundClaim>;
  /**
   * Records the answer, atomically with reading whether another delivery
   * joined meanwhile (`overlapped`): then the reply must go by the outbox,
   * and the answer is stored with `replyByOutbox`.
   */
  recordAnswer(
    businessId: string,
    messageSid: string,
    answer: InboundAnswer,
    at: Date,
  ): Promise<{ overlapped: boolean }>;
  /**
   * Handling failed: forget the claim so a redelivery is handled afresh.
   * `waiting`: a delivery that joined is still waiting (its mark is later
   * than `at`) and will take the text over.
   */
  release(message: InboundSms, at: Date): Promise<{ waiting: boolean }>;
  /**
   * A delivery that found the text claimed joins its handling: marks it
   * (until `until`, so the handler knows its reply must not ride on its own
   * answer) and says where it stands.
   */
  join(businessId: string, messageSid: string, until: Date): Promise<InboundProgress>;
  /** Where the handling of a text stands now. */
  progress(businessId: string, messageSid: string): Promise<InboundProgress>;
}
