import { LocalStack, startLocalStack } from "../support/local-stack.harness";

/**
 * One local stack for the whole end-to-end suite: started by the first suite
 * that asks for it, stopped once after the last test (a root-level hook).
 */
let running: Promise<LocalStack> | undefined;

export function localStack(): Promise<LocalStack> {
  running ??= startLocalStack();
  return running;
}

after(async function () {
  this.timeout(60_000);
  if (!running) return;
  const stack = await running.catch(() => undefined);
  await stack?.stop();
});
