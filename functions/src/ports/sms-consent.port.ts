import type { Customer } from "../domain/customers/customer";

/** Whether a customer accepts texts; stored on the customer (smsOptedOut). */
export interface SmsConsentStore {
  /**
   * Records an opt-out (true) or opt-in (false) for this number, creating a
   * minimal customer (no name) when the number is not a customer yet.
   */
  setSmsOptOut(businessId: string, phone: string, optedOut: boolean, at: Date): Promise<Customer>;
}
