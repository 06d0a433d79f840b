/**
 * Counts Firestore round trips by watching the wire: a TCP proxy between the
 * client and the emulator that reads the HTTP/2 frames of the gRPC traffic.
 * Each request opens a stream (a HEADERS frame from the client on a new
 * stream id) and ends when the server ends that stream (END_STREAM, or
 * RST_STREAM). A round trip is a wave of requests: one that starts while no
 * other is in flight begins a new one, so reads made together count once.
 */
import * as net from "node:net";

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
const FRAME_HEADER = 9;
const DATA = 0x0;
const HEADERS = 0x1;
const RST_STREAM = 0x3;
const END_STREAM = 0x1;

export interface RoundTripCount {
  requests: number;
  roundTrips: number;
}

export class FirestoreRoundTripCounter {
  private server?: net.Server;
  private readonly inFlight = new Set<string>();
  private counts: RoundTripCount = { requests: 0, roundTrips: 0 };
  private connections = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /**
   * Starts listening; returns its "host:port". A client given this port in its
   * settings (FIRESTORE_EMULATOR_HOST naming the same host) goes through it.
   */
  async start(): Promise<string> {
    this.server = net.createServer((client) => this.relay(client));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as net.AddressInfo;
    return `127.0.0.1:${port}`;
  }

  /** The counts since the last reset, then starts counting afresh. */
  take(): RoundTripCount {
    const counts = this.counts;
    this.counts = { requests: 0, roundTrips: 0 };
    return counts;
  }

  stop(): void {
    this.server?.close();
  }

  private relay(client: net.Socket): void {
    const id = ++this.connections;
    const upstream = net.connect(this.target.port, this.target.host);
    const fromClient = new FrameReader(true, (type, flags, stream) => {
      if (type === HEADERS && stream % 2 === 1 && !this.inFlight.has(`${id}/${stream}`)) {
        if (this.inFlight.size === 0) this.counts.roundTrips += 1;
        this.counts.requests += 1;
        this.inFlight.add(`${id}/${stream}`);
      }
      if (type === RST_STREAM) this.inFlight.delete(`${id}/${stream}`);
      void flags;
    });
    const fromServer = new FrameReader(false, (type, flags, stream) => {
      const ends = (type === HEADERS || type === DATA) && (flags & END_STREAM) !== 0;
      if (ends || type === RST_STREAM) this.inFlight.delete(`${id}/${stream}`);
    });
    client.on("data", (chunk: Buffer) => {
      fromClient.push(chunk);
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      fromServer.push(chunk);
      client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      for (const key of [...this.inFlight]) if (key.startsWith(`${id}/`)) this.inFlight.delete(key);
    };
    client.on("error", close);
    upstream.on("error", close);
    client.on("close", close);
    upstream.on("close", close);
  }
}

/** Splits a byte stream into HTTP/2 frames and reports each frame's type, flags and stream. */
class FrameReader {
  private buffer = Buffer.alloc(0);
  private prefaceLeft: number;

  constructor(
    fromClient: boolean,
    private readonly onFrame: (type: number, flags: number, stream: number) => void,
  ) {
    this.prefaceLeft = fromClient ? PREFACE.length : 0;
  }

  push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (this.prefaceLeft > 0) {
      const skip = Math.min(this.prefaceLeft, this.buffer.length);
      this.buffer = this.buffer.subarray(skip);
      this.prefaceLeft -= skip;
    }
    while (this.buffer.length >= FRAME_HEADER) {
      const length = this.buffer.readUIntBE(0, 3);
      if (this.buffer.length < FRAME_HEADER + length) return;
      const type = this.buffer[3];
      const flags = this.buffer[4];
      const stream = this.buffer.readUInt32BE(5) & 0x7fffffff;
      this.onFrame(type, flags, stream);
      this.buffer = this.buffer.subarray(FRAME_HEADER + length);
    }
  }
}
