import type { FirebaseApp } from "firebase/app";
import {
  collection,
  connectFirestoreEmulator,
  doc,
  type DocumentData,
  Firestore,
  initializeFirestore,
  limit,
  onSnapshot,
  orderBy,
  persistentLocalCache,
  persistentMultipleTabManager,
  query,
  Timestamp,
  where,
} from "firebase/firestore";
import { useEffect, useMemo, useState } from "preact/hooks";
import { mayRead, type DashboardClaims } from "@shared/access";
import { EMULATOR_PORTS, emulatorHost, isLocal } from "./firebase";
import type {
  Appointment,
  AttentionItem,
  BusinessView,
  Conversation,
  Customer,
  OutboxMessage,
  Turn,
} from "./model";

/**
 * The business's documents, read straight from Firestore under
 * firestore.rules, live (onSnapshot). Firestore's offline cache (IndexedDB)
 * keeps the last snapshot, so the app opens read-only without a network.
 */
let db: Firestore | undefined;

export function firestore(app: FirebaseApp): Firestore {
  if (!db) {
    db = initializeFirestore(app, {
      localCache: persistentLocalCache({ tabManager: persistentMultipleTabManager() }),
    });
    if (isLocal) connectFirestoreEmulator(db, emulatorHost, EMULATOR_PORTS.firestore);
  }
  return db;
}

export interface LiveData {
  business?: BusinessView;
  appointments: Appointment[];
  conversations: Conversation[];
  customers: Customer[];
  attention: AttentionItem[];
  /** Conversation id -> its summary (written when a call ends). */
  summaries: Record<
    string,
    {
      text?: string;
      ownerAction?: string;
      urgency?: Conversation["urgency"];
      needsOwner?: boolean;
      outcome?: string;
      /** When it was written: a text thread's summary is replaced each time it goes quiet. */
      at?: Date;
    }
  >;
  /** Conversation id -> handled (a text thread only until the customer texts again). */
  handled: Record<string, boolean>;
  /** Conversation id -> when it was marked handled or not. */
  handledAt: Record<string, Date | undefined>;
  /** Appointment id -> done. */
  done: Record<string, boolean>;
  outbox: OutboxMessage[];
  /** Every listener has answered at least once. */
  ready: boolean;
  /** Something shown came from the offline cache, not the server. */
  fromCache: boolean;
  /** A listener was refused or failed. */
  error?: string;
}

const EMPTY: LiveData = {
  appointments: [],
  conversations: [],
  customers: [],
  attention: [],
  summaries: {},
  handled: {},
  handledAt: {},
  done: {},
  outbox: [],
  ready: false,
  fromCache: false,
};

const DAY_MS = 86_400_000;
/** How far back the app reads: the customer timelines and the weekly insights. */
export const HISTORY_DAYS = 56;

export function toDate(value: unknown): Date | undefined {
  if (value instanceof Timestamp) return value.toDate();
  if (value instanceof Date) return value;
  if (typeof value === "string" || typeof value === "number") {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

function appointmentOf(id: string, d: DocumentData): Appointment {
  return {
    id,
    customerId: String(d.customerId ?? ""),
    customerName: String(d.customerName ?? ""),
    customerPhone: String(d.customerPhone ?? ""),
    address: String(d.address ?? ""),
    serviceId: String(d.serviceId ?? ""),
    serviceName: String(d.serviceName ?? ""),
    problem: String(d.problem ?? ""),
    start: toDate(d.start) ?? new Date(0),
    end: toDate(d.end) ?? new Date(0),
    status: d.status === "cancelled" ? "cancelled" : "booked",
    confirmation: d.confirmation,
    source: String(d.source ?? ""),
    previousStart: toDate(d.previousStart),
    calendarState: d.calendar?.state,
    updatedAt: toDate(d.updatedAt),
    createdAt: toDate(d.createdAt),
  };
}

function conversationOf(id: string, d: DocumentData): Conversation {
  const turns: Turn[] = Array.isArray(d.turns)
    ? d.turns.map((t: DocumentData) => ({
        at: toDate(t.at) ?? new Date(0),
        speaker: String(t.speaker ?? ""),
        text: String(t.text ?? ""),
        emergency: t.emergency === true,
        ...recordingOf(t.recording),
      }))
    : [];
  const channel = d.channel === "sms" || id.startsWith("sms-") ? "sms" : "call";
  const lastTurn = d.lastTurn as DocumentData | undefined;
  return {
    id,
    channel,
    phone: String(d.callerPhone ?? d.phone ?? ""),
    startedAt: toDate(d.startedAt) ?? toDate(d.updatedAt) ?? new Date(0),
    updatedAt: toDate(d.updatedAt) ?? new Date(0),
    emergency: d.emergency === true,
    outcome: typeof d.outcome === "string" ? d.outcome : undefined,
    summary: typeof d.summary === "string" ? d.summary : summaryText(d.summary),
    problem: problemOf(d.state),
    appointmentIds: Array.isArray(d.appointmentIds) ? d.appointmentIds.map(String) : [],
    turns,
    lastTurn: lastTurn
      ? {
          at: toDate(lastTurn.at) ?? new Date(0),
          speaker: String(lastTurn.speaker ?? ""),
          text: String(lastTurn.text ?? ""),
        }
      : undefined,
  };
}

/** What the call was about while it has no summary yet: the job it got done, or the problem so far. */
/** A recorded message's details on a turn, when it is one. */
function recordingOf(value: unknown): Pick<Turn, "recording"> {
  if (!value || typeof value !== "object") return {};
  const r = value as DocumentData;
  return {
    recording: {
      durationSeconds: typeof r.durationSeconds === "number" ? r.durationSeconds : 0,
      transcribed: r.transcribed === true,
      ...(typeof r.error === "string" ? { error: r.error } : {}),
    },
  };
}

function problemOf(state: DocumentData | undefined): string | undefined {
  const done = Array.isArray(state?.done) ? (state.done as DocumentData[]) : [];
  const job = [...done].reverse().find((a) => typeof a.job === "string")?.job as string | undefined;
  if (job) return job;
  return typeof state?.draft?.problem === "string" ? state.draft.problem : undefined;
}

/** A structured summary ({text} or {headline}) from the call summariser, when there is one. */
function summaryText(value: unknown): string | undefined {
  if (!value || typeof value !== "object") return undefined;
  const v = value as Record<string, unknown>;
  for (const key of ["text", "headline", "short"])
    if (typeof v[key] === "string") return v[key] as string;
  // The call summariser's structured summary: the job, then what the owner should do next.
  const parts = [v.job, v.ownerAction].filter(
    (p): p is string => typeof p === "string" && p !== "",
  );
  return parts.length > 0 ? parts.join(" · ") : undefined;
}

/** Subscribes to everything the screens show; one listener per collection. */
export function useLiveData(app: FirebaseApp, claims: DashboardClaims): LiveData {
  const [data, setData] = useState<LiveData>(EMPTY);
  useEffect(() => {
    const store = firestore(app);
    const base = `businesses/${claims.businessId}`;
    const since = Timestamp.fromMillis(Date.now() - HISTORY_DAYS * DAY_MS);
    const answered = new Set<string>();
    const cached = new Set<string>();
    const listeners: Array<[string, boolean]> = [
      ["business", true],
      ["appointments", true],
      ["conversations", true],
      ["customers", true],
      ["attention", true],
      ["summaries", true],
      ["inbox", true],
      ["jobs", true],
      ["outbox", mayRead("outbox", claims.role)],
    ];
    const expected = listeners.filter(([, on]) => on).length;
    const update = (name: string, fromCache: boolean, patch: Partial<LiveData>) => {
      answered.add(name);
      if (fromCache) cached.add(name);
      else cached.delete(name);
      setData((d) => ({
        ...d,
        ...patch,
        ready: answered.size >= expected,
        fromCache: cached.size > 0,
      }));
    };
    const fail = (name: string) => (error: Error) =>
      setData((d) => ({
        ...d,
        error: `${name}: ${(error as { code?: string }).code ?? error.message}`,
      }));
    const meta = { includeMetadataChanges: true };
    const stops = [
      onSnapshot(
        doc(store, base),
        meta,
        (s) =>
          update("business", s.metadata.fromCache, {
            business: s.exists() ? (s.data() as BusinessView) : undefined,
          }),
        fail("business"),
      ),
      onSnapshot(
        query(
          collection(store, `${base}/appointments`),
          where("start", ">=", since),
          orderBy("start"),
        ),
        meta,
        (s) =>
          update("appointments", s.metadata.fromCache, {
            appointments: s.docs.map((x) => appointmentOf(x.id, x.data())),
          }),
        fail("appointments"),
      ),
      onSnapshot(
        query(
          collection(store, `${base}/conversations`),
          where("updatedAt", ">=", since),
          orderBy("updatedAt", "desc"),
        ),
        meta,
        (s) =>
          update("conversations", s.metadata.fromCache, {
            conversations: s.docs.map((x) => conversationOf(x.id, x.data())),
          }),
        fail("conversations"),
      ),
      onSnapshot(
        collection(store, `${base}/customers`),
        meta,
        (s) =>
          update("customers", s.metadata.fromCache, {
            customers: s.docs.map((x) => {
              const d = x.data();
              return {
                id: x.id,
                name: String(d.name ?? ""),
                phone: String(d.phone ?? x.id),
                address: typeof d.address === "string" ? d.address : undefined,
                propertyNotes: typeof d.propertyNotes === "string" ? d.propertyNotes : undefined,
                smsOptedOut: d.smsOptedOut === true,
              };
            }),
          }),
        fail("customers"),
      ),
      onSnapshot(
        collection(store, `${base}/attention`),
        meta,
        (s) =>
          update("attention", s.metadata.fromCache, {
            attention: s.docs.map((x) => {
              const d = x.data();
              return {
                id: x.id,
                kind: String(d.kind ?? ""),
                to: String(d.to ?? ""),
                purpose: String(d.purpose ?? ""),
                reason: String(d.reason ?? ""),
                at: toDate(d.at) ?? new Date(0),
                acknowledged: Boolean(d.acknowledgedAt),
                title: typeof d.title === "string" ? d.title : undefined,
              };
            }),
          }),
        fail("attention"),
      ),
      onSnapshot(
        query(collection(store, `${base}/conversationSummaries`), where("createdAt", ">=", since)),
        meta,
        (s) =>
          update("summaries", s.metadata.fromCache, {
            summaries: Object.fromEntries(
              s.docs.map((x) => {
                const d = x.data();
                const urgency = d.urgency as Conversation["urgency"];
                // Claude's paragraph when one passed the check against the facts; else the facts'.
                const text =
                  typeof d.modelText === "string"
                    ? d.modelText
                    : typeof d.text === "string"
                      ? d.text
                      : undefined;
                return [
                  x.id,
                  {
                    text,
                    ownerAction:
                      typeof d.summary?.ownerAction === "string"
                        ? d.summary.ownerAction
                        : undefined,
                    urgency,
                    needsOwner: typeof d.needsOwner === "boolean" ? d.needsOwner : undefined,
                    outcome: typeof d.outcome === "string" ? d.outcome : undefined,
                    at: toDate(d.createdAt),
                  },
                ];
              }),
            ),
          }),
        fail("summaries"),
      ),
      onSnapshot(
        collection(store, `${base}/inbox`),
        meta,
        (s) =>
          update("inbox", s.metadata.fromCache, {
            handled: Object.fromEntries(s.docs.map((x) => [x.id, x.get("handled") === true])),
            handledAt: Object.fromEntries(s.docs.map((x) => [x.id, toDate(x.get("at"))])),
          }),
        fail("inbox"),
      ),
      onSnapshot(
        collection(store, `${base}/jobs`),
        meta,
        (s) =>
          update("jobs", s.metadata.fromCache, {
            done: Object.fromEntries(s.docs.map((x) => [x.id, true])),
          }),
        fail("jobs"),
      ),
    ];
    if (mayRead("outbox", claims.role)) {
      stops.push(
        onSnapshot(
          query(collection(store, `${base}/outbox`), orderBy("createdAt", "desc"), limit(200)),
          meta,
          (s) =>
            update("outbox", s.metadata.fromCache, {
              outbox: s.docs.map((x) => {
                const d = x.data();
                return {
                  id: x.id,
                  to: String(d.to ?? ""),
                  body: String(d.body ?? ""),
                  purpose: String(d.purpose ?? ""),
                  status: String(d.status ?? ""),
                  relatedId: typeof d.relatedId === "string" ? d.relatedId : undefined,
                  createdAt: toDate(d.createdAt) ?? new Date(0),
                  ...(d.status === "ERROR" ||
                  d.twilioStatus === "failed" ||
                  d.twilioStatus === "undelivered"
                    ? {
                        failed: {
                          reason:
                            typeof d.failureReason === "string" ? d.failureReason : "not delivered",
                        },
                      }
                    : {}),
                };
              }),
            }),
          fail("outbox"),
        ),
      );
    }
    return () => stops.forEach((stop) => stop());
  }, [app, claims.businessId, claims.role]);
  // Each conversation with its summary, once the call has ended or the text thread gone quiet.
  return useMemo(() => {
    const conversations = data.conversations.map((c) => {
      const s = data.summaries[c.id];
      return s
        ? {
            ...c,
            summary: s.text ?? c.summary,
            ownerAction: s.ownerAction,
            urgency: s.urgency,
            needsOwner: s.needsOwner,
            summaryOutcome: s.outcome,
            summarisedAt: s.at,
          }
        : c;
    });
    // A text thread marked handled needs the owner again when the customer texts after the mark.
    const handled = { ...data.handled };
    for (const c of conversations) {
      const at = data.handledAt[c.id];
      if (handled[c.id] && c.channel === "sms" && textedSince(c, at)) handled[c.id] = false;
    }
    return { ...data, conversations, handled };
  }, [data]);
}

function textedSince(c: Conversation, at: Date | undefined): boolean {
  return c.lastTurn?.speaker === "customer" && at !== undefined && c.lastTurn.at > at;
}

/** A conversation's transcript: the turns subcollection, or the turns array of older documents. */
export function useTranscript(
  app: FirebaseApp,
  businessId: string,
  conversation: Conversation,
): Turn[] {
  const [turns, setTurns] = useState<Turn[] | null>(null);
  useEffect(() => {
    const store = firestore(app);
    return onSnapshot(
      query(
        collection(store, `businesses/${businessId}/conversations/${conversation.id}/turns`),
        orderBy("at"),
      ),
      (s) =>
        setTurns(
          s.docs.map((x) => {
            const d = x.data();
            return {
              at: toDate(d.at) ?? new Date(0),
              speaker: String(d.speaker ?? ""),
              text: String(d.text ?? ""),
              emergency: d.emergency === true,
              ...recordingOf(d.recording),
            };
          }),
        ),
      () => setTurns([]),
    );
  }, [app, businessId, conversation.id]);
  return turns && turns.length > 0 ? turns : conversation.turns;
}
