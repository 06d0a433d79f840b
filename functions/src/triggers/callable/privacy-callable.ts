import { onCall } from "firebase-functions/v2/https";
import type { z } from "zod";
import type { PrivacyDeps } from "../../app/privacy-actions";
import { privacyDeps } from "../../bootstrap";
import { FUNCTION_OPTIONS } from "../../function-options";
import type { DashboardActor } from "../../ports/dashboard.port";
import type { DashboardAction } from "../../shared/access";
import { runDashboardAction } from "./dashboard-callable";

/**
 * One of the owner's privacy or screening actions as a callable function:
 * the same checks as every dashboard action (runDashboardAction), with the
 * privacy adapters.
 */
export function privacyCallable<S extends z.ZodType<{ businessId: string }>, R>(
  action: DashboardAction,
  schema: S,
  run: (actor: DashboardActor, input: z.output<S>, deps: PrivacyDeps) => Promise<R>,
) {
  return onCall({ ...FUNCTION_OPTIONS.dashboard }, (request) =>
    runDashboardAction(action, schema, run, request, privacyDeps()),
  );
}
