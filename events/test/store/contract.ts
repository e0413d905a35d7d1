/**
 * The behaviour every adapter of the event store port must show. Adapters run it from their own
 * test file: `describeEventStoreContract('sqlite', open)`.
 *
 * `open` must return a store over the SAME log on every call (a second connection to the same file
 * or server), which the tests use to race two writers. The log may be shared and non-empty: every
 * test uses fresh stream names and compares positions with `lastPosition()` taken at its start.
 * `cleanup` must tolerate a store the test has already closed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  StreamNotFoundError,
  WrongExpectedRevisionError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '../../src/store/port';

export type OpenEventStore = () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>;

const WAIT_MS = 5_000;

export function describeEventStoreContract(name: string, open: OpenEventStore): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ store, cleanup } = await open());
    });
    afterAll(async () => {
      await cleanup();
    });

    describe('append and read', () => {
      it('reads back what it appended, in revision order, after the previous end', async () => {
        const before = await store.lastPosition();
        const stream = uniqueStream('roundtrip');
        const events = newEvents(3);
        const startedAt = Date.now();

        const result = await store.append(stream, events, { expectedRevision: 'no-stream' });
        const read = await collect(store.readStream(stream));

        expect(read.map(({ position: _p, recordedAt: _r, ...rest }) => rest)).toEqual(
          events.map((event, index) => ({ ...event, stream, revision: BigInt(index) })),
        );
        expectAscending(read.map((event) => event.position));
        expect(read[0]!.position).toBeGreaterThan(before);
        expect(result).toEqual({ nextExpectedRevision: 2n, position: read[2]!.position });
        expect(await store.lastPosition()).toBeGreaterThanOrEqual(result.position);
        for (const event of read) {
          expect(event.recordedAt).toBeInstanceOf(Date);
          expect(event.recordedAt.getTime()).toBeGreaterThanOrEqual(startedAt - 5_000);
          expect(event.recordedAt.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
        }
      });

      it('reads a stream from a given revision', async () => {
        const stream = uniqueStream('from-revision');
        await store.append(stream, newEvents(5), { expectedRevision: 'no-stream' });

        const tail = await collect(store.readStream(stream, { fromRevision: 3n }));
        expect(tail.map((event) => event.revision)).toEqual([3n, 4n]);
        expect(await collect(store.readStream(stream, { fromRevision: 5n }))).toEqual([]);
      });

      it('throws StreamNotFoundError for a stream without events', async () => {
        await expect(collect(store.readStream(uniqueStream('missing')))).rejects.toBeInstanceOf(
          StreamNotFoundError,
        );
      });

      it('orders the global log across streams', async () => {
        const before = await store.lastPosition();
        const streams = [uniqueStream('order-a'), uniqueStream('order-b'), uniqueStream('order-c')];
        const appended: { id: string; position: bigint }[] = [];
        for (let i = 0; i < 9; i++) {
          const [event] = newEvents(1);
          const result = await store.append(streams[i % 3]!, [event!], { expectedRevision: 'any' });
          appended.push({ id: event!.id, position: result.position });
        }
        expectAscending(appended.map((event) => event.position));

        const all = await collect(store.readAll({ fromPosition: before }));
        expectAscending(all.map((event) => event.position));
        expect(all.every((event) => event.position > before)).toBe(true);
        const ours = all.filter((event) => streams.includes(event.stream));
        expect(ours.map(({ id, position }) => ({ id, position }))).toEqual(appended);
      });

      it('limits readAll with maxCount', async () => {
        const before = await store.lastPosition();
        await store.append(uniqueStream('max-count'), newEvents(5), {
          expectedRevision: 'no-stream',
        });

        const limited = await collect(store.readAll({ fromPosition: before, maxCount: 3 }));
        const firstThree = await collect(store.readAll({ fromPosition: before }), 3);
        expect(limited).toHaveLength(3);
        expect(limited.map((event) => event.id)).toEqual(firstThree.map((event) => event.id));
      });

      it('reads strictly after fromPosition', async () => {
        const stream = uniqueStream('exclusive');
        await store.append(stream, newEvents(3), { expectedRevision: 'no-stream' });
        const [, second, third] = await collect(store.readStream(stream));

        // One append is contiguous in the log, so the event right after the second is the third.
        const after = await collect(store.readAll({ fromPosition: second!.position }), 1);
        expect(after.map((event) => event.id)).toEqual([third!.id]);
      });
    });

    describe('expected revision', () => {
      it("'no-stream' creates a new stream", async () => {
        const result = await store.append(uniqueStream('ns'), newEvents(1), {
          expectedRevision: 'no-stream',
        });
        expect(result.nextExpectedRevision).toBe(0n);
      });

      it("'no-stream' on an existing stream fails with the actual revision", async () => {
        const stream = await existingStream(store, 2);
        await expectWrongRevision(
          store.append(stream, newEvents(1), { expectedRevision: 'no-stream' }),
          stream,
          1n,
        );
      });

      it("'stream-exists' on a missing stream fails with 'no-stream'", async () => {
        const stream = uniqueStream('se-missing');
        await expectWrongRevision(
          store.append(stream, newEvents(1), { expectedRevision: 'stream-exists' }),
          stream,
          'no-stream',
        );
      });

      it("'stream-exists' appends to an existing stream", async () => {
        const stream = await existingStream(store, 2);
        const result = await store.append(stream, newEvents(2), {
          expectedRevision: 'stream-exists',
        });
        expect(result.nextExpectedRevision).toBe(3n);
      });

      it("'any' appends whether the stream exists or not", async () => {
        const stream = uniqueStream('any');
        const first = await store.append(stream, newEvents(1), { expectedRevision: 'any' });
        const second = await store.append(stream, newEvents(1), { expectedRevision: 'any' });
        expect([first.nextExpectedRevision, second.nextExpectedRevision]).toEqual([0n, 1n]);
      });

      it('an exact revision equal to the last event appends', async () => {
        const stream = await existingStream(store, 3);
        const result = await store.append(stream, newEvents(2), { expectedRevision: 2n });
        expect(result.nextExpectedRevision).toBe(4n);
      });

      it('a wrong exact revision fails with the actual revision and writes nothing', async () => {
        const stream = await existingStream(store, 3);
        await expectWrongRevision(
          store.append(stream, newEvents(1), { expectedRevision: 1n }),
          stream,
          2n,
        );
        await expectWrongRevision(
          store.append(stream, newEvents(1), { expectedRevision: 3n }),
          stream,
          2n,
        );
        expect(await collect(store.readStream(stream))).toHaveLength(3);
      });

      it("an exact revision on a missing stream fails with 'no-stream'", async () => {
        const stream = uniqueStream('exact-missing');
        await expectWrongRevision(
          store.append(stream, newEvents(1), { expectedRevision: 0n }),
          stream,
          'no-stream',
        );
      });

      it('lets one of two concurrent writers with the same expected revision win', async () => {
        const second = await open();
        try {
          for (const [a, b] of [
            [store, store],
            [store, second.store],
          ] as const) {
            const stream = await existingStream(store, 1);
            const outcomes = await Promise.allSettled([
              a.append(stream, newEvents(1), { expectedRevision: 0n }),
              b.append(stream, newEvents(1), { expectedRevision: 0n }),
            ]);
            const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
            const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
            expect(won).toHaveLength(1);
            expect(lost).toHaveLength(1);
            expect(lost[0]!.reason).toBeInstanceOf(WrongExpectedRevisionError);
            expect(lost[0]!.reason).toMatchObject({ stream, actual: 1n });
            expect(await collect(store.readStream(stream))).toHaveLength(2);
          }
        } finally {
          await second.cleanup();
        }
      });
    });

    describe('idempotent retry', () => {
      it('returns the first result and writes nothing when an append is retried', async () => {
        const stream = uniqueStream('retry');
        const events = newEvents(2);
        const first = await store.append(stream, events, { expectedRevision: 'no-stream' });
        const retried = await store.append(stream, events, { expectedRevision: 'no-stream' });

        expect(retried).toEqual(first);
        expect((await collect(store.readStream(stream))).map((event) => event.id)).toEqual(
          events.map((event) => event.id),
        );
      });

      it('recognises a retry at an exact revision after the stream moved on', async () => {
        const stream = await existingStream(store, 1);
        const events = newEvents(2);
        const first = await store.append(stream, events, { expectedRevision: 0n });
        await store.append(stream, newEvents(1), { expectedRevision: 2n });

        const retried = await store.append(stream, events, { expectedRevision: 0n });
        expect(retried).toEqual(first);
        expect(await collect(store.readStream(stream))).toHaveLength(4);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up with past events, then delivers new ones live', async () => {
        const before = await store.lastPosition();
        const stream = uniqueStream('catch-up');
        await store.append(stream, newEvents(3), { expectedRevision: 'no-stream' });

        const subscription = store.subscribeToAll({ fromPosition: before });
        const events = subscription[Symbol.asyncIterator]();
        try {
          const past = await nextOf(events, stream, 3);
          expect(past.map((event) => event.revision)).toEqual([0n, 1n, 2n]);

          const appended = await store.append(stream, newEvents(1), { expectedRevision: 2n });
          const [live] = await nextOf(events, stream, 1);
          expect(live).toMatchObject({ revision: 3n, position: appended.position });
        } finally {
          await subscription.close();
        }
      });

      it('resumes strictly after fromPosition', async () => {
        const stream = uniqueStream('resume');
        await store.append(stream, newEvents(3), { expectedRevision: 'no-stream' });
        const [, second, third] = await collect(store.readStream(stream));

        // One append is contiguous in the log, so the event right after the second is the third.
        const subscription = store.subscribeToAll({ fromPosition: second!.position });
        const events = subscription[Symbol.asyncIterator]();
        try {
          const first = await within(events.next(), WAIT_MS);
          expect(first.done).toBe(false);
          expect(first.value).toMatchObject({ id: third!.id, position: third!.position });
        } finally {
          await subscription.close();
        }
      });

      it('delivers events in position order while they are appended', async () => {
        const before = await store.lastPosition();
        const stream = uniqueStream('live-order');
        const subscription = store.subscribeToAll({ fromPosition: before });
        const events = subscription[Symbol.asyncIterator]();
        try {
          const received = nextOf(events, stream, 20);
          for (let i = 0; i < 20; i++) {
            await store.append(stream, newEvents(1), { expectedRevision: 'any' });
          }
          const delivered = await received;
          expect(delivered.map((event) => event.revision)).toEqual(
            Array.from({ length: 20 }, (_, i) => BigInt(i)),
          );
          expectAscending(delivered.map((event) => event.position));
        } finally {
          await subscription.close();
        }
      });

      it('close() ends a pending iteration promptly', async () => {
        const subscription = store.subscribeToAll({ fromPosition: await store.lastPosition() });
        const events = subscription[Symbol.asyncIterator]();
        const pending = events.next();
        await new Promise((resolve) => setTimeout(resolve, 20));

        await subscription.close();
        await expectEndsWithin(events, pending, 1_000);
      });

      it('closing the store ends its subscriptions', async () => {
        const own = await open();
        try {
          const subscription = own.store.subscribeToAll({
            fromPosition: await own.store.lastPosition(),
          });
          const events = subscription[Symbol.asyncIterator]();
          const pending = events.next();
          await new Promise((resolve) => setTimeout(resolve, 20));

          await own.store.close();
          await expectEndsWithin(events, pending, 1_000);
        } finally {
          await own.cleanup();
        }
      });
    });

    describe('long streams', () => {
      const LENGTH = 5_000;
      let stream: string;
      let before: bigint;

      beforeAll(async () => {
        before = await store.lastPosition();
        stream = uniqueStream('long');
        for (let revision = -1n; revision < BigInt(LENGTH) - 1n; revision += 500n) {
          await store.append(stream, newEvents(500), {
            expectedRevision: revision < 0n ? 'no-stream' : revision,
          });
        }
      }, 20_000);

      it('streams the whole stream in revision order without collecting it', async () => {
        let expected = 0n;
        for await (const event of store.readStream(stream)) {
          expect(event.revision).toBe(expected);
          expected += 1n;
        }
        expect(expected).toBe(BigInt(LENGTH));
      });

      it('stops early on break and stays usable', async () => {
        let count = 0;
        for await (const event of store.readStream(stream)) {
          expect(event.revision).toBe(BigInt(count));
          if (++count === 10) break;
        }
        count = 0;
        for await (const _event of store.readAll({ fromPosition: before })) {
          if (++count === 10) break;
        }
        expect(count).toBe(10);
        await store.append(stream, newEvents(1), { expectedRevision: BigInt(LENGTH) - 1n });
        const tail = await collect(store.readStream(stream, { fromRevision: BigInt(LENGTH) - 1n }));
        expect(tail.map((event) => event.revision)).toEqual([BigInt(LENGTH) - 1n, BigInt(LENGTH)]);
      });

      it('streams the global log in position order', async () => {
        let ours = 0;
        let previous = before;
        for await (const event of store.readAll({ fromPosition: before })) {
          expect(event.position).toBeGreaterThan(previous);
          previous = event.position;
          if (event.stream === stream) ours += 1;
        }
        expect(ours).toBeGreaterThanOrEqual(LENGTH);
      });

      it('catches a subscription up through many pages', async () => {
        const subscription = store.subscribeToAll({ fromPosition: before });
        const events = subscription[Symbol.asyncIterator]();
        try {
          const caughtUp = await nextOf(events, stream, LENGTH);
          expect(caughtUp.at(-1)!.revision).toBe(BigInt(LENGTH) - 1n);
          expectAscending(caughtUp.map((event) => event.position));
        } finally {
          await subscription.close();
        }
      });
    });
  });
}

export function uniqueStream(category: string): string {
  return `${category}-${randomUUID()}`;
}

export function newEvents(count: number, type = 'ContractTested'): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    type,
    data: { index, text: 'ü, ş, ğ, İ', nested: { list: [1, 2, 3] } },
    metadata: { correlationId: randomUUID(), schemaVersion: 1 },
  }));
}

/** Collects an iterable, stopping (and closing it) after `limit` items. */
export async function collect<T>(iterable: AsyncIterable<T>, limit = Infinity): Promise<T[]> {
  const items: T[] = [];
  if (limit <= 0) return items;
  for await (const item of iterable) {
    items.push(item);
    if (items.length >= limit) break;
  }
  return items;
}

/** Pulls from a subscription until `count` events of `stream` came; other streams are skipped. */
export async function nextOf(
  events: AsyncIterator<RecordedEvent>,
  stream: string,
  count: number,
): Promise<RecordedEvent[]> {
  const ours: RecordedEvent[] = [];
  while (ours.length < count) {
    const next = await within(events.next(), WAIT_MS);
    if (next.done) throw new Error(`Subscription ended after ${ours.length} of ${count} events`);
    if (next.value.stream === stream) ours.push(next.value);
  }
  return ours;
}

export async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Nothing within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function existingStream(store: EventStore, length: number): Promise<string> {
  const stream = uniqueStream('existing');
  await store.append(stream, newEvents(length), { expectedRevision: 'no-stream' });
  return stream;
}

async function expectWrongRevision(
  append: Promise<unknown>,
  stream: string,
  actual: bigint | 'no-stream',
): Promise<void> {
  const error = await append.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  expect(error).toMatchObject({ stream, actual });
}

/** A shared log may still hand over events already in flight, but the iteration must end soon. */
async function expectEndsWithin(
  events: AsyncIterator<RecordedEvent>,
  pending: Promise<IteratorResult<RecordedEvent>>,
  ms: number,
): Promise<void> {
  const deadline = Date.now() + ms;
  let next = await within(pending, ms);
  while (!next.done) next = await within(events.next(), Math.max(1, deadline - Date.now()));
  expect(next.done).toBe(true);
}

function expectAscending(positions: readonly bigint[]): void {
  positions.slice(1).forEach((position, index) => {
    expect(position).toBeGreaterThan(positions[index]!);
  });
}
