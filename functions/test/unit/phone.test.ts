import { strict as assert } from "node:assert";
import { maskPhoneNumber, normalisePhoneNumber } from "../../src/domain/phone/phone-number";
import { testTenantPhoneNumber } from "../support/test-tenant-phone-number";

const VALID: ReadonlyArray<readonly [raw: string, country: string, e164: string]> = [
  ["07700 900123", "GB", "+447700900123"],
  ["07700-900-123", "GB", "+447700900123"],
  ["(0117) 946 0123", "GB", "+441179460123"],
  ["+44 7700 900123", "GB", "+447700900123"],
  ["+44 (0)7700 900123", "GB", "+447700900123"],
  ["+44(0)117 946 0123", "GB", "+441179460123"],
  ["0044 7700 900123", "GB", "+447700900123"],
  ["447700900123", "GB", "+447700900123"],
  ["+4407700900123", "GB", "+447700900123"],
  ["016977 3456", "GB", "+44169773456"],
  ["0800 123 456", "GB", "+44800123456"],
  ["  07700900123  ", "gb", "+447700900123"],
  ["087 123 4567", "IE", "+353871234567"],
  ["01 234 5678", "IE", "+35312345678"],
  ["00353 87 123 4567", "IE", "+353871234567"],
  ["+353 (0)87 123 4567", "GB", "+353871234567"],
  ["(415) 555-2671", "US", "+14155552671"],
  ["415.555.2671", "US", "+14155552671"],
  ["1-415-555-2671", "US", "+14155552671"],
  ["011 44 7700 900123", "US", "+447700900123"],
  ["+1 415 555 2671", "GB", "+14155552671"],
  ["+33 1 23 45 67 89", "GB", "+33123456789"],
  ["+33 1 23 45 67 89", "FR", "+33123456789"],
  // Every country's plan, not only the business's: a French or Australian business too.
  ["01 23 45 67 89", "FR", "+33123456789"],
  ["0412 345 678", "AU", "+61412345678"],
  // Ofcom's drama ranges never ring anyone; the plan would refuse them.
  ["01632 960123", "GB", "+441632960123"],
  ["020 7946 0123", "GB", "+442079460123"],
  ["7700900123", "GB", "+447700900123"],
  ["0117 496 0123", "GB", "+441174960123"],
  ["0121 496 0999", "GB", "+441214960999"],
];

const INVALID: ReadonlyArray<readonly [raw: string, country: string, reason: RegExp]> = [
  ["", "GB", /empty/],
  ["07700 9OO123", "GB", /letters/],
  ["call me on 07700900123", "GB", /letters/],
  ["0770 090", "GB", /valid/],
  ["07700 900", "GB", /valid/],
  ["07911 12345", "GB", /valid/],
  ["077009001234", "GB", /long/],
  ["0770090012", "GB", /valid/],
  ["555-2671", "US", /short/],
  ["(015) 555-2671", "US", /valid/],
  ["+44 7700", "GB", /short/],
  ["+1234567890123456", "GB", /long/],
  ["07700 900123", "FR", /long/],
  ["07700 900123", "GBR", /unknown country/],
  ["+44 7700 901123", "GB", /valid/],
  ["07700+900123", "GB", /symbols/],
];

describe("phone number normalisation", () => {
  describe("when the number is valid", () => {
    for (const [raw, country, e164] of VALID) {
      it(`turns "${raw}" (${country}) into ${e164}`, () => {
        assert.deepEqual(normalisePhoneNumber(raw, country), { ok: true, e164 });
      });
    }
  });

  describe("when the number cannot be a phone number", () => {
    for (const [raw, country, reason] of INVALID) {
      it(`rejects "${raw}" (${country}) with a reason`, () => {
        const result = normalisePhoneNumber(raw, country);
        assert.equal(result.ok, false);
        if (!result.ok) assert.match(result.reason, reason);
      });
    }
  });

  it("accepts every number the test tenants are given, whatever their unique digits", () => {
    for (let lead = 0; lead <= 9; lead += 1) {
      const e164 = testTenantPhoneNumber(`${lead}${lead}0${lead}9${lead}`);
      assert.deepEqual(normalisePhoneNumber(e164, "GB"), { ok: true, e164 });
    }
  });

  describe("masking for logs", () => {
    it("keeps the country code and the last four digits", () => {
      assert.equal(maskPhoneNumber("+447700900123"), "+44******0123");
      assert.equal(maskPhoneNumber("+14155552671"), "+1******2671");
      assert.equal(maskPhoneNumber("+353871234567"), "+353*****4567");
    });

    it("never shows more than the tail of something that is not E.164", () => {
      assert.equal(maskPhoneNumber("07700900123"), "*********23");
      assert.equal(maskPhoneNumber("1"), "*");
    });

    it("masks every digit between the country code and the tail", () => {
      const masked = maskPhoneNumber("+447700900123");
      assert.ok(!masked.includes("7700900"));
    });
  });
});
