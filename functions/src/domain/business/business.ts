import { z } from "zod";
import { abusePolicySchema, defaultAbusePolicy } from "../abuse/abuse-policy";
import { defaultRetentionPolicy, retentionPolicySchema } from "../privacy/retention";
import { businessProfileSchema, EMPTY_PROFILE } from "./business-profile";
import { defaultLanguageModelSettings, languageModelSettingsSchema } from "../nlu/model-reading";
import { LOCK_GRANULE_MINUTES } from "../scheduling/appointment";
import {
  defaultNotificationPolicy,
  notificationPolicySchema,
} from "../notifications/notification-policy";

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
  /** Clean-up and paperwork after the job, counted as busy (not inside opening hours); absent is 0. */
  bufferMinutes: z
    .number()
    .int()
    .min(0)
    .max(4 * 60)
    .refine(onLockGrid, LOCK_GRID_MESSAGE)
    .optional(),
  /** Wall-clock limits on when this job may start, e.g. a boiler service not before 10:00. */
  earliestStart: clockTime.optional(),
  latestStart: clockTime.optional(),
  /** ISO weekdays (1 = Monday ... 7 = Sunday) this job may be booked on; absent means any open day. */
  allowedWeekdays: z.array(z.number().int().min(1).max(7)).min(1).optional(),
});
export type Service = z.infer<typeof serviceSchema>;

/** Travel between jobs in different areas (UK postcode districts such as "BS6", or US ZIP codes). */
export const travelPolicySchema = z.object({
  /** Each zone groups districts; jobs in one zone need no travel time between them. */
  zones: z
    .array(
      z.object({
        name: z.string().min(1),
        districts: z.array(z.string().min(2).toUpperCase()).min(1),
        /** Travel to or from this zone; between two zones the larger of the two counts. */
        minutes: z.number().int().min(0).max(240),
      }),
    )
    .default([]),
  /** Between jobs where either area is unknown or in no zone (and not the same district). */
  defaultMinutes: z.number().int().min(0).max(240).default(0),
});
export type TravelPolicy = z.infer<typeof travelPolicySchema>;

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
  /** Local dates (yyyy-MM-dd) the business takes no bookings, e.g. bank holidays. */
  closedDates: z.array(z.iso.date()).default([]),
  /** No more than this many jobs start on one day; absent means no limit. */
  maxJobsPerDay: z.number().int().min(1).max(50).optional(),
  /** After this local time, nothing more is booked for the same day. */
  sameDayCutoff: clockTime.optional(),
  /** How long offered times are held for the caller, so others are not offered them. */
  holdMinutes: z.number().int().min(1).max(30).default(5),
  travel: travelPolicySchema.default({ zones: [], defaultMinutes: 0 }),
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

/**
 * The voices callers may hear (Amazon Polly through Twilio's <Say>, British
 * English). The settings screen names them in hosting/shared/src/voices.ts.
 */
export const CALL_VOICES = ["Polly.Amy", "Polly.Emma", "Polly.Brian"] as const;
export type CallVoice = (typeof CALL_VOICES)[number];
export const DEFAULT_CALL_VOICE: CallVoice = "Polly.Amy";

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
  /**
   * The business's own closing words, when set: said at the end of a call in place of
   * "Thanks for calling {business}. Goodbye.", and texted in place of "See you then!".
   */
  signOff: z.string().trim().min(2).max(120).optional(),
  /** The voice that says the greeting and everything after it. */
  voice: z.enum(CALL_VOICES).default(DEFAULT_CALL_VOICE),
  hours: z.record(z.enum(WEEKDAYS), z.array(openingPeriodSchema)),
  services: z.array(serviceSchema).min(1),
  booking: bookingPolicySchema,
  emergency: emergencyPolicySchema.default({
    extraPhrases: [],
    ringSeconds: 20,
    callbackPromise: "within 30 minutes",
  }),
  notifications: notificationPolicySchema.default(defaultNotificationPolicy),
  /** The language model that reads unclear turns, when a key is set (nlu/model-reading.ts). */
  languageModel: languageModelSettingsSchema.default(defaultLanguageModelSettings),
  /** Fees, prices, areas, payment, accreditations: what callers may be told (business-profile.ts). */
  profile: businessProfileSchema.default(EMPTY_PROFILE),
  /** Rate limits per caller number and IP, and screening of short calls (abuse-policy.ts). */
  abuse: abusePolicySchema.default(defaultAbusePolicy),
  /** How long transcripts and recorded messages are kept (privacy/retention.ts). */
  retention: retentionPolicySchema.default(defaultRetentionPolicy),
});
export type Business = z.infer<typeof businessSchema>;

export function serviceById(business: Business, serviceId: string): Service | undefined {
  return business.services.find((s) => s.id === serviceId);
}

export function defaultService(business: Business): Service {
  return serviceById(business, business.booking.defaultServiceId) ?? business.services[0];
}

/**
 * What the tenant schema cannot see field by field: service ids that differ,
 * and a default service and prices that name services which exist. Checked
 * when settings are changed, so a removed service cannot leave them dangling.
 */
export function serviceReferenceProblems(
  business: Business,
): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  const ids = new Set<string>();
  business.services.forEach((s, i) => {
    if (ids.has(s.id))
      problems.push({ path: `services.${i}.id`, message: "two services share this id" });
    ids.add(s.id);
  });
  if (!ids.has(business.booking.defaultServiceId)) {
    problems.push({
      path: "booking.defaultServiceId",
      message:
        "jobs nobody can match are booked as a service that is not in the list: pick another in Booking rules first",
    });
  }
  business.profile.prices.forEach((p, i) => {
    if (p.serviceId !== undefined && !ids.has(p.serviceId)) {
      problems.push({
        path: `profile.prices.${i}.serviceId`,
        message: `the price "${p.label}" is for a service that is not in the list: change or remove that price first`,
      });
    }
  });
  return problems;
}
