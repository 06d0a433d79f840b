/**
 * The targets npm run bench holds the product to: each measured figure with
 * its limit. A run that misses any of them ends with exit code 1, naming it,
 * so a slower change cannot pass unseen.
 */
export interface Target {
  /** What was measured: "details -> offers: p95 / baseline p95". */
  name: string;
  measured: number;
  /** The most it may be. */
  limit: number;
  unit: string;
}

export function target(name: string, measured: number, limit: number, unit: string): Target {
  return { name, measured, limit, unit };
}

export function missedTargets(targets: readonly Target[]): Target[] {
  return targets.filter((t) => !(t.measured <= t.limit));
}

function describe(t: Target): string {
  return `${t.name}: ${t.measured.toFixed(2)}${t.unit} (target at most ${t.limit}${t.unit})`;
}

/** The closing lines of a run: every target met, or each one missed. */
export function verdict(targets: readonly Target[]): { lines: string[]; exitCode: 0 | 1 } {
  const missed = missedTargets(targets);
  if (missed.length === 0) {
    return { lines: [`All ${targets.length} targets met.`], exitCode: 0 };
  }
  return {
    lines: [
      `MISSED ${missed.length} of ${targets.length} targets:`,
      ...missed.map((t) => `  ${describe(t)}`),
    ],
    exitCode: 1,
  };
}
