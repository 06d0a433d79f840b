import type { Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import type { FallbackContact, FallbackDirectory } from "../../ports/fallback-directory.port";
import { paths } from "./paths";

const contactFields = z.object({
  name: z.string().min(1),
  ownerMobile: z.string().regex(/^\+[1-9]\d{6,14}$/),
});

/**
 * The voice fallback's one lookup: the number's route, then two fields of the
 * business document, read raw so a settings field the full profile would
 * refuse does not stop the caller's apology or the owner's text.
 */
export class FirestoreFallbackDirectory implements FallbackDirectory {
  constructor(private readonly db: Firestore) {}

  async contactFor(calledNumber: string): Promise<FallbackContact | null> {
    const route = await this.db.doc(paths.phoneRoute(calledNumber)).get();
    const businessId = route.get("businessId");
    if (typeof businessId !== "string") return null;
    const doc = await this.db.doc(paths.business(businessId)).get();
    const fields = contactFields.safeParse(doc.data() ?? {});
    if (!fields.success) return null;
    return { businessId, businessName: fields.data.name, ownerMobile: fields.data.ownerMobile };
  }
}
