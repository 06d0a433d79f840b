import type {
  DocumentReference,
  DocumentSnapshot,
  Firestore,
  QuerySnapshot,
} from "firebase-admin/firestore";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import type { ScreeningEntry } from "../../domain/abuse/abuse-policy";
import type { AuditEntry } from "../../ports/dashboard.port";
import type {
  CustomerData,
  CustomerRecords,
  ErasedCounts,
  PlainDocument,
  ScreeningList,
} from "../../ports/privacy.port";
import { auditRef, auditToFirestore } from "./audit-entry";
import { screeningEntryFields, screeningEntryFrom } from "./caller-gate.repository";
import { paths } from "./paths";

/** Firestore values as JSON: timestamps as ISO strings, references as paths. */
function plainValue(value: unknown): unknown {
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (Array.isArray(value)) return value.map(plainValue);
  if (value && typeof value === "object") {
    const maybeRef = value as { path?: unknown; firestore?: unknown };
    if (typeof maybeRef.path === "string" && maybeRef.firestore) return maybeRef.path;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
  }
  return value;
}

function plain(doc: DocumentSnapshot): PlainDocument {
  return {
    id: doc.id,
    path: doc.ref.path,
    ...(plainValue(doc.data() ?? {}) as Record<string, unknown>),
  };
}

const BATCH = 400;

async function commitInBatches(
  db: Firestore,
  writes: Array<(batch: FirebaseFirestore.WriteBatch) => void>,
  last: (batch: FirebaseFirestore.WriteBatch) => void,
): Promise<void> {
  for (let i = 0; i < writes.length; i += BATCH) {
    const batch = db.batch();
    for (const write of writes.slice(i, i + BATCH)) write(batch);
    await batch.commit();
  }
  const final = db.batch();
  last(final);
  await final.commit();
}

/**
 * One customer's documents, found by their number: the customer document
 * (its id is the number), appointments (customerId), call conversations
 * (callerPhone) and their SMS thread, with turns, summaries and inbox marks;
 * texts sent (outbox, by `to`), received (inboundSms, by `from`) and waiting
 * (scheduledSms, by business and `to`); the top-level indexes that point at
 * them (calls/{CallSid}, smsBySid/{MessageSid}).
 */
export class FirestoreCustomerRecords implements CustomerRecords, ScreeningList {
  constructor(private readonly db: Firestore) {}

  private async found(businessId: string, phone: string) {
    const b = paths.business(businessId);
    const [customer, appointments, calls, smsThread, outbox, inbound, scheduled] =
      await Promise.all([
        this.db.doc(paths.customer(businessId, phone)).get(),
        this.db.collection(`${b}/appointments`).where("customerId", "==", phone).get(),
        this.db.collection(`${b}/conversations`).where("callerPhone", "==", phone).get(),
        this.db.doc(paths.smsConversation(businessId, phone)).get(),
        this.db.collection(paths.outbox(businessId)).where("to", "==", phone).get(),
        this.db.collection(`${b}/inboundSms`).where("from", "==", phone).get(),
        this.db
          .collection(paths.scheduledSms())
          .where("businessId", "==", businessId)
          .where("to", "==", phone)
          .get(),
      ]);
    const conversationDocs = [...calls.docs, ...(smsThread.exists ? [smsThread] : [])];
    const conversations = await Promise.all(
      conversationDocs.map(async (doc) => ({
        doc,
        turns: await doc.ref.collection("turns").get(),
        summary: await this.db.doc(paths.conversationSummary(businessId, doc.id)).get(),
      })),
    );
    return { customer, appointments, conversations, outbox, inbound, scheduled };
  }

  async collect(businessId: string, phone: string): Promise<CustomerData> {
    const f = await this.found(businessId, phone);
    const docs = (q: QuerySnapshot) => q.docs.map(plain);
    return {
      customer: f.customer.exists ? plain(f.customer) : null,
      appointments: docs(f.appointments),
      conversations: f.conversations.map((c) => ({
        ...plain(c.doc),
        turns: docs(c.turns),
        summary: c.summary.exists ? plain(c.summary) : null,
      })),
      outbox: docs(f.outbox),
      inboundTexts: docs(f.inbound),
      scheduledTexts: docs(f.scheduled),
    };
  }

  async upcomingBooked(businessId: string, phone: string, now: Date): Promise<number> {
    const snapshot = await this.db
      .collection(paths.appointments(businessId))
      .where("customerId", "==", phone)
      .where("start", ">=", Timestamp.fromDate(now))
      .get();
    return snapshot.docs.filter((d) => d.get("status") === "booked").length;
  }

  async recordExport(businessId: string, audit: AuditEntry): Promise<void> {
    await auditRef(this.db, businessId).create(auditToFirestore(audit));
  }

  async erase(
    businessId: string,
    phone: string,
    audit: AuditEntry,
    now: Date,
  ): Promise<ErasedCounts> {
    const f = await this.found(businessId, phone);
    const writes: Array<(batch: FirebaseFirestore.WriteBatch) => void> = [];
    const remove = (ref: DocumentReference) => writes.push((batch) => batch.delete(ref));
    for (const appointment of f.appointments.docs) {
      // Kept for the business's own records (jobs done, times, service), with nobody in it.
      writes.push((batch) =>
        batch.update(appointment.ref, {
          customerId: "erased",
          customerName: "(erased)",
          customerPhone: "",
          address: "(erased)",
          problem: FieldValue.delete(),
          erasedAt: Timestamp.fromDate(now),
        }),
      );
    }
    let turns = 0;
    let summaries = 0;
    for (const c of f.conversations) {
      for (const turn of c.turns.docs) remove(turn.ref);
      turns += c.turns.size;
      if (c.summary.exists) {
        remove(c.summary.ref);
        summaries += 1;
      }
      remove(this.db.doc(paths.inboxMark(businessId, c.doc.id)));
      if (c.doc.get("channel") !== "sms") remove(this.db.doc(paths.callIndex(c.doc.id)));
      remove(c.doc.ref);
    }
    for (const message of f.outbox.docs) {
      const claims = await message.ref.collection("claims").listDocuments();
      for (const claim of claims) remove(claim);
      const sid = message.get("twilioSid") as unknown;
      if (typeof sid === "string" && sid) remove(this.db.doc(paths.smsBySid(sid)));
      remove(this.db.doc(paths.attentionItem(businessId, message.id)));
      remove(message.ref);
    }
    for (const text of f.inbound.docs) remove(text.ref);
    for (const item of f.scheduled.docs) remove(item.ref);
    // Last: the customer document with the audit entry. Until this commits,
    // asking again finds what is left and finishes the job.
    await commitInBatches(this.db, writes, (batch) => {
      batch.delete(f.customer.ref);
      batch.create(auditRef(this.db, businessId), auditToFirestore(audit));
    });
    return {
      customer: f.customer.exists ? 1 : 0,
      appointmentsAnonymised: f.appointments.size,
      conversations: f.conversations.length,
      turns,
      summaries,
      outbox: f.outbox.size,
      inboundTexts: f.inbound.size,
      scheduledTexts: f.scheduled.size,
    };
  }

  async entry(businessId: string, number: string): Promise<ScreeningEntry | null> {
    return screeningEntryFrom(await this.db.doc(paths.screeningEntry(businessId, number)).get());
  }

  async save(businessId: string, entry: ScreeningEntry, audit: AuditEntry): Promise<void> {
    const batch = this.db.batch();
    batch.set(
      this.db.doc(paths.screeningEntry(businessId, entry.number)),
      screeningEntryFields(entry, audit.at),
    );
    batch.create(auditRef(this.db, businessId), auditToFirestore(audit));
    await batch.commit();
  }
}
