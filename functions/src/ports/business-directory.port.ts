import type { Business } from "../domain/business/business";

/** Finds a tenant: by the number a caller dialled, or by id. */
export interface BusinessDirectory {
  findByPhoneNumber(e164: string): Promise<Business | null>;
  getById(businessId: string): Promise<Business | null>;
}
