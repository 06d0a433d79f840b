import { markJobDone as run } from "../../app/dashboard-actions";
import { markJobDoneInput } from "../../shared/dashboard-contract";
import { dashboardCallable } from "./dashboard-callable";

export const markJobDone = dashboardCallable("markJobDone", markJobDoneInput, run);
