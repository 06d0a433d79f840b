/** Just enough of a business to apologise by name and text its owner. */
export interface FallbackContact {
  businessId: string;
  businessName: string;
  ownerMobile: string;
}

/**
 * What the voice fallback reads: the called number's business, with no
 * dependence on the rest of its settings being valid. Null when the number is
 * routed nowhere or the business's name and owner number cannot be read.
 */
export interface FallbackDirectory {
  contactFor(calledNumber: string): Promise<FallbackContact | null>;
}
