import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { openRedisReadModelStore } from '../../src/store/redis';
import type { ReadModelStore } from '../../src/store/port';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Stores on the real Redis, each under its own prefix inside one prefix for this test run, so runs
 * never see each other's keys; `cleanup` deletes every key the run left.
 */
export function redisStores() {
  const runPrefix = `test:read-side:${randomUUID()}:`;
  let stores = 0;
  return {
    runPrefix,
    /** Opens a store under a fresh prefix, or under `prefix` (inside the run's) when given. */
    open: (prefix = `${++stores}:`): Promise<ReadModelStore> =>
      openRedisReadModelStore({ url: REDIS_URL, prefix: `${runPrefix}${prefix}` }),
    /** The keys under the run's prefix (or a longer one). */
    async keys(prefix = runPrefix): Promise<string[]> {
      const client = await createClient({ url: REDIS_URL }).connect();
      try {
        const keys: string[] = [];
        for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
          keys.push(...batch);
        }
        return keys;
      } finally {
        await client.close();
      }
    },
    async cleanup(): Promise<void> {
      const keys = await this.keys();
      if (keys.length === 0) return;
      const client = await createClient({ url: REDIS_URL }).connect();
      try {
        await client.unlink(keys);
      } finally {
        await client.close();
      }
    },
  };
}
