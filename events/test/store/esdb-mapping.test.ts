/**
 * What of the EventStoreDB adapter can be checked without a server: the mappings between the port and
 * the client, and the resubscribing follow loop (driven by fake client subscriptions).
 */
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  ANY,
  AccessDeniedError,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError as EsdbStreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type { AllStreamResolvedEvent, StreamingRead } from '@eventstore/db-client';
import { describe, expect, it, vi } from 'vitest';
import {
  BACKOFF_MAX_MS,
  backoffDelay,
  drainOnExit,
  followAll,
  fromEsdbPosition,
  fromResolvedEvent,
  openEventStoreDbEventStore,
  toEsdbExpectedRevision,
  toEventData,
  toReadPosition,
  translateAppendError,
  translateReadError,
  type AllSubscriptionHandle,
} from '../../src/store/esdb';
import { StreamNotFoundError, WrongExpectedRevisionError } from '../../src/store/port';
import type { RecordedEvent } from '../../src/store/port';

/** Beyond Number's exact range, so any detour through a float would show. */
const HUGE = 2n ** 60n + 7n;

function recorded(
  position: bigint,
  overrides: Record<string, unknown> = {},
): AllStreamResolvedEvent {
  return {
    event: {
      streamId: 'application-42',
      id: `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}`,
      isJson: true,
      revision: 3n,
      type: 'ApplicationSubmitted',
      created: new Date('2025-03-01T09:30:00Z'),
      data: { amount: '1500000.00' },
      metadata: { correlationId: 'c-1', schemaVersion: 1 },
      position: { commit: position, prepare: position },
      ...overrides,
    } as AllStreamResolvedEvent['event'],
  };
}

describe('positions', () => {
  it('takes the commit position, exactly', () => {
    expect(fromEsdbPosition({ commit: HUGE, prepare: HUGE })).toBe(HUGE);
    expect(fromEsdbPosition({ commit: 3418n, prepare: 3418n })).toBe(3418n);
  });

  it('keeps the log order', () => {
    const log = [2554n, 2650n, 3418n, 3512n, HUGE].map((p) => ({ commit: p, prepare: p }));
    const mapped = log.map((position) => fromEsdbPosition(position)!);
    expect([...mapped].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(mapped);
  });

  it('has no position where the server gave none', () => {
    expect(fromEsdbPosition(undefined)).toBeUndefined();
    // -1 as an unsigned 64-bit number: what older servers send for stream reads
    expect(fromEsdbPosition({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n })).toBeUndefined();
    expect(fromEsdbPosition({ commit: 0n, prepare: 0n })).toBeUndefined();
  });

  it('maps a position back to {commit: p, prepare: p}, and 0n to the start', () => {
    expect(toReadPosition(0n)).toBe(START);
    expect(toReadPosition(HUGE)).toEqual({ commit: HUGE, prepare: HUGE });
    const back = toReadPosition(HUGE);
    expect(back !== START && back !== 'end' && fromEsdbPosition(back)).toBe(HUGE);
  });

  it('refuses what cannot be a log position', () => {
    expect(() => toReadPosition(-1n)).toThrow(RangeError);
    expect(() => toReadPosition(2n ** 63n)).toThrow(RangeError);
  });
});

describe('expected revisions', () => {
  it.each([
    ['no-stream', NO_STREAM],
    ['stream-exists', STREAM_EXISTS],
    ['any', ANY],
    [7n, 7n],
    [HUGE, HUGE],
  ] as const)('%s becomes %s', (expected, esdb) => {
    expect(toEsdbExpectedRevision(expected)).toBe(esdb);
  });
});

describe('error translation', () => {
  const wrongVersion = (current: bigint | typeof NO_STREAM) =>
    new WrongExpectedVersionError(undefined, {
      streamName: 'firm-1234567890',
      expected: 1n,
      current,
    });

  it('turns a wrong expected version into the port error with the actual revision', () => {
    const error = translateAppendError(wrongVersion(4n), 'firm-1234567890', 1n);
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ stream: 'firm-1234567890', expected: 1n, actual: 4n });
  });

  it("reports a missing stream as 'no-stream' and keeps the port's expectation", () => {
    const error = translateAppendError(wrongVersion(NO_STREAM), 'firm-1', 'stream-exists');
    expect(error).toMatchObject({ expected: 'stream-exists', actual: 'no-stream' });
  });

  it('turns the client stream-not-found into the port one', () => {
    const notFound = new EsdbStreamNotFoundError(undefined, 'member-1');
    expect(translateReadError(notFound, 'member-1')).toEqual(new StreamNotFoundError('member-1'));
    expect(translateAppendError(notFound, 'member-1', 'any')).toBeInstanceOf(StreamNotFoundError);
  });

  it('passes other errors through untouched', () => {
    const denied = new AccessDeniedError();
    expect(translateAppendError(denied, 'x-1', 'any')).toBe(denied);
    expect(translateReadError(denied, 'x-1')).toBe(denied);
  });
});

describe('event data', () => {
  it('uses our id as the event id, so a retried append is deduplicated', () => {
    const event = {
      id: '6f1c1c0e-4f4b-4b53-9c59-1d1f0c7e2a10',
      type: 'OfferSubmitted',
      data: { rate: '0.4500' },
      metadata: { correlationId: 'c-9' },
    };
    expect(toEventData(event)).toEqual({ ...event, contentType: 'application/json' });
  });
});

describe('recorded events', () => {
  it('maps the fields the port carries', () => {
    expect(fromResolvedEvent(recorded(HUGE))).toEqual({
      id: '00000000-0000-4000-8000-' + HUGE.toString().padStart(12, '0'),
      type: 'ApplicationSubmitted',
      data: { amount: '1500000.00' },
      metadata: { correlationId: 'c-1', schemaVersion: 1 },
      stream: 'application-42',
      revision: 3n,
      position: HUGE,
      recordedAt: new Date('2025-03-01T09:30:00Z'),
    } satisfies RecordedEvent);
  });

  it('gives null metadata when none was stored', () => {
    expect(fromResolvedEvent(recorded(10n, { metadata: undefined }))?.metadata).toBeNull();
  });

  it('skips what the port never carries', () => {
    expect(fromResolvedEvent({})).toBeUndefined(); // a link whose target is gone
    expect(fromResolvedEvent(recorded(10n, { type: '$metadata' }))).toBeUndefined();
    expect(fromResolvedEvent(recorded(10n, { type: '$>' }))).toBeUndefined();
    expect(
      fromResolvedEvent(recorded(10n, { isJson: false, data: new Uint8Array([1]) })),
    ).toBeUndefined();
    expect(fromResolvedEvent(recorded(10n, { metadata: new Uint8Array([0xff]) }))).toBeUndefined();
  });

  it('refuses an event without a log position rather than inventing one', () => {
    expect(() => fromResolvedEvent(recorded(10n, { position: undefined }))).toThrow(/22\.6/);
  });
});

describe('back-off', () => {
  it('doubles from 100 ms up to 5 s', () => {
    const ceilings = Array.from({ length: 9 }, (_, attempt) => backoffDelay(attempt, () => 1));
    expect(ceilings).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  });

  it('jitters within the upper half of the ceiling', () => {
    expect(backoffDelay(0, () => 0)).toBe(50);
    expect(backoffDelay(20, () => 0)).toBe(BACKOFF_MAX_MS / 2);
    for (let attempt = 0; attempt < 40; attempt++) {
      const delay = backoffDelay(attempt);
      expect(delay).toBeGreaterThanOrEqual(25);
      expect(delay).toBeLessThanOrEqual(BACKOFF_MAX_MS);
    }
  });
});

describe('drainOnExit', () => {
  /** Like the client's read: the gRPC call, piped into the stream the caller iterates. */
  function fakeRead(received: number) {
    const call = new PassThrough({ objectMode: true });
    const read = Object.assign(new PassThrough({ objectMode: true }), {
      cancel: vi.fn(async () => undefined),
    });
    call.pipe(read);
    // The whole answer arrived (the call is complete) but is far from consumed.
    for (let i = 0; i < received; i++) call.write(i);
    call.end();
    return { call, read: read as unknown as StreamingRead<number> & typeof read };
  }

  it('lets a call that the consumer left early finish, so dispose() does not wait forever', async () => {
    const { call, read } = fakeRead(500);
    for await (const item of drainOnExit(read)) {
      if (item === 1) break;
    }
    expect(read.cancel).toHaveBeenCalled();
    await finished(call);
  });

  it('delivers everything to a consumer that reads to the end', async () => {
    const { read } = fakeRead(100);
    const items: number[] = [];
    for await (const item of drainOnExit(read)) items.push(item);
    expect(items).toHaveLength(100);
    expect(read.cancel).not.toHaveBeenCalled();
  });
});

type FakeSubscription = AllSubscriptionHandle & PassThrough;

/**
 * A stand-in for the client's subscription: a stream of resolved events. Like the client, a drop is
 * an 'error' event emitted after what was already received.
 */
function fakeSubscription(): FakeSubscription {
  return Object.assign(new PassThrough({ objectMode: true }), {
    unsubscribe: vi.fn(async () => undefined),
  });
}

/** open() for followAll, playing one script per (re)subscription. */
function scripted(...scripts: ((subscription: FakeSubscription) => void)[]) {
  const opened: FakeSubscription[] = [];
  const open = vi.fn((_after: bigint) => {
    const subscription = fakeSubscription();
    opened.push(subscription);
    const script = scripts.shift();
    // After open() returns, as the client's own events are: the follow loop is listening by then.
    if (script) setImmediate(() => script(subscription));
    return subscription;
  });
  return { open, opened };
}

async function take(iterator: AsyncIterator<RecordedEvent>, count: number): Promise<bigint[]> {
  const positions: bigint[] = [];
  while (positions.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    positions.push(next.value.position);
  }
  return positions;
}

const noWait = (_attempt: number) => 0;

describe('followAll', () => {
  it('resubscribes after a drop from the last delivered position, losing and repeating nothing', async () => {
    const drop = new Error('14 UNAVAILABLE: Connection dropped');
    const { open, opened } = scripted(
      (s) => {
        s.write(recorded(10n));
        s.write(recorded(20n));
        s.emit('error', drop);
      },
      (s) => {
        s.write(recorded(20n)); // a server that resumes inclusively
        s.write(recorded(30n));
      },
    );
    const onDrop = vi.fn();
    const subscription = followAll(open, { backoff: noWait, onDrop });
    const events = subscription[Symbol.asyncIterator]();

    expect(await take(events, 3)).toEqual([10n, 20n, 30n]);
    expect(open.mock.calls.map(([after]) => after)).toEqual([0n, 20n]);
    expect(onDrop).toHaveBeenCalledExactlyOnceWith(drop, 0);
    expect(opened[0]!.unsubscribe).toHaveBeenCalled();
    expect(opened[0]!.destroyed).toBe(true);
    await subscription.close();
  });

  it('also resubscribes when the server ends the subscription', async () => {
    const { open } = scripted(
      (s) => {
        s.write(recorded(10n));
        s.end();
      },
      (s) => s.write(recorded(11n)),
    );
    const onDrop = vi.fn();
    const subscription = followAll(open, { backoff: noWait, onDrop });

    expect(await take(subscription[Symbol.asyncIterator](), 2)).toEqual([10n, 11n]);
    expect(onDrop).toHaveBeenCalledExactlyOnceWith(undefined, 0);
    await subscription.close();
  });

  it('starts strictly after fromPosition and skips what the port never carries', async () => {
    const { open } = scripted((s) => {
      s.write(recorded(15n));
      s.write(recorded(16n, { type: '$statsCollected' }));
      s.write(recorded(17n));
    });
    const subscription = followAll(open, { fromPosition: 15n, backoff: noWait });

    expect(await take(subscription[Symbol.asyncIterator](), 1)).toEqual([17n]);
    expect(open).toHaveBeenCalledWith(15n);
    await subscription.close();
  });

  it('backs off longer on each failed attempt and resets once events flow', async () => {
    const fail = (s: FakeSubscription) => s.emit('error', new Error('unavailable'));
    const { open } = scripted(fail, fail, (s) => {
      s.write(recorded(5n));
      s.emit('error', new Error('reset'));
    });
    const backoff = vi.fn(noWait);
    const subscription = followAll(open, { backoff, onDrop: () => undefined });
    const events = subscription[Symbol.asyncIterator]();

    expect(await take(events, 1)).toEqual([5n]);
    const pending = events.next();
    await vi.waitFor(() => expect(open).toHaveBeenCalledTimes(4));
    expect(backoff.mock.calls.map(([attempt]) => attempt)).toEqual([0, 1, 0]);
    await subscription.close();
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it('close() ends an iteration waiting for events', async () => {
    const { open, opened } = scripted();
    const subscription = followAll(open, { backoff: noWait });
    const pending = subscription[Symbol.asyncIterator]().next();
    await vi.waitFor(() => expect(open).toHaveBeenCalled());

    await subscription.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(opened[0]!.unsubscribe).toHaveBeenCalled();
  });

  it('close() ends an iteration waiting out a back-off', async () => {
    const { open } = scripted((s) => s.emit('error', new Error('unavailable')));
    const onDrop = vi.fn();
    const subscription = followAll(open, { backoff: () => 60_000, onDrop });
    const pending = subscription[Symbol.asyncIterator]().next();
    await vi.waitFor(() => expect(onDrop).toHaveBeenCalled());

    await subscription.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('stops the client subscription when the consumer breaks out', async () => {
    const { open, opened } = scripted((s) => s.write(recorded(1n)));
    for await (const event of followAll(open, { backoff: noWait })) {
      expect(event.position).toBe(1n);
      break;
    }
    expect(opened[0]!.unsubscribe).toHaveBeenCalled();
    expect(opened[0]!.destroyed).toBe(true);
  });

  it('gives up on missing rights to read $all instead of retrying forever', async () => {
    const denied = new AccessDeniedError();
    const { open } = scripted((s) => s.emit('error', denied));
    const subscription = followAll(open, { backoff: noWait });

    await expect(subscription[Symbol.asyncIterator]().next()).rejects.toBe(denied);
    expect(open).toHaveBeenCalledTimes(1);
  });
});

describe('the adapter without a reachable server', () => {
  it('keeps retrying a subscription, and close() ends it', async () => {
    const onSubscriptionDrop = vi.fn();
    const store = openEventStoreDbEventStore({
      connectionString: 'esdb://127.0.0.1:1?tls=false',
      onSubscriptionDrop,
    });
    expect(store.kind).toBe('eventstoredb');
    const subscription = store.subscribeToAll({ fromPosition: 42n });
    const pending = subscription[Symbol.asyncIterator]().next();

    await vi.waitFor(() => expect(onSubscriptionDrop).toHaveBeenCalledTimes(2), {
      timeout: 5_000,
    });
    await store.close();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
