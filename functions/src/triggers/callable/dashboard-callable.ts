import { CallableOptions, CallableRequest, HttpsError, onCall } from "firebase-functions/v2/https";
import type { z } from "zod";
import { ActionRefused, authorize, DashboardDeps } from "../../app/dashboard-actions";
import { dashboardDeps } from "../../bootstrap";
import type { DashboardActor } from "../../ports/dashboard.port";
import type { Logger } from "../../ports/logger.port";
import type { DashboardAction } from "../../shared/access";
import { FUNCTION_OPTIONS } from "../../function-options";
import { errorText, logError } from "../../logs";

type Run<I, R, D = DashboardDeps> = (actor: DashboardActor, input: I, deps: D) => Promise<R>;

/**
 * One dashboard action as a callable function: signed in, the input parsed
 * with its zod schema (every problem answered by path), the caller's business
 * and role checked against the token's claims, then the use case. Errors are
 * HttpsErrors the web app can show as they are.
 */
export async function runDashboardAction<
  S extends z.ZodType<{ businessId: string }>,
  R,
  D extends { logger: Logger } = DashboardDeps,
>(
  action: DashboardAction,
  schema: S,
  run: Run<z.output<S>, R, D>,
  request: Pick<CallableRequest<unknown>, "data" | "auth">,
  deps: D,
): Promise<{ ok: true } & R> {
  try {
    if (!request.auth) throw new ActionRefused("unauthenticated", "sign in first");
    const parsed = schema.safeParse(request.data);
    if (!parsed.success) {
      throw new ActionRefused(
        "invalid-argument",
        "the request is not valid",
        parsed.error.issues.map((i) => ({
          path: i.path.map(String).join("."),
          message: i.message,
        })),
      );
    }
    const actor = authorize(request.auth, action, parsed.data.businessId);
    return { ok: true, ...(await run(actor, parsed.data, deps)) };
  } catch (error) {
    if (error instanceof ActionRefused) {
      throw new HttpsError(error.code, error.message, { problems: error.problems });
    }
    logError(deps.logger, "dashboard.action-failed", {
      action,
      error: errorText(error),
    });
    throw new HttpsError("internal", "something went wrong; nothing was changed");
  }
}

export function dashboardCallable<S extends z.ZodType<{ businessId: string }>, R>(
  action: DashboardAction,
  schema: S,
  run: Run<z.output<S>, R>,
  options: Pick<CallableOptions, "secrets"> = {},
) {
  return onCall({ ...FUNCTION_OPTIONS.dashboard, ...options }, (request) =>
    runDashboardAction(action, schema, run, request, dashboardDeps()),
  );
}
