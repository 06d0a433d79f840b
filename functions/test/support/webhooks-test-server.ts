import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { smsStatusCallback } from "../../src/triggers/http/sms-status.webhook";
import { sms } from "../../src/triggers/http/sms.webhook";
import { voice } from "../../src/triggers/http/voice.webhook";
import { voiceFallback } from "../../src/triggers/http/voice-fallback.webhook";
import { voiceRecording } from "../../src/triggers/http/voice-recording.webhook";
import type { TranscribeDeps } from "../../src/app/transcribe-recorded-message";
import { handleVoiceRecordingRequest } from "../../src/triggers/http/voice-recording.handler";

/**
 * Serves the `voice`, `sms`, `smsStatusCallback`, `voiceFallback` and `voiceRecording` functions over real HTTP on one base URL, as
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
  /**
   * With these, `voiceRecording` is served by its handler over the given ports
   * (a speech client pointed at a local server, recordings from a test);
   * without them, the deployed function itself, with its own.
   */
  recordings?: () => TranscribeDeps,
): Promise<WebhooksTestServer> {
  const app = express();
  let baseUrl = "";
  app.use(
    express.urlencoded({
      extended: false,
      verify: (req, _res, buf) => {
        (req as unknown as { rawBody: Buffer }).rawBody = buf;
      },
    }),
  );
  type Args = Parameters<typeof voice>;
  for (const [name, fn] of Object.entries({ voice, sms, smsStatusCallback, voiceFallback })) {
    app.use(`/${name}`, (req, res) => {
      void fn(req as unknown as Args[0], res as unknown as Args[1]);
    });
  }
  if (!recordings) {
    app.use("/voiceRecording", (req, res) => {
      void voiceRecording(req as unknown as Args[0], res as unknown as Args[1]);
    });
  } else {
    app.use("/voiceRecording", (req, res) => {
      void handleVoiceRecordingRequest(
        {
          method: req.method,
          path: req.url,
          signature: req.header("x-twilio-signature") ?? null,
          body: req.body as unknown,
        },
        { publicBaseUrl: baseUrl, authToken, deps: recordings() },
      ).then((answer) => res.status(answer.status).type(answer.contentType).send(answer.body));
    });
  }
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
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
