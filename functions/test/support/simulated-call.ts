import type { Business } from "../../src/domain/business/business";
import { simulateCall, type LegBehaviour } from "../../src/tools/simulator/call-session";
import { scriptCaller } from "../../src/tools/simulator/callers";
import { fetchTransport, type Transport } from "../../src/tools/simulator/transport";
import { DEMO_ACCOUNT_SID } from "../../src/tools/simulator/twilio-params";
import type { WebhooksTestServer } from "./webhooks-test-server";

/**
 * Plays a scripted call against the test server with the call simulator,
 * exactly as Twilio would. `said` is what the receptionist said between the
 * caller's turns, one string per turn; `printed` is the simulator's output.
 */
export async function simulatedCall(
  server: WebhooksTestServer,
  business: Pick<Business, "phoneNumber">,
  lines: string[],
  options: {
    from?: string;
    owner?: LegBehaviour;
    backups?: LegBehaviour[];
    /** How the webhooks are reached; fetch unless a test wraps it (to retry, to fail). */
    transport?: Transport;
  } = {},
) {
  const printed: string[] = [];
  const transcript = await simulateCall(
    {
      baseUrl: server.baseUrl,
      from: options.from ?? "+447700900999",
      to: business.phoneNumber,
      confidence: 0.92,
      authToken: server.authToken,
      accountSid: DEMO_ACCOUNT_SID,
      owner: options.owner ?? "accept",
      backups: options.backups ?? [],
    },
    {
      transport: options.transport ?? fetchTransport(),
      caller: scriptCaller(lines),
      print: (l) => printed.push(l),
    },
  );
  const said: string[] = [];
  let speaking = false;
  for (const event of transcript.events) {
    if (event.who === "receptionist") {
      if (speaking) said[said.length - 1] += ` ${event.text}`;
      else said.push(event.text);
      speaking = true;
    } else if (event.who === "caller") {
      speaking = false;
    }
  }
  return { transcript, said, printed };
}
