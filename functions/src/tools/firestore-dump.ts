import type { FirestoreServer } from "@firestore-emulator/server";
import { DocumentReference, Firestore, GeoPoint, Timestamp } from "firebase-admin/firestore";
import { documentPathsIn } from "./trigger-relay";

/**
 * Saves and restores the embedded Firestore's documents (for `npm start -- --keep`).
 * Values go through firebase-admin both ways, with the types JSON lacks tagged.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface FirestoreDump {
  version: 1;
  documents: Array<{ path: string; data: Json }>;
}

export function encodeValue(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean" || typeof value === "number" || typeof value === "string") {
    return value;
  }
  if (value instanceof Timestamp) {
    return { $timestamp: { seconds: value.seconds, nanoseconds: value.nanoseconds } };
  }
  if (value instanceof GeoPoint) return { $geopoint: [value.latitude, value.longitude] };
  if (value instanceof DocumentReference) return { $ref: value.path };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString("base64") };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v)]));
  }
  throw new TypeError(`cannot save a ${typeof value} in a Firestore dump`);
}

export function decodeValue(db: Firestore, value: Json): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => decodeValue(db, v));
  const tagged = Object.keys(value).length === 1 ? Object.keys(value)[0] : undefined;
  if (tagged === "$timestamp") {
    const t = value.$timestamp as { seconds: number; nanoseconds: number };
    return new Timestamp(t.seconds, t.nanoseconds);
  }
  if (tagged === "$geopoint") {
    const [lat, lng] = value.$geopoint as [number, number];
    return new GeoPoint(lat, lng);
  }
  if (tagged === "$ref") return db.doc(value.$ref as string);
  if (tagged === "$bytes") return Buffer.from(value.$bytes as string, "base64");
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeValue(db, v)]));
}

/** Every existing document of the project, read through the client. */
export async function dumpFirestore(
  server: FirestoreServer,
  db: Firestore,
  projectId: string,
): Promise<FirestoreDump> {
  const database = server.state.toJSON().projects[projectId]?.databases["(default)"];
  const prefix = `projects/${projectId}/databases/(default)/documents/`;
  const paths = database
    ? documentPathsIn(database.collections).map((p) => p.slice(prefix.length))
    : [];
  const snapshots = paths.length > 0 ? await db.getAll(...paths.map((p) => db.doc(p))) : [];
  return {
    version: 1,
    documents: snapshots
      .filter((s) => s.exists)
      .map((s) => ({ path: s.ref.path, data: encodeValue(s.data()) })),
  };
}

/** Writes a dump back, in batches of the Firestore limit. Returns the document count. */
export async function restoreFirestore(db: Firestore, dump: FirestoreDump): Promise<number> {
  for (let i = 0; i < dump.documents.length; i += 500) {
    const batch = db.batch();
    for (const { path, data } of dump.documents.slice(i, i + 500)) {
      batch.set(db.doc(path), decodeValue(db, data) as Record<string, unknown>);
    }
    await batch.commit();
  }
  return dump.documents.length;
}
