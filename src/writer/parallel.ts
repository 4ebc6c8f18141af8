/**
 * File operations a few at a time: one after another, each waits a round trip through libuv's thread
 * pool, and for the 800 files of a large run those waits were a sixth of it; all at once, a large run
 * would open more files than a process may.
 */

/** How many operations are in flight at once: libuv's pool has 4 threads, and a few more keep it busy. */
export const FILE_CONCURRENCY = 16;

/**
 * Runs `operation` on every item, at most `limit` at a time. On the first failure no further item
 * starts; those already started are waited for, and then it throws `ItemFailure` naming the failed item.
 */
export async function eachInParallel<T>(items: readonly T[], operation: (item: T) => Promise<void>, limit = FILE_CONCURRENCY): Promise<void> {
  let next = 0;
  let failure: ItemFailure<T> | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await operation(item);
      } catch (error) {
        failure ??= new ItemFailure(item, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

/** The first item whose operation failed, and how. */
export class ItemFailure<T> {
  constructor(
    readonly item: T,
    readonly error: unknown,
  ) {}
}
