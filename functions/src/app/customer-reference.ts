import { createHash } from "node:crypto";

/**
 * How the audit log names a customer: a hash of their number, so the log
 * can show that a given number was exported or erased without keeping the
 * number once the customer's data is gone.
 */
export function customerReference(phone: string): string {
  return `customer:${createHash("sha256").update(phone).digest("hex").slice(0, 16)}`;
}
