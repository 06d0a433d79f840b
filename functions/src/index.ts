/**
 * The deployed functions: one export each, and the export name is the
 * deployed name. Keep this file a manifest; the code lives in triggers/.
 */
export { voice } from "./triggers/http/voice.webhook";
export { voiceFallback } from "./triggers/http/voice-fallback.webhook";
export { voiceRecording } from "./triggers/http/voice-recording.webhook";
export { sms } from "./triggers/http/sms.webhook";
export { deliverOutboxMessage } from "./triggers/firestore/deliver-outbox.trigger";
export { appointmentNotifications } from "./triggers/firestore/appointment-notifications.trigger";
export { sendDueSms } from "./triggers/scheduled/send-due-sms.schedule";
export { smsStatusCallback } from "./triggers/http/sms-status.webhook";
export { calendarOAuth } from "./triggers/http/calendar-oauth.webhook";
export { syncAppointmentToCalendar } from "./triggers/firestore/calendar-sync.trigger";
export { calendarSyncSweep } from "./triggers/scheduled/calendar-sync.schedule";
export { conversationSummary } from "./triggers/firestore/conversation-summary.trigger";
export { moveOptions } from "./triggers/callable/move-options.callable";
export { moveAppointment } from "./triggers/callable/move-appointment.callable";
export { cancelAppointment } from "./triggers/callable/cancel-appointment.callable";
export { markJobDone } from "./triggers/callable/mark-job-done.callable";
export { setConversationHandled } from "./triggers/callable/set-conversation-handled.callable";
export { acknowledgeAttention } from "./triggers/callable/acknowledge-attention.callable";
export { updateSettings } from "./triggers/callable/update-settings.callable";
export { dailyDigest } from "./triggers/scheduled/daily-digest.schedule";
export { smsSummarySweep } from "./triggers/scheduled/sms-summary.schedule";
export { retentionSweep } from "./triggers/scheduled/retention.schedule";
export { setCallerScreening } from "./triggers/callable/set-caller-screening.callable";
export { exportCustomerData } from "./triggers/callable/export-customer-data.callable";
export { deleteCustomerData } from "./triggers/callable/delete-customer-data.callable";
