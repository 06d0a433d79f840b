import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sms } from "../../src/triggers/http/sms.webhook";
import { voice } from "../../src/triggers/http/voice.webhook";

/**
 * Serves the `voice` and `sms` functions over real HTTP on one base URL, as
 * the Functions runtime mounts them (each sees the path after its name), and
 * points their params at this server: a call and the texts after it share a
 * PUBLIC_WEBHOOK_BASE_URL, as in production.
 */
export interface WebhooksTestServer {
  baseUrl: string;
  authToken: string;
  stop(): Promise<void>;
}

export async function startWebhooksTestServer(
  authToken = "test-auth-token",
): Promise<WebhooksTestServer> {
  const app = express();
  app.use(
    express.urlencoded({
      extended: false,
      verify: (req, _res, buf) => {
        (req as unknown as { rawBody: Buffer }).rawBody = buf;
      },
    }),
  );
  type VoiceArgs = Parameters<typeof voice>;
  type SmsArgs = Parameters<typeof sms>;
  app.use("/voice", (req, res) => {
    void voice(req as unknown as VoiceArgs[0], res as unknown as VoiceArgs[1]);
  });
  app.use("/sms", (req, res) => {
    void sms(req as unknown as SmsArgs[0], res as unknown as SmsArgs[1]);
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const previous = {
    PUBLIC_WEBHOOK_BASE_URL: process.env.PUBLIC_WEBHOOK_BASE_URL,
    TWILIO_AUTH_TOKEN: process.env.TWILIO_AUTH_TOKEN,
  };
  process.env.PUBLIC_WEBHOOK_BASE_URL = baseUrl;
  process.env.TWILIO_AUTH_TOKEN = authToken;
  return {
    baseUrl,
    authToken,
    stop: () =>
      new Promise((resolve) =>
        server.close(() => {
          for (const [key, value] of Object.entries(previous)) {
            if (value === undefined) delete process.env[key];
            else process.env[key] = value;
          }
          resolve();
        }),
      ),
  };
}
