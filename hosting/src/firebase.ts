import { initializeApp, type FirebaseApp, type FirebaseOptions } from "firebase/app";
import {
  connectAuthEmulator,
  getAuth,
  indexedDBLocalPersistence,
  initializeAuth,
  type Auth,
} from "firebase/auth";

/**
 * The Firebase app of this deployment. Firebase Hosting serves the project's
 * web config at /__/firebase/init.json (so does the Hosting emulator); on this
 * machine's emulators the app also talks to the local Auth, Firestore and
 * Functions emulators.
 */
export const REGION = "europe-west2";
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost"]);
export const isLocal = LOCAL_HOSTS.has(location.hostname);
const EMULATOR_HOST = "127.0.0.1";
export const EMULATOR_PORTS = { auth: 9099, firestore: 8080, functions: 5001 };

let app: FirebaseApp | undefined;
let auth: Auth | undefined;

const CONFIG_KEY = "firebase-web-config";

/** Hosting's config, remembered: offline, the same config finds the same stored session. */
async function webConfig(): Promise<FirebaseOptions> {
  try {
    const response = await fetch("/__/firebase/init.json");
    if (response.ok) {
      const config = (await response.json()) as FirebaseOptions;
      localStorage.setItem(CONFIG_KEY, JSON.stringify(config));
      return config;
    }
  } catch {
    // offline: use the config remembered from the last visit
  }
  const remembered = localStorage.getItem(CONFIG_KEY);
  if (remembered) return JSON.parse(remembered) as FirebaseOptions;
  return { projectId: "demo-bristol-plumbing", apiKey: "demo-api-key", authDomain: location.host };
}

export async function firebaseApp(): Promise<{ app: FirebaseApp; auth: Auth }> {
  if (app && auth) return { app, auth };
  const config = await webConfig();
  // The emulators accept any API key; a demo project has none.
  if (isLocal && !config.apiKey) config.apiKey = "demo-api-key";
  app = initializeApp(config);
  auth = initializeAuth(app, { persistence: indexedDBLocalPersistence });
  if (isLocal) {
    connectAuthEmulator(auth, `http://${EMULATOR_HOST}:${EMULATOR_PORTS.auth}`, {
      disableWarnings: true,
    });
  }
  return { app, auth };
}

export function currentAuth(): Auth {
  if (!app) throw new Error("firebase not initialised");
  return auth ?? getAuth(app);
}

export const emulatorHost = EMULATOR_HOST;
