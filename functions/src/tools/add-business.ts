import { initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";
import { seedDemoTenant } from "./seed";

/**
 * Adds (or updates) a business in a real Firebase project from a tenant file
 * shaped like emulator-data/seed/bristol-plumbing.json: its config, the route
 * from its Twilio number, its owner's login, and any customers and
 * appointments the file lists (leave those arrays empty for a new business).
 *
 *   GOOGLE_APPLICATION_CREDENTIALS=key.json \
 *     node functions/lib/src/tools/add-business.js --project my-project --file my-business.json
 *
 * Safe to run again after editing the file.
 */
async function main(argv: string[]): Promise<number> {
  const option = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const projectId = option("project");
  const file = option("file");
  if (!projectId || !file) {
    console.error("usage: add-business --project PROJECT_ID --file TENANT.json");
    return 2;
  }
  const app = initializeApp({ projectId });
  const summary = await seedDemoTenant(getFirestore(app), getAuth(app), { file });
  console.log(
    `Business ${summary.businessId} written to ${projectId}: ${summary.customers} customer(s), ` +
      `${summary.appointments.length} appointment(s); owner login ${summary.owner.email}.`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
