import type { Firestore } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import type { Customer } from "../../domain/customers/customer";
import { namesMatch, postcodeKey } from "../../domain/customers/customer-identity";
import type { CustomerDetails, CustomerStore } from "../../ports/customer-store.port";
import type { SmsConsentStore } from "../../ports/sms-consent.port";
import { optionalString } from "./read-helpers";
import { isAlreadyExists, toDate } from "./converters";
import { paths } from "./paths";

/** Customers read per postcode lookup, newest first. */
const POSTCODE_SCAN_LIMIT = 25;

export class FirestoreCustomerRepository implements CustomerStore, SmsConsentStore {
  constructor(
    private readonly db: Firestore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async findByPhone(businessId: string, e164: string): Promise<Customer | null> {
    const doc = await this.db.doc(paths.customer(businessId, e164)).get();
    return doc.exists ? fromFirestore(doc.id, businessId, doc.data() ?? {}) : null;
  }

  async findByPostcodeAndName(
    businessId: string,
    postcode: string,
    name: string,
  ): Promise<Customer[]> {
    const key = postcodeKey(postcode);
    if (!key) return [];
    // Index: customers (postcodeKey ASC, updatedAt DESC), declared in firestore.indexes.json.
    // A postcode holds a handful of homes; the bound keeps a shared one cheap.
    const snapshot = await this.db
      .collection(paths.customers(businessId))
      .where("postcodeKey", "==", key)
      .orderBy("updatedAt", "desc")
      .limit(POSTCODE_SCAN_LIMIT)
      .get();
    return snapshot.docs
      .map((doc) => fromFirestore(doc.id, businessId, doc.data()))
      .filter((customer) => namesMatch(name, customer.name));
  }

  async upsert(businessId: string, details: CustomerDetails): Promise<Customer> {
    const ref = this.db.doc(paths.customer(businessId, details.phone));
    const now = this.now();
    const fields = customerDetailFields(details, now);
    try {
      await ref.create({ ...fields, createdAt: Timestamp.fromDate(now) });
      return { id: ref.id, businessId, ...details, createdAt: now, updatedAt: now };
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    await ref.set(fields, { merge: true });
    const stored = await ref.get();
    return fromFirestore(stored.id, businessId, stored.data() ?? {});
  }

  async setSmsOptOut(
    businessId: string,
    phone: string,
    optedOut: boolean,
    at: Date,
  ): Promise<Customer> {
    const ref = this.db.doc(paths.customer(businessId, phone));
    const when = Timestamp.fromDate(at);
    try {
      // An unknown number: a customer with no name, so the opt-out is kept (and not greeted).
      await ref.create({
        name: "",
        phone,
        smsOptedOut: optedOut,
        ...(optedOut ? { smsOptedOutAt: when } : {}),
        createdAt: when,
        updatedAt: when,
      });
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      await ref.update({
        smsOptedOut: optedOut,
        // null rather than a delete: the embedded Firestore does not apply field deletes.
        smsOptedOutAt: optedOut ? when : null,
        updatedAt: when,
      });
    }
    const stored = await ref.get();
    return fromFirestore(stored.id, businessId, stored.data() ?? {});
  }
}

/** The fields an upsert writes (merged into the customer document): the details given and updatedAt. */
export function customerDetailFields(details: CustomerDetails, now: Date): Record<string, unknown> {
  return {
    name: details.name,
    phone: details.phone,
    ...(details.address ? { address: details.address } : {}),
    // Normalised for findByPostcodeAndName; null when the address has no full postcode.
    ...(details.address ? { postcodeKey: postcodeKey(details.address) } : {}),
    ...(details.propertyNotes ? { propertyNotes: details.propertyNotes } : {}),
    updatedAt: Timestamp.fromDate(now),
  };
}

function fromFirestore(id: string, businessId: string, data: Record<string, unknown>): Customer {
  return {
    id,
    businessId,
    name: String(data.name ?? ""),
    phone: String(data.phone ?? id),
    address: optionalString(data.address),
    propertyNotes: optionalString(data.propertyNotes),
    ...(data.smsOptedOut === true ? { smsOptedOut: true } : {}),
    ...(data.smsOptedOutAt ? { smsOptedOutAt: toDate(data.smsOptedOutAt) } : {}),
    createdAt: toDate(data.createdAt ?? data.updatedAt),
    updatedAt: toDate(data.updatedAt ?? data.createdAt),
  };
}
