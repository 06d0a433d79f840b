import * as fs from "node:fs";
import * as path from "node:path";
import type { CallDeps } from "../../src/app/handle-call";
import { Business, businessSchema } from "../../src/domain/business/business";
import type { Customer } from "../../src/domain/customers/customer";
import { namesMatch, postcodeKey } from "../../src/domain/customers/customer-identity";
import type { NewOutboxMessage } from "../../src/domain/delivery/outbox-message";
import {
  Appointment,
  claimedSpanOf,
  lockGranulesFor,
} from "../../src/domain/scheduling/appointment";

/** The granules an appointment claims: its job and its buffer, as the Firestore store does. */
function claimedGranules(a: Pick<Appointment, "start" | "end" | "bufferMinutes">): string[] {
  const span = claimedSpanOf(a);
  return lockGranulesFor(span.start, span.end);
}
import type {
  AppointmentStore,
  BookingResult,
  RescheduleResult,
} from "../../src/ports/appointment-store.port";
import type { BusinessDirectory } from "../../src/ports/business-directory.port";
import type { Clock } from "../../src/ports/clock.port";
import type {
  CallWriter,
  CallWrites,
  CallWritesResult,
  ConversationChanges,
  HoldChange,
  KeyedTurn,
} from "../../src/ports/call-writes.port";
import {
  CallConversation,
  ConversationStore,
  ConversationTurn,
  outcomeOf,
} from "../../src/ports/conversation-store.port";
import type { CustomerDetails, CustomerStore } from "../../src/ports/customer-store.port";
import type { OutboxQueue } from "../../src/ports/outbox.port";
import type { SlotHold } from "../../src/domain/scheduling/hold";
import type { HoldStore } from "../../src/ports/hold-store.port";
import type { AuditEntry } from "../../src/ports/dashboard.port";
import { ManualClock, RecordingLogger } from "./in-memory-outbox.store";

export { ManualClock, RecordingLogger };

/** The demo tenant's seed file, read once; tests get their own copies. */
const SEED_FILE = path.resolve(
  __dirname,
  "..",
  "..",
  "..",
  "..",
  "emulator-data",
  "seed",
  "bristol-plumbing.json",
);

interface SeedCustomer {
  name: string;
  phone: string;
  address?: string;
  propertyNotes?: string;
}

let seed: { business: unknown; customers: SeedCustomer[] } | undefined;

function readSeed(): { business: unknown; customers: SeedCustomer[] } {
  seed ??= JSON.parse(fs.readFileSync(SEED_FILE, "utf8")) as {
    business: unknown;
    customers: SeedCustomer[];
  };
  return seed;
}

/**
 * Bristol Plumbing as seeded for the demo, validated with the real schema,
 * with any fields replaced. Overrides are validated too, so a test cannot
 * build a tenant the product would refuse to load.
 */
export function aBusiness(overrides: Partial<Business> = {}): Business {
  const base = structuredClone(readSeed().business) as Record<string, unknown>;
  return businessSchema.parse({ ...base, ...overrides });
}

/** Opening hours every day of the week, for tests that need Sundays. */
export function openEveryDay(open = "08:00", close = "17:30"): Business["hours"] {
  const period = [{ open, close }];
  return {
    "1": period,
    "2": period,
    "3": period,
    "4": period,
    "5": period,
    "6": period,
    "7": period,
  };
}

/** Margaret Holloway from the seed (stopcock notes included), with any fields replaced. */
export function aCustomer(overrides: Partial<Customer> = {}): Customer {
  const margaret = readSeed().customers[0];
  const at = new Date("2026-01-05T10:00:00Z");
  return {
    id: overrides.phone ?? margaret.phone,
    businessId: "bristol-plumbing",
    name: margaret.name,
    phone: margaret.phone,
    address: margaret.address,
    propertyNotes: margaret.propertyNotes,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export class InMemoryBusinessDirectory implements BusinessDirectory {
  private readonly byId = new Map<string, Business>();

  constructor(...businesses: Business[]) {
    for (const business of businesses) this.add(business);
  }

  add(business: Business): void {
    this.byId.set(business.id, structuredClone(business));
  }

  async findByPhoneNumber(e164: string): Promise<Business | null> {
    const found = [...this.byId.values()].find((b) => b.phoneNumber === e164);
    return found ? structuredClone(found) : null;
  }

  async getById(businessId: string): Promise<Business | null> {
    const found = this.byId.get(businessId);
    return found ? structuredClone(found) : null;
  }
}

/** Customers keyed by business and E.164 phone, as the Firestore store keys them. */
export class InMemoryCustomerStore implements CustomerStore {
  readonly customers = new Map<string, Customer>();
  readonly upserts: Array<{ businessId: string; details: CustomerDetails }> = [];

  constructor(private readonly clock: Clock) {}

  add(customer: Customer): void {
    this.customers.set(`${customer.businessId}/${customer.phone}`, structuredClone(customer));
  }

  async findByPhone(businessId: string, e164: string): Promise<Customer | null> {
    const found = this.customers.get(`${businessId}/${e164}`);
    return found ? structuredClone(found) : null;
  }

  /** Same rule as the Firestore store: the address's full postcode, then the name. */
  async findByPostcodeAndName(
    businessId: string,
    postcode: string,
    name: string,
  ): Promise<Customer[]> {
    const key = postcodeKey(postcode);
    return [...this.customers.values()]
      .filter(
        (c) =>
          c.businessId === businessId &&
          key !== null &&
          postcodeKey(c.address ?? "") === key &&
          namesMatch(name, c.name),
      )
      .map((c) => structuredClone(c));
  }

  async upsert(businessId: string, details: CustomerDetails): Promise<Customer> {
    this.upserts.push({ businessId, details: structuredClone(details) });
    const key = `${businessId}/${details.phone}`;
    const now = this.clock.now();
    const existing = this.customers.get(key);
    // Like a Firestore merge: absent optional details keep what was stored.
    const stored: Customer = {
      id: details.phone,
      businessId,
      createdAt: existing?.createdAt ?? now,
      ...existing,
      name: details.name,
      phone: details.phone,
      ...(details.address ? { address: details.address } : {}),
      ...(details.propertyNotes ? { propertyNotes: details.propertyNotes } : {}),
      updatedAt: now,
    };
    this.customers.set(key, stored);
    return structuredClone(stored);
  }
}

/**
 * Appointments with the Firestore store's claim rule: a booking claims every
 * 15-minute granule it covers, and fails as "slot-taken" when any granule is
 * held already; storing an id that exists is "already-booked" (a retry).
 */
export class InMemoryAppointmentStore implements AppointmentStore {
  readonly appointments = new Map<string, Appointment>();
  /** Audit entries stored with a cancellation or move, as the Firestore store commits them. */
  readonly audits: AuditEntry[] = [];
  private readonly locks = new Map<string, string>();
  bookCalls = 0;

  /** Stores an appointment (seeding a diary), claiming its time; throws on a clash. */
  add(appointment: Appointment): void {
    const outcome = this.claim(appointment);
    if (outcome.outcome !== "booked") {
      throw new Error(`cannot seed ${appointment.id}: ${outcome.outcome}`);
    }
  }

  async listBooked(businessId: string, from: Date, to: Date): Promise<Appointment[]> {
    return [...this.appointments.values()]
      .filter(
        (a) =>
          a.businessId === businessId &&
          a.status === "booked" &&
          a.start.getTime() < to.getTime() &&
          a.end.getTime() > from.getTime(),
      )
      .sort((a, b) => a.start.getTime() - b.start.getTime())
      .map((a) => structuredClone(a));
  }

  async book(appointment: Appointment): Promise<BookingResult> {
    this.bookCalls += 1;
    return this.claim(appointment);
  }

  private claim(appointment: Appointment): BookingResult {
    const key = `${appointment.businessId}/${appointment.id}`;
    const existing = this.appointments.get(key);
    if (existing) return { outcome: "already-booked", appointment: structuredClone(existing) };
    const granules = claimedGranules(appointment).map((g) => `${appointment.businessId}/${g}`);
    // A granule this same appointment holds (a retry) is not a clash, as in Firestore.
    const held = granules.some((g) => (this.locks.get(g) ?? appointment.id) !== appointment.id);
    if (held) return { outcome: "slot-taken" };
    for (const g of granules) this.locks.set(g, appointment.id);
    this.appointments.set(key, structuredClone(appointment));
    return { outcome: "booked", appointment: structuredClone(appointment) };
  }

  async get(businessId: string, appointmentId: string): Promise<Appointment | null> {
    const found = this.appointments.get(`${businessId}/${appointmentId}`);
    return found ? structuredClone(found) : null;
  }

  async listUpcomingForCustomer(
    businessId: string,
    customerId: string,
    from: Date,
  ): Promise<Appointment[]> {
    return [...this.appointments.values()]
      .filter(
        (a) =>
          a.businessId === businessId &&
          a.customerId === customerId &&
          a.status === "booked" &&
          a.start.getTime() >= from.getTime(),
      )
      .sort((a, b) => a.start.getTime() - b.start.getTime())
      .map((a) => structuredClone(a));
  }

  async cancel(
    businessId: string,
    appointmentId: string,
    reason: string,
    at: Date,
    audit?: AuditEntry,
  ): Promise<Appointment | null> {
    const key = `${businessId}/${appointmentId}`;
    const current = this.appointments.get(key);
    if (!current) return null;
    if (current.status === "booked") {
      Object.assign(current, {
        status: "cancelled",
        cancelReason: reason,
        cancelledAt: at,
        updatedAt: at,
      });
      this.releaseHeld(businessId, appointmentId, claimedGranules(current));
      if (audit) this.audits.push(audit);
    }
    return structuredClone(current);
  }

  async reschedule(
    businessId: string,
    appointmentId: string,
    start: Date,
    end: Date,
    at: Date,
    reason = "",
    audit?: AuditEntry,
  ): Promise<RescheduleResult> {
    const current = this.appointments.get(`${businessId}/${appointmentId}`);
    if (!current || current.status === "cancelled") return { outcome: "not-found" };
    const wanted = claimedGranules({ start, end, bufferMinutes: current.bufferMinutes }).map(
      (g) => `${businessId}/${g}`,
    );
    if (wanted.some((g) => (this.locks.get(g) ?? appointmentId) !== appointmentId)) {
      return { outcome: "slot-taken" };
    }
    const old = claimedGranules(current);
    this.releaseHeld(businessId, appointmentId, old);
    for (const g of wanted) this.locks.set(g, appointmentId);
    Object.assign(current, {
      start,
      end,
      previousStart: current.start,
      rescheduleReason: reason || undefined,
      updatedAt: at,
    });
    if (audit) this.audits.push(audit);
    return { outcome: "rescheduled", appointment: structuredClone(current) };
  }

  async annotate(
    businessId: string,
    appointmentId: string,
    fields: Partial<Pick<Appointment, "confirmation" | "calendar">>,
  ): Promise<void> {
    const current = this.appointments.get(`${businessId}/${appointmentId}`);
    if (current) Object.assign(current, structuredClone(fields));
  }

  /** Whether this granule (a lock key without the business) is held, and by which appointment. */
  lockHolder(businessId: string, granule: string): string | undefined {
    return this.locks.get(`${businessId}/${granule}`);
  }

  private releaseHeld(
    businessId: string,
    appointmentId: string,
    granules: readonly string[],
  ): void {
    for (const g of granules) {
      const key = `${businessId}/${g}`;
      if (this.locks.get(key) === appointmentId) this.locks.delete(key);
    }
  }
}

/**
 * Conversations stored as copies, so a use case that forgets to write a
 * change loses it here just as it would in Firestore. Changes arrive through
 * the call writer, field by field, as in Firestore.
 */
export class InMemoryConversationStore implements ConversationStore {
  readonly conversations = new Map<string, CallConversation>();
  private readonly transcripts = new Map<string, KeyedTurn[]>();
  saves = 0;

  async get(businessId: string, callSid: string): Promise<CallConversation | null> {
    const found = this.conversations.get(`${businessId}/${callSid}`);
    return found ? structuredClone(found) : null;
  }

  async create(conversation: CallConversation, turns: KeyedTurn[]): Promise<"created" | "exists"> {
    const key = `${conversation.businessId}/${conversation.id}`;
    if (this.conversations.has(key)) return "exists";
    this.conversations.set(key, structuredClone(conversation));
    this.addTurns(key, turns);
    return "created";
  }

  async listTurns(businessId: string, callSid: string): Promise<ConversationTurn[]> {
    return (this.transcripts.get(`${businessId}/${callSid}`) ?? [])
      .sort((a, b) => a.key.localeCompare(b.key))
      .map(({ key: _key, ...turn }) => structuredClone(turn));
  }

  /** The writer's part: Firestore's update() of these fields, and the turn documents. */
  apply(
    businessId: string,
    callSid: string,
    changes: ConversationChanges | undefined,
    turns: KeyedTurn[],
  ) {
    const key = `${businessId}/${callSid}`;
    const found = this.conversations.get(key);
    if (changes) {
      // Firestore's update() fails on a missing document too.
      if (!found) throw new Error(`no conversation ${key}`);
      this.saves += 1;
      const defined = Object.fromEntries(
        Object.entries(changes).filter(([, v]) => v !== undefined),
      ) as Partial<CallConversation>;
      const merged = { ...found, ...defined };
      this.conversations.set(key, structuredClone({ ...merged, outcome: outcomeOf(merged) }));
    }
    this.addTurns(key, turns);
  }

  private addTurns(key: string, turns: KeyedTurn[]): void {
    const transcript = (this.transcripts.get(key) ?? []).filter(
      (t) => !turns.some((n) => n.key === t.key),
    );
    this.transcripts.set(key, [...transcript, ...structuredClone(turns)]);
  }

  async markAccepted(businessId: string, callSid: string, leg: number): Promise<void> {
    const key = `${businessId}/${callSid}`;
    const found = this.conversations.get(key);
    // Firestore's update() fails on a missing document too.
    if (!found) throw new Error(`no conversation ${key}`);
    if (!found.escalation) throw new Error(`conversation ${key} has no escalation to accept`);
    found.escalation = { ...found.escalation, acceptedLeg: leg };
  }

  /** The stored conversation, for assertions; throws when there is none. */
  stored(businessId: string, callSid: string): CallConversation {
    const found = this.conversations.get(`${businessId}/${callSid}`);
    if (!found) throw new Error(`no conversation ${businessId}/${callSid}`);
    return structuredClone(found);
  }

  /** The transcript's texts in order, for assertions. */
  transcript(businessId: string, callSid: string): ConversationTurn[] {
    return (this.transcripts.get(`${businessId}/${callSid}`) ?? [])
      .slice()
      .sort((a, b) => a.key.localeCompare(b.key));
  }
}

/**
 * Applies a webhook's writes to the in-memory stores with the Firestore
 * writer's rules: a booking whose time is taken writes nothing at all;
 * messages and reminders stored already are kept as they are.
 */
export class InMemoryCallWriter implements CallWriter {
  commits = 0;
  failWith: Error | null = null;

  constructor(private readonly deps: () => CallDeps) {}

  async commit(writes: CallWrites): Promise<CallWritesResult> {
    if (this.failWith) throw this.failWith;
    const deps = this.deps();
    const holds = deps.holds instanceof InMemoryHoldStore ? deps.holds : undefined;
    if (writes.holds && holds?.conflicts(writes.businessId, writes.holds)) {
      return { outcome: "holds-taken" };
    }
    if (writes.booking) {
      const result = await deps.appointments.book(writes.booking.appointment);
      if (result.outcome === "slot-taken") return { outcome: "slot-taken" };
      await deps.customers.upsert(writes.businessId, writes.booking.customer);
    }
    this.commits += 1;
    for (const message of writes.outbox) await deps.outbox.enqueue(message);
    for (const item of writes.scheduled) {
      if (!deps.scheduled) throw new Error("a held alert needs the scheduled-SMS queue");
      await deps.scheduled.schedule(item);
    }
    if (writes.holds) holds?.apply(writes.businessId, writes.holds);
    const conversations = deps.conversations;
    if (conversations instanceof InMemoryConversationStore) {
      conversations.apply(writes.businessId, writes.callSid, writes.conversation, writes.turns);
    }
    return { outcome: "committed" };
  }
}

/** Records queued SMS in order; an id queued twice is stored once, as in Firestore. */
export class InMemoryOutboxQueue implements OutboxQueue {
  readonly messages: NewOutboxMessage[] = [];
  enqueueCalls = 0;

  async enqueue(message: NewOutboxMessage): Promise<"queued" | "already-queued"> {
    this.enqueueCalls += 1;
    const duplicate = this.messages.some(
      (m) => m.businessId === message.businessId && m.id === message.id,
    );
    if (duplicate) return "already-queued";
    this.messages.push(structuredClone(message));
    return "queued";
  }

  byPurpose(purpose: NewOutboxMessage["purpose"]): NewOutboxMessage[] {
    return this.messages.filter((m) => m.purpose === purpose);
  }
}

/** Every port of the call use case in memory, plus handles on each for assertions. */
export interface CallWorld {
  deps: CallDeps;
  business: Business;
  clock: ManualClock;
  logger: RecordingLogger;
  businesses: InMemoryBusinessDirectory;
  customers: InMemoryCustomerStore;
  appointments: InMemoryAppointmentStore;
  conversations: InMemoryConversationStore;
  outbox: InMemoryOutboxQueue;
}

export function aCallWorld(
  options: { now: Date; business?: Business; customers?: Customer[] } = {
    now: new Date("2026-11-25T10:00:00Z"),
  },
): CallWorld {
  const business = options.business ?? aBusiness();
  const clock = new ManualClock(options.now);
  const logger = new RecordingLogger();
  const businesses = new InMemoryBusinessDirectory(business);
  const customers = new InMemoryCustomerStore(clock);
  for (const customer of options.customers ?? []) customers.add(customer);
  const appointments = new InMemoryAppointmentStore();
  const conversations = new InMemoryConversationStore();
  const outbox = new InMemoryOutboxQueue();
  const deps: CallDeps = {
    businesses,
    customers,
    appointments,
    conversations,
    outbox,
    clock,
    logger,
    writer: new InMemoryCallWriter(() => deps),
  };
  return {
    deps,
    business,
    clock,
    logger,
    businesses,
    customers,
    appointments,
    conversations,
    outbox,
  };
}

/**
 * Margaret's drain unblock on Thursday 26 November 2026 at 10:30 (Bristol),
 * an hour long, booked; with any fields replaced.
 */
export function anAppointment(overrides: Partial<Appointment> = {}): Appointment {
  const margaret = aCustomer();
  return {
    id: "apt-drain",
    businessId: "bristol-plumbing",
    customerId: margaret.phone,
    customerName: margaret.name,
    customerPhone: margaret.phone,
    address: margaret.address ?? "",
    serviceId: "drain-unblock",
    serviceName: "Drain unblock",
    problem: "Kitchen sink slow to drain",
    start: new Date("2026-11-26T10:30:00Z"),
    end: new Date("2026-11-26T11:30:00Z"),
    status: "booked",
    source: "seed",
    createdAt: new Date("2026-11-01T09:00:00Z"),
    ...overrides,
  };
}

/**
 * Holds with the Firestore store's rule: one entry per 15-minute granule; a
 * change that would take a granule someone else holds, unexpired, is refused
 * whole; our own or an expired hold is taken over.
 */
export class InMemoryHoldStore implements HoldStore {
  private readonly granules = new Map<string, SlotHold>();
  failWith: Error | null = null;

  async listActive(businessId: string, from: Date, to: Date, now: Date): Promise<SlotHold[]> {
    if (this.failWith) throw this.failWith;
    const live = new Map<string, SlotHold>();
    for (const [key, hold] of this.granules) {
      if (!key.startsWith(`${businessId}/`) || hold.expiresAt.getTime() <= now.getTime()) continue;
      if (hold.start.getTime() >= to.getTime() || hold.end.getTime() <= from.getTime()) continue;
      live.set(`${hold.holder}/${hold.start.getTime()}`, structuredClone(hold));
    }
    return [...live.values()];
  }

  /** Would this change take a granule another caller holds? */
  conflicts(businessId: string, change: HoldChange): boolean {
    if (!("hold" in change)) return false;
    return change.hold.some((span) =>
      lockGranulesFor(span.start, span.end).some((g) => {
        const h = this.granules.get(`${businessId}/${g}`);
        return (
          h !== undefined &&
          h.holder !== change.holder &&
          h.expiresAt.getTime() > change.at.getTime()
        );
      }),
    );
  }

  /** The writer's part, once conflicts() said no. */
  apply(businessId: string, change: HoldChange): void {
    if ("releaseAll" in change) {
      for (const [key, hold] of this.granules) {
        if (key.startsWith(`${businessId}/`) && hold.holder === change.holder)
          this.granules.delete(key);
      }
      return;
    }
    const held = new Set<string>();
    for (const span of change.hold) {
      for (const g of lockGranulesFor(span.start, span.end)) {
        held.add(g);
        this.granules.set(`${businessId}/${g}`, {
          ...span,
          holder: change.holder,
          expiresAt: change.expiresAt,
        });
      }
    }
    for (const span of change.release) {
      for (const g of lockGranulesFor(span.start, span.end)) {
        if (!held.has(g)) this.granules.delete(`${businessId}/${g}`);
      }
    }
  }

  /** Who holds this granule (a lock key such as "2026-11-25T13:15Z"), expired or not. */
  holderOf(businessId: string, granule: string): string | undefined {
    return this.granules.get(`${businessId}/${granule}`)?.holder;
  }
}

/** Gives a call world holds on offered times, as production has; returns the store. */
export function withHolds(world: CallWorld): InMemoryHoldStore {
  const holds = new InMemoryHoldStore();
  world.deps.holds = holds;
  return holds;
}
