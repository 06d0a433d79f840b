/**
 * A test tenant's own number from six unique digits. 0117 2xx xxxx is a Bristol range the
 * numbering plan gives out whatever the digits, so the tenant's texts are never refused as
 * sent from an invalid number.
 */
export function testTenantPhoneNumber(uniqueSixDigits: string): string {
  return `+441172${uniqueSixDigits}`;
}
