/**
 * Every log event the deployed functions emit, with what it means: the names
 * the log-based metrics and alert policies (ops/monitoring) and the runbooks
 * (docs/runbooks) refer to. A test reads the source and fails when an event
 * is emitted but missing here, or listed here but never emitted. Each line is
 * structured (jsonPayload.message is the name; businessId, callSid or
 * messageId, latencyMs and outcome where they apply); phone numbers masked,
 * no speech, transcripts or message bodies (logs.ts).
 */
export const LOG_EVENTS = {
  "abuse.call-turned-away":
    "A new call was over its number's rate limit or screened (why: limited or the screening reason).",
  "abuse.emergency-from-turned-away":
    "A limited or screened caller described an emergency; the owner was texted.",
  "abuse.gate-failed": "Rate counting failed; the call or text was let through.",
  "abuse.ip-limit-failed": "Per-IP counting failed; the request was let through.",
  "abuse.ip-limited": "A public endpoint answered 429 to an address over its limit.",
  "abuse.number-screened": "Repeated short calls screened a number.",
  "abuse.short-call-not-counted": "A short call could not be counted towards screening.",
  "abuse.text-turned-away":
    "An inbound text was over its number's rate limit or screened; no reply.",
  "availability.calendar-fallback":
    "Offers made without Google Calendar busy time (unreachable or slow).",
  "availability.hold-failed": "Holds on offered times could not be written; offers made unheld.",
  "availability.hold-lost": "A caller's held time was taken before they confirmed.",
  "booking.cancelled-by-customer": "A customer cancelled their booking, by phone or text.",
  "booking.created": "A booking was committed (call or text).",
  "booking.rescheduled-by-customer": "A customer moved their booking, by phone or text.",
  "booking.slot-taken": "The time a caller chose was booked by someone else first.",
  "calendar.appointment-cancelled":
    "An event the owner deleted in Google cancelled its appointment.",
  "calendar.appointment-moved": "An event the owner moved in Google moved its appointment.",
  "calendar.busy-partial": "Some of the owner's calendars could not be read for busy time.",
  "calendar.changes-pulled": "The owner's Google Calendar changes were read.",
  "calendar.code-exchange-failed": "Google refused the OAuth code when connecting a calendar.",
  "calendar.connected": "An owner connected Google Calendar.",
  "calendar.disconnected": "An owner disconnected Google Calendar.",
  "calendar.full-resync": "Google's sync token expired; the calendar was read in full.",
  "calendar.move-clashes": "An event moved in Google onto another job's time.",
  "calendar.needs-reconnect":
    "Google refused the refresh token (grant revoked): owner must reconnect.",
  "calendar.oauth-failed": "The calendar connect flow failed.",
  "calendar.pull-deferred":
    "Reading a business's calendar changes failed for now; retried next sweep.",
  "calendar.revoke-failed": "Revoking the grant at Google failed on disconnect.",
  "calendar.sweep": "The calendar sweep ran: retries due, oldest wait (oldestDueMs), failures.",
  "calendar.sweep-failures": "Some calendar retries or pulls in a sweep failed.",
  "calendar.sync-failed":
    "An appointment could not be written to Google Calendar after every retry.",
  "calendar.sync-retry": "An appointment's calendar write failed and is retried later.",
  "calendar.synced": "An appointment was written to Google Calendar.",
  "call.dialogue-did-not-settle": "The dialogue engine looped without reaching an answer.",
  "call.emergency": "An emergency was recognised on a call or a text; the owner alert is queued.",
  "call.emergency-not-saved": "An emergency call's state could not be saved.",
  "call.emergency-unanswered": "Nobody on the emergency ladder answered.",
  "call.lost-lead-alert-failed":
    "The owner could not be told of a caller who hung up before booking.",
  "call.started": "A call reached a business's receptionist.",
  "call.transfer-accepted": "The owner or a backup accepted a transferred call.",
  "call.unknown-number": "A call came to a number routed to no business.",
  "conversation.state-unreadable":
    "A stored conversation failed its schema; the customer was helped afresh.",
  "dashboard.action": "An owner or staff action from the dashboard.",
  "dashboard.action-failed": "A dashboard action failed.",
  "digest.business-unreadable": "A business's settings could not be read for its daily digest.",
  "digest.failed": "A daily digest could not be prepared.",
  "digest.queued": "A daily digest was queued to the owner.",
  "digest.run": "The daily digest job ran.",
  "model.read": "The language model gave a second reading of a turn (latencyMs).",
  "model.second-reading-failed":
    "A second reading failed outside the model (reporting it to the owner); the rules' reading was kept.",
  "model.unavailable": "The language model did not answer; the rules' reading was kept.",
  "notifications.appointment-change": "Owner and customer texts were planned for a booking change.",
  "notifications.unknown-business": "A booking change for a business that no longer exists.",
  "receptionist.degraded":
    "The receptionist noticed it is degraded; outcome says if the owner was told.",
  "receptionist.degraded-report-failed": "Telling the owner of a degradation failed.",
  "recording.delete-failed":
    "A caller's recording could not be deleted at Twilio; it stays queued for the next retention sweep.",
  "recording.deleted": "A caller's recording was deleted at Twilio (result gone: it already was).",
  "retention.business-failed":
    "The retention sweep could not clear one business; retried next night.",
  "retention.swept": "The nightly retention sweep ran (expired and aged documents deleted).",
  "scheduled-sms.failed": "A due reminder or held text could not be queued; retried next run.",
  "scheduled-sms.run": "The reminder job ran: due, queued, failed, latenessMs of the most overdue.",
  "sms.delivery-deferred": "A text waits (quiet hours, claimed elsewhere, backoff).",
  "sms.dropped-call-follow-up": "A dropped call's caller was texted to finish booking.",
  "sms.dropped-call-follow-up-failed": "A dropped call's follow-up text could not be queued.",
  "sms.duplicate": "Twilio redelivered an inbound text; answered from the stored reply.",
  "sms.duplicate-took-over":
    "A redelivered text waited on its first delivery, which failed; the redelivery handled it.",
  "sms.failed": "An outgoing text failed for good (permanent error or attempts exhausted).",
  "sms.handled": "An inbound text was answered.",
  "sms.history-append-failed": "A sent text could not be added to the customer's thread.",
  "sms.inbound-failed":
    "Handling an inbound text failed; the customer got a holding reply, or a redelivery waiting on it took it over (handedOver).",
  "sms.late-reply":
    "An inbound text's reply took longer than Twilio waits; sent as a text of its own.",
  "sms.opted-in": "A customer texted START.",
  "sms.opted-out": "A customer texted STOP.",
  "sms.recipient-opted-out":
    "Twilio refused or failed a text with 21610 (the customer replied STOP); they are marked opted out.",
  "sms.outbox-message-missing": "A delivery event for an outbox message that does not exist.",
  "sms.reconciled": "A retry found the text already at Twilio (an answer was lost).",
  "sms.retry-scheduled": "An outgoing text failed for now and is retried with backoff.",
  "sms.sent": "Twilio accepted an outgoing text (purpose, latencyMs from queued).",
  "sms.simulated": "A text was recorded, not sent (no Twilio credentials).",
  "sms.status": "Twilio reported a text's delivery status (delivered, undelivered, failed...).",
  "sms.status-failed": "A status callback could not be stored; Twilio retries it.",
  "sms.status-unknown-sid": "A status callback for a text this deployment did not send.",
  "sms.unknown-number": "A text came to a number routed to no business.",
  "sms.webhook": "One inbound SMS webhook request answered (status, outcome, latencyMs).",
  "summary.conversation-unreadable": "A conversation could not be read to summarise.",
  "summary.model-accepted":
    "Claude's paragraph about a conversation passed the check against its facts and was stored.",
  "summary.model-rejected":
    "Claude's paragraph named a time, date, price or outcome the conversation did not record (problem, detail); the deterministic summary stands alone.",
  "summary.model-unavailable":
    "No paragraph from Claude for a summary (reason: timeout, overloaded...); the deterministic summary stands alone.",
  "summary.sms-sweep": "One run of the idle text-thread summaries (due, written, failed).",
  "summary.sms-thread-failed":
    "A text thread's summary could not be written; the next run tries again.",
  "summary.written":
    "A conversation's summary was written (channel, model: accepted, rejected, unavailable or off).",
  "voice.deadline-exceeded": "A voice turn ran out of time; the caller heard the fallback.",
  "voice.failed": "A voice turn threw; the caller heard the fallback.",
  "voice.fallback": "Twilio's fallback URL answered: the voice function failed for this call.",
  "voice.fallback-alert-failed": "The voice fallback could not text the owner or operator.",
  "voice.fallback-failed": "The voice fallback itself failed; the caller heard a bare apology.",
  "voice.fallback-lookup-failed": "The voice fallback could not read the called business.",
  "voice.recorded-message":
    "A caller's recorded message arrived: stored and texted to the owner (transcribed or why not), or nothing recorded.",
  "voice.turn": "One voice webhook request answered (route, status, outcome, latencyMs).",
} as const;

export type LogEvent = keyof typeof LOG_EVENTS;
