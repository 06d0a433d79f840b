import * as fs from "node:fs";
import * as path from "node:path";
import { SimulatorError } from "./errors";

/** The repository root: the nearest folder above `start` holding functions/package.json. */
export function findRepoRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, "functions", "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads KEY=VALUE lines (dotenv style, as the emulator does for .secret.local). */
export function parseEnvFile(content: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of content.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2].trim();
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, "");
    values[match[1]] = value;
  }
  return values;
}

export function readSecretLocal(repoRoot: string | undefined): Record<string, string> {
  if (!repoRoot) return {};
  const file = path.join(repoRoot, "functions", ".secret.local");
  return fs.existsSync(file) ? parseEnvFile(fs.readFileSync(file, "utf8")) : {};
}

/** The first non-empty value, in order of precedence: flag, environment, .secret.local. */
export function firstSet(...values: Array<string | undefined>): string | undefined {
  return values.find((value) => value !== undefined && value.trim() !== "")?.trim();
}

/**
 * The auth token the simulators sign with, as the local stack knows it: the
 * flag, else TWILIO_AUTH_TOKEN, else functions/.secret.local (npm start creates it).
 */
export function localAuthToken(
  flag: string | undefined,
  secretLocal: Record<string, string>,
): string {
  const token = firstSet(flag, process.env.TWILIO_AUTH_TOKEN, secretLocal.TWILIO_AUTH_TOKEN);
  if (!token) {
    throw new SimulatorError(
      "No Twilio auth token to sign with: pass --auth-token, set TWILIO_AUTH_TOKEN, or start the stack once (npm start) to create functions/.secret.local.",
    );
  }
  return token;
}
