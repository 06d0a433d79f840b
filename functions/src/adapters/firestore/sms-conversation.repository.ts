import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import type { SmsPending, SmsThread, SmsTurn } from "../../domain/sms/sms-thread";
import type { SmsConversations } from "../../ports/sms-conversation.port";
import { paths } from "./paths";

/**
 * One document per customer number, businesses/{b}/conversations/sms-{E164}:
 * channel "sms", the turns (appended with arrayUnion, so a writer needs no
 * read first) and what the next inbound text continues.
 */
export class FirestoreSmsConversationRepository implements SmsConversations {
  constructor(private readonly db: Firestore) {}

  async append(businessId: string, phone: string, turn: SmsTurn): Promise<void> {
    const at = Timestamp.fromDate(turn.at);
    await this.db.doc(paths.smsConversation(businessId, phone)).set(
      {
        channel: "sms",
        phone,
        updatedAt: at,
        turns: FieldValue.arrayUnion({
          at,
          speaker: turn.speaker,
          text: turn.text,
          ...(turn.messageId ? { messageId: turn.messageId } : {}),
        }),
      },
      { merge: true },
    );
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

const offer = z.object({ start: z.string(), end: z.string() });

const pendingSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("booking"),
      callSid: z.string().min(1),
      // The dialogue state is the call's own, stored as the call stores it.
      state: z.looseObject({ stage: z.string(), draft: z.object({}).loose() }),
      expiresAt: z.string(),
    }),
    z.object({
      kind: z.literal("reschedule"),
      appointmentId: z.string().min(1),
      offers: z.array(offer).min(1),
      declinedStarts: z.array(z.string()).default([]),
      expiresAt: z.string(),
    }),
  ])
  .nullable();
