import { randomUUID } from "node:crypto";
import type { FirestoreServer, FirestoreStateDocument } from "@firestore-emulator/server";

/**
 * Delivers Firestore triggers when Firestore is the embedded server, which has
 * no trigger support of its own: it watches the server's document events and
 * calls each matching exported v2 function with the CloudEvent Firestore would
 * send (protobuf DocumentEventData), the same entry the functions runtime uses.
 */

export type DocumentChangeKind = "created" | "updated" | "deleted";

const EVENT_TYPE_PREFIX = "google.cloud.firestore.document.v1.";
const DEFAULT_DATABASE = "(default)";

/** Which trigger event types a change fires: its own kind, and "written" for all. */
export function eventTypesFor(kind: DocumentChangeKind): string[] {
  return [`${EVENT_TYPE_PREFIX}${kind}`, `${EVENT_TYPE_PREFIX}written`];
}

/**
 * Matches a document path ("businesses/acme/outbox/m1") against a trigger's
 * pattern ("businesses/{businessId}/outbox/{messageId}"). Returns the captured
 * params, or null when it does not match. `{name=**}` captures one or more
 * trailing segments.
 */
export function matchDocumentPath(
  pattern: string,
  documentPath: string,
): Record<string, string> | null {
  const wanted = trimSlashes(pattern).split("/");
  const actual = trimSlashes(documentPath).split("/");
  const params: Record<string, string> = {};
  for (let i = 0; i < wanted.length; i++) {
    const segment = wanted[i];
    const capture = /^\{([^}=]+)(=\*\*)?\}$/.exec(segment);
    if (capture?.[2]) {
      if (i !== wanted.length - 1 || actual.length <= i) return null;
      params[capture[1]] = actual.slice(i).join("/");
      return params;
    }
    if (i >= actual.length) return null;
    if (capture) params[capture[1]] = actual[i];
    else if (segment === "*") continue;
    else if (segment !== actual[i]) return null;
  }
  return wanted.length === actual.length ? params : null;
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, "");
}

/** The CloudEvent a v2 Firestore function receives from the platform. */
export interface FirestoreCloudEvent {
  specversion: "1.0";
  id: string;
  source: string;
  type: string;
  time: string;
  subject: string;
  datacontenttype: "application/protobuf";
  project: string;
  location: string;
  database: string;
  namespace: string;
  document: string;
  authtype?: string;
  data: Buffer;
}

export interface FirestoreTrigger {
  /** The export name, which is the deployed function name. */
  name: string;
  eventType: string;
  pattern: string;
  retry: boolean;
  run(event: FirestoreCloudEvent): Promise<unknown>;
}

interface EndpointShape {
  region?: unknown;
  eventTrigger?: {
    eventType?: unknown;
    retry?: unknown;
    eventFilters?: { document?: unknown; database?: unknown };
    eventFilterPathPatterns?: { document?: unknown };
  };
}

/** The v2 Firestore triggers among a functions module's exports (default database only). */
export function firestoreTriggersOf(moduleExports: Record<string, unknown>): FirestoreTrigger[] {
  const triggers: FirestoreTrigger[] = [];
  for (const [name, value] of Object.entries(moduleExports)) {
    if (typeof value !== "function") continue;
    const endpoint = (value as { __endpoint?: EndpointShape }).__endpoint;
    const eventTrigger = endpoint?.eventTrigger;
    const eventType = eventTrigger?.eventType;
    if (typeof eventType !== "string" || !eventType.startsWith(EVENT_TYPE_PREFIX)) continue;
    const database = eventTrigger?.eventFilters?.database ?? DEFAULT_DATABASE;
    const pattern =
      eventTrigger?.eventFilterPathPatterns?.document ?? eventTrigger?.eventFilters?.document;
    if (database !== DEFAULT_DATABASE || typeof pattern !== "string") continue;
    const handler = value as (event: FirestoreCloudEvent) => unknown;
    triggers.push({
      name,
      eventType,
      pattern,
      retry: eventTrigger?.retry === true,
      run: async (event) => handler(event),
    });
  }
  return triggers;
}

/** A trigger matches a change when its event type (ignoring ".withAuthContext") and path match. */
export function triggersFor(
  triggers: readonly FirestoreTrigger[],
  kind: DocumentChangeKind,
  documentPath: string,
): Array<{ trigger: FirestoreTrigger; params: Record<string, string> }> {
  const types = eventTypesFor(kind);
  const matches: Array<{ trigger: FirestoreTrigger; params: Record<string, string> }> = [];
  for (const trigger of triggers) {
    if (!types.includes(trigger.eventType.replace(/\.withAuthContext$/, ""))) continue;
    const params = matchDocumentPath(trigger.pattern, documentPath);
    if (params) matches.push({ trigger, params });
  }
  return matches;
}

/**
 * google.events.cloud.firestore.v1.DocumentEventData: field 1 is the new
 * document, field 2 the old one, each an encoded google.firestore.v1.Document
 * (the same message the Firestore API returns).
 */
export function encodeDocumentEventData(value?: Uint8Array, oldValue?: Uint8Array): Buffer {
  const parts: Buffer[] = [];
  if (value) parts.push(lengthDelimited(1, value));
  if (oldValue) parts.push(lengthDelimited(2, oldValue));
  return Buffer.concat(parts);
}

function lengthDelimited(fieldNumber: number, bytes: Uint8Array): Buffer {
  return Buffer.concat([varint((fieldNumber << 3) | 2), varint(bytes.length), Buffer.from(bytes)]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let rest = n;
  while (rest > 0x7f) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return Buffer.from(out);
}

export interface RelayLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface TriggerRelayOptions {
  server: FirestoreServer;
  projectId: string;
  triggers: readonly FirestoreTrigger[];
  log: RelayLog;
  /** Region put on the events; the functions' own region. */
  location?: string;
  /** Tries per event for retry: true functions (others get one). */
  maxAttempts?: number;
  /** Wait before the second try; doubles each time. */
  retryDelayMs?: number;
}

interface PendingChange {
  /** What the server first said about the document since the last delivery. */
  firstEvent: "create-document" | "update-document" | "delete-document";
  after: Uint8Array | undefined;
}

/**
 * Watches the embedded server and delivers each document change to the
 * matching triggers: in order per document, concurrently across documents,
 * with bounded retries for functions that ask for them.
 */
export class TriggerRelay {
  private readonly lastKnown = new Map<string, Uint8Array>();
  private readonly pending = new Map<string, PendingChange>();
  private readonly queues = new Map<string, Promise<void>>();
  private flushScheduled = false;
  private running = false;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private deliveredCount = 0;
  private failedCount = 0;

  constructor(private readonly options: TriggerRelayOptions) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
  }

  private readonly onCreate = ({ document }: { document: FirestoreStateDocument }) =>
    this.record("create-document", document);
  private readonly onUpdate = ({ document }: { document: FirestoreStateDocument }) =>
    this.record("update-document", document);
  private readonly onDelete = ({ document }: { document: FirestoreStateDocument }) =>
    this.record("delete-document", document);

  /** Starts watching. Documents that exist already are remembered as "before" states. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.rememberExistingDocuments();
    const emitter = this.options.server.state.emitter;
    emitter.on("create-document", this.onCreate);
    emitter.on("update-document", this.onUpdate);
    emitter.on("delete-document", this.onDelete);
  }

  /** Stops watching and waits for deliveries in flight. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    const emitter = this.options.server.state.emitter;
    emitter.off("create-document", this.onCreate);
    emitter.off("update-document", this.onUpdate);
    emitter.off("delete-document", this.onDelete);
    await this.idle();
  }

  /** Resolves once every change seen so far has been delivered (or given up on). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.pending.size > 0) await new Promise((resolve) => setImmediate(resolve));
      const inFlight = [...this.queues.values()];
      if (inFlight.length === 0 && this.pending.size === 0) return;
      await Promise.all(inFlight);
    }
  }

  stats(): { delivered: number; failed: number } {
    return { delivered: this.deliveredCount, failed: this.failedCount };
  }

  private record(event: PendingChange["firstEvent"], document: FirestoreStateDocument): void {
    if (!this.running || document.database.project.name !== this.options.projectId) return;
    if (document.database.name !== DEFAULT_DATABASE) return;
    // Read the state now: the document object is live and changes with later writes.
    const after = document.metadata.hasExist
      ? document.toV1Document().serializeBinary()
      : undefined;
    const path = document.getDocumentPath();
    const existing = this.pending.get(path);
    this.pending.set(path, { firstEvent: existing?.firstEvent ?? event, after });
    // One commit (a create plus its field transforms, say) emits several events
    // synchronously; delivering after the current tick reports it as one change.
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const changes = [...this.pending.entries()];
    this.pending.clear();
    for (const [path, change] of changes) {
      const before = this.lastKnown.get(path);
      const existedBefore = before !== undefined || change.firstEvent !== "create-document";
      let kind: DocumentChangeKind;
      if (change.after === undefined) {
        if (!existedBefore) continue;
        kind = "deleted";
        this.lastKnown.delete(path);
      } else {
        kind = existedBefore ? "updated" : "created";
        this.lastKnown.set(path, change.after);
      }
      const matches = triggersFor(this.options.triggers, kind, path);
      if (matches.length === 0) continue;
      const previous = this.queues.get(path) ?? Promise.resolve();
      const next = previous
        .then(() => this.deliverAll(matches, kind, path, change.after, before))
        .finally(() => {
          if (this.queues.get(path) === next) this.queues.delete(path);
        });
      this.queues.set(path, next);
    }
  }

  private async deliverAll(
    matches: ReturnType<typeof triggersFor>,
    kind: DocumentChangeKind,
    path: string,
    after: Uint8Array | undefined,
    before: Uint8Array | undefined,
  ): Promise<void> {
    for (const { trigger } of matches) {
      await this.deliver(trigger, this.eventFor(trigger, kind, path, after, before));
    }
  }

  private eventFor(
    trigger: FirestoreTrigger,
    kind: DocumentChangeKind,
    path: string,
    after: Uint8Array | undefined,
    before: Uint8Array | undefined,
  ): FirestoreCloudEvent {
    const { projectId } = this.options;
    // A created event carries no old value and a deleted one no new value, as in production.
    const data = encodeDocumentEventData(
      kind === "deleted" ? undefined : after,
      kind === "created" ? undefined : before,
    );
    return {
      specversion: "1.0",
      id: randomUUID(),
      source: `//firestore.googleapis.com/projects/${projectId}/databases/${DEFAULT_DATABASE}`,
      type: trigger.eventType,
      time: new Date().toISOString(),
      subject: `documents/${path}`,
      datacontenttype: "application/protobuf",
      project: projectId,
      location: this.options.location ?? "europe-west2",
      database: DEFAULT_DATABASE,
      namespace: DEFAULT_DATABASE,
      document: path,
      ...(trigger.eventType.endsWith(".withAuthContext") ? { authtype: "unknown" } : {}),
      data,
    };
  }

  /** Same event id on every try, as the platform does, so idempotency markers hold. */
  private async deliver(trigger: FirestoreTrigger, event: FirestoreCloudEvent): Promise<void> {
    const attempts = trigger.retry ? this.maxAttempts : 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await trigger.run(event);
        this.deliveredCount++;
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const where = `${trigger.name} on ${event.document} (try ${attempt}/${attempts})`;
        if (attempt === attempts) {
          this.failedCount++;
          this.options.log.error(`trigger ${where} failed, giving up: ${reason}`);
          return;
        }
        this.options.log.warn(`trigger ${where} failed, retrying: ${reason}`);
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  private rememberExistingDocuments(): void {
    const { state } = this.options.server;
    const project = state.toJSON().projects[this.options.projectId];
    const database = project?.databases[DEFAULT_DATABASE];
    if (!database) return;
    for (const fullPath of documentPathsIn(database.collections)) {
      const document = state.getDocument(fullPath);
      if (document.metadata.hasExist) {
        this.lastKnown.set(document.getDocumentPath(), document.toV1Document().serializeBinary());
      }
    }
  }
}

interface CollectionJson {
  documents: Record<string, { path: string; collections: Record<string, CollectionJson> }>;
}

/** Full resource paths of every document in the server's JSON view, nested ones included. */
export function documentPathsIn(collections: Record<string, CollectionJson>): string[] {
  const found: string[] = [];
  for (const collection of Object.values(collections)) {
    for (const document of Object.values(collection.documents)) {
      found.push(document.path);
      found.push(...documentPathsIn(document.collections));
    }
  }
  return found;
}
