/**
 * Who may do what on the dashboard: one table, read by the callable functions
 * (server-side role check), the web app (which buttons to show) and the rules
 * tests (firestore.rules must match READ_ACCESS collection by collection).
 * No imports, so the web app pays nothing for it beyond these few lines.
 */
export const ROLES = ["owner", "staff"] as const;
export type Role = (typeof ROLES)[number];

/** The custom claims the server sets on a dashboard user's login. */
export interface DashboardClaims {
  businessId: string;
  role: Role;
}

const BOTH: readonly Role[] = ["owner", "staff"];
const OWNER: readonly Role[] = ["owner"];
const NOBODY: readonly Role[] = [];

/**
 * Who reads each collection under businesses/{businessId} ("business" is the
 * business document itself). Nobody writes from a client.
 */
export const READ_ACCESS = {
  business: BOTH,
  appointments: BOTH,
  jobs: BOTH,
  customers: BOTH,
  conversations: BOTH,
  "conversations/turns": BOTH,
  conversationSummaries: BOTH,
  attention: BOTH,
  inbox: BOTH,
  outbox: OWNER,
  audit: OWNER,
  users: OWNER,
  /** Numbers screened or allowed (docs/abuse-protection.md). */
  screening: OWNER,
  slotLocks: NOBODY,
  rateCounters: NOBODY,
  slotHolds: NOBODY,
  inboundSms: NOBODY,
  inboundSmsTokens: NOBODY,
  triggerMarkers: NOBODY,
  private: NOBODY,
} as const satisfies Record<string, readonly Role[]>;
export type ReadableCollection = keyof typeof READ_ACCESS;

/** The callable functions and who may call them (the export name is the deployed name). */
export const ACTION_ROLES = {
  moveOptions: BOTH,
  moveAppointment: BOTH,
  cancelAppointment: BOTH,
  markJobDone: BOTH,
  setConversationHandled: BOTH,
  acknowledgeAttention: BOTH,
  updateSettings: OWNER,
  setCallerScreening: OWNER,
  exportCustomerData: OWNER,
  deleteCustomerData: OWNER,
} as const satisfies Record<string, readonly Role[]>;
export type DashboardAction = keyof typeof ACTION_ROLES;

export function mayCall(action: DashboardAction, role: Role): boolean {
  return ACTION_ROLES[action].includes(role);
}

export function mayRead(collection: ReadableCollection, role: Role): boolean {
  return READ_ACCESS[collection].includes(role);
}

/** The settings sections the owner edits; everything else (id, phone number) is fixed. */
export const EDITABLE_SETTINGS = [
  "name",
  "ownerName",
  "ownerMobile",
  "backupNumbers",
  "greeting",
  "hours",
  "services",
  "booking",
  "emergency",
  "notifications",
  "profile",
  "voice",
  "signOff",
] as const;
export type EditableSetting = (typeof EDITABLE_SETTINGS)[number];
