import { FirestoreLink, hostPort } from "./firestore-link";

/**
 * Root hooks of the fault suite, required after test/support/root-hooks.js:
 * once the emulator is up, every Firestore client of this process reaches it
 * through a FirestoreLink the scenarios can take down and bring back.
 * The suite's own bookkeeping reads through `directHost()`, past the link.
 */
let link: FirestoreLink | undefined;
let direct = "";

export function firestoreLink(): FirestoreLink {
  if (!link) throw new Error("the fault suite's Firestore link is not running");
  return link;
}

/** The emulator itself, not through the link. */
export function directHost(): string {
  return direct;
}

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    direct = process.env.FIRESTORE_EMULATOR_HOST ?? "";
    if (!direct) throw new Error("root-hooks.js must start Firestore before link.hooks.js");
    link = new FirestoreLink(hostPort(direct));
    process.env.FIRESTORE_EMULATOR_HOST = await link.start();
  },
  async afterAll(): Promise<void> {
    await link?.stop();
    process.env.FIRESTORE_EMULATOR_HOST = direct;
  },
};
