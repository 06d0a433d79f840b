import type { TravelPolicy } from "../business/business";

/** A full UK postcode ("BS6 6DR"); the outward part ("BS6") is the district. */
const UK_POSTCODE = /\b([A-Z]{1,2}\d[A-Z\d]?) ?\d[A-Z]{2}\b/gi;
/** An outward code alone at the end of an address ("..., Bristol BS6"). */
const UK_DISTRICT_AT_END = /\b([A-Z]{1,2}\d[A-Z\d]?)$/i;
/** A US ZIP code at the end of an address ("Brooklyn, NY 11201" or "11201-1234"). */
const US_ZIP_AT_END = /\b(\d{5})(?:-\d{4})?$/;

/**
 * The area an address is in, for travel time: its UK postcode district
 * ("BS6") or US ZIP code ("11201"), upper case; null when it has neither.
 */
export function areaOf(address: string | null | undefined): string | null {
  if (!address) return null;
  const text = address.trim().replace(/[.,;\s]+$/, "");
  let district: string | null = null;
  // The last postcode wins: "Flat 2, 41 Whiteladies Road, Bristol BS8 2LS".
  for (const m of text.matchAll(UK_POSTCODE)) district = m[1];
  if (district) return district.toUpperCase();
  const outward = UK_DISTRICT_AT_END.exec(text);
  if (outward && /^[A-Z]{1,2}\d/i.test(outward[1])) return outward[1].toUpperCase();
  const zip = US_ZIP_AT_END.exec(text);
  return zip ? zip[1] : null;
}

/**
 * Minutes to allow between two back-to-back jobs in these areas: none in
 * the same district or zone, the larger zone figure between two zones, and
 * the policy's default when either area is unknown or in no zone.
 */
export function travelMinutesBetween(
  policy: TravelPolicy,
  a: string | null,
  b: string | null,
): number {
  if (a !== null && a === b) return 0;
  const zoneA = a === null ? undefined : policy.zones.find((z) => z.districts.includes(a));
  const zoneB = b === null ? undefined : policy.zones.find((z) => z.districts.includes(b));
  if (!zoneA || !zoneB) return policy.defaultMinutes;
  if (zoneA === zoneB) return 0;
  return Math.max(zoneA.minutes, zoneB.minutes);
}
