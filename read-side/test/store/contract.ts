/**
 * The behaviour every adapter of the read-model store port must show. Adapters run it from their own
 * test file: `describeReadModelStoreContract('memory', open)`. `open` must return a fresh, empty,
 * isolated store on every call; the suite closes each store it opened.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  InvalidBatchError,
  type Batch,
  type Op,
  type ReadModelStore,
  type ReadModelVersion,
} from '../../src/store/port';

export type OpenReadModelStore = () => Promise<ReadModelStore>;

const put = (collection: string, id: string, doc: unknown): Op => ({
  type: 'put',
  collection,
  id,
  doc,
});
const index = (name: string, member: string, score: number): Op => ({
  type: 'index',
  index: name,
  member,
  score,
});

/** A batch moving `projection` from `from` to `to`. */
const batch = (ops: Op[], from = 0n, to = from + 1n, projection = 'p'): Batch => ({
  checkpoints: [{ projection, from, to }],
  ops,
});

export function describeReadModelStoreContract(name: string, open: OpenReadModelStore): void {
  describe(`read-model store contract: ${name}`, () => {
    const opened: ReadModelStore[] = [];
    const fresh = async () => {
      const store = await open();
      opened.push(store);
      return { store, version: await store.current() };
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    describe('documents', () => {
      it('puts, gets and deletes JSON documents', async () => {
        const { store, version } = await fresh();
        const board = { status: 'open', amount: '1500000.00', offers: [{ bank: '0012' }] };

        expect(
          await version.applyBatch(batch([put('board', 'a', board), put('board', 'b', 2)])),
        ).toBe('applied');
        expect(await store.get('board', 'a')).toEqual(board);
        expect(await version.get('board', 'a')).toEqual(board);
        expect(await store.getMany('board', ['b', 'missing', 'a'])).toEqual([2, undefined, board]);
        expect(await store.get('inbox', 'a')).toBeUndefined();

        await version.applyBatch(
          batch([{ type: 'delete', collection: 'board', id: 'a' }, put('board', 'b', null)], 1n),
        );
        expect(await store.get('board', 'a')).toBeUndefined();
        expect(await store.get('board', 'b')).toBeNull();
        expect(await store.getMany('board', [])).toEqual([]);
      });

      it('hands out copies: changing a read document changes nothing stored', async () => {
        const { store, version } = await fresh();
        await version.applyBatch(batch([put('board', 'a', { offers: [] })]));

        const doc = await store.get<{ offers: string[] }>('board', 'a');
        doc!.offers.push('mutated');

        expect(await store.get('board', 'a')).toEqual({ offers: [] });
      });

      it('refuses values that are not JSON and writes nothing', async () => {
        const { store, version } = await fresh();

        await expect(
          version.applyBatch(batch([put('board', 'a', 1), put('board', 'b', { big: 1n })])),
        ).rejects.toBeInstanceOf(InvalidBatchError);
        await expect(
          version.applyBatch(batch([index('open', 'a', Number.NaN)])),
        ).rejects.toBeInstanceOf(InvalidBatchError);

        expect(await store.get('board', 'a')).toBeUndefined();
        expect(await store.checkpoint('p')).toBe(0n);
      });

      it('reads an empty store (no version yet) as empty', async () => {
        const store = await open();
        opened.push(store);

        expect(await store.get('board', 'a')).toBeUndefined();
        expect(await store.getMany('board', ['a'])).toEqual([undefined]);
        expect(await store.range('open')).toEqual([]);
        expect(await store.count('open')).toBe(0);
        expect(await store.checkpoint('p')).toBe(0n);
      });
    });

    describe('sorted indexes', () => {
      const scores: [string, number][] = [
        ['c', 30],
        ['a', 10],
        ['b2', 20],
        ['b1', 20],
        ['d', -5.5],
        ['e', 1.7e12],
      ];
      const withIndex = async () => {
        const { store, version } = await fresh();
        await version.applyBatch(
          batch(scores.map(([member, score]) => index('open', member, score))),
        );
        return { store, version };
      };
      const members = (entries: { member: string }[]) => entries.map((entry) => entry.member);

      it('orders by score, ties by member, and keeps scores exactly', async () => {
        const { store } = await withIndex();

        expect(await store.range('open')).toEqual([
          { member: 'd', score: -5.5 },
          { member: 'a', score: 10 },
          { member: 'b1', score: 20 },
          { member: 'b2', score: 20 },
          { member: 'c', score: 30 },
          { member: 'e', score: 1.7e12 },
        ]);
        expect(members(await store.range('open', { reverse: true }))).toEqual([
          'e',
          'c',
          'b2',
          'b1',
          'a',
          'd',
        ]);
      });

      it('ranges by inclusive score bounds with offset and limit, and counts', async () => {
        const { store } = await withIndex();

        expect(members(await store.range('open', { min: 10, max: 30 }))).toEqual([
          'a',
          'b1',
          'b2',
          'c',
        ]);
        expect(members(await store.range('open', { min: 10, offset: 1, limit: 2 }))).toEqual([
          'b1',
          'b2',
        ]);
        expect(
          members(await store.range('open', { max: 20, reverse: true, offset: 1, limit: 2 })),
        ).toEqual(['b1', 'a']);
        expect(members(await store.range('open', { min: 25, offset: 5 }))).toEqual([]);
        expect(members(await store.range('open', { limit: 0 }))).toEqual([]);
        expect(members(await store.range('open', { min: 31, max: 1e12 }))).toEqual([]);
        expect(await store.count('open')).toBe(6);
        expect(await store.count('open', { min: 20, max: 30 })).toBe(3);
        expect(await store.count('open', { max: -6 })).toBe(0);
        expect(await store.range('closed')).toEqual([]);
      });

      it('moves a member re-added with a new score, and removes members', async () => {
        const { store, version } = await withIndex();

        await version.applyBatch(
          batch(
            [
              index('open', 'a', 25),
              { type: 'unindex', index: 'open', member: 'c' },
              { type: 'unindex', index: 'open', member: 'missing' },
            ],
            1n,
          ),
        );

        expect(members(await store.range('open'))).toEqual(['d', 'b1', 'b2', 'a', 'e']);
        expect(await store.count('open')).toBe(5);
      });
    });

    describe('atomic batches and checkpoints', () => {
      it('writes the ops and moves every checkpoint together', async () => {
        const { store, version } = await fresh();

        const outcome = await version.applyBatch({
          checkpoints: [
            { projection: 'board', from: 0n, to: 7n },
            { projection: 'inbox', from: 0n, to: 7n },
          ],
          ops: [put('board', 'a', { n: 1 }), index('open', 'a', 1)],
        });

        expect(outcome).toBe('applied');
        expect(await store.checkpoint('board')).toBe(7n);
        expect(await version.checkpoint('inbox')).toBe(7n);
        expect(await store.checkpoint('other')).toBe(0n);
        expect(await store.get('board', 'a')).toEqual({ n: 1 });
        expect(await store.count('open')).toBe(1);
      });

      it('refuses a stale batch and changes nothing, not even the checkpoints that matched', async () => {
        const { store, version } = await fresh();
        await version.applyBatch(batch([put('board', 'a', 1)], 0n, 5n, 'board'));

        const replayed = await version.applyBatch(batch([put('board', 'a', 2)], 0n, 5n, 'board'));
        const mixed = await version.applyBatch({
          checkpoints: [
            { projection: 'inbox', from: 0n, to: 6n },
            { projection: 'board', from: 4n, to: 6n },
          ],
          ops: [put('board', 'a', 3), index('open', 'a', 1)],
        });

        expect([replayed, mixed]).toEqual(['stale', 'stale']);
        expect(await store.get('board', 'a')).toBe(1);
        expect(await store.checkpoint('board')).toBe(5n);
        expect(await store.checkpoint('inbox')).toBe(0n);
        expect(await store.count('open')).toBe(0);
      });

      it('applies exactly one of two racing batches from the same checkpoint', async () => {
        const { store, version } = await fresh();

        const outcomes = await Promise.all(
          [1, 2].map((n) => version.applyBatch(batch([put('count', 'x', n)], 0n, 1n))),
        );

        expect(outcomes.toSorted()).toEqual(['applied', 'stale']);
        expect(await store.get('count', 'x')).toBe(outcomes[0] === 'applied' ? 1 : 2);
      });

      it('refuses a checkpoint that does not move forward', async () => {
        const { version } = await fresh();

        await expect(version.applyBatch(batch([], 3n, 3n))).rejects.toBeInstanceOf(
          InvalidBatchError,
        );
        await expect(version.applyBatch(batch([], 3n, 2n))).rejects.toBeInstanceOf(
          InvalidBatchError,
        );
      });

      it('keeps checkpoints exact beyond 2^53', async () => {
        const { store, version } = await fresh();
        const far = 2n ** 64n + 1n;
        const near = 2n ** 53n;

        await version.applyBatch(batch([], 0n, near + 1n));
        // near and near + 1 are the same float: a store that lost precision would accept this.
        expect(await version.applyBatch(batch([], near, far))).toBe('stale');
        expect(await version.applyBatch(batch([], near + 1n, far))).toBe('applied');

        expect(await store.checkpoint('p')).toBe(far);
        expect(await version.applyBatch(batch([], far, far + 1n))).toBe('applied');
        expect(await store.checkpoint('p')).toBe(far + 1n);
      });
    });

    describe('versions', () => {
      it('keeps one current version until a swap', async () => {
        const { store, version } = await fresh();
        expect((await store.current()).id).toBe(version.id);
      });

      it('hides a fresh version from readers until the swap makes it current at once', async () => {
        const { store, version: old } = await fresh();
        await old.applyBatch(batch([put('board', 'a', 'old'), index('open', 'a', 1)], 0n, 9n));

        const next = await store.createVersion();
        expect(next.id).not.toBe(old.id);
        expect(await next.get('board', 'a')).toBeUndefined();
        expect(await next.checkpoint('p')).toBe(0n);
        await next.applyBatch(
          batch(
            [put('board', 'a', 'new'), put('board', 'b', 'new'), index('open', 'b', 2)],
            0n,
            4n,
          ),
        );

        expect(await store.get('board', 'a')).toBe('old');
        expect(await store.getMany('board', ['a', 'b'])).toEqual(['old', undefined]);
        expect(await store.range('open')).toEqual([{ member: 'a', score: 1 }]);
        expect(await store.checkpoint('p')).toBe(9n);
        expect((await store.current()).id).toBe(old.id);

        await store.swap(next);

        expect((await store.current()).id).toBe(next.id);
        expect(await store.getMany('board', ['a', 'b'])).toEqual(['new', 'new']);
        expect(await store.range('open')).toEqual([{ member: 'b', score: 2 }]);
        expect(await store.checkpoint('p')).toBe(4n);
      });

      it('retires the old version: its data is gone and batches into it are stale', async () => {
        const { store, version: old } = await fresh();
        await old.applyBatch(batch([put('board', 'a', 'old'), index('open', 'a', 1)]));
        const next = await store.createVersion();

        await store.swap(next);

        expect(await old.get('board', 'a')).toBeUndefined();
        expect(await old.count('open')).toBe(0);
        expect(await old.checkpoint('p')).toBe(0n);
        expect(await old.applyBatch(batch([put('board', 'z', 1)], 0n))).toBe('stale');
        expect(await old.applyBatch(batch([put('board', 'z', 1)], 1n))).toBe('stale');
        expect(await old.get('board', 'z')).toBeUndefined();
        await expect(store.swap(old)).rejects.toThrow(/retired/);
      });

      it('drops an abandoned version, but never the current one', async () => {
        const { store, version: current } = await fresh();
        const abandoned = await store.createVersion();
        await abandoned.applyBatch(batch([put('board', 'a', 1)]));

        await store.drop(abandoned);

        expect(await abandoned.get('board', 'a')).toBeUndefined();
        expect(await abandoned.applyBatch(batch([], 1n))).toBe('stale');
        await expect(store.swap(abandoned)).rejects.toThrow(/retired/);
        await expect(store.drop(current)).rejects.toThrow(/current/);
        expect((await store.current()).id).toBe(current.id);
      });

      it('serves reads racing a swap from one version or the other, never a mix', async () => {
        const { store, version: old } = await fresh();
        const ids = ['a', 'b', 'c'];
        await old.applyBatch(batch(ids.map((id) => put('board', id, 'old'))));
        const next: ReadModelVersion = await store.createVersion();
        await next.applyBatch(batch(ids.map((id) => put('board', id, 'new'))));

        const reads = Array.from({ length: 20 }, () => store.getMany('board', ids));
        await store.swap(next);
        const results = await Promise.all(reads);

        for (const docs of results) expect(new Set(docs).size).toBe(1);
      });
    });
  });
}
