import type { Firestore } from "firebase-admin/firestore";
import { FieldPath, FieldValue, Timestamp } from "firebase-admin/firestore";
import { z } from "zod";
import type { DialogueState } from "../../domain/dialogue/dialogue-state";
import {
  type ConversationFacts,
  messageProgress,
  type RecordedMessageFact,
  type SummaryTurn,
} from "../../domain/summaries/conversation-summary";
import { episodeState, type SmsEpisodeStep } from "../../domain/summaries/sms-episode";
import type {
  ConversationSummaryStore,
  DueSmsThread,
  SmsEpisode,
  SmsSummaryStore,
  StoredSummary,
  SummarySaved,
} from "../../ports/conversation-summary.port";
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

/** The recording on a recorded message's turn, as recorded-message.repository.ts writes it. */
const recordingSchema = z.object({
  durationSeconds: z.number().min(0),
  transcribed: z.boolean(),
  transcript: z.string().optional(),
});

/** A stored summary's message, as summaryDocument wrote it. */
const storedMessageSchema = z
  .object({ seconds: z.number(), words: z.string().nullable() })
  .nullable()
  .catch(null);

/** A text thread's document: what its summary is built from (sms-conversation.repository.ts). */
const threadSchema = z.object({
  channel: z.literal("sms"),
  phone: z.string(),
  summaryDueAt: z.instanceof(Timestamp).nullable().optional(),
  summarisedThrough: z.instanceof(Timestamp).nullable().optional(),
  episode: z.record(z.string(), z.unknown()).nullable().optional(),
});

const stepSchema = z.object({
  at: z.string(),
  done: z.array(z.object({ action: z.string() }).passthrough()).default([]),
  draft: z
    .object({ name: z.string(), address: z.string(), problem: z.string() })
    .partial()
    .default({}),
  emergency: z.object({ kind: z.string(), label: z.string(), words: z.string() }).optional(),
  safetyAsked: z.array(z.string()).optional(),
  customerName: z.string().optional(),
});

const SMS_SPEAKERS: Record<string, SummaryTurn["speaker"]> = {
  customer: "caller",
  receptionist: "receptionist",
  "owner-forward": "system",
};

/** Reads conversations and stores their summaries beside them (same id as the conversation). */
export class FirestoreConversationSummaryRepository
  implements ConversationSummaryStore, SmsSummaryStore
{
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
    // A recorded message's turn (recorded-message.repository.ts) once its transcription landed.
    const recordings: RecordedMessageFact[] = rawTurns.flatMap((t) => {
      const recording = recordingSchema.safeParse((t as { recording?: unknown }).recording);
      if (!recording.success) return [];
      const { durationSeconds, transcribed, transcript } = recording.data;
      return [{ seconds: durationSeconds, words: transcribed ? (transcript ?? "") : null }];
    });
    return {
      channel: stored.channel,
      callerPhone: stored.callerPhone,
      customerName: stored.customer?.name,
      state: stored.state as unknown as DialogueState,
      turns,
      escalation: stored.escalation ?? undefined,
      outcome: stored.outcome ?? undefined,
      ...(recordings.length > 0 ? { recordings } : {}),
    };
  }

  async save(businessId: string, record: StoredSummary): Promise<SummarySaved> {
    const ref = this.db.doc(paths.conversationSummary(businessId, record.conversationId));
    return this.db.runTransaction(async (tx) => {
      const stored = await tx.get(ref);
      if (!stored.exists) {
        tx.create(ref, summaryDocument(record));
        return "created";
      }
      const before = messageProgress({
        message: storedMessageSchema.parse(stored.get("summary.message")),
      });
      if (messageProgress(record.summary) <= before) return "exists";
      const createdAt: unknown = stored.get("createdAt");
      tx.set(ref, {
        ...summaryDocument(record),
        createdAt:
          createdAt instanceof Timestamp ? createdAt : Timestamp.fromDate(record.createdAt),
        updatedAt: Timestamp.fromDate(record.updatedAt ?? record.createdAt),
      });
      return "updated";
    });
  }

  /** One collection-group query on summaryDueAt (its index is in firestore.indexes.json). */
  async dueSmsThreads(now: Date, limit: number): Promise<DueSmsThread[]> {
    const snapshot = await this.db
      .collectionGroup("conversations")
      .where("summaryDueAt", "<=", Timestamp.fromDate(now))
      .orderBy("summaryDueAt")
      .limit(limit)
      .get();
    return snapshot.docs.flatMap((doc) => {
      const businessId = doc.ref.parent.parent?.id;
      const dueAt = doc.get("summaryDueAt") as unknown;
      if (!businessId || !(dueAt instanceof Timestamp)) return [];
      return [{ businessId, conversationId: doc.id, dueAt: dueAt.toDate() }];
    });
  }

  async smsEpisode(businessId: string, conversationId: string): Promise<SmsEpisode | null> {
    const doc = await this.db.doc(paths.conversation(businessId, conversationId)).get();
    const parsed = threadSchema.safeParse(doc.data());
    if (!doc.exists || !parsed.success) return null;
    const thread = parsed.data;
    const steps = Object.values(thread.episode ?? {}).flatMap((raw) => {
      const step = stepSchema.safeParse(raw);
      return step.success ? [step.data] : [];
    });
    // Only the turns since the thread's last summary: its new episode.
    const since = thread.summarisedThrough ?? Timestamp.fromMillis(0);
    const snapshot = await this.db
      .collection(paths.conversationTurns(businessId, conversationId))
      .where("at", ">", since)
      .orderBy("at")
      .get();
    const turns = snapshot.docs.flatMap((d) => {
      const at = d.get("at") as unknown;
      const speaker = SMS_SPEAKERS[String(d.get("speaker"))];
      const text = d.get("text") as unknown;
      if (!(at instanceof Timestamp) || !speaker || typeof text !== "string") return [];
      return [{ at, speaker, text }];
    });
    const customerName = steps.map((s) => s.customerName).find((n) => n);
    return {
      facts: {
        channel: "sms",
        callerPhone: thread.phone,
        ...(customerName ? { customerName } : {}),
        state: episodeState(steps as SmsEpisodeStep[]),
        turns: turns.map(({ speaker, text }) => ({ speaker, text })),
      },
      dueAt: thread.summaryDueAt ? thread.summaryDueAt.toDate() : null,
      coveredThrough: turns.length > 0 ? turns[turns.length - 1].at.toDate() : null,
    };
  }

  async finishSmsEpisode(
    businessId: string,
    conversationId: string,
    dueAt: Date,
    record: StoredSummary | null,
    coveredThrough: Date | null,
  ): Promise<"written" | "cleared" | "superseded"> {
    const threadRef = this.db.doc(paths.conversation(businessId, conversationId));
    return this.db.runTransaction(async (tx) => {
      const thread = await tx.get(threadRef);
      const current = thread.get("summaryDueAt") as unknown;
      if (!(current instanceof Timestamp) || current.toMillis() !== dueAt.getTime()) {
        return "superseded";
      }
      if (record) {
        // Replaced, not created: the thread's summary is its latest episode's.
        tx.set(
          this.db.doc(paths.conversationSummary(businessId, conversationId)),
          summaryDocument(record),
        );
      }
      tx.update(threadRef, {
        summaryDueAt: FieldValue.delete(),
        episode: FieldValue.delete(),
        ...(coveredThrough ? { summarisedThrough: Timestamp.fromDate(coveredThrough) } : {}),
      });
      return record ? "written" : "cleared";
    });
  }
}

/** A summary as stored: the structured summary, its paragraph, and the fields queries use. */
function summaryDocument(record: StoredSummary): Record<string, unknown> {
  return {
    conversationId: record.conversationId,
    channel: record.channel,
    // Plain JSON: nulls for what the summary does not know.
    summary: JSON.parse(JSON.stringify(record.summary)) as unknown,
    text: record.text,
    ...(record.modelText !== undefined ? { modelText: record.modelText } : {}),
    ...(record.modelCheck ? { modelCheck: { ...record.modelCheck } } : {}),
    outcome: record.summary.outcome,
    urgency: record.summary.urgency,
    needsOwner: record.summary.needsOwner,
    createdAt: Timestamp.fromDate(record.createdAt),
  };
}
