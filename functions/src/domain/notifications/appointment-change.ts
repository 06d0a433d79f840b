import type { AppointmentStatus } from "../scheduling/appointment";

/** The fields of an appointment document that decide what kind of change a write was. */
export interface AppointmentState {
  status: AppointmentStatus;
  start: Date;
  source: string;
}

export type AppointmentChange =
  | { kind: "created" }
  | { kind: "cancelled" }
  | { kind: "moved"; from: Date; to: Date }
  /** Anything nobody needs a text about: a note, a confirmation, a calendar sync, a delete. */
  | { kind: "other"; why: string };

/** Appointments written by the demo seed: they never text anyone. */
export const SEED_SOURCE = "seed";

/** What one write to an appointment document means for notifications. */
export function classifyAppointmentChange(
  before: AppointmentState | null,
  after: AppointmentState | null,
): AppointmentChange {
  if (!after) return { kind: "other", why: "deleted" };
  if (!before) {
    if (after.source === SEED_SOURCE) return { kind: "other", why: "seeded" };
    if (after.status !== "booked") return { kind: "other", why: "created-cancelled" };
    return { kind: "created" };
  }
  if (before.status === "booked" && after.status === "cancelled") return { kind: "cancelled" };
  if (after.status !== "booked") return { kind: "other", why: "not-booked" };
  if (before.status !== "booked") return { kind: "other", why: "not-booked-before" };
  if (before.start.getTime() !== after.start.getTime()) {
    return { kind: "moved", from: before.start, to: after.start };
  }
  return { kind: "other", why: "same-time" };
}
