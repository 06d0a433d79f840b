import { createHash } from "node:crypto";
import type { DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import {
  RateWindow,
  SCREENING_REASONS,
  ScreeningEntry,
  ScreeningReason,
  windowSlot,
} from "../../domain/abuse/abuse-policy";
import type { Arrival, CallerCounters, IpCounter } from "../../ports/caller-gate.port";
import { optionalDate, toDate } from "./converters";
import { paths } from "./paths";

/**
 * The counter document of one key in one fixed window. The key is hashed:
 * counters carry no phone number or IP address, only a count and the TTL
 * field (`expireAt`) that lets Firestore delete them after the window.
 */
function counterId(kind: string, key: string, windowStart: Date): string {
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 32);
  return `${kind}-${hash}-${windowStart.getTime()}`;
}

/**
 * One transaction: read the counter, write it plus one. Concurrent arrivals
 * on one counter are serialised by the transaction (the loser retries), so
 * the count is exact.
 */
async function increment(
  db: Firestore,
  path: string,
  kind: string,
  slot: { start: Date; expireAt: Date },
  extraReads: string[] = [],
): Promise<{ count: number; extra: DocumentSnapshot[] }> {
  return db.runTransaction(async (tx) => {
    const refs = [db.doc(path), ...extraReads.map((p) => db.doc(p))];
    const [counter, ...extra] = await tx.getAll(...refs);
    const count = Number(counter.get("count") ?? 0) + 1;
    tx.set(counter.ref, {
      kind,
      count,
      windowStart: Timestamp.fromDate(slot.start),
      expireAt: Timestamp.fromDate(slot.expireAt),
    });
    return { count, extra };
  });
}

export function screeningEntryFrom(doc: DocumentSnapshot): ScreeningEntry | null {
  if (!doc.exists) return null;
  const status = doc.get("status") as unknown;
  const reason = doc.get("reason") as unknown;
  if (status !== "screened" && status !== "allowed") return null;
  const by = doc.get("updatedBy") as unknown;
  const shortCalls = doc.get("shortCalls") as unknown;
  const turnedAway = doc.get("turnedAway") as unknown;
  return {
    number: doc.id,
    status,
    reason: SCREENING_REASONS.includes(reason as ScreeningReason)
      ? (reason as ScreeningReason)
      : "owner",
    since: optionalDate(doc.get("since")) ?? toDate(doc.get("updatedAt")),
    ...(typeof shortCalls === "number" ? { shortCalls } : {}),
    ...(typeof turnedAway === "number" ? { turnedAway } : {}),
    ...(typeof by === "string" ? { updatedBy: by } : {}),
  };
}

export function screeningEntryFields(entry: ScreeningEntry, now: Date): Record<string, unknown> {
  return {
    number: entry.number,
    status: entry.status,
    reason: entry.reason,
    since: Timestamp.fromDate(entry.since),
    updatedAt: Timestamp.fromDate(now),
    ...(entry.shortCalls !== undefined ? { shortCalls: entry.shortCalls } : {}),
    turnedAway: entry.turnedAway ?? 0,
    ...(entry.updatedBy ? { updatedBy: entry.updatedBy } : {}),
  };
}

export class FirestoreCallerCounters implements CallerCounters {
  constructor(private readonly db: Firestore) {}

  async arrive(input: {
    businessId: string;
    number: string;
    kind: "call" | "text";
    window: RateWindow;
    now: Date;
  }): Promise<Arrival> {
    const slot = windowSlot(input.now, input.window.windowMinutes);
    // The screening entry and the spam list are read in the same round trip as the counter.
    const { count, extra } = await increment(
      this.db,
      paths.rateCounter(input.businessId, counterId(input.kind, input.number, slot.start)),
      input.kind,
      slot,
      [paths.screeningEntry(input.businessId, input.number), paths.spamNumber(input.number)],
    );
    return { count, entry: screeningEntryFrom(extra[0]), knownSpam: extra[1].exists };
  }

  async recordShortCall(input: {
    businessId: string;
    number: string;
    window: RateWindow;
    now: Date;
  }): Promise<ScreeningEntry | null> {
    const slot = windowSlot(input.now, input.window.windowMinutes);
    const counterRef = this.db.doc(
      paths.rateCounter(input.businessId, counterId("short-call", input.number, slot.start)),
    );
    const entryRef = this.db.doc(paths.screeningEntry(input.businessId, input.number));
    return this.db.runTransaction(async (tx) => {
      const [counter, existing] = await tx.getAll(counterRef, entryRef);
      const count = Number(counter.get("count") ?? 0) + 1;
      tx.set(counterRef, {
        kind: "short-call",
        count,
        windowStart: Timestamp.fromDate(slot.start),
        expireAt: Timestamp.fromDate(slot.expireAt),
      });
      if (count < input.window.limit || existing.exists) return null;
      const entry: ScreeningEntry = {
        number: input.number,
        status: "screened",
        reason: "short-calls",
        since: input.now,
        shortCalls: count,
        turnedAway: 0,
      };
      tx.create(entryRef, screeningEntryFields(entry, input.now));
      return entry;
    });
  }

  async noteTurnedAway(businessId: string, number: string): Promise<void> {
    await this.db
      .doc(paths.screeningEntry(businessId, number))
      .update({ turnedAway: FieldValue.increment(1) });
  }
}

export class FirestoreIpCounter implements IpCounter {
  constructor(private readonly db: Firestore) {}

  async arrive(input: {
    endpoint: string;
    ip: string;
    window: RateWindow;
    now: Date;
  }): Promise<number> {
    const slot = windowSlot(input.now, input.window.windowMinutes);
    const id = counterId(`ip-${input.endpoint}`, input.ip, slot.start);
    return (await increment(this.db, paths.ipRateCounter(id), `ip-${input.endpoint}`, slot)).count;
  }
}
