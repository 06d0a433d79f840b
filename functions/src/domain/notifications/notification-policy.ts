import { DateTime } from "luxon";
import { z } from "zod";
import { HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from "../sms/carrier-keywords";
import { TEXT_TEMPLATES } from "../dialogue/wording";
import { smsLength } from "./sms-length";

/**
 * Per-tenant notification settings: which owner alerts go out, when nobody
 * should be texted, when customers are reminded, and what customers read.
 * Every default lives here, and docs/notifications.md is checked against it.
 */

/** A time of day on the business's wall clock, "HH:mm". */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:mm");

/**
 * A daily span of wall-clock time, [start, end). When start is later than
 * end it runs over midnight (21:00-07:00). Equal start and end is refused:
 * use null to switch a window off.
 */
export const dailyWindowSchema = z
  .object({ start: clockTime, end: clockTime })
  .refine((w) => w.start !== w.end, "start and end must differ (use null for no window)");
export type DailyWindow = z.infer<typeof dailyWindowSchema>;

export const reminderWindowSchema = z.object({
  /** Part of the outbox id, so it must stay stable: lower-case words and dashes. */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "lower-case letters, digits and dashes"),
  /** How long before the appointment's start the reminder is due. */
  minutesBefore: z
    .number()
    .int()
    .min(30)
    .max(7 * 24 * 60),
});
export type ReminderWindow = z.infer<typeof reminderWindowSchema>;

/** The customer texts a business can word for itself. */
export const TEMPLATE_KINDS = ["reminder", "moved", "cancelled"] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

/** What each placeholder becomes; the docs table is generated from this. */
export const TEMPLATE_PLACEHOLDERS = {
  name: "the customer's first name",
  service: "the job, e.g. boiler service",
  date: "the appointment's day, e.g. Thu 26 Nov",
  time: "the appointment's start, e.g. 9am or 1:15pm",
  business: "the business name",
  address: "where the job is",
  phone: "the business's number, e.g. 0117 496 0000",
} as const;
export type Placeholder = keyof typeof TEMPLATE_PLACEHOLDERS;
export type TemplateValues = Record<Placeholder, string>;

/** At most two SMS segments, so a text never arrives in three pieces. */
export const MAX_SMS_SEGMENTS = 2;

const templateText = z
  .string()
  .min(10)
  .max(400)
  .superRefine((template, ctx) => {
    for (const reason of validateTemplate(template))
      ctx.addIssue({ code: "custom", message: reason });
  });

/** The words a tenant starts from; their own, once saved, replace them (wording.ts holds them). */
export const DEFAULT_TEMPLATES: Record<TemplateKind, string> = { ...TEXT_TEMPLATES };

export const notificationPolicySchema = z.object({
  /** Which texts the owner gets. Emergency alerts always go and cannot be switched off. */
  ownerAlerts: z
    .object({
      newBooking: z.boolean().default(true),
      cancellation: z.boolean().default(true),
      /** A move that touches today's or tomorrow's schedule. */
      scheduleChange: z.boolean().default(true),
      /** A caller who hung up part-way through booking, with nothing booked. */
      lostLead: z.boolean().default(true),
    })
    .default({ newBooking: true, cancellation: true, scheduleChange: true, lostLead: true }),
  /** Non-emergency owner alerts due in here wait until it ends; null: no quiet hours. */
  ownerQuietHours: dailyWindowSchema.nullable().default({ start: "21:00", end: "07:00" }),
  /**
   * When the owner gets the day's digest of conversations that need them
   * (daily-digest.ts); null: no digest. It goes at this time even in quiet hours:
   * the owner chose it.
   */
  digestTime: clockTime.nullable().default("18:00"),
  /** No customer text is sent in here; see planReminder for where a reminder goes instead. */
  customerNight: dailyWindowSchema.nullable().default({ start: "20:30", end: "08:00" }),
  reminders: z
    .array(reminderWindowSchema)
    .max(4)
    .refine((ws) => new Set(ws.map((w) => w.id)).size === ws.length, "reminder ids must differ")
    .default(() => defaultReminderWindows()),
  templates: z
    .object({
      reminder: templateText.default(DEFAULT_TEMPLATES.reminder),
      moved: templateText.default(DEFAULT_TEMPLATES.moved),
      cancelled: templateText.default(DEFAULT_TEMPLATES.cancelled),
    })
    .default({ ...DEFAULT_TEMPLATES }),
});
export type NotificationPolicy = z.infer<typeof notificationPolicySchema>;

function defaultReminderWindows(): ReminderWindow[] {
  return [
    { id: "day-before", minutesBefore: 24 * 60 },
    { id: "two-hours", minutesBefore: 120 },
  ];
}

/** A fresh copy of every default, for a tenant that configured nothing. */
export function defaultNotificationPolicy(): NotificationPolicy {
  return notificationPolicySchema.parse({});
}

// ---------------------------------------------------------------- templates

/**
 * Words a template must never ask a customer to text: carriers (and Twilio)
 * act on them before we see them. Opt-out words would stop every message to
 * the customer, and help words get the carrier's canned reply. Opt-in words
 * (START, YES, UNSTOP) are allowed: they only ever resume messages, so a
 * customer confirming with YES can never silence themselves.
 */
export const FORBIDDEN_REPLY_WORDS: readonly string[] = [...OPT_OUT_KEYWORDS, ...HELP_KEYWORDS];

/** Exported for the docs: the opt-in words templates may use. */
export const ALLOWED_CARRIER_WORDS: readonly string[] = [...OPT_IN_KEYWORDS];

const PLACEHOLDER = /\{([^{}]*)\}/g;
const REPLY_VERBS = "reply|text|txt|send|sms|respond|answer|message";

/**
 * Why a template cannot be used, one clear reason each; empty when it is fine.
 * Checks placeholders, carrier keywords and the rendered length with sample data.
 */
export function validateTemplate(template: string): string[] {
  const reasons: string[] = [];
  const known = Object.keys(TEMPLATE_PLACEHOLDERS);
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (!known.includes(match[1])) {
      reasons.push(
        `unknown placeholder {${match[1]}}: use ${known.map((k) => `{${k}}`).join(", ")}`,
      );
    }
  }
  if (/[{}]/.test(template.replace(PLACEHOLDER, ""))) {
    reasons.push("a { or } without its partner: placeholders look like {name}");
  }
  for (const word of carrierKeywordsAskedFor(template)) {
    reasons.push(
      `asks the customer to text "${word}", a carrier keyword: the network acts on it ` +
        `(stopping all texts, or sending its own reply) and we never see it. ` +
        `Ask for a number instead, e.g. "Reply 2 to cancel".`,
    );
  }
  if (reasons.length === 0) {
    const rendered = renderTemplate(template, SAMPLE_VALUES);
    const length = smsLength(rendered);
    if (length.segments > MAX_SMS_SEGMENTS) {
      reasons.push(
        `too long: ${length.characters} characters with sample details is ${length.segments} SMS; ` +
          `keep it within ${length.twoSegmentLimit} (${MAX_SMS_SEGMENTS} texts)`,
      );
    }
  }
  return reasons;
}

/**
 * The forbidden words a template asks the customer to send. Three shapes:
 * straight after a reply verb ("Reply STOP", "text us 'cancel'"), written in
 * capitals or quotes anywhere ("... or STOP to opt out"), and as an item of
 * a reply list ("Reply 1 to confirm, cancel to cancel").
 */
export function carrierKeywordsAskedFor(template: string): string[] {
  const found = new Set<string>();
  const words = FORBIDDEN_REPLY_WORDS.join("|");
  const afterVerb = new RegExp(
    `\\b(?:${REPLY_VERBS})\\b(?:\\s+(?:us|back|with|the\\s+word|just))*\\s+["'“‘]?(${words})\\b`,
    "gi",
  );
  const shouted = new RegExp(`\\b(${words})\\b`, "g");
  const quoted = new RegExp(`["'“‘](${words})["'”’]`, "gi");
  const listItem = new RegExp(`(?:,|\\bor\\b|\\band\\b)\\s+(${words})\\s+(?:to|for|if)\\b`, "gi");
  for (const pattern of [afterVerb, shouted, quoted]) {
    for (const match of template.matchAll(pattern)) found.add(match[1].toUpperCase());
  }
  // A list item only counts in a sentence that asks for a reply at all.
  for (const sentence of template.split(/[.!?\n]+/)) {
    if (!new RegExp(`\\b(?:${REPLY_VERBS})\\b`, "i").test(sentence)) continue;
    for (const match of sentence.matchAll(listItem)) found.add(match[1].toUpperCase());
  }
  return [...found];
}

/** Fills the placeholders; an unknown one is left as written (validation refuses those). */
export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (whole, key: string) =>
    key in values ? values[key as Placeholder] : whole,
  );
}

/** Details used to preview and length-check templates: long-ish, so the check is honest. */
export const SAMPLE_VALUES: TemplateValues = {
  name: "Margaret",
  service: "plumbing assessment",
  date: "Wed 25 Nov",
  time: "10:30am",
  business: "Bristol Plumbing & Heating",
  address: "Flat 2, 41 Whiteladies Road, Bristol BS8 2LS",
  phone: "0117 496 0000",
};

/** The parts of a business a preview needs (not Business itself: business.ts imports this file). */
export interface PreviewBusiness {
  name: string;
  phoneNumber: string;
  services: ReadonlyArray<{ name: string }>;
  notifications: NotificationPolicy;
}

export interface TemplatePreview {
  kind: TemplateKind;
  text: string;
  characters: number;
  segments: number;
  problems: string[];
}

/** Each of the business's templates rendered with its own name and number and sample job details. */
export function previewTemplate(business: PreviewBusiness): TemplatePreview[] {
  const values: TemplateValues = {
    ...SAMPLE_VALUES,
    business: business.name,
    phone: nationalPhone(business.phoneNumber),
    service: (business.services[0]?.name ?? SAMPLE_VALUES.service).toLowerCase(),
  };
  return TEMPLATE_KINDS.map((kind) => {
    const template = business.notifications.templates[kind];
    const text = renderTemplate(template, values);
    const length = smsLength(text);
    return {
      kind,
      text,
      characters: length.characters,
      segments: length.segments,
      problems: validateTemplate(template),
    };
  });
}

// ---------------------------------------------------------------- values

/** The placeholder values for one appointment, on the business's wall clock. */
export function templateValues(
  business: { name: string; phoneNumber: string; timeZone: string },
  appointment: { customerName: string; serviceName: string; address: string; start: Date },
): TemplateValues {
  const local = DateTime.fromJSDate(appointment.start, { zone: business.timeZone });
  return {
    name: appointment.customerName.trim().split(/\s+/)[0] ?? "",
    service: appointment.serviceName.toLowerCase(),
    date: shortDate(local),
    time: shortTime(local),
    business: business.name,
    address: appointment.address,
    phone: nationalPhone(business.phoneNumber),
  };
}

/** "Thu 26 Nov". */
export function shortDate(local: DateTime): string {
  return local.toFormat("ccc d LLL");
}

/** "9am", "1:15pm": what fits in a text. */
export function shortTime(local: DateTime): string {
  const hour12 = local.hour % 12 === 0 ? 12 : local.hour % 12;
  const suffix = local.hour < 12 ? "am" : "pm";
  const minutes = local.minute === 0 ? "" : `:${String(local.minute).padStart(2, "0")}`;
  return `${hour12}${minutes}${suffix}`;
}

/** +441174960000 -> 0117 496 0000, +447700900123 -> 07700 900123; others stay as they are. */
export function nationalPhone(e164: string): string {
  const mobile = /^\+447(\d{3})(\d{6})$/.exec(e164);
  if (mobile) return `07${mobile[1]} ${mobile[2]}`;
  const landline = /^\+44(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return landline ? `0${landline[1]} ${landline[2]} ${landline[3]}` : e164;
}
