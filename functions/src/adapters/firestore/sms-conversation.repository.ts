import { createHash } from "node:crypto";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import type { SmsPending, SmsThread, SmsTurn } from "../../domain/sms/sms-thread";
import type { SmsConversations } from "../../ports/sms-conversation.port";
import { expiryOf } from "../../domain/privacy/retention";
import type { TranscriptRetention } from "../../ports/retention.port";
import { type SmsEpisodeStep, smsSummaryDueAt } from "../../domain/summaries/sms-episode";
import { paths } from "./paths";

/**
 * One document per customer number, businesses/{b}/conversations/sms-{E164}:
 * channel "sms", the last turn and what the next inbound text continues.
 * Each turn is its own document under it (turns/{millis}-{speaker}-{ref}):
 * an append is one blind write, safe from concurrent writers and idempotent
 * when retried, on production Firestore and the embedded server alike (which
 * has no arrayUnion). Turn ids sort in time order.
 */
export class FirestoreSmsConversationRepository implements SmsConversations {
  constructor(
    private readonly db: Firestore,
    /** Stamps each turn with its TTL field `expireAt` (docs/privacy.md); none without it. */
    private readonly retention?: TranscriptRetention,
  ) {}

  async append(businessId: string, phone: string, turn: SmsTurn): Promise<void> {
    const at = Timestamp.fromDate(turn.at);
    const days = this.retention ? await this.retention.transcriptDays(businessId) : undefined;
    const stored = {
      at,
      speaker: turn.speaker,
      text: turn.text,
      ...(turn.messageId ? { messageId: turn.messageId } : {}),
    };
    await this.db.doc(`${paths.smsTurns(businessId, phone)}/${turnId(turn)}`).set({
      ...stored,
      ...(days !== undefined ? { expireAt: Timestamp.fromDate(expiryOf(turn.at, days)) } : {}),
    });
    await this.db
      .doc(paths.smsConversation(businessId, phone))
      .set({ channel: "sms", phone, updatedAt: at, lastTurn: stored }, { merge: true });
  }

  /** One write: the step under its key and the due time together, so a summary never misses a step. */
  async recordStep(
    businessId: string,
    phone: string,
    key: string,
    step: SmsEpisodeStep,
  ): Promise<void> {
    await this.db.doc(paths.smsConversation(businessId, phone)).set(
      {
        channel: "sms",
        phone,
        // Plain JSON, like the dialogue state; merged into the episode map by key.
        episode: { [key]: JSON.parse(JSON.stringify(step)) as unknown },
        summaryDueAt: Timestamp.fromDate(smsSummaryDueAt(new Date(step.at))),
      },
      { merge: true },
    );
  }

  /** Every turn, oldest first. */
  async listTurns(businessId: string, phone: string): Promise<SmsTurn[]> {
    const snapshot = await this.db.collection(paths.smsTurns(businessId, phone)).get();
    return snapshot.docs
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((doc) => {
        const data = turnSchema.parse(doc.data());
        return {
          at: data.at.toDate(),
          speaker: data.speaker,
          text: data.text,
          ...(data.messageId ? { messageId: data.messageId } : {}),
        };
      });
  }

  async getThread(businessId: string, phone: string): Promise<SmsThread | null> {
    const doc = await this.db.doc(paths.smsConversation(businessId, phone)).get();
    if (!doc.exists) return null;
    const pending = pendingSchema.safeParse(doc.get("pending") ?? null);
    // A pending state we cannot read is dropped rather than trusted.
    return {
      businessId,
      phone,
      pending: pending.success ? (pending.data as SmsPending | null) : null,
    };
  }

  async setPending(
    businessId: string,
    phone: string,
    pending: SmsPending | null,
    at: Date,
  ): Promise<void> {
    await this.db.doc(paths.smsConversation(businessId, phone)).set(
      {
        channel: "sms",
        phone,
        updatedAt: Timestamp.fromDate(at),
        // Plain JSON by design, like a call's dialogue state.
        pending: pending ? (JSON.parse(JSON.stringify(pending)) as unknown) : null,
      },
      { merge: true },
    );
  }
}

/** The state itself is checked by the use case (readDialogueState), which can recover. */
const pendingSchema = z
  .union([
    z.object({
      conversationId: z.string().min(1),
      state: z.unknown(),
      expiresAt: z.string(),
    }),
    // Stored before conversations by text had their own id: a dropped call's booking.
    z
      .object({
        kind: z.literal("booking"),
        callSid: z.string().min(1),
        state: z.unknown(),
        expiresAt: z.string(),
      })
      .transform(({ callSid, state, expiresAt }) => ({
        conversationId: callSid,
        state,
        expiresAt,
      })),
  ])
  .nullable();

const turnSchema = z.object({
  at: z.instanceof(Timestamp),
  speaker: z.enum(["customer", "receptionist", "owner-forward"]),
  text: z.string(),
  messageId: z.string().optional(),
});

/** Time first (13-digit millis sort as text), then who, then what: the same turn gets the same id. */
function turnId(turn: SmsTurn): string {
  const ref = turn.messageId ?? createHash("sha256").update(turn.text).digest("hex").slice(0, 16);
  return `${String(turn.at.getTime()).padStart(13, "0")}-${turn.speaker}-${ref.replace(/\//g, "_")}`;
}
