import { createHash } from "node:crypto";
import { Timestamp, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import type {
  InboundAnswer,
  InboundClaim,
  InboundProgress,
  InboundSms,
  InboundSmsLog,
} from "../../ports/inbound-sms.port";
import { isAlreadyExists } from "./converters";
import { paths } from "./paths";

const answerSchema = z.object({
  reply: z.string().nullable(),
  outcome: z.string(),
  replyByOutbox: z.boolean().optional(),
});

/**
 * Inbound texts under businesses/{b}/inboundSms/{MessageSid}, claimed with
 * create(): of any number of deliveries of one message, exactly one creates
 * the document and is handled. Twilio's idempotency token, when sent, is
 * claimed the same way first, so a retried webhook is known by either.
 * A delivery that finds the text still being handled joins it by setting
 * `joinedUntil`; recording the answer and releasing the claim read that
 * mark in the same transaction, so each knows whether another delivery is
 * waiting on it (docs/sms.md, "Twilio delivering a text twice").
 */
export class FirestoreInboundSmsRepository implements InboundSmsLog {
  constructor(private readonly db: Firestore) {}

  async claim(message: InboundSms): Promise<InboundClaim> {
    if (message.idempotencyToken) {
      const tokenRef = this.tokenRef(message.businessId, message.idempotencyToken);
      try {
        await tokenRef.create({
          messageSid: message.messageSid,
          at: Timestamp.fromDate(message.receivedAt),
        });
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
        const seen = await tokenRef.get();
        const sid = seen.get("messageSid");
        return {
          status: "duplicate",
          answer: await this.answerOf(message.businessId, sid),
          ...(typeof sid === "string" && sid ? { messageSid: sid } : {}),
        };
      }
    }
    const ref = this.db.doc(paths.inboundSms(message.businessId, message.messageSid));
    try {
      await ref.create({
        from: message.from,
        to: message.to,
        body: message.body,
        numMedia: message.numMedia,
        receivedAt: Timestamp.fromDate(message.receivedAt),
        status: "received",
        ...(message.idempotencyToken ? { idempotencyToken: message.idempotencyToken } : {}),
      });
      return { status: "claimed" };
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      return {
        status: "duplicate",
        answer: await this.answerOf(message.businessId, message.messageSid),
        messageSid: message.messageSid,
      };
    }
  }

  async recordAnswer(
    businessId: string,
    messageSid: string,
    answer: InboundAnswer,
    at: Date,
  ): Promise<{ overlapped: boolean }> {
    const ref = this.db.doc(paths.inboundSms(businessId, messageSid));
    return this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      const overlapped = snapshot.get("joinedUntil") instanceof Timestamp;
      tx.update(ref, {
        status: "answered",
        answer: {
          reply: answer.reply,
          outcome: answer.outcome,
          ...(overlapped ? { replyByOutbox: true } : {}),
        },
        answeredAt: Timestamp.fromDate(at),
      });
      return { overlapped };
    });
  }

  async release(message: InboundSms, at: Date): Promise<{ waiting: boolean }> {
    const ref = this.db.doc(paths.inboundSms(message.businessId, message.messageSid));
    return this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      const joinedUntil = snapshot.get("joinedUntil");
      tx.delete(ref);
      if (message.idempotencyToken) {
        tx.delete(this.tokenRef(message.businessId, message.idempotencyToken));
      }
      return { waiting: joinedUntil instanceof Timestamp && joinedUntil.toMillis() > at.getTime() };
    });
  }

  async join(businessId: string, messageSid: string, until: Date): Promise<InboundProgress> {
    const ref = this.db.doc(paths.inboundSms(businessId, messageSid));
    return this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      const progress = progressOf(snapshot);
      if (progress.state !== "in-progress") return progress;
      const previous = snapshot.get("joinedUntil");
      if (!(previous instanceof Timestamp) || previous.toMillis() < until.getTime()) {
        tx.update(ref, { joinedUntil: Timestamp.fromDate(until) });
      }
      return progress;
    });
  }

  async progress(businessId: string, messageSid: string): Promise<InboundProgress> {
    return progressOf(await this.db.doc(paths.inboundSms(businessId, messageSid)).get());
  }

  private tokenRef(businessId: string, token: string) {
    return this.db.doc(paths.inboundSmsToken(businessId, hash(token)));
  }

  private async answerOf(businessId: string, messageSid: unknown): Promise<InboundAnswer | null> {
    if (typeof messageSid !== "string" || messageSid === "") return null;
    const doc = await this.db.doc(paths.inboundSms(businessId, messageSid)).get();
    const answer = answerSchema.safeParse(doc.get("answer"));
    return answer.success ? answer.data : null;
  }
}

function progressOf(snapshot: DocumentSnapshot): InboundProgress {
  if (!snapshot.exists) return { state: "released" };
  const answer = answerSchema.safeParse(snapshot.get("answer"));
  return answer.success ? { state: "answered", answer: answer.data } : { state: "in-progress" };
}

/** Tokens are Twilio's own strings; a hash makes any of them a safe document id. */
function hash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
