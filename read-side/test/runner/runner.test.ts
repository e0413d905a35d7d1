import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventStore, SubscribeOptions } from '@kefalet/events';
import {
  startProjectionRunner,
  type DocChange,
  type Projection,
  type ProjectionRunner,
  type ProjectionRunnerOptions,
} from '../../src/runner';
import type { Batch, ReadModelStore, ReadModelVersion } from '../../src/store/port';
import { FakeEventStore } from './fake-event-store';
import {
  applicationOrder,
  bankRegistered,
  fanOut,
  recordingLogger,
  shares,
  storeKinds,
  streamCounts,
  type RecordingLogger,
} from './fixtures';

describe.each(storeKinds)('projection runner on the $name store', (kind) => {
  let events: FakeEventStore;
  let readModels: ReadModelStore;
  let logger: RecordingLogger;
  const runners: ProjectionRunner[] = [];

  beforeEach(async () => {
    events = new FakeEventStore();
    readModels = await kind.open();
    logger = recordingLogger();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await readModels.close();
  });
  afterAll(() => kind.cleanup());

  const start = (options: Partial<ProjectionRunnerOptions> = {}) => {
    const runner = startProjectionRunner({
      store: events,
      readModels,
      projections: [streamCounts(), applicationOrder],
      logger,
      backoff: { initialMs: 5, maxMs: 20 },
      ...options,
    });
    runners.push(runner);
    return runner;
  };
  /** Appends one event to each stream named, in turn; returns the last position. */
  const append = async (...streams: string[]) => {
    let position = 0n;
    for (const stream of streams) {
      ({ position } = await events.append(stream, [bankRegistered()], { expectedRevision: 'any' }));
    }
    return position;
  };
  const counts = (...streams: string[]) =>
    readModels
      .getMany<{ count: number }>('stream-counts', streams)
      .then((docs) => docs.map((doc) => doc?.count));
  const order = () => readModels.get<string[]>('order', 'all');
  const positions = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, at) => String(from + at));

  it('applies the log in order, then follows it live, reporting each commit', async () => {
    await append('bank-a', 'bank-a', 'bank-b', 'bank-a');
    const applied: [string, readonly DocChange[]][] = [];
    const runner = start({
      onApplied: (event, changes) => applied.push([String(event.position), changes]),
    });

    await runner.waitFor(4n);
    expect(await order()).toEqual(positions(1, 4));
    expect(await readModels.get('stream-counts', 'bank-a')).toEqual({
      count: 3,
      positions: ['1', '2', '4'],
    });
    expect(await readModels.range('stream-counts:by-count')).toEqual([
      { member: 'bank-b', score: 1 },
      { member: 'bank-a', score: 3 },
    ]);
    expect(applied.map(([position]) => position)).toEqual(positions(1, 4));
    expect(applied[2]![1]).toEqual([
      { projection: 'stream-counts', id: 'bank-b', doc: { count: 1, positions: ['3'] } },
      { projection: 'order', id: 'all', doc: positions(1, 3) },
    ]);

    await runner.waitFor(await append('bank-b'));
    expect(await counts('bank-a', 'bank-b')).toEqual([3, 2]);
    expect(applied.map(([position]) => position)).toEqual(positions(1, 5));
    expect(runner.status()).toMatchObject({ position: 5n, running: true });
  });

  it('changes nothing when the same event is delivered twice', async () => {
    await append('bank-a', 'bank-b', 'bank-a');
    const runner = start({ store: deliveringTwice(events) });

    await runner.waitFor(3n);
    await runner.waitFor(await append('bank-a'));

    expect(await counts('bank-a', 'bank-b')).toEqual([3, 1]);
    expect(await order()).toEqual(positions(1, 4));
  });

  it('changes nothing when restarted on a log replayed from an older position', async () => {
    await append('bank-a', 'bank-b', 'bank-a');
    const first = start();
    await first.waitFor(3n);
    await first.stop();

    const second = start({ store: replayingFromStart(events) });
    await second.waitFor(await append('bank-b'));

    expect(await counts('bank-a', 'bank-b')).toEqual([2, 2]);
    expect(await order()).toEqual(positions(1, 4));
  });

  it('applies each event once when two runners follow the same log into the same store', async () => {
    const twin = start();
    const runner = start();
    const streams = Array.from({ length: 20 }, (_, at) => `bank-${at % 3}`);

    const last = await append(...streams);
    await Promise.all([twin.waitFor(last), runner.waitFor(last)]);

    expect(await counts('bank-0', 'bank-1', 'bank-2')).toEqual([7, 7, 6]);
    expect(await order()).toEqual(positions(1, 20));
  });

  it('resumes after a restart from its checkpoint', async () => {
    await append('bank-a', 'bank-b', 'bank-a');
    const first = start();
    await first.waitFor(3n);
    await first.stop();
    expect(first.status()).toMatchObject({ running: false, error: undefined });
    await append('bank-b', 'bank-c');

    const subscribe = vi.spyOn(events, 'subscribeToAll');
    await start().waitFor(5n);

    expect(subscribe).toHaveBeenCalledWith({ fromPosition: 3n });
    expect(await counts('bank-a', 'bank-b', 'bank-c')).toEqual([2, 2, 1]);
    expect(await order()).toEqual(positions(1, 5));
    expect(await readModels.checkpoint('stream-counts')).toBe(5n);
  });

  it('starts a projection added later from the start of the log, skipping nothing for the others', async () => {
    await append('bank-a', 'bank-b');
    const first = start({ projections: [applicationOrder] });
    await first.waitFor(2n);
    await first.stop();

    const subscribe = vi.spyOn(events, 'subscribeToAll');
    await start().waitFor(await append('bank-a'));

    expect(subscribe).toHaveBeenCalledWith({ fromPosition: 0n });
    expect(await counts('bank-a', 'bank-b')).toEqual([2, 1]);
    expect(await order()).toEqual(positions(1, 3));
  });

  it("commits each event's changes together with the checkpoints, retrying a failed commit", async () => {
    const batches: Batch[] = [];
    let failures = 1;
    const flaky = interceptBatches(readModels, (batch) => {
      batches.push(batch);
      if (batch.checkpoints[0]!.to === 2n && failures-- > 0) throw new Error('store unreachable');
    });
    await append('bank-a', 'bank-a', 'bank-b');

    // one event per batch (an idle runner's case), so the failed commit is the second event's
    await start({ readModels: flaky, projections: [streamCounts()], maxBatch: 1 }).waitFor(3n);

    expect(batches.map((batch) => batch.checkpoints)).toEqual(
      [1n, 2n, 2n, 3n].map((to) => [{ projection: 'stream-counts', from: to - 1n, to }]),
    );
    expect(batches[3]!.ops).toEqual([
      {
        type: 'put',
        collection: 'stream-counts',
        id: 'bank-b',
        doc: { count: 1, positions: ['3'] },
      },
      { type: 'index', index: 'stream-counts:by-count', member: 'bank-b', score: 1 },
    ]);
    expect(await counts('bank-a', 'bank-b')).toEqual([2, 1]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: expect.stringMatching(/unreachable/) }),
    );
  });

  it('commits a backlog in batches, reporting each event after the commit, in order', async () => {
    const batches: Batch[] = [];
    const recording = interceptBatches(readModels, (batch) => void batches.push(batch));
    await append(...Array.from({ length: 10 }, (_, at) => `bank-${at % 3}`));
    const applied: string[] = [];
    const runner = start({
      readModels: recording,
      maxBatch: 4,
      onApplied: (event) => applied.push(String(event.position)),
    });

    await runner.waitFor(10n);
    // the backlog was there at the start: full batches, each moving every checkpoint at once
    expect(batches.map((batch) => batch.checkpoints.map((move) => [move.from, move.to]))).toEqual([
      [
        [0n, 4n],
        [0n, 4n],
      ],
      [
        [4n, 8n],
        [4n, 8n],
      ],
      [
        [8n, 10n],
        [8n, 10n],
      ],
    ]);
    expect(applied).toEqual(positions(1, 10));
    expect(await order()).toEqual(positions(1, 10));
    expect(await counts('bank-0', 'bank-1', 'bank-2')).toEqual([4, 3, 3]);

    // live, one event at a time: each alone, as soon as it comes
    await runner.waitFor(await append('bank-0'));
    expect(batches.at(-1)!.checkpoints[0]).toMatchObject({ from: 10n, to: 11n });
  });

  it("stops on a projection's error, naming the event's position and type", async () => {
    const failing: Projection<number> = {
      name: 'failing',
      ids: (event) => [event.stream],
      evolve: (doc = 0, event) => {
        if (event.position === 3n) throw new Error('boom');
        return doc + 1;
      },
    };
    await append('bank-a', 'bank-b', 'bank-a', 'bank-b');
    const runner = start({ projections: [streamCounts(), failing] });

    await runner.done;

    const message = 'Projection failing failed on PartnerBankRegistered at position 3: boom';
    expect(runner.status()).toMatchObject({ running: false, error: message, position: 2n });
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'error', message }));
    // The event's batch is all or nothing: the other projection did not apply it either.
    expect(await readModels.checkpoint('stream-counts')).toBe(2n);
    expect(await counts('bank-a', 'bank-b')).toEqual([1, 1]);
    await expect(runner.waitFor(4n)).rejects.toThrow(message);
  });

  it('stops on an event it cannot parse', async () => {
    await append('bank-a');
    await events.append('bank-b', [{ ...bankRegistered(), data: { bankCode: 'x' } }], {
      expectedRevision: 'any',
    });
    const runner = start();

    await runner.done;

    expect(runner.status().error).toMatch(/^Cannot read PartnerBankRegistered at position 2: /);
    expect(runner.status().position).toBe(1n);
  });

  it('stops on a document that is not JSON', async () => {
    const bigints: Projection<unknown> = {
      name: 'bigints',
      ids: () => ['x'],
      evolve: (_, event) => ({ position: event.position }),
    };
    await append('bank-a');
    const runner = start({ projections: [bigints] });

    await runner.done;

    expect(runner.status().error).toMatch(/bigints failed on PartnerBankRegistered at position 1/);
  });

  it('reports its lag behind the end of the log', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: Projection = {
      name: 'slow',
      ids: async () => {
        await gate;
        return [];
      },
      evolve: (doc) => doc,
    };
    await append('bank-a', 'bank-a', 'bank-a', 'bank-b', 'bank-b');
    const runner = start({ projections: [slow], lagPollMs: 5 });

    await vi.waitFor(() => expect(runner.status().lastLogPosition).toBe(5n));
    expect(runner.status()).toMatchObject({ position: 0n, lagEvents: 5n, running: true });

    release();
    await runner.waitFor(5n);
    expect(runner.status()).toMatchObject({ position: 5n, lastLogPosition: 5n, lagEvents: 0n });

    await append('bank-c');
    await vi.waitFor(() => expect(runner.status().position).toBe(6n));
    expect(runner.status()).toMatchObject({ lastLogPosition: 6n, lagEvents: 0n });
  });

  it('resubscribes with back-off when the subscription drops', async () => {
    await append('bank-a', 'bank-b');
    const runner = start();
    await runner.waitFor(2n);

    events.dropSubscriptions();
    await runner.waitFor(await append('bank-a', 'bank-c'));

    expect(await counts('bank-a', 'bank-b', 'bank-c')).toEqual([2, 1, 1]);
    expect(await order()).toEqual(positions(1, 4));
    expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/connection lost/) }),
    ]);
    expect(logger.lines.filter((line) => line.level === 'info').map((line) => line.fields)).toEqual(
      [
        expect.objectContaining({ fromPosition: '0' }),
        expect.objectContaining({ fromPosition: '2' }),
      ],
    );
    expect(events.openSubscriptions()).toBe(1);
  });

  it('lets a projection fan out through its own documents', async () => {
    const runner = start({ projections: [fanOut] });

    await runner.waitFor(await append('bank-a', 'bank-b', 'bank-a', 'bank-c'));

    expect(await readModels.getMany('fan-out', ['registry', 'bank-a', 'bank-b', 'bank-c'])).toEqual(
      [{ streams: ['bank-a', 'bank-b', 'bank-c'] }, { hits: 4 }, { hits: 3 }, { hits: 1 }],
    );
  });

  it('evolves documents in the order given, each seeing the siblings evolved before it', async () => {
    const runner = start({ projections: [shares] });

    await runner.waitFor(await append('bank-a', 'bank-b', 'bank-a'));

    expect(await readModels.getMany('shares', ['summary', 'bank-a', 'bank-b'])).toEqual([
      { total: 3 },
      { mine: 2, of: 3 },
      { mine: 1, of: 2 },
    ]);
  });

  it('closes its subscription when stopped', async () => {
    const runner = start();
    await vi.waitFor(() => expect(events.openSubscriptions()).toBe(1));

    await runner.stop();

    expect(events.openSubscriptions()).toBe(0);
    expect(runner.status()).toMatchObject({ running: false, error: undefined });
  });
});

/** The store's log, with every event of a subscription delivered twice. */
function deliveringTwice(events: FakeEventStore): EventStore {
  return withSubscribe(events, (options) => {
    const subscription = events.subscribeToAll(options);
    return {
      close: () => subscription.close(),
      async *[Symbol.asyncIterator]() {
        for await (const event of subscription) {
          yield event;
          yield event;
        }
      },
    };
  });
}

/** The store's log, with subscriptions that ignore their start and replay everything. */
function replayingFromStart(events: FakeEventStore): EventStore {
  return withSubscribe(events, () => events.subscribeToAll({}));
}

function withSubscribe(
  events: FakeEventStore,
  subscribeToAll: (options?: SubscribeOptions) => ReturnType<EventStore['subscribeToAll']>,
): EventStore {
  return {
    kind: events.kind,
    append: (...args) => events.append(...args),
    readStream: (...args) => events.readStream(...args),
    readAll: (...args) => events.readAll(...args),
    lastPosition: () => events.lastPosition(),
    close: () => events.close(),
    subscribeToAll,
  };
}

/** The store, with `inspect` seeing (and maybe failing) every batch before it is applied. */
function interceptBatches(store: ReadModelStore, inspect: (batch: Batch) => void): ReadModelStore {
  const wrap = (version: ReadModelVersion): ReadModelVersion => ({
    ...version,
    applyBatch: async (batch) => {
      inspect(batch);
      return version.applyBatch(batch);
    },
  });
  return {
    ...store,
    current: async () => wrap(await store.current()),
    createVersion: async () => wrap(await store.createVersion()),
  };
}
