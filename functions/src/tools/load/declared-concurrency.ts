/**
 * How many requests one instance of a function serves at once, as Cloud Run
 * would run it: the `concurrency` in the function's options when declared;
 * otherwise Firebase's default, 80 when the function has at least one CPU
 * (the default for 2 GiB or less) and 1 when it has less.
 */
export interface Concurrency {
  readonly value: number;
  readonly source: "declared" | "default";
}

/** The part of a firebase-functions v2 export's __endpoint read here. */
export interface EndpointOptions {
  readonly concurrency?: unknown;
  readonly cpu?: unknown;
  readonly availableMemoryMb?: unknown;
}

export const CLOUD_RUN_DEFAULT_CONCURRENCY = 80;

export function declaredConcurrency(endpoint: EndpointOptions | undefined): Concurrency {
  const declared = numeric(endpoint?.concurrency);
  if (declared !== undefined) return { value: declared, source: "declared" };
  const cpu = endpoint?.cpu;
  const memory = numeric(endpoint?.availableMemoryMb);
  // "gcf_gen1" sizes the CPU from memory as generation 1 did: under 2 GiB is less than one CPU.
  const fractional =
    (typeof cpu === "number" && cpu < 1) ||
    (cpu === "gcf_gen1" && (memory === undefined || memory < 2048));
  return { value: fractional ? 1 : CLOUD_RUN_DEFAULT_CONCURRENCY, source: "default" };
}

/** A number, or a params Expression's value (read at run time, like the deploy does). */
function numeric(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (value && typeof (value as { value?: unknown }).value === "function") {
    const resolved = (value as { value: () => unknown }).value();
    if (typeof resolved === "number" && Number.isFinite(resolved)) return resolved;
  }
  return undefined;
}
