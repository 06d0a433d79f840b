import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, Firestore } from "firebase-admin/firestore";

let firestore: Firestore | undefined;

/**
 * The one Firestore handle of this process. Under the emulators,
 * FIRESTORE_EMULATOR_HOST points it at the local server.
 */
export function appFirestore(): Firestore {
  if (!firestore) {
    const app = getApps()[0] ?? initializeApp();
    firestore = getFirestore(app);
    firestore.settings({ ignoreUndefinedProperties: true });
  }
  return firestore;
}
