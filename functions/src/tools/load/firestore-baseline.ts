import { performance } from "node:perf_hooks";
import type { Firestore } from "firebase-admin/firestore";

/**
 * The floor a webhook's Firestore work is compared with: one bare document
 * read followed by one write, timed end to end, `iterations` times in a row.
 */
export async function bareReadWrite(db: Firestore, iterations: number): Promise<number[]> {
  const ref = db.collection("loadTest").doc("baseline");
  await ref.set({ n: 0 });
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    const snapshot = await ref.get();
    await ref.set({ n: (snapshot.get("n") as number) + 1, at: new Date() });
    samples.push(performance.now() - started);
  }
  return samples;
}

/**
 * The same read plus write, `parallel` at once on distinct documents, `rounds`
 * times: what the emulator alone gives each of that many callers, with no
 * product code in the way.
 */
export async function bareReadWriteAtOnce(
  db: Firestore,
  parallel: number,
  rounds: number,
): Promise<number[]> {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const times = await Promise.all(
      Array.from({ length: parallel }, async (_, i) => {
        const ref = db.collection("loadTest").doc(`parallel-${i}`);
        const started = performance.now();
        const snapshot = await ref.get();
        await ref.set({ n: ((snapshot.get("n") as number | undefined) ?? 0) + 1 });
        return performance.now() - started;
      }),
    );
    samples.push(...times);
  }
  return samples;
}
