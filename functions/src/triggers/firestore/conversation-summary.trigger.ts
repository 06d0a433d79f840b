import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { summariseEndedConversation, summaryDue } from "../../app/summarise-conversation";
import { anthropicApiKey, REGION } from "../../params";
import { summaryDeps } from "../../summary.bootstrap";

/**
 * Writes a conversation's summary when the call ends
 * (businesses/{businessId}/conversationSummaries/{conversationId}): the
 * deterministic one, and Claude's paragraph beside it when a key is set;
 * and again when the message the caller recorded has been transcribed.
 * retry: true is safe: the summary only moves forward, so a redelivered event stores nothing twice.
 * Text threads are summarised when idle, by smsSummarySweep.
 */
export const conversationSummary = onDocumentWritten(
  {
    document: "businesses/{businessId}/conversations/{conversationId}",
    region: REGION,
    retry: true,
    secrets: [anthropicApiKey],
  },
  async (event) => {
    const before = event.data?.before.data();
    const after = event.data?.after.data();
    if (!summaryDue(before, after)) return;
    const { businessId, conversationId } = event.params;
    await summariseEndedConversation({ businessId, conversationId }, summaryDeps());
  },
);
