import { ChildProcess, spawn } from "node:child_process";

/**
 * Runs a command that must never outlive the process that started it: the
 * official Firestore emulator is a Java process behind a shell launcher, and
 * an orphaned one keeps its port (8080 for `npm start`) until someone kills it.
 *
 * `startGuarded()` starts this file as the leader of a new process group, and
 * it runs the command inside that group. The whole group (launcher, Java and
 * this guard) is ended, SIGTERM first then SIGKILL, when the guard's standard
 * input closes, which the operating system does whenever the parent exits, in
 * any way (Ctrl-C, a crash, SIGKILL), or when the guard gets SIGTERM or SIGINT.
 */

/** How long the group gets between SIGTERM and SIGKILL. */
const GRACE_MS = 3_000;

export interface GuardedProcess {
  readonly child: ChildProcess;
  /** Resolves once the guard, and so the command, has exited. */
  readonly exited: Promise<void>;
  hasExited(): boolean;
  /** Ends the whole group and waits for the guard to exit. */
  stop(): Promise<void>;
  /** Synchronous last resort, for process "exit" handlers. */
  killNow(): void;
}

/** Starts `command args` under a guard; its output comes out of `child.stdout` and `child.stderr`. */
export function startGuarded(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): GuardedProcess {
  const child = spawn(process.execPath, [__filename, command, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    // stdin is the lifeline: it closes when this process dies.
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      resolve();
    });
    child.once("error", () => {
      exited = true;
      resolve();
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    if (!child.pid) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is gone already
    }
  };
  return {
    child,
    exited: exitedPromise,
    hasExited: () => exited,
    async stop() {
      if (!exited) {
        child.stdin?.end();
        signalGroup("SIGTERM");
        const timer = setTimeout(() => signalGroup("SIGKILL"), GRACE_MS * 2);
        await exitedPromise;
        clearTimeout(timer);
      }
      // Anything left in the group (the guard ends it, but be sure).
      signalGroup("SIGKILL");
    },
    killNow: () => signalGroup("SIGKILL"),
  };
}

/** The guard itself: run as `node process-guard.js COMMAND ARGS...`. */
function runGuard(command: string, args: string[]): void {
  let ending = false;
  const end = () => {
    if (ending) return;
    ending = true;
    try {
      // This guard leads the group: a negative pid signals everyone in it, the guard included.
      process.kill(-process.pid, "SIGTERM");
    } catch {
      // nothing left
    }
    setTimeout(() => process.kill(-process.pid, "SIGKILL"), GRACE_MS).unref();
  };
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, end);
  process.stdin.on("end", end);
  process.stdin.on("error", end);
  process.stdin.resume();

  const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] });
  child.on("error", (error) => {
    console.error(`cannot run ${command}: ${error.message}`);
    process.exit(127);
  });
  child.on("exit", (code, signal) => {
    // The launcher is gone; whatever it started goes too (a little later, if it is shutting down).
    end();
    const status = code ?? (signal ? 128 : 1);
    setTimeout(() => {
      try {
        process.kill(-process.pid, "SIGKILL");
      } catch {
        process.exit(status);
      }
    }, 500);
  });
}

if (require.main === module) {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    console.error("usage: process-guard COMMAND [ARGS...]");
    process.exit(2);
  }
  runGuard(command, args);
}
