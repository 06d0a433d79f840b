import * as fs from "node:fs";
import * as path from "node:path";
import { Business, businessSchema } from "../../src/domain/business/business";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { FirestoreBusinessRepository } from "../../src/adapters/firestore/business.repository";
import { FirestoreCustomerRepository } from "../../src/adapters/firestore/customer.repository";
import type { CustomerDetails } from "../../src/ports/customer-store.port";
import { testTenantPhoneNumber } from "./test-tenant-phone-number";

const SEED_FILE = path.resolve(__dirname, "../../../../emulator-data/seed/bristol-plumbing.json");

let counter = 0;

/**
 * Writes a fresh copy of the demo tenant under a unique id and phone number,
 * so tests sharing one Firestore never see each other's data.
 */
export async function createTestTenant(
  overrides: Partial<Business> = {},
  customers: CustomerDetails[] = [],
): Promise<Business> {
  counter += 1;
  const seed = JSON.parse(fs.readFileSync(SEED_FILE, "utf8")) as { business: unknown };
  const unique = `${process.pid}${counter}`.slice(-6).padStart(6, "0");
  const seeded = seed.business as { notifications?: object };
  const business = businessSchema.parse({
    ...seeded,
    id: `test-tenant-${Date.now().toString(36)}-${counter}`,
    phoneNumber: testTenantPhoneNumber(unique),
    // These suites run the functions on the real clock: without quiet hours and a customer
    // night, what they assert holds at any hour. Those windows are tested on controlled clocks.
    notifications: { ...seeded.notifications, ownerQuietHours: null, customerNight: null },
    ...overrides,
  });
  const db = appFirestore();
  await new FirestoreBusinessRepository(db).save(business);
  const customerRepository = new FirestoreCustomerRepository(db);
  for (const customer of customers) await customerRepository.upsert(business.id, customer);
  return business;
}
