import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { FirestoreConversationSummaryRepository } from "../../adapters/firestore/conversation-summary.repository";
import { appFirestore } from "../../adapters/firestore/firestore-client";
import { functionsLoggerAdapter } from "../../adapters/logging/functions.logger";
import {
  conversationJustEnded,
  summariseEndedConversation,
} from "../../app/summarise-conversation";
import { REGION } from "../../params";
import { systemClock } from "../../ports/clock.port";

/**
 * Writes a conversation's deterministic summary when the call ends
 * (businesses/{businessId}/conversationSummaries/{conversationId}).
 * retry: true is safe: the summary is created once, so a redelivered event stores nothing twice.
 */
export const conversationSummary = onDocumentWritten(
  {
    document: "businesses/{businessId}/conversations/{conversationId}",
    region: REGION,
    retry: true,
  },
  async (event) => {
    const before = event.data?.before.data();
    const after = event.data?.after.data();
    if (!conversationJustEnded(before, after)) return;
    const { businessId, conversationId } = event.params;
    await summariseEndedConversation(
      { businessId, conversationId },
      {
        summaries: new FirestoreConversationSummaryRepository(appFirestore()),
        clock: systemClock,
        logger: functionsLoggerAdapter,
      },
    );
  },
);
