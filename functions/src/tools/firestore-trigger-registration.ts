/**
 * Firestore triggers, delivered by the official Firestore emulator itself.
 *
 * Started with `--functions_emulator HOST:PORT`, the emulator POSTs a CloudEvent
 * to the Functions emulator's `/functions/projects/{project}/triggers/{key}`
 * for every write that matches a trigger registered with it. firebase-tools
 * registers them only with a Firestore emulator it started itself; the stack
 * starts its own, so it registers them the same way: one POST per function to
 * `/emulator/v1/projects/{project}/eventarcTrigger?eventarcTriggerId={key}`,
 * with the function as the Functions emulator lists it on `/backends`.
 *
 * The key is the one the Functions emulator files the function under:
 * `{region}-{name}-{generation}`. The generation is 0 and only moves on a full
 * reload, which nothing here asks for (rebuilding the code does not).
 * Each matching write is delivered once; a failed function is not retried by
 * the emulator, `retry: true` or not.
 */

const FIRESTORE_EVENT_PREFIX = "google.cloud.firestore.document.v1.";

/** A function as the Functions emulator lists it (`/backends` -> functionTriggers). */
export interface EmulatedFunction {
  id?: string;
  name?: string;
  entryPoint?: string;
  eventTrigger?: {
    eventType?: string;
    eventFilters?: Record<string, string>;
    eventFilterPathPatterns?: Record<string, string>;
    retry?: boolean;
  };
}

/** What the Firestore emulator is told about one trigger. */
export interface FirestoreTriggerRegistration {
  key: string;
  name: string;
  eventType: string;
  database: string;
  namespace: string;
  document: { value: string; matchType: "EXACT" | "PATH_PATTERN" };
}

/** The Firestore-triggered functions among these, as registrations (others are skipped). */
export function firestoreRegistrationsOf(
  functions: readonly EmulatedFunction[],
  generation = 0,
): FirestoreTriggerRegistration[] {
  const registrations: FirestoreTriggerRegistration[] = [];
  for (const fn of functions) {
    const trigger = fn.eventTrigger;
    const eventType = trigger?.eventType;
    if (!fn.id || !eventType?.startsWith(FIRESTORE_EVENT_PREFIX)) continue;
    const pattern = trigger?.eventFilterPathPatterns?.document;
    const exact = trigger?.eventFilters?.document;
    const document = pattern ?? exact;
    if (!document) continue;
    registrations.push({
      key: `${fn.id}-${generation}`,
      name: fn.entryPoint ?? fn.name ?? fn.id,
      eventType,
      database: trigger?.eventFilters?.database ?? "(default)",
      namespace: trigger?.eventFilters?.namespace ?? "(default)",
      document: { value: document, matchType: pattern ? "PATH_PATTERN" : "EXACT" },
    });
  }
  return registrations;
}

/** Registers each trigger with the Firestore emulator at firestoreHost; throws on the first refusal. */
export async function registerFirestoreTriggers(
  firestoreHost: string,
  projectId: string,
  registrations: readonly FirestoreTriggerRegistration[],
): Promise<void> {
  for (const { key, eventType, database, namespace, document } of registrations) {
    const url =
      `http://${firestoreHost}/emulator/v1/projects/${encodeURIComponent(projectId)}` +
      `/eventarcTrigger?eventarcTriggerId=${encodeURIComponent(key)}`;
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ eventType, database, namespace, document }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      throw new Error(
        `the Firestore emulator refused trigger ${key}: HTTP ${response.status} ${await response.text()}`,
      );
    }
  }
}
