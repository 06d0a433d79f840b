import type { Firestore } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import { z } from "zod";
import type {
  CallConversation,
  ConversationStore,
  ConversationTurn,
} from "../../ports/conversation-store.port";
import { isAlreadyExists, optionalDate, toDate } from "./converters";
import { paths } from "./paths";

/**
 * A call's conversation is one document: state, turns and the last answer.
 * Each turn costs one read and one write of it.
 */
export class FirestoreConversationRepository implements ConversationStore {
  constructor(private readonly db: Firestore) {}

  async get(businessId: string, callSid: string): Promise<CallConversation | null> {
    const doc = await this.db.doc(paths.conversation(businessId, callSid)).get();
    return doc.exists ? fromFirestore(doc.id, businessId, doc.data() ?? {}) : null;
  }

  async create(conversation: CallConversation): Promise<"created" | "exists"> {
    try {
      await this.db
        .doc(paths.conversation(conversation.businessId, conversation.id))
        .create(toFirestore(conversation));
      return "created";
    } catch (error) {
      if (isAlreadyExists(error)) return "exists";
      throw error;
    }
  }

  async save(conversation: CallConversation): Promise<void> {
    await this.db
      .doc(paths.conversation(conversation.businessId, conversation.id))
      .set(toFirestore(conversation));
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
    startedAt: Timestamp.fromDate(c.startedAt),
    updatedAt: Timestamp.fromDate(c.updatedAt),
    endedAt: c.endedAt ? Timestamp.fromDate(c.endedAt) : null,
    // Dialogue state and the last answer are plain JSON by design.
    state: JSON.parse(JSON.stringify(c.state)) as unknown,
    lastAnswer: c.lastAnswer ? (JSON.parse(JSON.stringify(c.lastAnswer)) as unknown) : null,
    turns: c.turns.map((t) => ({ ...stripUndefined(t), at: Timestamp.fromDate(t.at) })),
    turnCount: c.turnCount,
    emergency: c.emergency,
    outcome: c.outcome ?? null,
    escalation: c.escalation ?? null,
    appointmentIds: c.appointmentIds,
  };
}

const storedSchema = z.object({
  callerPhone: z.string().nullable(),
  customerId: z.string().nullable().optional(),
  turnCount: z.number().int(),
  emergency: z.boolean(),
  outcome: z.string().nullable().optional(),
  appointmentIds: z.array(z.string()).default([]),
});

function fromFirestore(
  id: string,
  businessId: string,
  data: Record<string, unknown>,
): CallConversation {
  const base = storedSchema.parse(data);
  const turns = Array.isArray(data.turns) ? (data.turns as Record<string, unknown>[]) : [];
  return {
    id,
    businessId,
    channel: "call",
    callerPhone: base.callerPhone,
    customerId: base.customerId ?? undefined,
    startedAt: toDate(data.startedAt),
    updatedAt: toDate(data.updatedAt),
    endedAt: optionalDate(data.endedAt),
    state: data.state as CallConversation["state"],
    lastAnswer: (data.lastAnswer ?? undefined) as CallConversation["lastAnswer"],
    turns: turns.map((t) => ({ ...(t as unknown as ConversationTurn), at: toDate(t.at) })),
    turnCount: base.turnCount,
    emergency: base.emergency,
    outcome: (base.outcome ?? undefined) as CallConversation["outcome"],
    escalation: (data.escalation ?? undefined) as CallConversation["escalation"],
    appointmentIds: base.appointmentIds,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
