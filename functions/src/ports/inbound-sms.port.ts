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
}

export type InboundClaim =
  | { status: "claimed" }
  /** Seen before. `answer` is null while the first delivery is still being handled. */
  | { status: "duplicate"; answer: InboundAnswer | null };

/** Every inbound text, stored under its MessageSid with create(): once only. */
export interface InboundSmsLog {
  claim(message: InboundSms): Promise<InboundClaim>;
  recordAnswer(
    businessId: string,
    messageSid: string,
    answer: InboundAnswer,
    at: Date,
  ): Promise<void>;
  /** Handling failed: forget the claim so Twilio's redelivery is handled afresh. */
  release(message: InboundSms): Promise<void>;
}
