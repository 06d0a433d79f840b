/**
 * What the receptionist remembers between the turns of one conversation.
 * Stored on the conversation document, so it is plain JSON: instants are ISO strings.
 */
export type Stage =
  | "awaiting-request"
  | "collecting"
  | "confirming-address"
  | "choosing-slot"
  | "confirming-booking"
  | "amending"
  | "anything-else"
  | "taking-message"
  | "transferring"
  | "ended";

export interface BookingDraft {
  problem?: string;
  serviceId?: string;
  name?: string;
  address?: string;
  callbackNumber?: string;
}

export interface OfferedSlot {
  start: string;
  end: string;
}

/** Why the caller is leaving a message, so the owner's SMS can say so. */
export type MessageReason =
  "reschedule" | "cancel" | "question" | "owner-unavailable" | "misunderstood";

export interface DialogueState {
  stage: Stage;
  /** Turns in a row that we could not use; bounded so nobody is stuck in a loop. */
  failedTurns: number;
  draft: BookingDraft;
  /** Known details (name, address) the caller has confirmed are still right. */
  addressConfirmed: boolean;
  /** The detail we last asked for, so a bare answer ("Sarah Jones") fills it. */
  asking?: "problem" | "name" | "address" | "callback";
  offers: OfferedSlot[];
  /** Offered starts the caller turned down; their half-days are not offered again. */
  declinedStarts: string[];
  /** Starts someone else booked while the caller was choosing; skipped, half-day still offered. */
  lostStarts?: string[];
  chosen?: OfferedSlot;
  messageReason?: MessageReason;
  emergency?: { kind: string; label: string; words: string };
  appointmentId?: string;
}

export function initialDialogueState(): DialogueState {
  return {
    stage: "awaiting-request",
    failedTurns: 0,
    draft: {},
    addressConfirmed: false,
    offers: [],
    declinedStarts: [],
  };
}
