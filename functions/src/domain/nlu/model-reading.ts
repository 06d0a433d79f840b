import { z } from "zod";
import { EMERGENCY_KINDS, type EmergencyKind } from "../emergency/emergency-rules";
import { INTENTS, type Intent } from "./intent.classifier";

/**
 * What a language model may say about one caller utterance, and how that is
 * merged with the rules' own reading. The model is a second opinion only:
 * it may add an emergency the rules missed, never take one away, and may
 * point at a time only among those the engine offered.
 */

/** Per-tenant settings for the model (Business.languageModel). */
export const languageModelSettingsSchema = z.object({
  /** Off: every turn runs on the rules alone, as with no key. */
  enabled: z.boolean().default(true),
  /** A small, fast model: the whole answer must come back inside the budget. */
  model: z.string().min(1).max(100).default("claude-haiku-4-5"),
  /** The answer must arrive within this, or the rules' answer stands. Never above 2.5 s. */
  budgetMs: z.number().int().min(300).max(2500).default(2500),
  /** Enough for the JSON answer; a truncated answer is rejected. */
  maxTokens: z.number().int().min(64).max(1024).default(300),
});
export type LanguageModelSettings = z.infer<typeof languageModelSettingsSchema>;

export function defaultLanguageModelSettings(): LanguageModelSettings {
  return languageModelSettingsSchema.parse({});
}

/** The kinds a model may name; "custom" is the business's own phrases, which only the rules know. */
export const MODEL_EMERGENCY_KINDS = EMERGENCY_KINDS.filter(
  (k): k is Exclude<EmergencyKind, "custom"> => k !== "custom",
);

const MAX_SLOT_CHARS = 200;
const slotText = z.string().trim().min(1).max(MAX_SLOT_CHARS).nullable();

/**
 * The answer's shape for one request: only the offered slot ids and the
 * business's service ids are allowed, and nothing beyond these fields
 * (strict objects). The same schema is sent to the model and checks its reply.
 */
export function modelReadingSchema(
  offeredSlotIds: readonly string[],
  serviceIds: readonly string[],
) {
  const oneOf = (ids: readonly string[]) =>
    ids.length > 0 ? z.enum(ids as [string, ...string[]]).nullable() : z.null();
  return z
    .object({
      intent: z.enum(INTENTS),
      emergencyKind: z.enum(MODEL_EMERGENCY_KINDS as [string, ...string[]]).nullable(),
      slots: z
        .object({
          name: slotText,
          address: slotText,
          postcode: slotText,
          serviceId: oneOf(serviceIds),
          timeWish: slotText,
          chosenSlotId: oneOf(offeredSlotIds),
        })
        .strict(),
    })
    .strict();
}

export interface ModelSlots {
  name: string | null;
  address: string | null;
  postcode: string | null;
  serviceId: string | null;
  timeWish: string | null;
  chosenSlotId: string | null;
}

export interface ModelReading {
  intent: Intent;
  emergencyKind: Exclude<EmergencyKind, "custom"> | null;
  slots: ModelSlots;
}

/** What the rules made of the utterance, and what the engine offered. */
export interface RulesReading {
  intent: Intent;
  /** The rules' emergency kind, when they found one. */
  emergencyKind: string | null;
  /** Slots the rules filled already; the model only fills gaps. */
  slots: Partial<ModelSlots>;
  offeredSlotIds: readonly string[];
}

export interface MergedReading {
  intent: Intent;
  emergencyKind: string | null;
  slots: Partial<ModelSlots>;
  /** Whether the model changed anything, for the logs and the eval's figures. */
  modelAdded: Array<"emergency" | "intent" | keyof ModelSlots>;
}

/**
 * The one merge rule. The rules' emergency always stands (the model cannot
 * remove or change it); the model may add one the rules missed. The model's
 * intent is taken only when the rules had none ("unknown"); a model saying
 * "emergency" without a kind adds nothing. Slots the rules left empty may be
 * filled, and a chosen time only with an id the engine offered.
 */
export function mergeModelReading(rules: RulesReading, model: ModelReading | null): MergedReading {
  const merged: MergedReading = {
    intent: rules.intent,
    emergencyKind: rules.emergencyKind,
    slots: { ...rules.slots },
    modelAdded: [],
  };
  if (model === null) return merged;
  if (rules.emergencyKind !== null) {
    merged.intent = "emergency";
    return merged; // An emergency turn goes straight to the emergency path: nothing else matters.
  }
  if (model.emergencyKind !== null) {
    merged.emergencyKind = model.emergencyKind;
    merged.intent = "emergency";
    merged.modelAdded.push("emergency");
    return merged;
  }
  if (rules.intent === "unknown" && model.intent !== "unknown" && model.intent !== "emergency") {
    merged.intent = model.intent;
    merged.modelAdded.push("intent");
  }
  for (const key of Object.keys(model.slots) as Array<keyof ModelSlots>) {
    const value = model.slots[key];
    if (value === null || merged.slots[key]) continue;
    if (key === "chosenSlotId" && !rules.offeredSlotIds.includes(value)) continue;
    merged.slots[key] = value;
    merged.modelAdded.push(key);
  }
  return merged;
}

/** The longest utterance sent to a model; a turn's speech is far shorter. */
export const MAX_UTTERANCE_CHARS = 600;

/**
 * Caller speech as it is handed to a model: invisible and control characters
 * removed (zero-width and bidi marks, Unicode tag characters that can hide
 * text), whitespace collapsed, length bounded. It is still untrusted: the
 * adapter passes it as a JSON string value, never as instructions.
 */
export function callerSpeechForModel(utterance: string): string {
  return utterance
    .normalize("NFKC")
    .replace(/[\p{Cf}\p{Cc}\p{Co}\p{Cn}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_UTTERANCE_CHARS);
}
