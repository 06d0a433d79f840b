/** What the screens show, as read from Firestore (see data.ts). */
export interface Appointment {
  id: string;
  customerId: string;
  customerName: string;
  customerPhone: string;
  address: string;
  serviceId: string;
  serviceName: string;
  problem: string;
  start: Date;
  end: Date;
  status: "booked" | "cancelled";
  confirmation?: "not-requested" | "requested" | "confirmed";
  source: string;
  previousStart?: Date;
  calendarState?: "pending" | "synced" | "error" | "not-connected";
  updatedAt?: Date;
  createdAt?: Date;
}

export interface Turn {
  at: Date;
  speaker: string;
  text: string;
  emergency?: boolean;
  /** A message the caller recorded: its length, and why it has no words if it has none. */
  recording?: { durationSeconds: number; transcribed: boolean; error?: string };
}

export interface Conversation {
  id: string;
  channel: "call" | "sms";
  phone: string;
  startedAt: Date;
  updatedAt: Date;
  emergency: boolean;
  outcome?: string;
  summary?: string;
  /** What the owner should do next, from the call's summary. */
  ownerAction?: string;
  urgency?: "emergency" | "high" | "normal";
  /** From the call's summary, once written: whether the owner must act, and how it ended. */
  needsOwner?: boolean;
  summaryOutcome?: string;
  /** When the summary was written; a text thread's is replaced each time it goes quiet. */
  summarisedAt?: Date;
  problem?: string;
  appointmentIds: string[];
  turns: Turn[];
  lastTurn?: Turn;
}

export interface Customer {
  id: string;
  name: string;
  phone: string;
  address?: string;
  propertyNotes?: string;
  smsOptedOut: boolean;
}

export interface AttentionItem {
  id: string;
  kind: string;
  to: string;
  purpose: string;
  reason: string;
  at: Date;
  acknowledged: boolean;
  /** A receptionist degradation's own title ("Texts are failing"). */
  title?: string;
}

export interface OutboxMessage {
  id: string;
  to: string;
  body: string;
  purpose: string;
  status: string;
  relatedId?: string;
  createdAt: Date;
  /** Not sent, or Twilio could not deliver it: why, in the owner's words. */
  failed?: { reason: string };
}

export interface OpeningPeriod {
  open: string;
  close: string;
}

export interface ServiceView {
  id: string;
  name: string;
  durationMinutes: number;
  bufferMinutes?: number;
  keywords?: string[];
  earliestStart?: string;
  latestStart?: string;
  allowedWeekdays?: number[];
}

/**
 * The business document as the settings screen edits it. The server checks
 * every change against the tenant schema and answers problems by path, so
 * this view only needs the fields it shows.
 */
export interface BusinessView {
  id: string;
  name: string;
  timeZone: string;
  phoneNumber: string;
  ownerName: string;
  ownerMobile: string;
  backupNumbers: string[];
  greeting: string;
  /** Said at the end of a call (and texted after a booking) when set. */
  signOff?: string;
  /** The voice callers hear (see @shared/voices); absent in older documents: the default. */
  voice?: string;
  hours: Record<string, OpeningPeriod[]>;
  services: ServiceView[];
  booking: {
    slotStepMinutes: number;
    minLeadMinutes: number;
    horizonDays: number;
    offerCount: number;
    defaultServiceId: string;
    closedDates: string[];
    maxJobsPerDay?: number;
    sameDayCutoff?: string;
    holdMinutes: number;
    travel: unknown;
  };
  emergency: { extraPhrases: string[]; ringSeconds: number; callbackPromise: string };
  notifications: {
    ownerAlerts: Record<string, boolean>;
    ownerQuietHours: { start: string; end: string } | null;
    customerNight: { start: string; end: string } | null;
    /** When the owner's daily digest goes ("HH:mm"); null: none. Absent: the default, 18:00. */
    digestTime?: string | null;
    reminders: Array<{ id: string; minutesBefore: number }>;
    templates: Record<string, string>;
  };
  /** What callers may be told: fees, prices, areas, payment (business-profile.ts). */
  profile?: ProfileView;
}

export interface PriceView {
  serviceId?: string;
  label: string;
  from: number;
  to?: number;
  keywords: string[];
}

export interface ProfileView {
  currency: string;
  callOutFee?: number;
  outOfHoursCallOutFee?: number;
  prices: PriceView[];
  areasCovered: string[];
  paymentMethods: string[];
  accreditations: string[];
  notDone: string[];
}
