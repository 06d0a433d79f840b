import { getApps, initializeApp } from "firebase-admin/app";

/**
 * Verifies a Firebase Auth ID token with firebase-admin (against the Auth
 * emulator when FIREBASE_AUTH_EMULATOR_HOST is set). Loaded lazily: only
 * the calendar OAuth routes need firebase-admin/auth.
 */
export class FirebaseIdTokenVerifier {
  async verify(idToken: string): Promise<{ uid: string; claims: Record<string, unknown> }> {
    const { getAuth } = await import("firebase-admin/auth");
    const app = getApps().find((a) => a.name === "[DEFAULT]") ?? initializeApp();
    const decoded = await getAuth(app).verifyIdToken(idToken);
    return { uid: decoded.uid, claims: decoded };
  }
}
