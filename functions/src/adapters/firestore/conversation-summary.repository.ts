import type { Firestore } from "firebase-admin/firestore";
import { FieldPath, Timestamp } from "firebase-admin/firestore";
import { z } from "zod";
import type { DialogueState } from "../../domain/dialogue/dialogue-state";
import type { ConversationFacts, SummaryTurn } from "../../domain/summaries/conversation-summary";
import type {
  ConversationSummaryStore,
  StoredSummary,
} from "../../ports/conversation-summary.port";
import { isAlreadyExists } from "./converters";
import { paths } from "./paths";

const turnSchema = z.object({
  speaker: z.enum(["caller", "receptionist", "system"]),
  text: z.string(),
});

const storedSchema = z.object({
  channel: z.enum(["call", "sms"]).default("call"),
  callerPhone: z.string().nullable().default(null),
  customer: z.object({ name: z.string() }).partial().nullable().optional(),
  // The dialogue state is our own plain JSON; only what the summary leans on is checked.
  state: z.object({ stage: z.string(), draft: z.object({}).passthrough() }).passthrough(),
  escalation: z
    .object({ reason: z.enum(["emergency", "human"]), acceptedLeg: z.number().int().optional() })
    .nullable()
    .optional(),
  outcome: z.string().nullable().optional(),
  turns: z.array(z.unknown()).optional(),
});

/** Reads ended conversations and stores their summaries beside them. */
export class FirestoreConversationSummaryRepository implements ConversationSummaryStore {
  constructor(private readonly db: Firestore) {}

  async facts(businessId: string, conversationId: string): Promise<ConversationFacts | null> {
    const doc = await this.db.doc(paths.conversation(businessId, conversationId)).get();
    if (!doc.exists) return null;
    const parsed = storedSchema.safeParse(doc.data());
    if (!parsed.success) return null;
    const stored = parsed.data;
    // Turns live in the document (older calls) or one document each in its turns collection.
    const rawTurns =
      stored.turns ??
      (
        await this.db
          .collection(paths.conversationTurns(businessId, conversationId))
          .orderBy(FieldPath.documentId())
          .get()
      ).docs.map((d) => d.data());
    const turns: SummaryTurn[] = rawTurns.flatMap((t) => {
      const turn = turnSchema.safeParse(t);
      return turn.success ? [turn.data] : [];
    });
    return {
      channel: stored.channel,
      callerPhone: stored.callerPhone,
      customerName: stored.customer?.name,
      state: stored.state as unknown as DialogueState,
      turns,
      escalation: stored.escalation ?? undefined,
      outcome: stored.outcome ?? undefined,
    };
  }

  async create(businessId: string, record: StoredSummary): Promise<"created" | "exists"> {
    try {
      await this.db.doc(paths.conversationSummary(businessId, record.conversationId)).create({
        conversationId: record.conversationId,
        channel: record.channel,
        // Plain JSON: nulls for what the summary does not know.
        summary: JSON.parse(JSON.stringify(record.summary)) as unknown,
        text: record.text,
        outcome: record.summary.outcome,
        urgency: record.summary.urgency,
        needsOwner: record.summary.needsOwner,
        createdAt: Timestamp.fromDate(record.createdAt),
      });
      return "created";
    } catch (error) {
      if (isAlreadyExists(error)) return "exists";
      throw error;
    }
  }
}
