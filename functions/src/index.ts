/**
 * The deployed functions: one export each, and the export name is the
 * deployed name. Keep this file a manifest; the code lives in triggers/.
 */
export { voice } from "./triggers/http/voice.webhook";
export { sms } from "./triggers/http/sms.webhook";
export { deliverOutboxMessage } from "./triggers/firestore/deliver-outbox.trigger";
export { appointmentNotifications } from "./triggers/firestore/appointment-notifications.trigger";
export { sendDueSms } from "./triggers/scheduled/send-due-sms.schedule";
export { smsStatusCallback } from "./triggers/http/sms-status.webhook";
export { calendarOAuth } from "./triggers/http/calendar-oauth.webhook";
export { syncAppointmentToCalendar } from "./triggers/firestore/calendar-sync.trigger";
export { calendarSyncSweep } from "./triggers/scheduled/calendar-sync.schedule";
