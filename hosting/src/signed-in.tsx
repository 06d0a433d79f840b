import type { FirebaseApp } from "firebase/app";
import { createContext, type ComponentChildren } from "preact";
import { useContext, useEffect, useMemo, useState } from "preact/hooks";
import type { DashboardClaims } from "@shared/access";
import type { SignedInProps } from "./app";
import { useLiveData, type LiveData } from "./data";
import { firebaseApp } from "./firebase";
import type { Customer } from "./model";
import { useOnline } from "./online";
import { phone } from "./format";
import { Today } from "./screens/today";
import { Calls } from "./screens/calls";
import { Schedule } from "./screens/schedule";
import { Customers } from "./screens/customers";
import { Settings } from "./screens/settings";
import { Insights } from "./screens/insights";
import { Privacy } from "./screens/privacy";
import { useCalendarStatus } from "./calendar";

/** What every screen needs: the app, who is signed in, the live data, whether changes can be made. */
export interface Ctx {
  app: FirebaseApp;
  claims: DashboardClaims;
  idToken: () => Promise<string>;
  data: LiveData;
  online: boolean;
  timeZone: string;
  customersByPhone: Map<string, Customer>;
  nameOf: (phone: string) => string;
  calendarStatus?: string;
  route: string[];
  go: (path: string) => void;
}

const Context = createContext<Ctx | null>(null);
export function useCtx(): Ctx {
  const ctx = useContext(Context);
  if (!ctx) throw new Error("outside the signed-in app");
  return ctx;
}

const TABS = [
  { path: "today", label: "Today", icon: "M4 5h16v15H4zM4 9h16M9 3v4M15 3v4" },
  {
    path: "calls",
    label: "Inbox",
    icon: "M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2",
  },
  { path: "schedule", label: "Schedule", icon: "M4 6h16M4 12h16M4 18h10" },
  {
    path: "customers",
    label: "People",
    icon: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0",
  },
  { path: "insights", label: "Insights", icon: "M5 20V10M12 20V4M19 20v-7" },
  {
    path: "settings",
    label: "Settings",
    icon: "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM12 2v3M12 19v3M4.2 4.2l2.1 2.1M17.7 17.7l2.1 2.1M2 12h3M19 12h3M4.2 19.8l2.1-2.1M17.7 6.3l2.1-2.1",
  },
];

function useRoute(): [string[], (path: string) => void] {
  const read = () =>
    (location.hash.replace(/^#\/?/, "") || "today").split("/").map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onHash = () => {
      setRoute(read());
      window.scrollTo(0, 0);
      // Move focus to the new screen's heading, so screen readers follow the navigation.
      requestAnimationFrame(() => document.querySelector<HTMLElement>("main h1")?.focus());
    };
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);
  return [route, (path: string) => (location.hash = `#/${path}`)];
}

export function SignedIn({ user, claims, onSignOut }: SignedInProps) {
  const [app, setApp] = useState<FirebaseApp | null>(null);
  useEffect(() => {
    void firebaseApp().then(({ app }) => setApp(app));
  }, []);
  if (!app) return <p class="boot">Loading…</p>;
  return (
    <Shell
      app={app}
      claims={claims}
      email={user.email ?? ""}
      idToken={() => user.getIdToken()}
      onSignOut={onSignOut}
    />
  );
}

function Shell(props: {
  app: FirebaseApp;
  claims: DashboardClaims;
  email: string;
  idToken: () => Promise<string>;
  onSignOut: () => void;
}) {
  const { app, claims } = props;
  const data = useLiveData(app, claims);
  const online = useOnline();
  const [route, go] = useRoute();
  const calendarStatus = useCalendarStatus(claims, props.idToken, online);
  const customersByPhone = useMemo(
    () => new Map(data.customers.map((c) => [c.phone, c])),
    [data.customers],
  );
  const ctx: Ctx = {
    app,
    claims,
    idToken: props.idToken,
    data,
    online,
    timeZone: data.business?.timeZone ?? "Europe/London",
    customersByPhone,
    nameOf: (p: string) => customersByPhone.get(p)?.name || (p ? phone(p) : "Unknown caller"),
    calendarStatus: calendarStatus?.status,
    route,
    go,
  };
  const tab = route[0];
  let screen: ComponentChildren;
  switch (tab) {
    case "calls":
      screen = <Calls />;
      break;
    case "schedule":
      screen = <Schedule />;
      break;
    case "customers":
      screen = <Customers />;
      break;
    case "settings":
      screen = (
        <Settings email={props.email} onSignOut={props.onSignOut} calendar={calendarStatus} />
      );
      break;
    case "insights":
      screen = <Insights />;
      break;
    case "privacy":
      screen = <Privacy />;
      break;
    default:
      screen = <Today />;
  }
  return (
    <Context.Provider value={ctx}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">{data.business?.name ?? "Your business"}</span>
        {claims.role === "staff" && <span class="pill">Staff</span>}
      </header>
      {!online && (
        <div class="offline" role="status">
          <strong>Offline.</strong> Showing what was saved on this phone. Changes are off until
          you're back online.
        </div>
      )}
      {online && data.error && (
        <div class="banner-error" role="alert">
          Couldn't load everything ({data.error}). Pull down to refresh, or sign out and in again.
        </div>
      )}
      <main id="main" class="screen">
        {screen}
      </main>
      <nav class="tabs" aria-label="Screens">
        {TABS.map((t) => (
          <a
            key={t.path}
            href={`#/${t.path}`}
            class="tab"
            aria-current={
              tab === t.path || (!TABS.some((x) => x.path === tab) && t.path === "today")
                ? "page"
                : undefined
            }
          >
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path d={t.icon} />
            </svg>
            <span>{t.label}</span>
          </a>
        ))}
      </nav>
    </Context.Provider>
  );
}
