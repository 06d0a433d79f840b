import { moveOptions as run } from "../../app/dashboard-actions";
import { moveOptionsInput } from "../../shared/dashboard-contract";
import { dashboardCallable } from "./dashboard-callable";

export const moveOptions = dashboardCallable("moveOptions", moveOptionsInput, run);
