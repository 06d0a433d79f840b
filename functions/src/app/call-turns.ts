/** Transcript document keys sort in call order: the turn number, then the order within it. */
export function turnKey(step: number, order: number | string): string {
  return `${String(step).padStart(4, "0")}-${order}`;
}
