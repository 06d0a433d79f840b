import { getApp } from "firebase/app";
import { useEffect, useState } from "preact/hooks";
import type { DashboardClaims } from "@shared/access";
import { EMULATOR_PORTS, emulatorHost, isLocal, REGION } from "./firebase";

/**
 * The Google Calendar connection, through the calendarOAuth HTTPS function
 * (its /status, /start and /disconnect routes take the owner's ID token).
 */
export interface CalendarStatus {
  status: "connected" | "needs-reconnect" | "not-connected" | "unavailable";
  connectedAt?: string;
  needsReconnectSince?: string;
  detail?: string;
}

function base(): string {
  const project = getApp().options.projectId ?? "";
  return isLocal
    ? `http://${emulatorHost}:${EMULATOR_PORTS.functions}/${project}/${REGION}/calendarOAuth`
    : `https://${REGION}-${project}.cloudfunctions.net/calendarOAuth`;
}

export async function calendarRequest(
  route: "status" | "start" | "disconnect",
  businessId: string,
  idToken: string,
): Promise<Response> {
  const url = `${base()}/${route}?business=${encodeURIComponent(businessId)}${route === "start" ? "&format=json" : ""}`;
  return fetch(url, {
    method: route === "disconnect" ? "POST" : "GET",
    headers: { Authorization: `Bearer ${idToken}` },
  });
}

export function useCalendarStatus(
  claims: DashboardClaims,
  idToken: () => Promise<string>,
  online: boolean,
): (CalendarStatus & { refresh: () => void }) | undefined {
  const [status, setStatus] = useState<CalendarStatus>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (claims.role !== "owner" || !online) return;
    let live = true;
    void (async () => {
      try {
        const response = await calendarRequest("status", claims.businessId, await idToken());
        const body = response.ok ? ((await response.json()) as CalendarStatus) : undefined;
        if (live) setStatus(body ?? { status: "unavailable", detail: `HTTP ${response.status}` });
      } catch (e) {
        if (live) setStatus({ status: "unavailable", detail: String(e) });
      }
    })();
    return () => {
      live = false;
    };
  }, [claims.businessId, claims.role, online, tick]);
  return status && { ...status, refresh: () => setTick((t) => t + 1) };
}
