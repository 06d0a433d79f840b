import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { freePort } from "../firestore-backend";
import { startGuarded } from "../process-guard";

/**
 * One Cloud Run functions instance, locally: the Functions Framework (the
 * server production runs) serving one exported function of the compiled
 * code, in its own process, on a free port of 127.0.0.1.
 */
export interface FunctionInstance {
  readonly target: string;
  readonly port: number;
  /** The last lines the instance wrote to stderr, for explaining a failure. */
  stderrTail(): string[];
  /** Log entries at severity ERROR or above seen so far. */
  errorLogs(): number;
  /** Requests the rate limits or screening turned away (abuse.* turned-away and limited events). */
  turnedAway(): number;
  /** The first few of them, word for word. */
  firstErrorLogs(): string[];
  /** CPU time the instance has used so far, in ms; undefined where /proc cannot tell. */
  cpuMs(): number | undefined;
  stop(): Promise<void>;
}

export interface FunctionInstanceOptions {
  /** The exported function's name, e.g. "voice". */
  readonly target: string;
  /** The functions folder: its package.json "main" is the compiled index. */
  readonly source: string;
  /** The whole environment of the instance (nothing is inherited). */
  readonly env: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

const TAIL_LINES = 40;

function functionsFrameworkMain(): string {
  // The package exports only its API; its CLI sits beside the entry point.
  return path.join(path.dirname(require.resolve("@google-cloud/functions-framework")), "main.js");
}

export async function startFunctionInstance(
  options: FunctionInstanceOptions,
): Promise<FunctionInstance> {
  const port = await freePort();
  // Guarded: the instance never outlives this process, however it ends.
  const guarded = startGuarded(
    process.execPath,
    [
      functionsFrameworkMain(),
      `--target=${options.target}`,
      `--source=${options.source}`,
      "--signature-type=http",
      `--port=${port}`,
    ],
    {
      env: {
        ...options.env,
        PORT: String(port),
        // What Cloud Run sets for a function's container.
        K_SERVICE: options.target,
        FUNCTION_TARGET: options.target,
        FUNCTION_SIGNATURE_TYPE: "http",
      },
    },
  );
  const child = guarded.child;
  const tail: string[] = [];
  let errors = 0;
  let turnedAway = 0;
  const firstErrors: string[] = [];
  const watch = (stream: NodeJS.ReadableStream, keep: boolean) => {
    let partial = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (/"severity":"(ERROR|CRITICAL|ALERT|EMERGENCY)"/.test(line)) {
          errors += 1;
          if (firstErrors.length < 5) firstErrors.push(line.slice(0, 500));
        }
        if (/"message":"abuse\.(call-turned-away|text-turned-away|ip-limited)"/.test(line)) {
          turnedAway += 1;
        }
        if (keep) {
          tail.push(line);
          if (tail.length > TAIL_LINES) tail.shift();
        }
      }
    });
  };
  if (child.stdout) watch(child.stdout, false);
  if (child.stderr) watch(child.stderr, true);

  const ready = await Promise.race([
    waitForPort(port, options.startTimeoutMs ?? 20_000),
    guarded.exited.then(() => false),
  ]);
  if (!ready) {
    await guarded.stop();
    throw new Error(
      `The Functions Framework did not start "${options.target}" on port ${port}:\n${tail.join("\n")}`,
    );
  }
  return {
    target: options.target,
    port,
    stderrTail: () => [...tail],
    errorLogs: () => errors,
    turnedAway: () => turnedAway,
    firstErrorLogs: () => [...firstErrors],
    cpuMs: () => (child.pid === undefined ? undefined : groupCpuMs(child.pid)),
    stop: () => guarded.stop(),
  };
}

async function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Linux's clock ticks per second for /proc times (USER_HZ), 100 on every common build. */
const TICKS_PER_SECOND = 100;

/**
 * User plus system CPU time of every process in a process group (the guard
 * leads the instance's group), read from /proc; undefined off Linux.
 */
export function groupCpuMs(group: number): number | undefined {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const pid of entries) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // After "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) !== group) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
