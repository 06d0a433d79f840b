import { onDocumentCreated } from "firebase-functions/v2/firestore";
import { FirestoreOutboxRepository } from "../../adapters/firestore/outbox.repository";
import { FirestoreSmsConversationRepository } from "../../adapters/firestore/sms-conversation.repository";
import { appFirestore } from "../../adapters/firestore/firestore-client";
import { twilioSenderConfig } from "../../adapters/twilio/twilio-credentials";
import { TwilioSmsSender } from "../../adapters/twilio/twilio-sms.sender";
import { deliverOutboxMessage as deliver } from "../../app/deliver-outbox-message";
import {
  publicWebhookBaseUrl,
  twilioAccountSid,
  twilioApiBaseUrl,
  twilioAuthToken,
} from "../../params";
import { systemClock } from "../../ports/clock.port";
import { functionsLoggerAdapter } from "../../logs";
import { FUNCTION_OPTIONS } from "../../function-options";
import { degradationReporterOn } from "../../degradation.bootstrap";
import { FirestoreCustomerRepository } from "../../adapters/firestore/customer.repository";

/** Deployed name of the HTTP function receiving Twilio's SMS status callbacks. */
export const SMS_STATUS_CALLBACK_FUNCTION = "smsStatusCallback";

const logger = functionsLoggerAdapter;

let sender: { key: string; gateway: TwilioSmsSender } | undefined;

/** One sender per instance (and per configuration, which tests change between runs). */
function smsGateway(): TwilioSmsSender | undefined {
  const config = twilioSenderConfig({
    accountSid: twilioAccountSid.value(),
    authToken: twilioAuthToken.value(),
    apiBaseUrl: twilioApiBaseUrl.value(),
  });
  if (!config) return undefined;
  const key = [config.accountSid, config.authToken, config.apiBaseUrl ?? ""].join("|");
  if (sender?.key !== key) sender = { key, gateway: new TwilioSmsSender(config) };
  return sender.gateway;
}

function statusCallbackUrl(): string | undefined {
  const base = publicWebhookBaseUrl.value().replace(/\/+$/, "");
  return base ? `${base}/${SMS_STATUS_CALLBACK_FUNCTION}` : undefined;
}

/**
 * Sends each SMS queued in a business's outbox.
 *
 * retry: true is safe because delivery is idempotent: each attempt is claimed by
 * create() of its own claim document before Twilio is called, and a final state
 * ends the work, so a redelivered or retried event never sends twice. Transient
 * failures throw (TransientDeliveryError) to get that retry; permanent ones are
 * recorded on the document and return normally.
 */
export const deliverOutboxMessage = onDocumentCreated(
  {
    ...FUNCTION_OPTIONS.deliverOutboxMessage,
    document: "businesses/{businessId}/outbox/{messageId}",
    retry: true,
    secrets: [twilioAuthToken],
  },
  async (event) => {
    const db = appFirestore();
    const repository = new FirestoreOutboxRepository(db);
    await deliver(
      { businessId: event.params.businessId, messageId: event.params.messageId, eventId: event.id },
      {
        store: repository,
        outbox: repository,
        recipients: repository,
        attention: repository,
        // Texts to customers join their SMS conversation; appending a message twice stores it once.
        history: new FirestoreSmsConversationRepository(db),
        gateway: smsGateway(),
        degradation: degradationReporterOn(db),
        consent: new FirestoreCustomerRepository(db),
        clock: systemClock,
        logger,
        statusCallbackUrl: statusCallbackUrl(),
      },
    );
  },
);
