import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { z } from "zod";
import { serviceSchema, Service } from "../domain/business/business";
import { classifyUtterance, Intent } from "../domain/nlu/intent.classifier";
import { extractSlots, ExtractedSlots } from "../domain/nlu/slot-extractor";

/**
 * Try the receptionist's language understanding from a terminal:
 *   echo "my pipe has burst" | node lib/src/tools/nlu-cli.js
 * One JSON object per input line. Services and emergency phrases come from
 * the demo tenant's seed (emulator-data/seed/*.json) when it is present.
 */

export interface NluDemoTenant {
  services: readonly Service[];
  extraEmergencyPhrases: readonly string[];
  /** So "is Dave there" reads as asking for a person. */
  ownerName?: string;
}

/** Used when no seed file can be read. */
export const FALLBACK_DEMO_TENANT: NluDemoTenant = {
  services: [
    {
      id: "dripping-tap",
      name: "Dripping tap repair",
      durationMinutes: 60,
      keywords: ["tap", "dripping", "drip"],
    },
    {
      id: "boiler-service",
      name: "Boiler service",
      durationMinutes: 90,
      keywords: ["boiler", "annual service"],
    },
    {
      id: "drain-unblock",
      name: "Drain unblock",
      durationMinutes: 60,
      keywords: ["drain", "blocked", "unblock"],
    },
    {
      id: "bathroom-quote",
      name: "Bathroom quote",
      durationMinutes: 45,
      keywords: ["bathroom", "quote"],
    },
    {
      id: "assessment",
      name: "Plumbing assessment",
      durationMinutes: 60,
      keywords: ["leak", "pipe"],
    },
  ],
  extraEmergencyPhrases: [],
  ownerName: "Dave",
};

export const DEFAULT_SEED_DIR = path.resolve(__dirname, "../../../../emulator-data/seed");

const seedSchema = z.object({
  business: z.object({
    ownerName: z.string().min(1).optional(),
    services: z.array(serviceSchema).min(1),
    emergency: z.object({ extraPhrases: z.array(z.string()).default([]) }).optional(),
  }),
});

/** Reads the first seed file in `seedDir` that holds a business with services. */
export function loadDemoTenant(seedDir: string = DEFAULT_SEED_DIR): NluDemoTenant {
  let files: string[];
  try {
    files = fs
      .readdirSync(seedDir)
      .filter((f) => f.endsWith(".json"))
      .sort();
  } catch {
    return FALLBACK_DEMO_TENANT;
  }
  for (const file of files) {
    try {
      const parsed = seedSchema.safeParse(
        JSON.parse(fs.readFileSync(path.join(seedDir, file), "utf8")),
      );
      if (parsed.success) {
        return {
          services: parsed.data.business.services,
          extraEmergencyPhrases: parsed.data.business.emergency?.extraPhrases ?? [],
          ownerName: parsed.data.business.ownerName,
        };
      }
    } catch {
      // Not JSON we understand: try the next file.
    }
  }
  return FALLBACK_DEMO_TENANT;
}

export interface NluLineResult {
  text: string;
  intent: Intent;
  emergency: boolean;
  emergencyKind: string | null;
  /** The caller's words that raised the emergency or the safety question. */
  matched: string | null;
  /** When the signals are partial: the question the receptionist asks, and what a yes means. */
  safetyQuestion: { question: string; kind: string } | null;
  slots: ExtractedSlots;
}

/** What the CLI prints for one line; pure, so it is tested without spawning. */
export function analyseLine(text: string, tenant: NluDemoTenant): NluLineResult {
  const { intent, emergency, safetyCheck } = classifyUtterance(text, {
    extraEmergencyPhrases: tenant.extraEmergencyPhrases,
    ownerName: tenant.ownerName,
  });
  return {
    text,
    intent,
    emergency: emergency !== null,
    emergencyKind: emergency?.kind ?? null,
    matched: emergency?.matched ?? safetyCheck?.matched ?? null,
    safetyQuestion: safetyCheck ? { question: safetyCheck.question, kind: safetyCheck.kind } : null,
    slots: extractSlots(text, tenant.services),
  };
}

async function main(): Promise<void> {
  const tenant = loadDemoTenant();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim().length === 0) continue;
    process.stdout.write(`${JSON.stringify(analyseLine(line.trim(), tenant))}\n`);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
