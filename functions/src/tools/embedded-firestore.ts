import { FirestoreServer } from "@firestore-emulator/server";

/**
 * Starts the embedded Firestore-protocol server (gRPC, the API firebase-admin
 * speaks through FIRESTORE_EMULATOR_HOST). Used where the official Java
 * emulator is not installed: by the local stack and by the test suite.
 */
export interface EmbeddedFirestore {
  readonly host: string;
  readonly server: FirestoreServer;
  stop(): void;
}

export async function startEmbeddedFirestore(port: number): Promise<EmbeddedFirestore> {
  const server = new FirestoreServer();
  await server.start(port);
  return {
    host: `127.0.0.1:${port}`,
    server,
    stop: () => server.stop(),
  };
}
