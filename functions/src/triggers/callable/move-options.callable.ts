import { moveOptions as run } from "../../app/dashboard-actions";
import { moveOptionsInput } from "../../shared/dashboard-contract";
import { CALENDAR_SECRETS } from "../../calendar.bootstrap";
import { dashboardCallable } from "./dashboard-callable";

export const moveOptions = dashboardCallable("moveOptions", moveOptionsInput, run, {
  // The owner's Google Calendar busy time is read with the stored grant.
  secrets: CALENDAR_SECRETS,
});
