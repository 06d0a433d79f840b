import type { Customer } from "../domain/customers/customer";

export interface CustomerDetails {
  name: string;
  phone: string;
  address?: string;
  propertyNotes?: string;
}

export interface CustomerStore {
  /** The customer whose phone number is this E.164 number, if any. */
  findByPhone(businessId: string, e164: string): Promise<Customer | null>;
  /**
   * Customers whose address has this postcode and whose name matches the one
   * given (namesMatch in domain/customers/customer-identity.ts); [] when none.
   * How a caller from an unknown number proves a booking is theirs.
   */
  findByPostcodeAndName(businessId: string, postcode: string, name: string): Promise<Customer[]>;
  /** Creates the customer or updates the details given; returns the stored customer. */
  upsert(businessId: string, details: CustomerDetails): Promise<Customer>;
}
