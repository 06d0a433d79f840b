import * as readline from "node:readline";
import type { GatherInput } from "./twiml-reader";

/** What the receptionist is listening for when the caller gets a turn. */
export interface ListenRequest {
  readonly input: readonly GatherInput[];
  readonly numDigits?: number;
}

/**
 * The person on the phone. `listen` resolves to what they say or key in,
 * "" for silence, or null when they hang up.
 */
export interface Caller {
  listen(request: ListenRequest): Promise<string | null>;
  /** True when the caller's words are not already on screen, so the session prints them. */
  readonly echo: boolean;
  close(): void;
}

/** One utterance per line; an empty line is silence; the end of the script hangs up. */
export function scriptCaller(lines: readonly string[]): Caller {
  let next = 0;
  return {
    echo: true,
    listen: () => Promise.resolve(next < lines.length ? lines[next++] : null),
    close: () => undefined,
  };
}

/** Splits a script file into lines; a final newline does not add a silent turn. */
export function scriptLines(content: string): string[] {
  const lines = content.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Reads the caller's words from a terminal (or a pipe); Ctrl-D or Ctrl-C hangs up. */
export function readlineCaller(
  input: NodeJS.ReadableStream & { isTTY?: boolean },
  output: NodeJS.WritableStream,
): Caller {
  const terminal = input.isTTY === true;
  const rl = readline.createInterface({ input, output, terminal });
  const buffered: string[] = [];
  let closed = false;
  let waiting: ((line: string | null) => void) | undefined;

  rl.on("line", (line) => {
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve(line);
    } else {
      buffered.push(line);
    }
  });
  rl.on("close", () => {
    closed = true;
    // Ctrl-D at the prompt: end the "You: " line before the session prints the hang-up.
    if (terminal && waiting) output.write("\n");
    waiting?.(null);
    waiting = undefined;
  });
  rl.on("SIGINT", () => rl.close());

  return {
    echo: !terminal,
    listen: () => {
      const line = buffered.shift();
      if (line !== undefined) return Promise.resolve(line);
      if (closed) return Promise.resolve(null);
      // A prompt only makes sense on a terminal; piped input is echoed by the session instead.
      if (terminal) {
        rl.setPrompt("You: ");
        rl.prompt();
      }
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    close: () => rl.close(),
  };
}
