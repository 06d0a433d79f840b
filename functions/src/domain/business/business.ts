import { z } from "zod";
import { LOCK_GRANULE_MINUTES } from "../scheduling/appointment";

/** A time of day on the business's wall clock, "HH:mm". */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:mm");

export const openingPeriodSchema = z
  .object({ open: clockTime, close: clockTime })
  .refine((p) => p.open < p.close, "a period must close after it opens");
export type OpeningPeriod = z.infer<typeof openingPeriodSchema>;

/** ISO weekday numbers as luxon uses them: 1 = Monday ... 7 = Sunday. */
export const WEEKDAYS = ["1", "2", "3", "4", "5", "6", "7"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * Bookings claim time in LOCK_GRANULE_MINUTES granules; a duration or step
 * off that grid would make two back-to-back jobs share a granule.
 */
const onLockGrid = (minutes: number) => minutes % LOCK_GRANULE_MINUTES === 0;
const LOCK_GRID_MESSAGE = `must be a multiple of ${LOCK_GRANULE_MINUTES} minutes`;

export const serviceSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  durationMinutes: z
    .number()
    .int()
    .min(15)
    .max(8 * 60)
    .refine(onLockGrid, LOCK_GRID_MESSAGE),
  /** Words a caller uses for this job; matched by the slot extractor. */
  keywords: z.array(z.string().min(2)).default([]),
});
export type Service = z.infer<typeof serviceSchema>;

export const bookingPolicySchema = z.object({
  /** Offered start times fall on this grid, counted from the opening time. */
  slotStepMinutes: z
    .number()
    .int()
    .min(15)
    .max(240)
    .refine(onLockGrid, LOCK_GRID_MESSAGE)
    .default(30),
  /** No booking may start sooner than this after the call. */
  minLeadMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(120),
  horizonDays: z.number().int().min(1).max(120).default(14),
  offerCount: z.number().int().min(1).max(5).default(3),
  /** A job nobody can map to a service is booked as this one. */
  defaultServiceId: z.string().min(1),
});
export type BookingPolicy = z.infer<typeof bookingPolicySchema>;

export const emergencyPolicySchema = z.object({
  /** Extra phrases this business treats as emergencies, on top of the built-in rules. */
  extraPhrases: z.array(z.string().min(3)).default([]),
  /** How long each phone in the escalation ladder rings before moving on. */
  ringSeconds: z.number().int().min(5).max(60).default(20),
  /** What the caller is promised when nobody accepts the transfer. */
  callbackPromise: z.string().min(3).default("within 30 minutes"),
});
export type EmergencyPolicy = z.infer<typeof emergencyPolicySchema>;

export const businessSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  timeZone: z.string().min(1),
  defaultCountry: z.string().length(2).default("GB"),
  /** The Twilio number callers ring, E.164. */
  phoneNumber: z.string().regex(/^\+[1-9]\d{6,14}$/),
  ownerName: z.string().min(1),
  ownerMobile: z.string().regex(/^\+[1-9]\d{6,14}$/),
  /** Tried in order after the owner when an emergency transfer is not accepted. */
  backupNumbers: z.array(z.string().regex(/^\+[1-9]\d{6,14}$/)).default([]),
  /** Spoken first on every call; {business} is replaced by the business name. */
  greeting: z
    .string()
    .min(5)
    .default("Thanks for calling {business}. I'm the automated assistant."),
  hours: z.record(z.enum(WEEKDAYS), z.array(openingPeriodSchema)),
  services: z.array(serviceSchema).min(1),
  booking: bookingPolicySchema,
  emergency: emergencyPolicySchema.default({
    extraPhrases: [],
    ringSeconds: 20,
    callbackPromise: "within 30 minutes",
  }),
});
export type Business = z.infer<typeof businessSchema>;

export function serviceById(business: Business, serviceId: string): Service | undefined {
  return business.services.find((s) => s.id === serviceId);
}

export function defaultService(business: Business): Service {
  return serviceById(business, business.booking.defaultServiceId) ?? business.services[0];
}

export function greetingFor(business: Business): string {
  return business.greeting.replaceAll("{business}", business.name);
}
