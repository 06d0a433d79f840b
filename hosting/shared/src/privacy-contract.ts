import { z } from "zod";
import { documentIdSchema } from "./document-id";

/**
 * The inputs of the owner's privacy and screening callables
 * (docs/privacy.md, docs/abuse-protection.md). Like dashboard-contract.ts:
 * the functions parse with these, the web app imports only the types.
 */
const id = documentIdSchema(200);
const e164 = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, "a phone number in international form, e.g. +447700900123");

/** Screen a number (its calls hear a short message) or allow it again. */
export const setCallerScreeningInput = z.object({
  businessId: id,
  number: e164,
  screened: z.boolean(),
});
export type SetCallerScreeningInput = z.infer<typeof setCallerScreeningInput>;

/** Everything the business holds about one customer, as JSON. */
export const exportCustomerDataInput = z.object({ businessId: id, phone: e164 });
export type ExportCustomerDataInput = z.infer<typeof exportCustomerDataInput>;

/** Deletes everything about one customer; `confirm` repeats the number. */
export const deleteCustomerDataInput = z
  .object({ businessId: id, phone: e164, confirm: e164 })
  .refine((d) => d.confirm === d.phone, {
    path: ["confirm"],
    message: "type the customer's number again to confirm",
  });
export type DeleteCustomerDataInput = z.infer<typeof deleteCustomerDataInput>;

/** What a deletion removed or anonymised, by kind (the functions' ErasedCounts). */
export type ErasedCountsView = Record<string, number>;
