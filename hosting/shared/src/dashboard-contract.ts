import { z } from "zod";
import { EDITABLE_SETTINGS, type EditableSetting } from "./access";
import { documentIdSchema } from "./document-id";

/**
 * The inputs of the dashboard's callable functions. The functions parse with
 * these schemas; the web app imports only their types (import type), so zod
 * never reaches its bundle.
 */
const id = documentIdSchema(200);

export const moveOptionsInput = z.object({
  businessId: id,
  appointmentId: id,
  /** The business's local date to look at (yyyy-MM-dd); absent means the next free days. */
  day: z.iso.date().optional(),
});
export type MoveOptionsInput = z.infer<typeof moveOptionsInput>;

export interface MoveOption {
  start: string;
  end: string;
}
export interface MoveOptionsResult {
  options: MoveOption[];
  /** False when the owner's Google Calendar could not be read: the times may clash with it. */
  calendarChecked: boolean;
}

export const moveAppointmentInput = z.object({
  businessId: id,
  appointmentId: id,
  /** The new start, an ISO instant; it must be one the booking rules allow. */
  start: z.iso.datetime({ offset: true }),
});
export type MoveAppointmentInput = z.infer<typeof moveAppointmentInput>;

export const cancelAppointmentInput = z.object({
  businessId: id,
  appointmentId: id,
  reason: z.string().trim().min(1).max(200).default("cancelled by the business"),
});
export type CancelAppointmentInput = z.input<typeof cancelAppointmentInput>;

export const markJobDoneInput = z.object({
  businessId: id,
  appointmentId: id,
  done: z.boolean().default(true),
});
export type MarkJobDoneInput = z.input<typeof markJobDoneInput>;

export const setConversationHandledInput = z.object({
  businessId: id,
  conversationId: id,
  handled: z.boolean(),
});
export type SetConversationHandledInput = z.infer<typeof setConversationHandledInput>;

export const acknowledgeAttentionInput = z.object({
  businessId: id,
  itemId: id,
});
export type AcknowledgeAttentionInput = z.infer<typeof acknowledgeAttentionInput>;

/**
 * Only the editable sections, each replaced whole; the server checks the
 * merged business against the tenant schema and answers every problem by path.
 */
export const updateSettingsInput = z.object({
  businessId: id,
  settings: z
    .object(
      Object.fromEntries(EDITABLE_SETTINGS.map((key) => [key, z.unknown().optional()])) as Record<
        EditableSetting,
        z.ZodOptional<z.ZodUnknown>
      >,
    )
    .strict()
    .refine((s) => Object.keys(s).length > 0, "nothing to change"),
  /** Check and preview (templates rendered, problems listed) without saving. */
  dryRun: z.boolean().default(false),
});
export type UpdateSettingsInput = {
  businessId: string;
  settings: Partial<Record<EditableSetting, unknown>>;
  dryRun?: boolean;
};

/** A template rendered with sample values, as the settings screen previews it. */
export interface TemplatePreviewView {
  kind: string;
  text: string;
  characters: number;
  segments: number;
  problems: string[];
}

/** One problem with an input, as the callables report it (HttpsError details). */
export interface InputProblem {
  path: string;
  message: string;
}

/** Every callable answers { ok: true } plus what it returns; refusals are HttpsErrors. */
export type ActionResult<T = object> = { ok: true } & T;
