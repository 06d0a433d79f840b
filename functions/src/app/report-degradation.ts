import {
  alertWindow,
  attentionId,
  type Degradation,
  degradedAttention,
  degradedMessageId,
  degradedOwnerText,
  shouldAlert,
} from "../domain/health/degradation";
import type { DegradationBoard, DegradationReporter } from "../ports/attention.port";
import type { BusinessDirectory } from "../ports/business-directory.port";
import type { Clock } from "../ports/clock.port";
import type { Logger } from "../ports/logger.port";
import type { OutboxQueue } from "../ports/outbox.port";
import { errorText, logError, logWarn } from "../logs";

export interface ReportDegradationDeps {
  board: DegradationBoard;
  outbox: OutboxQueue;
  businesses: Pick<BusinessDirectory, "getById">;
  clock: Clock;
  logger: Logger;
}

export type DegradationOutcome = "alerted" | "already-alerted" | "unknown-business";

/**
 * The receptionist noticed it is degraded: the owner gets a dashboard item
 * and a text, once per degradation per alert window. In steady state (already
 * announced) this costs one read and writes nothing, so a failure repeating on
 * every message or turn stays cheap. Racing reports may both raise the item
 * (same content) but queue one text (fixed outbox id).
 */
export async function reportDegradation(
  input: { businessId: string; degradation: Degradation; detail?: string },
  deps: ReportDegradationDeps,
): Promise<DegradationOutcome> {
  const { businessId, degradation } = input;
  const now = deps.clock.now();
  const window = alertWindow(now);
  const existing = await deps.board.degradation(businessId, degradation);
  let outcome: DegradationOutcome = "already-alerted";
  if (shouldAlert(existing, window)) {
    const business = await deps.businesses.getById(businessId);
    if (!business) {
      outcome = "unknown-business";
    } else {
      await deps.board.raiseDegradation(
        businessId,
        degradedAttention(degradation, now, input.detail),
      );
      await deps.outbox.enqueue({
        id: degradedMessageId(degradation, window),
        businessId,
        to: business.ownerMobile,
        body: degradedOwnerText(business.name, degradation),
        purpose: "owner-receptionist-degraded",
        relatedId: attentionId(degradation),
      });
      outcome = "alerted";
    }
  }
  logWarn(deps.logger, "receptionist.degraded", { businessId, degradation, outcome });
  return outcome;
}

/** The reporter the use cases take, over this use case. Never throws: telling is best effort. */
export function degradationReporter(deps: ReportDegradationDeps): DegradationReporter {
  return {
    async report(businessId, degradation, detail) {
      try {
        await reportDegradation({ businessId, degradation, detail }, deps);
      } catch (error) {
        logError(deps.logger, "receptionist.degraded-report-failed", {
          businessId,
          degradation,
          error: errorText(error),
        });
      }
    },
  };
}
