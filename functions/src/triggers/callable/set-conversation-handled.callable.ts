import { setConversationHandled as run } from "../../app/dashboard-actions";
import { setConversationHandledInput } from "../../shared/dashboard-contract";
import { dashboardCallable } from "./dashboard-callable";

export const setConversationHandled = dashboardCallable(
  "setConversationHandled",
  setConversationHandledInput,
  run,
);
