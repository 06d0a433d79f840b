import { cancelAppointment as run } from "../../app/dashboard-actions";
import { cancelAppointmentInput } from "../../shared/dashboard-contract";
import { dashboardCallable } from "./dashboard-callable";

export const cancelAppointment = dashboardCallable(
  "cancelAppointment",
  cancelAppointmentInput,
  run,
);
