import { acknowledgeAttention as run } from "../../app/dashboard-actions";
import { acknowledgeAttentionInput } from "../../shared/dashboard-contract";
import { dashboardCallable } from "./dashboard-callable";

export const acknowledgeAttention = dashboardCallable(
  "acknowledgeAttention",
  acknowledgeAttentionInput,
  run,
);
