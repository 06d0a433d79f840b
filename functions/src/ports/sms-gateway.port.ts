/** Sends one SMS through the carrier (Twilio in production). */
export interface SmsRequest {
  to: string;
  from: string;
  body: string;
  /** Where the carrier reports delivery progress. */
  statusCallbackUrl?: string;
}

export interface SmsAccepted {
  /** The carrier's id for the message (Twilio: "SM..."). */
  sid: string;
  /** The carrier's status at acceptance, e.g. "queued". */
  status: string;
}

/** Identifies a message that may already be at the carrier. */
export interface SentSmsQuery {
  to: string;
  from: string;
  body: string;
  /** Only messages the carrier created at or after this time. */
  createdSince: Date;
}

export interface SmsGateway {
  /** Resolves once the carrier accepted the message; rejects with SmsSendError. */
  send(req: SmsRequest): Promise<SmsAccepted>;

  /**
   * The carrier's record of a message with exactly this sender, recipient and
   * text created since then (the oldest, if several), or undefined. Used before
   * resending after an attempt whose outcome is unknown. Rejects with SmsSendError.
   */
  findSent(query: SentSmsQuery): Promise<SmsAccepted | undefined>;
}

/**
 * Why a send failed. `permanent` means retrying cannot help (bad number,
 * recipient unsubscribed, request rejected as invalid); otherwise it may.
 */
export class SmsSendError extends Error {
  readonly permanent: boolean;
  /** The carrier's error code, e.g. Twilio 21211. */
  readonly code?: number;
  /** HTTP status of the carrier's answer; absent when none came. */
  readonly httpStatus?: number;
  /**
   * The request may have reached the carrier although no answer came back
   * (timeout, connection reset): the message may exist there.
   */
  readonly outcomeUnknown: boolean;

  constructor(details: {
    permanent: boolean;
    message: string;
    code?: number;
    httpStatus?: number;
    outcomeUnknown?: boolean;
  }) {
    super(details.message);
    this.name = "SmsSendError";
    this.permanent = details.permanent;
    this.code = details.code;
    this.httpStatus = details.httpStatus;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
  }
}
