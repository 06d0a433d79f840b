import type { Firestore, WriteBatch } from "firebase-admin/firestore";
import { Business, businessSchema } from "../../domain/business/business";
import type { BusinessDirectory } from "../../ports/business-directory.port";
import { paths } from "./paths";

/**
 * Tenant config and number routes change rarely; a short cache saves a read
 * on every webhook. A settings change takes effect within this long.
 */
const CACHE_TTL_MS = 60_000;

export class FirestoreBusinessRepository implements BusinessDirectory {
  private readonly cache = new Map<string, { business: Business; expiresAt: number }>();
  /** Called number -> business: a call's first webhook finds its tenant without a read. */
  private readonly routes = new Map<string, { businessId: string; expiresAt: number }>();

  constructor(
    private readonly db: Firestore,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /**
   * A new call or text: always the saved settings (one read more per call,
   * none per turn), so a change the owner just made applies to the next call.
   * Which business a number belongs to hardly ever changes, so that is cached.
   */
  async findByPhoneNumber(e164: string): Promise<Business | null> {
    const cached = this.routes.get(e164);
    if (cached && cached.expiresAt > this.nowMs()) {
      return this.getById(cached.businessId, { fresh: true });
    }
    const route = await this.db.doc(paths.phoneRoute(e164)).get();
    const businessId = route.get("businessId");
    if (typeof businessId !== "string") return null;
    this.routes.set(e164, { businessId, expiresAt: this.nowMs() + CACHE_TTL_MS });
    return this.getById(businessId, { fresh: true });
  }

  async getById(businessId: string, options: { fresh?: boolean } = {}): Promise<Business | null> {
    const cached = this.cache.get(businessId);
    if (!options.fresh && cached && cached.expiresAt > this.nowMs()) return cached.business;
    const doc = await this.db.doc(paths.business(businessId)).get();
    if (!doc.exists) return null;
    // A malformed tenant config is a deployment error: fail loudly, naming the field.
    const business = businessSchema.parse({ ...doc.data(), id: doc.id });
    this.cache.set(businessId, { business, expiresAt: this.nowMs() + CACHE_TTL_MS });
    return business;
  }

  /** Writes a tenant and routes its phone number to it (seeding, admin tools). */
  async save(business: Business): Promise<void> {
    const batch = this.db.batch();
    this.addTo(batch, business);
    await batch.commit();
    this.cache.delete(business.id);
    this.routes.delete(business.phoneNumber);
  }

  /** The writes of save(), added to a batch that commits other writes with them. */
  addTo(batch: WriteBatch, business: Business): void {
    batch.set(this.db.doc(paths.business(business.id)), business);
    batch.set(this.db.doc(paths.phoneRoute(business.phoneNumber)), { businessId: business.id });
  }
}
