import * as net from "node:net";
import { startEmbeddedFirestore, EmbeddedFirestore } from "../../src/tools/embedded-firestore";

/**
 * Every suite talks to a real Firestore protocol server: the official emulator
 * when FIRESTORE_EMULATOR_HOST already points at one, otherwise the embedded
 * server started here on a free port.
 */
export const TEST_PROJECT_ID = "demo-bristol-plumbing";

let embedded: EmbeddedFirestore | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    process.env.GCLOUD_PROJECT = TEST_PROJECT_ID;
    if (!process.env.FIRESTORE_EMULATOR_HOST) {
      embedded = await startEmbeddedFirestore(await freePort());
      process.env.FIRESTORE_EMULATOR_HOST = embedded.host;
      process.env.TEST_FIRESTORE_KIND = "embedded";
    } else {
      process.env.TEST_FIRESTORE_KIND ??= "external";
    }
  },
  afterAll(): void {
    embedded?.stop();
  },
};
