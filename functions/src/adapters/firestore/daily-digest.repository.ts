import type { Firestore } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import { z } from "zod";
import { type Business, businessSchema } from "../../domain/business/business";
import type { ConversationSummary } from "../../domain/summaries/conversation-summary";
import type { DigestSource } from "../../ports/daily-digest.port";
import type { Logger } from "../../ports/logger.port";
import { paths } from "./paths";
import { logError } from "../../logs";

/** A digest lists at most this many conversations' worth of reads per business. */
const MAX_SUMMARIES = 500;

/** The fields of a stored summary the digest uses; anything else is ignored. */
const storedSummarySchema = z.object({
  summary: z.object({
    who: z.string(),
    outcome: z.string(),
    actions: z.array(z.string()).default([]),
    job: z.string().nullable().default(null),
    address: z.string().nullable().default(null),
    urgency: z.enum(["emergency", "high", "normal"]),
    ownerAction: z.string(),
    needsOwner: z.boolean(),
    firstWords: z.string().nullable().default(null),
  }),
});

/** Reads tenants and their conversation summaries for the owner's daily digest. */
export class FirestoreDigestSource implements DigestSource {
  constructor(
    private readonly db: Firestore,
    private readonly logger: Logger,
  ) {}

  async businesses(): Promise<Business[]> {
    const docs = (await this.db.collection("businesses").get()).docs;
    return docs.flatMap((doc) => {
      const parsed = businessSchema.safeParse({ ...doc.data(), id: doc.id });
      if (parsed.success) return [parsed.data];
      // One tenant's bad settings must not stop the others' digests.
      logError(this.logger, "digest.business-unreadable", {
        businessId: doc.id,
        field: parsed.error.issues[0]?.path.join(".") ?? "",
      });
      return [];
    });
  }

  async summariesBetween(businessId: string, from: Date, to: Date): Promise<ConversationSummary[]> {
    const snapshot = await this.db
      .collection(paths.conversationSummaries(businessId))
      .where("createdAt", ">=", Timestamp.fromDate(from))
      .where("createdAt", "<", Timestamp.fromDate(to))
      .orderBy("createdAt")
      .limit(MAX_SUMMARIES)
      .get();
    return snapshot.docs.flatMap((doc) => {
      const parsed = storedSummarySchema.safeParse(doc.data());
      return parsed.success ? [parsed.data.summary as ConversationSummary] : [];
    });
  }
}
