import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { voice } from "../../src/triggers/http/voice.webhook";

/**
 * Serves the deployed `voice` function over real HTTP, mounted at /voice as
 * the Functions runtime does (the function sees the path after its name),
 * and points its params at this server.
 */
export interface VoiceTestServer {
  baseUrl: string;
  authToken: string;
  stop(): Promise<void>;
}

export async function startVoiceTestServer(
  authToken = "test-auth-token",
): Promise<VoiceTestServer> {
  const app = express();
  // Like the Functions runtime: parsed form body, plus the raw bytes as rawBody.
  app.use(
    express.urlencoded({
      extended: false,
      verify: (req, _res, buf) => {
        (req as unknown as { rawBody: Buffer }).rawBody = buf;
      },
    }),
  );
  type FunctionArgs = Parameters<typeof voice>;
  app.use("/voice", (req, res) => {
    void voice(req as unknown as FunctionArgs[0], res as unknown as FunctionArgs[1]);
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
  const restoreEnv = () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  return {
    baseUrl,
    authToken,
    stop: () =>
      new Promise((resolve) =>
        server.close(() => {
          restoreEnv();
          resolve();
        }),
      ),
  };
}
