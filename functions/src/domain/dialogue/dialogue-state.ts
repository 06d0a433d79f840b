import { z } from "zod";
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
  // A text with no conversation in progress: a reply to a reminder, a new request, thanks.
  | "texting"
  | "taking-message"
  | "transferring"
  | "ended"
  // Asking the safety question before going on (conversation-engine.ts).
  | "safety-check"
  // Moving or cancelling a booking (change.flow.ts).
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
  /** A message recorded on a call: its length; its words come later, transcribed. */
  seconds?: number;
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
  /** Where the visit is, for travel between jobs when it moves; never read out. */
  address?: string;
  /** The reminder asked the customer to confirm this one. */
  confirmationRequested?: boolean;
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
  /** The shape this state was stored in (DIALOGUE_STATE_VERSION). */
  version?: number;
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
  /**
   * A text with nothing in progress, waiting for the customer's upcoming
   * visits to be found: a reply to a reminder ("confirm", "cancel",
   * "reschedule"), or anything else ("text"), read once the visits are known.
   */
  reply?: { kind: "confirm" | "cancel" | "reschedule" | "text"; words: string };
}

export function initialDialogueState(stage: Stage = "awaiting-request"): DialogueState {
  return {
    version: DIALOGUE_STATE_VERSION,
    stage,
    failedTurns: 0,
    draft: {},
    addressConfirmed: false,
    offers: [],
    declinedStarts: [],
  };
}

/**
 * The shape of the stored state. States stored before the version field
 * existed have this same shape and read as version 1; a later version, or
 * anything that does not match, cannot be read (see readDialogueState).
 */
export const DIALOGUE_STATE_VERSION = 1;

const STAGES = [
  "awaiting-request",
  "collecting",
  "confirming-address",
  "choosing-slot",
  "confirming-booking",
  "amending",
  "anything-else",
  "texting",
  "taking-message",
  "transferring",
  "ended",
  "safety-check",
  "change-verifying-name",
  "change-verifying-postcode",
  "change-picking",
  "change-confirming-cancel",
  "change-choosing-time",
  "change-confirming-move",
  "change-nothing-found",
] as const satisfies readonly Stage[];

const MESSAGE_REASONS = [
  "reschedule",
  "cancel",
  "question",
  "owner-unavailable",
  "misunderstood",
  "callback",
] as const satisfies readonly MessageReason[];

const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not an instant");
const slotSchema = z.object({ start: instant, end: instant });
const preferenceSchema = z.object({
  days: z.array(z.string()).optional(),
  notWeekdays: z.array(z.number().int().min(1).max(7)).optional(),
  after: z.number().optional(),
  before: z.number().optional(),
  soonest: z.boolean().optional(),
  daysSaid: z.string().optional(),
  timeSaid: z.string().optional(),
});
const visitSchema = z.object({
  id: z.string().min(1),
  start: instant,
  end: instant,
  serviceId: z.string(),
  serviceName: z.string(),
  address: z.string().optional(),
  confirmationRequested: z.boolean().optional(),
});

/** Checks every field a turn relies on; optional fields may be absent, never of the wrong kind. */
export const dialogueStateSchema = z.object({
  version: z.literal(DIALOGUE_STATE_VERSION).default(DIALOGUE_STATE_VERSION),
  stage: z.enum(STAGES),
  failedTurns: z.number().int().min(0),
  draft: z.object({
    problem: z.string().optional(),
    serviceId: z.string().optional(),
    name: z.string().optional(),
    address: z.string().optional(),
    callbackNumber: z.string().optional(),
  }),
  addressConfirmed: z.boolean(),
  asking: z.enum(["problem", "name", "address", "callback"]).optional(),
  offers: z.array(slotSchema),
  declinedStarts: z.array(instant),
  lostStarts: z.array(instant).optional(),
  chosen: slotSchema.optional(),
  messageReason: z.enum(MESSAGE_REASONS).optional(),
  emergency: z.object({ kind: z.string(), label: z.string(), words: z.string() }).optional(),
  safetyCheck: z
    .object({
      kind: z.string(),
      question: z.string(),
      words: z.string(),
      resumeStage: z.enum(STAGES),
      unclearAnswers: z.number().int().min(0),
    })
    .optional(),
  safetyAsked: z.array(z.string()).optional(),
  done: z
    .array(
      z.object({
        action: z.enum(["booked", "moved", "cancelled", "message", "answered"]),
        appointmentId: z.string().optional(),
        job: z.string().optional(),
        reason: z.enum(MESSAGE_REASONS).optional(),
        seconds: z.number().int().min(0).optional(),
      }),
    )
    .optional(),
  appointmentId: z.string().optional(),
  change: z
    .object({
      action: z.enum(["cancel", "reschedule"]),
      claimedName: z.string().optional(),
      claimedPostcode: z.string().optional(),
      visits: z.array(visitSchema),
      visitId: z.string().optional(),
      preference: preferenceSchema.optional(),
    })
    .optional(),
  preference: preferenceSchema.optional(),
  reply: z
    .object({ kind: z.enum(["confirm", "cancel", "reschedule", "text"]), words: z.string() })
    .optional(),
});

export type StateReading = { ok: true; state: DialogueState } | { ok: false; problem: string };

/**
 * A stored state, checked before any turn trusts it. Firestore drops
 * undefined fields and may hold nulls written by hand: nulls read as absent.
 */
export function readDialogueState(stored: unknown): StateReading {
  const parsed = dialogueStateSchema.safeParse(withoutNulls(stored));
  if (parsed.success) return { ok: true, state: parsed.data as DialogueState };
  const first = parsed.error.issues[0];
  const where = first?.path.length ? first.path.join(".") : "state";
  return { ok: false, problem: `${where}: ${first?.message ?? "unreadable"}` };
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, withoutNulls(v)]),
    );
  }
  return value;
}
