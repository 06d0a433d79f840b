/**
 * A business's customer. The id is the customer's phone number in E.164, so
 * a repeat caller is found with one document read of their caller ID.
 */
export interface Customer {
  id: string;
  businessId: string;
  name: string;
  phone: string;
  address?: string;
  /** What the business knows of the property, e.g. where the stopcock is. */
  propertyNotes?: string;
  /** Texted STOP (or another carrier opt-out word): send nothing until they opt back in. */
  smsOptedOut?: boolean;
  smsOptedOutAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}
