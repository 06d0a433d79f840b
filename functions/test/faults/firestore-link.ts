import * as net from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A TCP proxy between this process's Firestore client and the emulator, so
 * a test can take Firestore away the way a network or an outage does and
 * then give it back, with the client library's own retries and reconnects
 * doing what they would in production.
 *
 *   up              every byte passes
 *   down            new connections are refused and open ones are cut
 *   replies-lost    requests still reach Firestore (and commit), but its
 *                   answers are thrown away until the link is restored,
 *                   when the connections carrying them are cut
 */
export type LinkState = "up" | "down" | "replies-lost";

export class FirestoreLink {
  private server: net.Server | undefined;
  private state: LinkState = "up";
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  /** Connections opened by the client since the link was started. */
  connections = 0;
  /** Bytes of Firestore's answers thrown away while replies were lost. */
  lostReplyBytes = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** "127.0.0.1:PORT": what FIRESTORE_EMULATOR_HOST should name. */
  async start(): Promise<string> {
    const server = net.createServer((client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.cutAll();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get current(): LinkState {
    return this.state;
  }

  /** Firestore unreachable: refuse and cut. */
  down(): void {
    this.state = "down";
    this.cutAll();
  }

  /** Requests arrive, answers do not. */
  loseReplies(): void {
    this.state = "replies-lost";
  }

  /** Back to normal; connections that lost answers are cut so the client notices. */
  restore(): void {
    if (this.state === "replies-lost") this.cutAll();
    this.state = "up";
  }

  private accept(client: net.Socket): void {
    if (this.state === "down") {
      client.destroy();
      return;
    }
    this.connections += 1;
    const upstream = net.connect(this.target.port, this.target.host);
    const pair = { client, upstream };
    this.pairs.add(pair);
    client.on("data", (chunk: Buffer) => {
      if (this.state !== "down") upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (this.state === "up") client.write(chunk);
      else this.lostReplyBytes += chunk.length;
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    for (const socket of [client, upstream]) {
      socket.on("error", close);
      socket.on("close", close);
    }
  }

  private cutAll(): void {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }
}

/** "host:port" as a target. */
export function hostPort(value: string): { host: string; port: number } {
  const at = value.lastIndexOf(":");
  return { host: value.slice(0, at), port: Number(value.slice(at + 1)) };
}
