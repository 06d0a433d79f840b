import type { Firestore } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import { z } from "zod";
import type { Customer } from "../../domain/customers/customer";
import type { KeyedTurn } from "../../ports/call-writes.port";
import {
  CallConversation,
  ConversationStore,
  ConversationTurn,
  outcomeOf,
} from "../../ports/conversation-store.port";
import { turnFields } from "./call-writer";
import type { TranscriptRetention } from "../../ports/retention.port";
import { isAlreadyExists, optionalDate, toDate } from "./converters";
import { paths } from "./paths";

/**
 * A call's conversation is one small document (state, outcome, the last
 * answer), read once per webhook; its transcript is a subcollection of turn
 * documents, written with each turn and never read on the call's path.
 */
export class FirestoreConversationRepository implements ConversationStore {
  constructor(
    private readonly db: Firestore,
    /** Stamps each turn with its TTL field `expireAt` (docs/privacy.md); none without it. */
    private readonly retention?: TranscriptRetention,
  ) {}

  async get(businessId: string, callSid: string): Promise<CallConversation | null> {
    const doc = await this.db.doc(paths.conversation(businessId, callSid)).get();
    return doc.exists ? fromFirestore(doc.id, businessId, doc.data() ?? {}) : null;
  }

  async create(conversation: CallConversation, turns: KeyedTurn[]): Promise<"created" | "exists"> {
    const days = this.retention
      ? await this.retention.transcriptDays(conversation.businessId)
      : undefined;
    const batch = this.db.batch();
    batch.create(
      this.db.doc(paths.conversation(conversation.businessId, conversation.id)),
      toFirestore(conversation),
    );
    for (const turn of turns) {
      batch.set(
        this.db.doc(paths.callTurn(conversation.businessId, conversation.id, turn.key)),
        turnFields(turn, days),
      );
    }
    try {
      await batch.commit();
      return "created";
    } catch (error) {
      if (isAlreadyExists(error)) return "exists";
      throw error;
    }
  }

  async listTurns(businessId: string, callSid: string): Promise<ConversationTurn[]> {
    const snapshot = await this.db.collection(paths.conversationTurns(businessId, callSid)).get();
    return snapshot.docs
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((doc) => {
        const data = doc.data();
        return { ...(data as ConversationTurn), at: toDate(data.at) };
      });
  }

  async markAccepted(businessId: string, callSid: string, leg: number): Promise<void> {
    await this.db
      .doc(paths.conversation(businessId, callSid))
      .update({ "escalation.acceptedLeg": leg });
  }
}

function toFirestore(c: CallConversation): Record<string, unknown> {
  return {
    channel: c.channel,
    callerPhone: c.callerPhone,
    customerId: c.customerId ?? null,
    customer: c.customer ? customerSnapshot(c.customer) : null,
    startedAt: Timestamp.fromDate(c.startedAt),
    updatedAt: Timestamp.fromDate(c.updatedAt),
    endedAt: c.endedAt ? Timestamp.fromDate(c.endedAt) : null,
    // Dialogue state and the last answer are plain JSON by design.
    state: JSON.parse(JSON.stringify(c.state)) as unknown,
    lastAnswer: c.lastAnswer ? (JSON.parse(JSON.stringify(c.lastAnswer)) as unknown) : null,
    turnCount: c.turnCount,
    emergency: c.emergency,
    outcome: c.outcome ?? null,
    escalation: c.escalation ?? null,
    appointmentIds: c.appointmentIds,
  };
}

/** What a call needs to know of a known customer, kept on the conversation. */
function customerSnapshot(c: Customer): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    phone: c.phone,
    ...(c.address ? { address: c.address } : {}),
    ...(c.propertyNotes ? { propertyNotes: c.propertyNotes } : {}),
    ...(c.smsOptedOut ? { smsOptedOut: true } : {}),
  };
}

const customerSchema = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string(),
  address: z.string().optional(),
  propertyNotes: z.string().optional(),
  smsOptedOut: z.boolean().optional(),
});

const storedSchema = z.object({
  callerPhone: z.string().nullable(),
  customerId: z.string().nullable().optional(),
  customer: customerSchema.nullable().optional(),
  turnCount: z.number().int(),
  emergency: z.boolean(),
  outcome: z.string().nullable().optional(),
  endStatus: z.string().optional(),
  appointmentIds: z.array(z.string()).default([]),
});

function fromFirestore(
  id: string,
  businessId: string,
  data: Record<string, unknown>,
): CallConversation {
  const base = storedSchema.parse(data);
  const startedAt = toDate(data.startedAt);
  return {
    id,
    businessId,
    channel: "call",
    callerPhone: base.callerPhone,
    customerId: base.customerId ?? undefined,
    ...(base.customer
      ? { customer: { ...base.customer, businessId, createdAt: startedAt, updatedAt: startedAt } }
      : {}),
    startedAt,
    updatedAt: toDate(data.updatedAt),
    endedAt: optionalDate(data.endedAt),
    ...(base.endStatus ? { endStatus: base.endStatus } : {}),
    state: data.state as CallConversation["state"],
    lastAnswer: (data.lastAnswer ?? undefined) as CallConversation["lastAnswer"],
    turnCount: base.turnCount,
    emergency: base.emergency,
    outcome: outcomeOf({
      outcome: (base.outcome ?? undefined) as CallConversation["outcome"],
      endStatus: base.endStatus,
    }),
    escalation: (data.escalation ?? undefined) as CallConversation["escalation"],
    appointmentIds: base.appointmentIds,
  };
}
