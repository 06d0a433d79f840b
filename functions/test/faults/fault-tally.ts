import { strict as assert } from "node:assert";

/**
 * What one fault did: the effects (bookings, texts, calendar events...) the
 * scenario expected to exist exactly once, and how many of each it found.
 * An effect found more than once is duplicated; one found fewer times is lost.
 */
export interface FaultReport {
  fault: string;
  /** What the product did about it, in a few words. */
  effect: string;
  /** Effect name -> [expected, found]. */
  counts: Record<string, [expected: number, found: number]>;
}

interface Totals {
  faults: number;
  duplicated: number;
  lost: number;
  lines: string[];
}

const totals: Totals = { faults: 0, duplicated: 0, lost: 0, lines: [] };

/**
 * Prints one line for the fault and adds it to the totals; fails the
 * scenario when anything was duplicated or lost.
 */
export function report(r: FaultReport): void {
  let duplicated = 0;
  let lost = 0;
  const parts: string[] = [];
  for (const [name, [expected, found]] of Object.entries(r.counts)) {
    duplicated += Math.max(0, found - expected);
    lost += Math.max(0, expected - found);
    parts.push(`${name} ${found}/${expected}`);
  }
  totals.faults += 1;
  totals.duplicated += duplicated;
  totals.lost += lost;
  const line = `[fault] ${r.fault} -> ${r.effect}; ${parts.join(", ")}${
    duplicated || lost ? `  << duplicated ${duplicated}, lost ${lost}` : ""
  }`;
  totals.lines.push(line);
  console.log(`      ${line}`);
  assert.equal(duplicated, 0, `${r.fault}: ${duplicated} effect(s) duplicated`);
  assert.equal(lost, 0, `${r.fault}: ${lost} effect(s) lost`);
}

export function faultTotals(): Readonly<Totals> {
  return totals;
}

/** The closing figures, printed once after every scenario ran. */
export function printTotals(): void {
  console.log(
    `\n[faults] faults tried: ${totals.faults}, effects duplicated: ${totals.duplicated}, data lost: ${totals.lost}\n`,
  );
}
