import * as path from "node:path";
import { FirestoreBackend, startBestFirestore } from "../../src/tools/firestore-backend";

/**
 * Every suite talks to a real Firestore protocol server: the one
 * FIRESTORE_EMULATOR_HOST already points at, otherwise the best one this
 * machine has (src/tools/firestore-backend.ts: the official emulator with
 * firestore.rules loaded, the embedded server only as a last resort, never
 * under FIRESTORE_BACKEND=official), on a free port. TEST_FIRESTORE_KIND says
 * which, for the tests that state what each backend guarantees.
 */
export const TEST_PROJECT_ID = "demo-bristol-plumbing";
export const RULES_FILE = path.resolve(__dirname, "../../../../firestore.rules");

let backend: FirestoreBackend | undefined;

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(90_000);
    process.env.GCLOUD_PROJECT = TEST_PROJECT_ID;
    // Nothing here runs on Google Cloud: spare the client libraries the metadata-server probe.
    process.env.METADATA_SERVER_DETECTION ??= "none";
    if (process.env.FIRESTORE_EMULATOR_HOST) {
      process.env.TEST_FIRESTORE_KIND ??= "external";
      return;
    }
    const output: string[] = [];
    backend = await startBestFirestore({
      projectId: TEST_PROJECT_ID,
      rulesPath: RULES_FILE,
      log: (line) => output.push(line),
    });
    // Said once, where the suite's output starts; on the embedded server, with why.
    console.log(`[tests] Firestore: ${backend.kind} at ${backend.host}`);
    if (backend.kind === "embedded") {
      console.warn(`[tests] ${output.filter((l) => /embedded/.test(l)).join("\n[tests] ")}`);
    }
    process.env.FIRESTORE_EMULATOR_HOST = backend.host;
    process.env.TEST_FIRESTORE_KIND = backend.kind;
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(30_000);
    await backend?.stop();
  },
};
