import { Firestore } from "firebase-admin/firestore";

/**
 * Which Firestore the suite runs on (set by root-hooks.ts): "official-gcloud",
 * "official-firebase-tools", "embedded", or "external" when FIRESTORE_EMULATOR_HOST
 * pointed somewhere before the suite started (taken to be an official emulator).
 */
export function firestoreKind(): string {
  return process.env.TEST_FIRESTORE_KIND ?? "external";
}

/** True unless the suite fell back to the embedded server. */
export function onOfficialFirestore(): boolean {
  return firestoreKind() !== "embedded";
}

/** A client of the server at host only (the client prefers FIRESTORE_EMULATOR_HOST, read once). */
export function firestoreClientAt(host: string, projectId: string): Firestore {
  const shared = process.env.FIRESTORE_EMULATOR_HOST;
  process.env.FIRESTORE_EMULATOR_HOST = host;
  try {
    return new Firestore({ projectId });
  } finally {
    process.env.FIRESTORE_EMULATOR_HOST = shared;
  }
}
