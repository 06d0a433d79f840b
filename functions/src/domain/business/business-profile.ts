import { z } from "zod";

/**
 * What a business tells callers about itself: fees, prices, where it works,
 * how to pay, its accreditations, what it does not do. The receptionist
 * answers from these values as stored and from nothing else; a question they
 * do not answer goes to the owner as a message.
 */
export const priceSchema = z.object({
  /** The service it is the price of, when it is one of the business's services. */
  serviceId: z.string().min(1).optional(),
  /** How the price is said: "a dripping tap repair", "a new radiator fitted". */
  label: z.string().min(2),
  /** In whole currency units or with pence: 85, 92.5. */
  from: z.number().nonnegative(),
  /** The top of the range, when it is one. */
  to: z.number().nonnegative().optional(),
  /** Words to recognise it by in a question, on top of the label. */
  keywords: z.array(z.string().min(2)).default([]),
});
export type Price = z.infer<typeof priceSchema>;

export const businessProfileSchema = z.object({
  /** ISO 4217; prices are said in it. */
  currency: z.enum(["GBP", "EUR", "USD"]).default("GBP"),
  callOutFee: z.number().nonnegative().optional(),
  outOfHoursCallOutFee: z.number().nonnegative().optional(),
  prices: z.array(priceSchema).default([]),
  /** Towns and districts, as the owner would say them. */
  areasCovered: z.array(z.string().min(2)).default([]),
  paymentMethods: z.array(z.string().min(2)).default([]),
  /** "Gas Safe registered", "WaterSafe approved". */
  accreditations: z.array(z.string().min(2)).default([]),
  /** Work the business does not take on: "electrical work", "roofing". */
  notDone: z.array(z.string().min(2)).default([]),
});
export type BusinessProfile = z.infer<typeof businessProfileSchema>;

export const EMPTY_PROFILE: BusinessProfile = {
  currency: "GBP",
  prices: [],
  areasCovered: [],
  paymentMethods: [],
  accreditations: [],
  notDone: [],
};
