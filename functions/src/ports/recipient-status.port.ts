/** What delivery needs to know about a customer before texting them. */
export interface RecipientInfo {
  /** They texted STOP (or another opt-out word): send nothing. */
  optedOut: boolean;
  /** Their name, for the owner's failure notice. */
  name?: string;
}

export interface RecipientStatus {
  /** The customer with this E.164 number; not opted out and nameless when unknown. */
  recipient(businessId: string, e164: string): Promise<RecipientInfo>;
}
