type MessagingResponseClass = typeof import("twilio/lib/twiml/MessagingResponse");
let messagingResponseClass: MessagingResponseClass | undefined;

/** Loaded on first use, like the voice TwiML: cold starts should not pay for it. */
function MessagingResponse(): MessagingResponseClass {
  const path = "twilio/lib/twiml/MessagingResponse";
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  messagingResponseClass ??= require(path) as MessagingResponseClass;
  return messagingResponseClass;
}

/**
 * The answer to Twilio's "A message comes in": a <Message> replying to the
 * sender, or an empty <Response/> when we reply nothing (STOP, a duplicate).
 */
export function renderMessagingTwiml(reply: string | null): string {
  const Response = MessagingResponse();
  const response = new Response();
  if (reply) response.message(reply);
  return response.toString();
}
