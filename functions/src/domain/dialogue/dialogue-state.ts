import type { TimePreference } from "../scheduling/time-preference";

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
  | "ended"
  // Asking the safety question before going on (call-dialogue.ts).
  | "safety-check"
  // Moving or cancelling a booking (change-booking.dialogue.ts).
  | "change-verifying-name"
  | "change-verifying-postcode"
  | "change-picking"
  | "change-confirming-cancel"
  | "change-choosing-time"
  | "change-confirming-move"
  | "change-nothing-found";

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
  "reschedule" | "cancel" | "question" | "owner-unavailable" | "misunderstood" | "callback";

/** Something the call got done, kept for the conversation's summary. */
export interface DoneAction {
  action: "booked" | "moved" | "cancelled" | "message" | "answered";
  appointmentId?: string;
  /** The job in the owner's words: the service, and the problem as the caller put it. */
  job?: string;
  reason?: MessageReason;
}

/** A safety question waiting for its answer. */
export interface PendingSafetyCheck {
  /** The emergency a yes means. */
  kind: string;
  question: string;
  /** What the caller said that raised it; carried on with after a no. */
  words: string;
  /** Where the call was, to go back to after a no. */
  resumeStage: Stage;
  /** Answers we could not read so far. */
  unclearAnswers: number;
}

/**
 * An upcoming appointment as the caller may hear it read back: what and when,
 * never the address, and only once the caller is known or has proved who they are.
 */
export interface UpcomingVisit {
  id: string;
  start: string;
  end: string;
  serviceId: string;
  serviceName: string;
}

/** A caller moving or cancelling a booking. */
export interface BookingChange {
  action: "cancel" | "reschedule";
  /** What a caller from an unknown number said the booking is under; only used to look it up. */
  claimedName?: string;
  claimedPostcode?: string;
  /** Their upcoming visits, found by caller ID or by a matching name and postcode. */
  visits: UpcomingVisit[];
  /** The visit being changed, once the caller has said which. */
  visitId?: string;
  /** A new time asked for with the request ("move it to Friday afternoon"). */
  preference?: TimePreference;
}

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
  /** The safety question being asked. */
  safetyCheck?: PendingSafetyCheck;
  /** Kinds already asked about on this call: each question is asked at most once. */
  safetyAsked?: string[];
  /** What the call has done so far, in order (bookings, moves, messages...). */
  done?: DoneAction[];
  appointmentId?: string;
  change?: BookingChange;
  /** When the caller would like the visit ("tomorrow morning"); offers honour it. */
  preference?: TimePreference;
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
