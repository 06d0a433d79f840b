import * as http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local HTTP server speaking Cloud Speech-to-Text v1's REST API
 * (`POST /v1/speech:recognize`), the wire protocol @google-cloud/speech uses
 * in fallback mode, so the real library can be pointed at it. It records what
 * it receives (config, decoded audio, bearer token), answers with the
 * transcripts queued for it, and fails or stalls on demand.
 */

export interface RecognizeRequestSeen {
  config: Record<string, unknown>;
  /** The audio the client sent, decoded from base64. */
  audio: Buffer;
  authorization: string | undefined;
}

export type SpeechReply =
  | { kind: "transcript"; text: string; confidence?: number }
  | { kind: "silence" }
  | { kind: "error"; status: number; message: string }
  | { kind: "stall" };

export class GoogleSpeechFakeServer {
  readonly requests: RecognizeRequestSeen[] = [];
  private readonly replies: SpeechReply[] = [];
  private server: http.Server | undefined;
  private readonly stalled = new Set<http.ServerResponse>();

  /** Queues answers, used in order; when none are queued, "nothing heard". */
  reply(...replies: SpeechReply[]): void {
    this.replies.push(...replies);
  }

  async start(): Promise<number> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const res of this.stalled) res.destroy();
    this.stalled.clear();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || req.url?.split("?")[0] !== "/v1/speech:recognize") {
        return this.json(res, 404, {
          error: { code: 404, message: `no route ${req.url}`, status: "NOT_FOUND" },
        });
      }
      let body: { config?: Record<string, unknown>; audio?: { content?: string } };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
      } catch {
        return this.json(res, 400, {
          error: { code: 400, message: "bad JSON", status: "INVALID_ARGUMENT" },
        });
      }
      this.requests.push({
        config: body.config ?? {},
        audio: Buffer.from(body.audio?.content ?? "", "base64"),
        authorization: req.headers.authorization,
      });
      const reply = this.replies.shift() ?? { kind: "silence" };
      switch (reply.kind) {
        case "stall":
          this.stalled.add(res);
          return;
        case "error":
          return this.json(res, reply.status, {
            error: { code: reply.status, message: reply.message, status: "UNAVAILABLE" },
          });
        case "silence":
          return this.json(res, 200, {});
        case "transcript":
          return this.json(res, 200, {
            results: [
              {
                alternatives: [{ transcript: reply.text, confidence: reply.confidence ?? 0.9 }],
                languageCode: "en-gb",
              },
            ],
            totalBilledTime: "15s",
          });
      }
    });
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }
}

/**
 * What the library needs to authenticate, without Google credentials: a
 * bearer token on every request, sent with the platform's fetch.
 */
export function fakeGoogleAuthClient(token = "test-access-token") {
  return {
    async getRequestHeaders(): Promise<Headers> {
      return new Headers({ authorization: `Bearer ${token}` });
    },
    async fetch(url: string | URL, init: RequestInit): Promise<Response> {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${token}`);
      return fetch(url, { method: init.method, body: init.body, headers, signal: init.signal });
    },
  };
}
