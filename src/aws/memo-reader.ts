import { keepLogStore, READER_METHODS, type AwsReader } from './reader.js';

/**
 * One investigation reads one snapshot: identical calls made by different checks in the same
 * run (target health, instances) are answered once. Failures are not cached, so a retried
 * check calls again. Wrap per run, not per process, or answers go stale.
 */
export function createMemoReader(inner: AwsReader): AwsReader {
  const cache = new Map<string, Promise<unknown>>();
  const reader = { region: inner.region } as Record<string, unknown>;
  for (const method of READER_METHODS) {
    reader[method] = (...args: unknown[]) => {
      const key = `${method}:${JSON.stringify(args)}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const pending = (inner[method] as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
      return pending;
    };
  }
  return keepLogStore(inner, reader) as unknown as AwsReader;
}
