import { updateSettings as run } from "../../app/dashboard-actions";
import { updateSettingsInput } from "../../shared/dashboard-contract";
import { dashboardCallable } from "./dashboard-callable";

export const updateSettings = dashboardCallable("updateSettings", updateSettingsInput, run);
