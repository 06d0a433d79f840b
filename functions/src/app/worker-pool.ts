/**
 * The one worker pool of the scheduled jobs (due texts, daily digests, the
 * calendar sweep): bounded fan-out where one item failing never stops the rest.
 */

/** Runs `work` over `items`, at most `limit` at a time, settling every one. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      [results[index]] = await Promise.allSettled([work(items[index])]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
