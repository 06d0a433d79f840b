import { createHash } from "node:crypto";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import type {
  InboundAnswer,
  InboundClaim,
  InboundSms,
  InboundSmsLog,
} from "../../ports/inbound-sms.port";
import { isAlreadyExists } from "./converters";
import { paths } from "./paths";

const answerSchema = z.object({ reply: z.string().nullable(), outcome: z.string() });

/**
 * Inbound texts under businesses/{b}/inboundSms/{MessageSid}, claimed with
 * create(): of any number of deliveries of one message, exactly one creates
 * the document and is handled. Twilio's idempotency token, when sent, is
 * claimed the same way first, so a retried webhook is known by either.
 */
export class FirestoreInboundSmsRepository implements InboundSmsLog {
  constructor(private readonly db: Firestore) {}

  async claim(message: InboundSms): Promise<InboundClaim> {
    if (message.idempotencyToken) {
      const tokenRef = this.db.doc(
        paths.inboundSmsToken(message.businessId, hash(message.idempotencyToken)),
      );
      try {
        await tokenRef.create({
          messageSid: message.messageSid,
          at: Timestamp.fromDate(message.receivedAt),
        });
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
        const seen = await tokenRef.get();
        const sid = seen.get("messageSid");
        return { status: "duplicate", answer: await this.answerOf(message.businessId, sid) };
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
      };
    }
  }

  async recordAnswer(
    businessId: string,
    messageSid: string,
    answer: InboundAnswer,
    at: Date,
  ): Promise<void> {
    await this.db.doc(paths.inboundSms(businessId, messageSid)).update({
      status: "answered",
      answer: { reply: answer.reply, outcome: answer.outcome },
      answeredAt: Timestamp.fromDate(at),
    });
  }

  async release(message: InboundSms): Promise<void> {
    await this.db.doc(paths.inboundSms(message.businessId, message.messageSid)).delete();
    if (message.idempotencyToken) {
      await this.db
        .doc(paths.inboundSmsToken(message.businessId, hash(message.idempotencyToken)))
        .delete();
    }
  }

  private async answerOf(businessId: string, messageSid: unknown): Promise<InboundAnswer | null> {
    if (typeof messageSid !== "string" || messageSid === "") return null;
    const doc = await this.db.doc(paths.inboundSms(businessId, messageSid)).get();
    const answer = answerSchema.safeParse(doc.get("answer"));
    return answer.success ? answer.data : null;
  }
}

/** Tokens are Twilio's own strings; a hash makes any of them a safe document id. */
function hash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
