import { getApps, initializeApp } from "firebase-admin/app";

const DEFAULT_APP_NAME = "[DEFAULT]";
import { getFirestore, Firestore } from "firebase-admin/firestore";

let firestore: Firestore | undefined;

/**
 * The one Firestore handle of this process. Under the emulators,
 * FIRESTORE_EMULATOR_HOST points it at the local server.
 */
export function appFirestore(): Firestore {
  if (!firestore) {
    const app = getApps().find((a) => a.name === DEFAULT_APP_NAME) ?? initializeApp();
    firestore = getFirestore(app);
    firestore.settings({ ignoreUndefinedProperties: true });
  }
  return firestore;
}
