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

export interface SmsGateway {
  /** Resolves once the carrier accepted the message; rejects with SmsSendError. */
  send(req: SmsRequest): Promise<SmsAccepted>;
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

  constructor(details: {
    permanent: boolean;
    message: string;
    code?: number;
    httpStatus?: number;
  }) {
    super(details.message);
    this.name = "SmsSendError";
    this.permanent = details.permanent;
    this.code = details.code;
    this.httpStatus = details.httpStatus;
  }
}
