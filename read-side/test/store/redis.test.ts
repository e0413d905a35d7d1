import { afterAll, describe, expect, it } from 'vitest';
import { describeReadModelStoreContract } from './contract';
import { redisStores } from './redis-fixture';

const redis = redisStores();
afterAll(() => redis.cleanup());

describeReadModelStoreContract('redis', redis.open);

describe('redis read-model store', () => {
  it('deletes every key of the version a swap retires', async () => {
    const store = await redis.open('swap:');
    try {
      const old = await store.current();
      await old.applyBatch({
        checkpoints: [{ projection: 'p', from: 0n, to: 1n }],
        ops: [
          { type: 'put', collection: 'board', id: 'a', doc: 1 },
          { type: 'index', index: 'open', member: 'a', score: 1 },
        ],
      });
      const oldKeys = await redis.keys(`${redis.runPrefix}swap:v:${old.id}:`);
      expect(oldKeys).toHaveLength(3);

      await store.swap(await store.createVersion());

      expect(await redis.keys(`${redis.runPrefix}swap:v:${old.id}:`)).toEqual([]);
      expect(await redis.keys(`${redis.runPrefix}swap:`)).not.toEqual([]);
    } finally {
      await store.close();
    }
  });
});
