import type { Firestore } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import type { Customer } from "../../domain/customers/customer";
import type { CustomerDetails, CustomerStore } from "../../ports/customer-store.port";
import { optionalString } from "./read-helpers";
import { isAlreadyExists, toDate } from "./converters";
import { paths } from "./paths";

export class FirestoreCustomerRepository implements CustomerStore {
  constructor(
    private readonly db: Firestore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async findByPhone(businessId: string, e164: string): Promise<Customer | null> {
    const doc = await this.db.doc(paths.customer(businessId, e164)).get();
    return doc.exists ? fromFirestore(doc.id, businessId, doc.data() ?? {}) : null;
  }

  async upsert(businessId: string, details: CustomerDetails): Promise<Customer> {
    const ref = this.db.doc(paths.customer(businessId, details.phone));
    const now = this.now();
    const fields = {
      name: details.name,
      phone: details.phone,
      ...(details.address ? { address: details.address } : {}),
      ...(details.propertyNotes ? { propertyNotes: details.propertyNotes } : {}),
      updatedAt: Timestamp.fromDate(now),
    };
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
}

function fromFirestore(id: string, businessId: string, data: Record<string, unknown>): Customer {
  return {
    id,
    businessId,
    name: String(data.name ?? ""),
    phone: String(data.phone ?? id),
    address: optionalString(data.address),
    propertyNotes: optionalString(data.propertyNotes),
    createdAt: toDate(data.createdAt ?? data.updatedAt),
    updatedAt: toDate(data.updatedAt ?? data.createdAt),
  };
}
