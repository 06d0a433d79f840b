import * as http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local HTTP server speaking the Anthropic Messages API wire format
 * (POST /v1/messages), so the real @anthropic-ai/sdk can be pointed at it
 * with baseURL. Each request takes the next scripted reply; it records what
 * it received (headers and JSON body) so tests can check what was sent.
 */

export type ScriptedReply =
  /** A normal message whose single text block is `text` (JSON for structured output). */
  | { text: string; stopReason?: string; delayMs?: number }
  /** A message with no content blocks, e.g. a refusal. */
  | { empty: true; stopReason: string }
  /** An API error: the status and the error type Anthropic sends with it. */
  | { status: number; errorType: string; message?: string };

export interface RecordedMessagesRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: {
    model?: string;
    max_tokens?: number;
    system?: unknown;
    messages?: Array<{ role: string; content: unknown }>;
    output_config?: { format?: { type?: string; schema?: Record<string, unknown> } };
  };
}

export class AnthropicFakeServer {
  readonly requests: RecordedMessagesRequest[] = [];
  private readonly script: ScriptedReply[] = [];
  private server?: http.Server;
  private readonly sockets = new Set<import("node:net").Socket>();

  /** Queues replies, answered in order; with none left the server answers 500. */
  reply(...replies: ScriptedReply[]): this {
    this.script.push(...replies);
    return this;
  }

  /** A structured reply: the JSON of `value`. */
  replyJson(value: unknown, extra: { delayMs?: number } = {}): this {
    return this.reply({ text: JSON.stringify(value), ...extra });
  }

  get baseURL(): string {
    const address = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: RecordedMessagesRequest["body"] = {};
    try {
      body = JSON.parse(raw) as RecordedMessagesRequest["body"];
    } catch {
      return this.error(res, 400, "invalid_request_error", "body is not JSON");
    }
    this.requests.push({ path: req.url ?? "", headers: req.headers, body });
    if (req.method !== "POST" || !(req.url ?? "").startsWith("/v1/messages")) {
      return this.error(res, 404, "not_found_error", `no route ${req.method} ${req.url}`);
    }
    if (!apiKeyOf(req.headers) || !req.headers["anthropic-version"]) {
      return this.error(
        res,
        401,
        "authentication_error",
        "an API key and anthropic-version required",
      );
    }
    const next = this.script.shift();
    if (!next) return this.error(res, 500, "api_error", "no scripted reply left");
    if ("status" in next)
      return this.error(res, next.status, next.errorType, next.message ?? next.errorType);
    if ("delayMs" in next && next.delayMs) {
      await new Promise((resolve) => setTimeout(resolve, next.delayMs));
      if (res.destroyed || req.destroyed) return; // The client gave up.
    }
    const content = "empty" in next ? [] : [{ type: "text", text: next.text, citations: null }];
    const message = {
      id: `msg_${this.requests.length}`,
      type: "message",
      role: "assistant",
      model: body.model ?? "unknown",
      content,
      stop_reason: next.stopReason ?? "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 100, output_tokens: 40 },
    };
    res.writeHead(200, {
      "content-type": "application/json",
      "request-id": `req_${this.requests.length}`,
    });
    res.end(JSON.stringify(message));
  }

  private error(res: http.ServerResponse, status: number, type: string, message: string): void {
    res.writeHead(status, {
      "content-type": "application/json",
      "request-id": `req_${this.requests.length}`,
      // What Anthropic sends on 429 and 529: the SDK would retry if it were allowed to.
      ...(status === 429 || status === 529 ? { "retry-after": "0", "x-should-retry": "true" } : {}),
    });
    res.end(JSON.stringify({ type: "error", error: { type, message } }));
  }
}

/** The key a request carries: x-api-key, or the bearer token the SDK sends. */
export function apiKeyOf(headers: http.IncomingHttpHeaders): string | undefined {
  const header = headers["x-api-key"];
  if (typeof header === "string" && header !== "") return header;
  const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? "");
  return bearer?.[1];
}
