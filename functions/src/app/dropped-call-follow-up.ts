import type { CallConversation } from "../ports/conversation-store.port";
import type { BusinessDirectory } from "../ports/business-directory.port";
import type { Clock } from "../ports/clock.port";
import type { CustomerStore } from "../ports/customer-store.port";
import type { Logger } from "../ports/logger.port";
import type { OutboxQueue } from "../ports/outbox.port";
import type { SmsConversations } from "../ports/sms-conversation.port";
import { canReceiveSms, DROPPED_CALL_FOLLOW_UP_HOURS, hoursFrom } from "../domain/sms/sms-thread";
import { MID_BOOKING_STAGES, serviceFor } from "../domain/dialogue/conversation-engine";
import { texted } from "../domain/dialogue/wording";
import { lostLeadAlertText } from "../domain/notifications/alert-texts";
import type { ScheduledSmsQueue } from "../ports/scheduled-sms.port";
import { alertOwner } from "./alert-owner";
import { errorText, logError, logInfo } from "../logs";

export interface FollowUpDeps {
  businesses: BusinessDirectory;
  customers: CustomerStore;
  outbox: OutboxQueue;
  /** Holds the owner's lead alert until quiet hours end; absent, it goes at once. */
  scheduled?: ScheduledSmsQueue;
  clock: Clock;
  logger: Logger;
  /** Absent: dropped calls are not followed up by text. */
  smsConversations?: SmsConversations;
}

/** The outbox id of a dropped call's follow-up text: one per call, whatever retries. */
export function followUpMessageId(callSid: string): string {
  return `booking-follow-up-${callSid}`;
}

/**
 * A call that ended part-way through a booking, with nothing booked: text the
 * caller the next question (or the times on offer) and keep the call's
 * dialogue on their SMS conversation, so their reply carries the same
 * booking on (handle-inbound-sms.ts). Never throws: the call is over either way.
 */
export async function offerToFinishByText(
  conversation: CallConversation,
  deps: FollowUpDeps,
): Promise<"queued" | "not-needed"> {
  const { state } = conversation;
  const phone = state.draft.callbackNumber ?? conversation.callerPhone;
  if (
    !deps.smsConversations ||
    !MID_BOOKING_STAGES.includes(state.stage) ||
    conversation.appointmentIds.length > 0 ||
    conversation.emergency ||
    !phone ||
    !canReceiveSms(phone)
  ) {
    return "not-needed";
  }
  try {
    const business = await deps.businesses.getById(conversation.businessId);
    if (!business) return "not-needed";
    const customer = await deps.customers.findByPhone(business.id, phone);
    // They asked for no texts; delivery would drop it anyway.
    if (customer?.smsOptedOut) return "not-needed";
    const now = deps.clock.now();
    const id = followUpMessageId(conversation.id);
    const job = state.draft.serviceId
      ? serviceFor(state, { business }).name.toLowerCase()
      : (state.draft.problem ?? "visit");
    const body = texted.droppedCall(business, job, texted.nextStep(business, state));
    // The state first: once the text is out, the reply must find it.
    await deps.smsConversations.setPending(
      business.id,
      phone,
      {
        conversationId: conversation.id,
        state,
        expiresAt: hoursFrom(now, DROPPED_CALL_FOLLOW_UP_HOURS),
      },
      now,
    );
    await deps.outbox.enqueue({
      id,
      businessId: business.id,
      to: phone,
      body,
      purpose: "booking-follow-up",
      relatedId: conversation.id,
    });
    // Delivery adds the text to the SMS conversation (deliver-outbox-message.ts).
    logInfo(deps.logger, "sms.dropped-call-follow-up", {
      businessId: business.id,
      callSid: conversation.id,
      stage: state.stage,
    });
    return "queued";
  } catch (error) {
    logError(deps.logger, "sms.dropped-call-follow-up-failed", {
      businessId: conversation.businessId,
      callSid: conversation.id,
      error: errorText(error),
    });
    return "not-needed";
  }
}

/**
 * Tells the owner about a caller who hung up part-way through booking with
 * nothing booked: a lead worth a call back, whether or not we could text them.
 * One alert per call; held back by quiet hours. Never throws.
 */
export async function alertOwnerOfLostLead(
  conversation: CallConversation,
  textedToFinish: boolean,
  deps: FollowUpDeps,
): Promise<void> {
  const { state } = conversation;
  if (
    !MID_BOOKING_STAGES.includes(state.stage) ||
    conversation.appointmentIds.length > 0 ||
    conversation.emergency
  ) {
    return;
  }
  try {
    const business = await deps.businesses.getById(conversation.businessId);
    if (!business?.notifications.ownerAlerts.lostLead) return;
    const service = state.draft.serviceId ? serviceFor(state, { business }) : undefined;
    await alertOwner(
      business,
      {
        outboxId: `owner-lost-lead-${conversation.id}`,
        purpose: "owner-lost-lead",
        body: lostLeadAlertText({
          callerName: state.draft.name,
          callerPhone: state.draft.callbackNumber ?? conversation.callerPhone,
          serviceName: service?.name,
          problem: state.draft.problem,
          address: state.draft.address,
          textedToFinish,
        }),
        relatedId: conversation.id,
      },
      deps.clock.now(),
      deps,
    );
  } catch (error) {
    logError(deps.logger, "call.lost-lead-alert-failed", {
      businessId: conversation.businessId,
      callSid: conversation.id,
      error: errorText(error),
    });
  }
}
