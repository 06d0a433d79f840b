import { Timestamp } from "firebase-admin/firestore";
import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { z } from "zod";
import { syncAppointmentChange } from "../../app/sync-appointment-to-calendar";
import { CALENDAR_SECRETS, calendarRuntime } from "../../calendar.bootstrap";
import type { CalendarFacts } from "../../domain/calendar/calendar-sync.rules";
import { FUNCTION_OPTIONS } from "../../function-options";

const instant = z.instanceof(Timestamp).transform((t) => t.toMillis());

/** Just the fields a calendar event shows; the rest of the document is not read here. */
const factsSchema = z
  .object({
    status: z.enum(["booked", "cancelled"]).catch("booked"),
    start: instant,
    end: instant,
    serviceName: z.string().catch(""),
    customerName: z.string().catch(""),
    customerPhone: z.string().catch(""),
    address: z.string().catch(""),
    problem: z.string().catch(""),
  })
  .transform(({ start, end, ...rest }): CalendarFacts => ({ ...rest, startMs: start, endMs: end }));

function factsOf(data: Record<string, unknown> | undefined): CalendarFacts | undefined {
  if (!data) return undefined;
  const parsed = factsSchema.safeParse(data);
  // A document without valid times is no appointment we can put in a calendar.
  return parsed.success ? parsed.data : undefined;
}

/**
 * Appointment written -> the owner's Google Calendar follows (insert, patch
 * or delete). retry: true is safe: event ids are derived from the appointment,
 * so a repeated insert finds its own event (409) rather than adding another,
 * and the use case always syncs the appointment as stored now. Writes that only
 * touch `calendar` or `confirmation` (our own annotations) are ignored.
 */
export const syncAppointmentToCalendar = onDocumentWritten(
  {
    ...FUNCTION_OPTIONS.syncAppointmentToCalendar,
    document: "businesses/{businessId}/appointments/{appointmentId}",
    retry: true,
    secrets: CALENDAR_SECRETS,
  },
  async (event) => {
    await syncAppointmentChange(
      {
        ref: { businessId: event.params.businessId, appointmentId: event.params.appointmentId },
        before: factsOf(event.data?.before?.data()),
        after: factsOf(event.data?.after?.data()),
      },
      calendarRuntime().deps,
    );
  },
);
