import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { ConcurrencyGate, type GateStats } from "./concurrency-gate";

/**
 * The functions' public base URL, as Cloud Run's front end serves it for one
 * instance per function: /{function}/{rest} reaches that function's instance
 * as /{rest}, and at most its declared concurrency of requests are in flight
 * there; the others wait their turn.
 */
export interface FrontDoor {
  /** e.g. http://127.0.0.1:40123; PUBLIC_WEBHOOK_BASE_URL must be exactly this. */
  readonly baseUrl: string;
  /** Points a function's path at its instance, once that instance is up. */
  route(functionName: string, port: number, concurrency: number): void;
  stats(): Record<string, GateStats>;
  stop(): Promise<void>;
}

interface Route {
  readonly port: number;
  readonly gate: ConcurrencyGate;
  readonly agent: http.Agent;
}

export async function startFrontDoor(): Promise<FrontDoor> {
  const routes = new Map<string, Route>();
  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    const match = /^\/([^/?]+)(.*)$/.exec(url);
    const route = match ? routes.get(match[1]) : undefined;
    if (!match || !route) {
      res.writeHead(404, { "content-type": "text/plain" }).end(`No function at ${url}\n`);
      return;
    }
    const rest = match[2] === "" || match[2].startsWith("?") ? `/${match[2]}` : match[2];
    void route.gate.run(() => forward(req, res, route, rest));
  });
  // Many callers at once: do not let Node's defaults close the waiting ones.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    route(functionName, instancePort, concurrency) {
      routes.set(functionName, {
        port: instancePort,
        gate: new ConcurrencyGate(concurrency),
        agent: new http.Agent({ keepAlive: true, maxSockets: concurrency }),
      });
    },
    stats: () => Object.fromEntries([...routes].map(([name, route]) => [name, route.gate.stats()])),
    stop: () =>
      new Promise((resolve) => {
        for (const route of routes.values()) route.agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Proxies one request to the instance; resolves once the instance has finished with it. */
function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  route: Route,
  path: string,
): Promise<void> {
  return new Promise((resolve) => {
    // The caller gave up while waiting: Cloud Run would not run it either.
    if (req.destroyed || res.destroyed) return resolve();
    const upstream = http.request(
      {
        host: "127.0.0.1",
        port: route.port,
        method: req.method,
        path,
        headers: req.headers,
        agent: route.agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        // The instance is busy until its answer is read, whether or not the caller still waits.
        res.once("close", () => answer.resume());
        answer.once("close", () => resolve());
      },
    );
    upstream.once("error", (error) => {
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "text/plain" });
      }
      res.end(`The instance did not answer: ${error.message}\n`);
      resolve();
    });
    req.pipe(upstream);
  });
}
