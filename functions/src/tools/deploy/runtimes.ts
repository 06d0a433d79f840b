/**
 * Node.js runtimes of Cloud Run functions and the day each stops deploying
 * (Google's runtime support schedule): the one table the preflight
 * (`npm run deploy:check`) and the deployment test read. nodejs20 was
 * decommissioned on 2026-10-30.
 */
export const RUNTIME_DECOMMISSIONED: Readonly<Record<string, string>> = {
  nodejs18: "2025-10-31",
  nodejs20: "2026-10-30",
  nodejs22: "2027-10-31",
  nodejs24: "2028-10-31",
};

/** Why `runtime` cannot be deployed on `today` (YYYY-MM-DD), or undefined when it can. */
export function runtimeProblem(runtime: string | undefined, today: string): string | undefined {
  if (!runtime) return "firebase.json declares no functions runtime (e.g. nodejs22)";
  const until = RUNTIME_DECOMMISSIONED[runtime];
  if (!until) {
    return `${runtime} is not a Node.js runtime Cloud Run functions knows (known: ${Object.keys(RUNTIME_DECOMMISSIONED).join(", ")})`;
  }
  if (today >= until) {
    const newer = Object.entries(RUNTIME_DECOMMISSIONED)
      .filter(([, day]) => day > today)
      .map(([name]) => name);
    return `${runtime} stopped deploying on ${until}; move firebase.json and functions/package.json engines to ${newer[0] ?? "a supported runtime"}`;
  }
  return undefined;
}
