import type { User } from "firebase/auth";
import { onIdTokenChanged, signInWithEmailAndPassword, signOut } from "firebase/auth";
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ROLES, type DashboardClaims, type Role } from "@shared/access";
import { firebaseApp } from "./firebase";

/**
 * Sign-in, then the signed-in app, loaded on demand: Firestore and the
 * screens are not part of the first download (see scripts/check-bundle.mjs).
 */
type Session =
  | { state: "loading" }
  | { state: "signed-out"; error?: string }
  | { state: "no-access"; user: User }
  | { state: "signed-in"; user: User; claims: DashboardClaims };

export interface SignedInProps {
  user: User;
  claims: DashboardClaims;
  onSignOut: () => void;
}

function claimsOf(raw: Record<string, unknown>): DashboardClaims | null {
  const role = raw.role as Role;
  const businessId = raw.businessId;
  if (typeof businessId !== "string" || !businessId || !ROLES.includes(role)) return null;
  return { businessId, role };
}

export function App() {
  const [session, setSession] = useState<Session>({ state: "loading" });
  const [Screens, setScreens] = useState<ComponentType<SignedInProps> | null>(null);

  useEffect(() => {
    let stop: (() => void) | undefined;
    void firebaseApp().then(({ auth }) => {
      stop = onIdTokenChanged(auth, async (user) => {
        if (!user) return setSession({ state: "signed-out" });
        const token = await user.getIdTokenResult();
        const claims = claimsOf(token.claims);
        setSession(claims ? { state: "signed-in", user, claims } : { state: "no-access", user });
      });
    });
    return () => stop?.();
  }, []);

  useEffect(() => {
    if (session.state === "signed-in" && !Screens) {
      void import("./signed-in").then((m) => setScreens(() => m.SignedIn));
    }
  }, [session.state, Screens]);

  const leave = () => void firebaseApp().then(({ auth }) => signOut(auth));

  if (session.state === "loading") return <p class="boot">Loading…</p>;
  if (session.state === "signed-out") return <SignIn error={session.error} />;
  if (session.state === "no-access") {
    return (
      <main class="signin" id="main">
        <h1>No business on this login</h1>
        <p role="alert">
          {session.user.email} is signed in but is not a member of any business. Ask the owner to
          add you.
        </p>
        <button class="button" onClick={leave}>
          Sign out
        </button>
      </main>
    );
  }
  if (!Screens) return <p class="boot">Loading your jobs…</p>;
  return <Screens user={session.user} claims={session.claims} onSignOut={leave} />;
}

function SignIn({ error }: { error?: string }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(error);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setProblem(undefined);
    try {
      const { auth } = await firebaseApp();
      await signInWithEmailAndPassword(
        auth,
        String(form.get("email")),
        String(form.get("password")),
      );
    } catch (e) {
      const code = (e as { code?: string }).code ?? "";
      setProblem(
        /invalid-credential|wrong-password|user-not-found|invalid-email/.test(code)
          ? "That email and password don't match an account."
          : /network/.test(code)
            ? "No connection. Sign in needs the internet the first time."
            : "Sign in failed. Try again.",
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin" id="main">
      <svg class="logo" viewBox="0 0 512 512" aria-hidden="true">
        <rect width="512" height="512" rx="96" fill="#0b5394" />
        <path
          d="M256 92c-8 0-14 5-18 12-38 66-118 160-118 232a136 136 0 0 0 272 0c0-72-80-166-118-232-4-7-10-12-18-12z"
          fill="#fff"
        />
      </svg>
      <h1>Sign in</h1>
      <p class="muted">Your jobs, calls and messages.</p>
      <form onSubmit={submit} class="stack">
        <label>
          Email
          <input name="email" type="email" autocomplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <button class="button primary" type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
