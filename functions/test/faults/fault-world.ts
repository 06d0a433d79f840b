import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { DocumentSnapshot, Timestamp } from "firebase-admin/firestore";
import functionsTest from "firebase-functions-test";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { appFirestore } from "../../src/adapters/firestore/firestore-client";
import { paths } from "../../src/adapters/firestore/paths";
import type { Business } from "../../src/domain/business/business";
import type { Transport } from "../../src/tools/simulator/transport";
import { fetchTransport } from "../../src/tools/simulator/transport";
import { appointmentNotifications } from "../../src/triggers/firestore/appointment-notifications.trigger";
import { syncAppointmentToCalendar } from "../../src/triggers/firestore/calendar-sync.trigger";
import { conversationSummary } from "../../src/triggers/firestore/conversation-summary.trigger";
import { deliverOutboxMessage } from "../../src/triggers/firestore/deliver-outbox.trigger";
import { calendarSyncSweep } from "../../src/triggers/scheduled/calendar-sync.schedule";
import { sendDueSms } from "../../src/triggers/scheduled/send-due-sms.schedule";
import {
  connectBusiness,
  newGoogleFake,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
  TEST_TOKEN_KEY,
  testConnections,
} from "../support/calendar-fixtures";
import { createTestTenant } from "../support/firestore-tenant";
import { AnthropicFakeServer } from "../support/anthropic-fake.server";
import type { GoogleFakeServer } from "../support/google-fake.server";
import { TEST_PROJECT_ID } from "../support/root-hooks";
import { simulatedCall } from "../support/simulated-call";
import { fakeAccountSid, TwilioFakeServer } from "../support/twilio-fake.server";
import { startWebhooksTestServer, WebhooksTestServer } from "../support/webhooks-test-server";

/**
 * Everything the fault scenarios run against: the voice, sms and status
 * webhooks over real HTTP, the Firestore triggers and scheduled jobs as the
 * platform runs them (firebase-functions-test), the official Firestore
 * emulator (through the suite's FirestoreLink), and the local Twilio and
 * Google servers speaking the vendors' protocols. Firestore delivers trigger
 * events at least once; `settle` plays that delivery, as often and as
 * concurrently as a scenario asks.
 */
export interface Delivery {
  /** How many times each event is delivered. */
  times: number;
  /** Whether those deliveries run at the same time. */
  concurrent: boolean;
}

const ONCE: Delivery = { times: 1, concurrent: false };
/** How often the platform retries an event whose handler threw, before a scenario gives up. */
const PLATFORM_RETRIES = 8;

const ENV_NAMES = ["TWILIO_ACCOUNT_SID", "TWILIO_API_BASE_URL"];

let google: GoogleFakeServer | undefined;
let anthropic: AnthropicFakeServer | undefined;

/**
 * The one local Messages API of the whole run (ANTHROPIC_BASE_URL is read
 * once per instance). The key, ANTHROPIC_API_KEY, is set only by a scenario
 * that wants the model asked; without it every turn is read by the rules alone.
 */
export async function suiteAnthropic(): Promise<AnthropicFakeServer> {
  if (!anthropic) {
    const fake = new AnthropicFakeServer();
    await fake.start();
    process.env.ANTHROPIC_BASE_URL = fake.baseURL;
    anthropic = fake;
  }
  return anthropic;
}

/**
 * The one local Google of the whole run, its params set once: a function
 * instance builds its calendar adapters once (bootstrap.ts), so every suite
 * of the process must talk to the same Google, as instances do in production.
 */
export async function suiteGoogle(): Promise<GoogleFakeServer> {
  await suiteAnthropic();
  if (!google) {
    const fake = newGoogleFake();
    const { baseUrl } = await fake.start();
    Object.assign(process.env, {
      GOOGLE_OAUTH_CLIENT_ID: TEST_CLIENT_ID,
      GOOGLE_OAUTH_CLIENT_SECRET: TEST_CLIENT_SECRET,
      CALENDAR_TOKEN_KEY: TEST_TOKEN_KEY,
      GOOGLE_API_BASE_URL: baseUrl,
      GOOGLE_OAUTH_BASE_URL: baseUrl,
      DASHBOARD_BASE_URL: "https://dash.example",
    });
    google = fake;
  }
  return google;
}

type Wrapped = (event: unknown) => Promise<unknown>;

/** One tenant of a scenario and the documents its triggers have seen so far. */
export interface Tenant {
  business: Business;
  seen: Map<string, DocumentSnapshot>;
  delivered: Set<string>;
}

export class FaultWorld {
  server!: WebhooksTestServer;
  google!: GoogleFakeServer;
  twilio!: TwilioFakeServer;
  private readonly fft = functionsTest({ projectId: TEST_PROJECT_ID });
  private readonly triggers = {
    deliver: this.fft.wrap(deliverOutboxMessage) as unknown as Wrapped,
    notifications: this.fft.wrap(appointmentNotifications) as unknown as Wrapped,
    calendar: this.fft.wrap(syncAppointmentToCalendar) as unknown as Wrapped,
    summary: this.fft.wrap(conversationSummary) as unknown as Wrapped,
  };
  /** Handler runs that threw and were retried, as the platform does with retry: true. */
  retriedRuns = 0;

  async start(): Promise<void> {
    this.server = await startWebhooksTestServer();
    const accountSid = fakeAccountSid();
    this.twilio = new TwilioFakeServer({ accountSid, authToken: this.server.authToken });
    const twilio = await this.twilio.start();
    this.google = await suiteGoogle();
    Object.assign(process.env, {
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_API_BASE_URL: twilio.baseUrl,
    });
  }

  async stop(): Promise<void> {
    for (const name of ENV_NAMES) delete process.env[name];
    this.fft.cleanup();
    await this.twilio?.stop();
    await this.server?.stop();
  }

  /** A fresh copy of the demo business, its Google Calendar connected. */
  async tenant(overrides: Partial<Business> = {}): Promise<Tenant> {
    const business = await createTestTenant(overrides);
    await connectBusiness(this.google, testConnections(), business.id);
    return { business, seen: new Map(), delivered: new Set() };
  }

  // ---- Twilio's side ---------------------------------------------------------

  /** A call played by the call simulator, every webhook going through `transport`. */
  call(tenant: Tenant, lines: string[], options: Parameters<typeof simulatedCall>[3] = {}) {
    return simulatedCall(this.server, tenant.business, lines, options);
  }

  /** One signed POST to a webhook, as Twilio sends it. */
  async post(
    path: string,
    params: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: string }> {
    const url = `${this.server.baseUrl}${path}`;
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": getExpectedTwilioSignature(this.server.authToken, url, params),
        ...headers,
      },
      body: new URLSearchParams(params).toString(),
    });
    return { status: response.status, body: await response.text() };
  }

  /** Status callbacks for every message Twilio took from this tenant, `status` each. */
  async statusCallbacks(tenant: Tenant, status: string, errorCode?: string) {
    const answers: number[] = [];
    for (const message of this.sentBy(tenant)) {
      const path = new URL(message.status_callback ?? "http://x/smsStatusCallback").pathname;
      const answer = await this.post(path, {
        MessageSid: message.sid,
        MessageStatus: status,
        AccountSid: message.account_sid,
        To: message.to,
        From: message.from,
        ...(errorCode ? { ErrorCode: errorCode } : {}),
      });
      answers.push(answer.status);
    }
    return answers;
  }

  // ---- Firestore's side: at-least-once trigger delivery --------------------------

  /**
   * Delivers every event the tenant's documents have produced since the last
   * call (appointments, conversations, outbox), `delivery.times` times each,
   * and retries handlers that threw, until nothing new happens.
   */
  async settle(tenant: Tenant, delivery: Delivery = ONCE): Promise<void> {
    const id = tenant.business.id;
    for (let round = 0; round < 10; round += 1) {
      let changed = false;
      for (const change of await this.changes(tenant, paths.appointments(id))) {
        changed = true;
        const params = { businessId: id, appointmentId: change.id };
        await this.deliver(this.triggers.notifications, change.event(params), delivery);
        await this.deliver(this.triggers.calendar, change.event(params), delivery);
      }
      for (const change of await this.changes(tenant, `businesses/${id}/conversations`)) {
        changed = true;
        const params = { businessId: id, conversationId: change.id };
        await this.deliver(this.triggers.summary, change.event(params), delivery);
      }
      const outbox = await appFirestore().collection(paths.outbox(id)).get();
      for (const doc of outbox.docs) {
        if (tenant.delivered.has(doc.id)) continue;
        tenant.delivered.add(doc.id);
        changed = true;
        await this.deliverOutbox(id, doc.id, delivery);
      }
      if (!changed) return;
    }
    assert.fail("trigger delivery did not settle in 10 rounds");
  }

  /** The created event of one outbox message, retried past its backoff until it is final. */
  private async deliverOutbox(businessId: string, messageId: string, delivery: Delivery) {
    const ref = appFirestore().doc(paths.outboxMessage(businessId, messageId));
    const event = {
      id: randomUUID(),
      data: await ref.get(),
      params: { businessId, messageId },
    };
    for (let attempt = 0; attempt <= PLATFORM_RETRIES; attempt += 1) {
      const threw = await this.run(this.triggers.deliver, event, attempt === 0 ? delivery : ONCE);
      if (!threw) return;
      this.retriedRuns += 1;
      // The platform redelivers after its own delay: let the message's backoff and lease pass.
      const now = Timestamp.fromMillis(Date.now() - 1000);
      const current = await ref.get();
      if (current.get("status") === "RETRY") await ref.update({ nextAttemptAt: now });
      if (current.get("status") === "PROCESSING") {
        const attempts = Number(current.get("attempts") ?? 0);
        const claim = appFirestore().doc(paths.outboxClaim(businessId, messageId, attempts));
        if ((await claim.get()).exists) await claim.update({ leaseExpiresAt: now });
      }
    }
    assert.fail(`outbox message ${messageId} was still being retried`);
  }

  /** One event to one handler, retried while it throws. */
  private async deliver(handler: Wrapped, event: unknown, delivery: Delivery): Promise<void> {
    for (let attempt = 0; attempt <= PLATFORM_RETRIES; attempt += 1) {
      const threw = await this.run(handler, event, attempt === 0 ? delivery : ONCE);
      if (!threw) return;
      this.retriedRuns += 1;
    }
    assert.fail("a trigger kept failing");
  }

  /** Runs the deliveries; true when every one of them threw (so the platform would retry). */
  private async run(handler: Wrapped, event: unknown, delivery: Delivery): Promise<boolean> {
    const once = () =>
      handler(event).then(
        () => false,
        () => true,
      );
    const outcomes: boolean[] = [];
    if (delivery.concurrent) {
      outcomes.push(...(await Promise.all(Array.from({ length: delivery.times }, once))));
    } else {
      for (let i = 0; i < delivery.times; i += 1) outcomes.push(await once());
    }
    return outcomes.every(Boolean);
  }

  /** Written events for the documents of a collection that changed since last seen. */
  private async changes(tenant: Tenant, collection: string) {
    const snapshot = await appFirestore().collection(collection).get();
    const found = new Map(snapshot.docs.map((d) => [d.ref.path, d as DocumentSnapshot]));
    const changed: Array<{ id: string; event: (params: object) => unknown }> = [];
    const paths = new Set([
      ...found.keys(),
      ...[...tenant.seen.keys()].filter((p) => p.startsWith(`${collection}/`)),
    ]);
    for (const path of paths) {
      const before = tenant.seen.get(path) ?? this.missing(path);
      const after = found.get(path) ?? this.missing(path);
      if (before.updateTime?.isEqual(after.updateTime ?? Timestamp.fromMillis(0))) continue;
      if (!before.exists && !after.exists) continue;
      if (after.exists) tenant.seen.set(path, after);
      else tenant.seen.delete(path);
      const id = path.split("/").pop() ?? "";
      const eventId = randomUUID();
      changed.push({
        id,
        event: (params) => ({ id: eventId, data: this.fft.makeChange(before, after), params }),
      });
    }
    return changed;
  }

  private missing(path: string): DocumentSnapshot {
    return this.fft.firestore.makeDocumentSnapshot({}, path) as unknown as DocumentSnapshot;
  }

  // ---- scheduled jobs --------------------------------------------------------

  /** The reminder job, as Cloud Scheduler runs it. */
  runReminders(): Promise<void> {
    return sendDueSms.run({ scheduleTime: new Date().toISOString() } as never) as Promise<void>;
  }

  /** The calendar sweep, as Cloud Scheduler runs it. */
  runCalendarSweep(): Promise<void> {
    return calendarSyncSweep.run({
      scheduleTime: new Date().toISOString(),
    } as never) as Promise<void>;
  }

  // ---- what happened -----------------------------------------------------------

  /** Messages Twilio accepted from this tenant's number. */
  sentBy(tenant: Tenant) {
    return this.twilio.sentMessages().filter((m) => m.from === tenant.business.phoneNumber);
  }

  async docs(collection: string) {
    const snapshot = await appFirestore().collection(collection).get();
    return snapshot.docs.map((d) => ({ id: d.id, ...d.data() }) as Record<string, unknown>);
  }

  async bookings(tenant: Tenant): Promise<number> {
    const all = await this.docs(paths.appointments(tenant.business.id));
    return all.filter((a) => a.status === "booked").length;
  }

  /**
   * The tenant's texts: how many outbox messages each purpose has, how many
   * reached Twilio (each outbox message must reach it exactly once: `sent`
   * against the messages meant to be sent), and how many identical texts
   * (same recipient and words) Twilio took more than once.
   */
  async texts(tenant: Tenant) {
    const outbox = await this.docs(paths.outbox(tenant.business.id));
    const byPurpose: Record<string, number> = {};
    for (const m of outbox) byPurpose[String(m.purpose)] = (byPurpose[String(m.purpose)] ?? 0) + 1;
    const sent = this.sentBy(tenant);
    const seen = new Set<string>();
    let repeated = 0;
    for (const m of sent) {
      const key = `${m.to}\n${m.body}`;
      if (seen.has(key)) repeated += 1;
      seen.add(key);
    }
    const meantToSend = outbox.filter((m) => m.status !== "ERROR").length;
    const unfinished = outbox.filter((m) => !["SUCCESS", "ERROR"].includes(String(m.status)));
    return { outbox, byPurpose, sent: sent.length, meantToSend, repeated, unfinished };
  }
}

/** Twilio retrying every webhook: each request is sent twice, one after the other or at once. */
export function retryingTransport(
  mode: "sequential" | "concurrent",
  record: Array<{ url: string; statuses: number[] }>,
): Transport {
  const send = fetchTransport();
  return async (request) => {
    if (mode === "concurrent") {
      const [first, second] = await Promise.all([send(request), send(request)]);
      record.push({ url: request.url, statuses: [first.status, second.status] });
      return second;
    }
    const first = await send(request);
    const second = await send(request);
    record.push({ url: request.url, statuses: [first.status, second.status] });
    return second;
  };
}
