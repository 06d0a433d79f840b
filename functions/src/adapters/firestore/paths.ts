/**
 * Every Firestore path the product uses, in one place. Tenant data lives
 * under businesses/{businessId}; the routing map from a called number to its
 * business is top-level so an incoming call finds its tenant in one read.
 */
export const paths = {
  business: (businessId: string) => `businesses/${businessId}`,
  phoneRoute: (e164: string) => `phoneRoutes/${e164}`,
  customers: (businessId: string) => `businesses/${businessId}/customers`,
  customer: (businessId: string, customerId: string) =>
    `businesses/${businessId}/customers/${customerId}`,
  appointments: (businessId: string) => `businesses/${businessId}/appointments`,
  appointment: (businessId: string, appointmentId: string) =>
    `businesses/${businessId}/appointments/${appointmentId}`,
  slotLock: (businessId: string, granuleKey: string) =>
    `businesses/${businessId}/slotLocks/${granuleKey}`,
  /** Advisory holds on offered times, one document per 15-minute granule (see hold.repository.ts). */
  slotHolds: (businessId: string) => `businesses/${businessId}/slotHolds`,
  slotHold: (businessId: string, granuleKey: string) =>
    `businesses/${businessId}/slotHolds/${granuleKey}`,
  conversation: (businessId: string, conversationId: string) =>
    `businesses/${businessId}/conversations/${conversationId}`,
  /** A call's transcript, one document per turn (ids sort in transcript order), so the
   * conversation document stays small. */
  conversationTurns: (businessId: string, conversationId: string) =>
    `businesses/${businessId}/conversations/${conversationId}/turns`,
  callTurn: (businessId: string, callSid: string, key: string) =>
    `businesses/${businessId}/conversations/${callSid}/turns/${key}`,
  /** A caller's recording still kept at Twilio, by RecordingSid, and when to delete it there. */
  recordingDeletion: (businessId: string, recordingSid: string) =>
    `businesses/${businessId}/recordingDeletions/${recordingSid}`,
  /** A conversation's summary, written once when it ends (same id as the conversation). */
  conversationSummaries: (businessId: string) => `businesses/${businessId}/conversationSummaries`,
  conversationSummary: (businessId: string, conversationId: string) =>
    `businesses/${businessId}/conversationSummaries/${conversationId}`,
  /** A customer number's SMS conversation (channel "sms"), beside the calls' conversations. */
  smsConversation: (businessId: string, e164: string) =>
    `businesses/${businessId}/conversations/sms-${e164}`,
  /** Its turns, one document each (the embedded Firestore has no arrayUnion); ids sort by time. */
  smsTurns: (businessId: string, e164: string) =>
    `businesses/${businessId}/conversations/sms-${e164}/turns`,
  /** Inbound texts by MessageSid, created once: a redelivery finds its answer here. */
  inboundSms: (businessId: string, messageSid: string) =>
    `businesses/${businessId}/inboundSms/${messageSid}`,
  /** Twilio's I-Twilio-Idempotency-Token of an inbound text webhook (hashed), created once. */
  inboundSmsToken: (businessId: string, tokenHash: string) =>
    `businesses/${businessId}/inboundSmsTokens/${tokenHash}`,
  outbox: (businessId: string) => `businesses/${businessId}/outbox`,
  outboxMessage: (businessId: string, messageId: string) =>
    `businesses/${businessId}/outbox/${messageId}`,
  outboxClaim: (businessId: string, messageId: string, attempt: number) =>
    `businesses/${businessId}/outbox/${messageId}/claims/attempt-${attempt}`,
  triggerMarker: (businessId: string, eventId: string) =>
    `businesses/${businessId}/triggerMarkers/${eventId}`,
  /** Top-level queue of texts due later (reminders, deferred alerts), indexed by (status, dueAt). */
  scheduledSms: () => "scheduledSms",
  scheduledSmsItem: (id: string) => `scheduledSms/${id}`,
  /** Top-level, so a call's webhooks find their conversation without knowing the tenant. */
  callIndex: (callSid: string) => `calls/${callSid}`,
  /** Top-level, so an SMS status callback finds its outbox message by Twilio's SID alone. */
  smsBySid: (messageSid: string) => `smsBySid/${messageSid}`,
  /** What the dashboard lists for the owner to look at; keyed by the item's source (e.g. message id). */
  attentionItem: (businessId: string, itemId: string) =>
    `businesses/${businessId}/attention/${itemId}`,
  /** A job marked done from the dashboard, keyed by its appointment id. */
  job: (businessId: string, appointmentId: string) =>
    `businesses/${businessId}/jobs/${appointmentId}`,
  /** A conversation's inbox state on the dashboard (handled or not), keyed by its id. */
  inboxMark: (businessId: string, conversationId: string) =>
    `businesses/${businessId}/inbox/${conversationId}`,
  /** Who changed what from the dashboard, when, before and after; one document per change. */
  audit: (businessId: string) => `businesses/${businessId}/audit`,
  /** Server-only: the Google Calendar grant (refresh token encrypted) and its settings. */
  calendarConnection: (businessId: string) => `businesses/${businessId}/private/calendar`,
  /** Top-level queues of calendar work, by dueAt: appointment syncs to retry, calendars to pull. */
  calendarSyncQueue: () => "calendarSyncQueue",
  calendarSyncQueueItem: (businessId: string, appointmentId: string) =>
    `calendarSyncQueue/${businessId}_${appointmentId}`,
  calendarPulls: () => "calendarPulls",
  calendarPull: (businessId: string) => `calendarPulls/${businessId}`,
  /** Fixed-window rate counters of one business's callers, one per key and window (TTL expireAt). */
  rateCounter: (businessId: string, counterId: string) =>
    `businesses/${businessId}/rateCounters/${counterId}`,
  /** Fixed-window counters of public endpoints that belong to no business (per IP). */
  ipRateCounter: (counterId: string) => `ipRateCounters/${counterId}`,
  /** The business's screening list: numbers screened, or allowed by the owner, by E.164. */
  screening: (businessId: string) => `businesses/${businessId}/screening`,
  screeningEntry: (businessId: string, e164: string) =>
    `businesses/${businessId}/screening/${e164}`,
  /** Known spam numbers, kept by the operator for every business (docs/abuse-protection.md). */
  spamNumber: (e164: string) => `spamNumbers/${e164}`,
  /** Used OAuth state nonces: create() here makes each connect link single-use. */
  calendarOAuthState: (nonce: string) => `calendarOAuthStates/${nonce}`,
} as const;
