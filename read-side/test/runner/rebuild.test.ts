import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  rebuild,
  startProjectionRunner,
  type Projection,
  type ProjectionRunner,
  type RebuildProgress,
} from '../../src/runner';
import type { ReadModelStore, ReadModelVersion } from '../../src/store/port';
import { FakeEventStore } from './fake-event-store';
import {
  applicationOrder,
  bankRegistered,
  fanOut,
  recordingLogger,
  shares,
  storeKinds,
  streamCounts,
} from './fixtures';

const STREAMS = ['bank-a', 'bank-b', 'bank-a', 'bank-c', 'bank-a', 'bank-b', 'bank-d'];

describe.each(storeKinds)('rebuild on the $name store', (kind) => {
  let events: FakeEventStore;
  let readModels: ReadModelStore;
  const runners: ProjectionRunner[] = [];

  beforeEach(async () => {
    events = new FakeEventStore();
    readModels = await kind.open();
    for (const stream of STREAMS) {
      await events.append(stream, [bankRegistered()], { expectedRevision: 'any' });
    }
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await readModels.close();
  });
  afterAll(() => kind.cleanup());

  const follow = (projections: readonly Projection[], store = readModels) => {
    const runner = startProjectionRunner({
      store: events,
      readModels: store,
      projections,
      logger: recordingLogger(),
    });
    runners.push(runner);
    return runner;
  };
  const counts = (store: Pick<ReadModelStore, 'getMany'> = readModels) =>
    store
      .getMany<{ count: number }>('stream-counts', ['bank-a', 'bank-b', 'bank-c', 'bank-d'])
      .then((docs) => docs.map((doc) => doc?.count));
  /** Everything the projections wrote, as queries see it. */
  const snapshot = async () => ({
    counts: await readModels.getMany('stream-counts', ['bank-a', 'bank-b', 'bank-c', 'bank-d']),
    byCount: await readModels.range('stream-counts:by-count'),
    order: await readModels.get('order', 'all'),
    fanOut: await readModels.getMany('fan-out', ['registry', 'bank-a', 'bank-b', 'bank-c']),
    shares: await readModels.getMany('shares', ['summary', 'bank-a', 'bank-d']),
    checkpoints: await Promise.all(
      ['stream-counts', 'order', 'fan-out', 'shares'].map((name) => readModels.checkpoint(name)),
    ),
  });

  it('builds the same read models as the live runner, in a fresh version', async () => {
    const projections = [streamCounts(), applicationOrder, fanOut, shares];
    const runner = follow(projections);
    await runner.waitFor(7n);
    await runner.stop();
    const live = await snapshot();
    const liveVersion = (await readModels.current()).id;

    const result = await rebuild({ store: events, readModels, projections, pageSize: 3 });

    expect(result).toMatchObject({ position: 7n, events: 7 });
    expect(result.version).not.toBe(liveVersion);
    expect((await readModels.current()).id).toBe(result.version);
    expect(await snapshot()).toEqual(live);
    expect(live.checkpoints).toEqual([7n, 7n, 7n, 7n]);
    expect(live.shares).toEqual([{ total: 7 }, { mine: 3, of: 5 }, { mine: 1, of: 7 }]);
  });

  it('keeps queries on the current version until the swap', async () => {
    const runner = follow([streamCounts()]);
    await runner.waitFor(7n);
    await runner.stop();
    const seen: [RebuildProgress, (number | undefined)[], bigint][] = [];

    await rebuild({
      store: events,
      readModels,
      projections: [streamCounts(10)],
      pageSize: 2,
      onProgress: async (progress) => {
        seen.push([progress, await counts(), await readModels.checkpoint('stream-counts')]);
      },
    });

    expect(seen).toEqual(
      [2n, 4n, 6n, 7n].map((position, at) => [
        { position, lastLogPosition: 7n, events: Math.min(2 * (at + 1), 7) },
        [3, 2, 1, 1],
        7n,
      ]),
    );
    expect(await counts()).toEqual([30, 20, 10, 10]);
  });

  it('lets a running runner carry on in the rebuilt version', async () => {
    const runner = follow([streamCounts()]);
    await runner.waitFor(7n);
    const retired = await readModels.current();

    await rebuild({ store: events, readModels, projections: [streamCounts()] });
    const { position } = await events.append('bank-c', [bankRegistered()], {
      expectedRevision: 'any',
    });
    await runner.waitFor(position);

    expect(await counts()).toEqual([3, 2, 2, 1]);
    expect(await counts(retired)).toEqual([undefined, undefined, undefined, undefined]);
    expect(runner.status()).toMatchObject({ position: 8n, running: true, error: undefined });
  });

  it('replays from the checkpoints of a swapped-in version that is behind the runner', async () => {
    const runner = follow([streamCounts()]);
    await runner.waitFor(7n);
    const behind = await readModels.createVersion();
    await behind.applyBatch({
      checkpoints: [{ projection: 'stream-counts', from: 0n, to: 3n }],
      ops: [],
    });

    await readModels.swap(behind);
    const { position } = await events.append('bank-c', [bankRegistered()], {
      expectedRevision: 'any',
    });
    await runner.waitFor(position);

    // Only events 4 to 8 are in the swapped-in version, each applied once.
    expect(await counts()).toEqual([1, 1, 2, 1]);
    expect(await readModels.checkpoint('stream-counts')).toBe(8n);
  });

  it('brings over events that reached only the old version just before the swap', async () => {
    const runner = follow([streamCounts()]);
    await runner.waitFor(7n);
    const swapping: ReadModelStore = {
      ...readModels,
      // The log grows after the rebuild's last read; the runner puts it in the old version only.
      swap: async (version) => {
        const { position } = await events.append('bank-d', [bankRegistered()], {
          expectedRevision: 'any',
        });
        await runner.waitFor(position);
        return readModels.swap(version);
      },
    };

    const result = await rebuild({
      store: events,
      readModels: swapping,
      projections: [streamCounts()],
    });

    expect(result).toMatchObject({ position: 8n, events: 8 });
    expect(await counts()).toEqual([3, 2, 1, 2]);
    expect(await readModels.checkpoint('stream-counts')).toBe(8n);
  });

  it('drops the fresh version and keeps the current one when a projection fails', async () => {
    const runner = follow([streamCounts()]);
    await runner.waitFor(7n);
    await runner.stop();
    const current = (await readModels.current()).id;
    let fresh: ReadModelVersion | undefined;
    const failing: Projection<number> = {
      name: 'stream-counts',
      ids: (event) => [event.stream],
      evolve: (doc = 0, event) => {
        if (event.position === 5n) throw new Error('boom');
        return doc + 1;
      },
    };

    await expect(
      rebuild({
        store: events,
        readModels: {
          ...readModels,
          createVersion: async () => (fresh = await readModels.createVersion()),
        },
        projections: [failing],
        pageSize: 2,
      }),
    ).rejects.toThrow(
      'Projection stream-counts failed on PartnerBankRegistered at position 5: boom',
    );

    expect((await readModels.current()).id).toBe(current);
    expect(await counts()).toEqual([3, 2, 1, 1]);
    expect(await fresh!.checkpoint('stream-counts')).toBe(0n);
    expect(await fresh!.get('stream-counts', 'bank-a')).toBeUndefined();
  });
});
