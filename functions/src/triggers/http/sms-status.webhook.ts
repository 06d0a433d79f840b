import { onRequest } from "firebase-functions/v2/https";
import { appFirestore } from "../../adapters/firestore/firestore-client";
import { FirestoreCustomerRepository } from "../../adapters/firestore/customer.repository";
import { FirestoreOutboxRepository } from "../../adapters/firestore/outbox.repository";
import { degradationReporterOn } from "../../degradation.bootstrap";
import { errorText, functionsLoggerAdapter } from "../../logs";
import { logSmsStatusFailed } from "../../logs";
import { publicWebhookBaseUrl, twilioAuthToken } from "../../params";
import { systemClock } from "../../ports/clock.port";
import { handleSmsStatusRequest } from "./sms-status-webhook.handler";
import { FUNCTION_OPTIONS } from "../../function-options";

/**
 * Twilio's SMS status callbacks: POST {PUBLIC_WEBHOOK_BASE_URL}/smsStatusCallback/{businessId}/{messageId},
 * the StatusCallback the outbox trigger gives with every message it sends.
 */
export const smsStatusCallback = onRequest(
  { ...FUNCTION_OPTIONS.smsStatusCallback, secrets: [twilioAuthToken] },
  async (req, res) => {
    const db = appFirestore();
    const repository = new FirestoreOutboxRepository(db);
    try {
      const answer = await handleSmsStatusRequest(
        {
          method: req.method,
          path: req.url,
          signature: req.header("x-twilio-signature") ?? null,
          body: req.body as unknown,
        },
        {
          publicBaseUrl: publicWebhookBaseUrl.value(),
          authToken: twilioAuthToken.value(),
          deps: {
            statuses: repository,
            store: repository,
            outbox: repository,
            recipients: repository,
            attention: repository,
            degradation: degradationReporterOn(db),
            consent: new FirestoreCustomerRepository(db),
            clock: systemClock,
            logger: functionsLoggerAdapter,
          },
        },
      );
      res.status(answer.status).type(answer.contentType).send(answer.body);
    } catch (error) {
      // Storage failed: a 500 lets Twilio try this callback again.
      logSmsStatusFailed(functionsLoggerAdapter, {
        error: errorText(error),
      });
      res.status(500).type("text/plain").send("Could not record the status.");
    }
  },
);
