import { moveAppointment as run } from "../../app/dashboard-actions";
import { moveAppointmentInput } from "../../shared/dashboard-contract";
import { dashboardCallable } from "./dashboard-callable";

export const moveAppointment = dashboardCallable("moveAppointment", moveAppointmentInput, run);
