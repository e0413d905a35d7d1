/**
 * The EventStoreDB adapter of the event store port (scaled-out mode, `EVENTSTORE_URL=esdb://...`).
 *
 * Global positions. $all positions are {commit, prepare}. Every write this adapter makes is an implicit
 * transaction (gRPC appends; explicit transactions existed only in the legacy TCP API): since server
 * v20 each event of such a write is its own committed prepare record, read back from $all with
 * commit = prepare = the record's own log offset. Commit positions are therefore unique per event and
 * increase in $all order, so `position = commit` is exact and order-preserving, and a position maps
 * back to {commit: p, prepare: p}. Log offsets are signed 64-bit on the server: they stay bigint here,
 * never Number.
 *
 * Needs a server of 22.6 or later (stream reads carry positions from then on) and a user allowed to
 * read $all (admins are, by default).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ANY,
  AccessDeniedError,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError as EsdbStreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
} from '@eventstore/db-client';
import type {
  AllStreamResolvedEvent,
  AppendExpectedRevision,
  CurrentRevision,
  EventData,
  JSONType,
  Position,
  ReadPosition,
  RecordedEvent as EsdbRecordedEvent,
  StreamingRead,
} from '@eventstore/db-client';
import { StreamNotFoundError, WrongExpectedRevisionError } from './port';
import type {
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from './port';

/** The server keeps log offsets as a signed 64-bit long; -1 ("none") arrives as 2^64 - 1. */
const MAX_LOG_POSITION = 2n ** 63n - 1n;

/** The port's position of an ESDB $all position, or undefined when the server gave none. */
export function fromEsdbPosition(position: Position | undefined): bigint | undefined {
  if (position === undefined) return undefined;
  // Offset 0 holds the log's first (system) record, so no event of ours sits there.
  return position.commit > 0n && position.commit <= MAX_LOG_POSITION ? position.commit : undefined;
}

/** Where to start an $all read or subscription for the port's `fromPosition` (0n: the start). */
export function toReadPosition(position: bigint): ReadPosition {
  if (position < 0n || position > MAX_LOG_POSITION) {
    throw new RangeError(`Not an EventStoreDB log position: ${position}`);
  }
  return position === 0n ? START : { commit: position, prepare: position };
}

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no-stream':
      return NO_STREAM;
    case 'stream-exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return expected;
  }
}

function fromCurrentRevision(current: CurrentRevision): bigint | 'no-stream' {
  return current === NO_STREAM || current < 0n ? 'no-stream' : current;
}

/** The port's error for a failed append, or the error itself when the port has no word for it. */
export function translateAppendError(
  error: unknown,
  stream: string,
  expected: ExpectedRevision,
): unknown {
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(
      stream,
      expected,
      fromCurrentRevision(error.actualVersion),
    );
  }
  return translateReadError(error, stream);
}

export function translateReadError(error: unknown, stream: string): unknown {
  return error instanceof EsdbStreamNotFoundError ? new StreamNotFoundError(stream) : error;
}

/** The envelope as ESDB event data: our id becomes the event id, which the server deduplicates on. */
export function toEventData(event: NewEvent): EventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data as JSONType,
    metadata: event.metadata,
  });
}

/**
 * The port's event of one read from ESDB, or undefined for what the port never carries: system events
 * (type `$...`, the same rule as the server's excludeSystemEvents filter), link events whose target
 * was not resolved, and events whose data or metadata is not JSON.
 */
export function fromResolvedEvent(resolved: {
  event?: EsdbRecordedEvent;
}): RecordedEvent | undefined {
  const { event } = resolved;
  if (event === undefined || event.type.startsWith('$') || !event.isJson) return undefined;
  if (event.metadata instanceof Uint8Array) return undefined;
  const position = fromEsdbPosition(event.position);
  if (position === undefined) {
    throw new Error(
      `EventStoreDB gave no log position for ${event.streamId}@${event.revision} ` +
        '(stream reads carry it from server 22.6 on)',
    );
  }
  return {
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata ?? null,
    stream: event.streamId,
    revision: event.revision,
    position,
    recordedAt: event.created,
  };
}

const BACKOFF_INITIAL_MS = 100;
export const BACKOFF_MAX_MS = 5_000;

/**
 * Delay before resubscription attempt `attempt` (0-based): 100 ms doubling up to 5 s, drawn from the
 * upper half of that ceiling so that instances dropped together do not reconnect in lockstep.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** What the follow loop needs of the client's $all subscription (tests pass a fake). */
export type AllSubscriptionHandle = AsyncIterable<AllStreamResolvedEvent> & {
  unsubscribe(): Promise<void>;
  destroy(): void;
};

/** Called when a subscription dropped (error undefined: the server ended it) before resubscribing. */
export type DropListener = (error: unknown, retryInMs: number) => void;

const warnOnDrop: DropListener = (error, retryInMs) => {
  const reason = error instanceof Error ? error.message : 'ended by the server';
  console.warn(
    `EventStoreDB $all subscription dropped (${reason}); resubscribing in ${retryInMs} ms`,
  );
};

/**
 * Iterates a client read. When the consumer stops early the call is cancelled and what it already
 * received is drained, not destroyed: destroying the read would strand the call's buffered tail, and
 * the client's dispose() waits for every call to finish.
 */
export async function* drainOnExit<E>(read: StreamingRead<E>): AsyncGenerator<E> {
  try {
    yield* read.iterator({ destroyOnReturn: false });
  } finally {
    if (!read.destroyed && !read.readableEnded) {
      read.resume();
      // Ignored: it only fails when the call never started, and then there is nothing to cancel.
      read.cancel().catch(() => undefined);
    }
  }
}

/**
 * A catch-up subscription on $all that survives drops: after an error (or an unexpected end) it
 * resubscribes after the last delivered position with back-off. Resuming from that position cannot
 * lose events, and skipping everything at or before it cannot repeat one, whether the server treats
 * the start position as inclusive or not.
 */
export function followAll(
  open: (after: bigint) => AllSubscriptionHandle,
  options: { fromPosition?: bigint; backoff?: (attempt: number) => number; onDrop?: DropListener },
): Subscription {
  const { backoff = backoffDelay, onDrop = warnOnDrop } = options;
  const closing = new AbortController();
  let current: AllSubscriptionHandle | undefined;
  // Destroyed, unlike a read, so that close() ends a pending iteration at once even while the call is
  // still connecting; a live call is then cancelled (ignored failure: it may never have started).
  const stop = (subscription: AllSubscriptionHandle) => {
    subscription.destroy();
    subscription.unsubscribe().catch(() => undefined);
  };

  async function* follow(): AsyncGenerator<RecordedEvent> {
    let last = options.fromPosition ?? 0n;
    let attempt = 0;
    while (!closing.signal.aborted) {
      // Opened and iterated in the same tick, so an early 'error' always finds the iterator listening.
      const subscription = open(last);
      current = subscription;
      let failure: unknown;
      try {
        for await (const resolved of subscription) {
          // The server answers again: the next drop starts the back-off afresh.
          attempt = 0;
          const event = fromResolvedEvent(resolved);
          if (event === undefined || event.position <= last) continue;
          if (closing.signal.aborted) return;
          last = event.position;
          yield event;
        }
      } catch (error) {
        failure = error;
      } finally {
        current = undefined;
        stop(subscription);
      }
      if (closing.signal.aborted) return;
      // Missing rights to read $all will not heal by waiting.
      if (failure instanceof AccessDeniedError) throw failure;
      const delay = backoff(attempt++);
      onDrop(failure, delay);
      try {
        await sleep(delay, undefined, { signal: closing.signal });
      } catch {
        return;
      }
    }
  }

  const iterator = follow();
  return {
    [Symbol.asyncIterator]: () => iterator,
    async close() {
      closing.abort();
      if (current !== undefined) stop(current);
    },
  };
}

export function openEventStoreDbEventStore(options: {
  connectionString: string;
  /** Defaults to a console warning. */
  onSubscriptionDrop?: DropListener;
}): EventStore {
  const client = EventStoreDBClient.connectionString(options.connectionString);
  const subscriptions = new Set<Subscription>();

  async function* readStream(
    stream: string,
    readOptions: ReadStreamOptions = {},
  ): AsyncGenerator<RecordedEvent> {
    const read = client.readStream(stream, {
      fromRevision: readOptions.fromRevision ?? START,
      direction: FORWARDS,
      resolveLinkTos: false,
    });
    try {
      for await (const resolved of drainOnExit(read)) {
        const event = fromResolvedEvent(resolved);
        if (event !== undefined) yield event;
      }
    } catch (error) {
      throw translateReadError(error, stream);
    }
  }

  /** Position of one written event, for the rare append reply that carries none (idempotent replay). */
  async function positionOf(stream: string, revision: bigint): Promise<bigint> {
    for await (const event of readStream(stream, { fromRevision: revision })) {
      if (event.revision === revision) return event.position;
      break;
    }
    throw new Error(`EventStoreDB gave no log position for ${stream}@${revision}`);
  }

  return {
    kind: 'eventstoredb',

    async append(stream, events, { expectedRevision }) {
      if (events.length === 0) throw new TypeError(`Nothing to append to ${stream}`);
      // The server would store both; its deduplication by id only covers a retried append.
      if (new Set(events.map((event) => event.id)).size !== events.length) {
        throw new TypeError(`Duplicate event ids in one append to ${stream}`);
      }
      let result;
      try {
        result = await client.appendToStream(stream, events.map(toEventData), {
          expectedRevision: toEsdbExpectedRevision(expectedRevision),
        });
      } catch (error) {
        throw translateAppendError(error, stream, expectedRevision);
      }
      // The reply's position is the last written event's (its record closes the implicit transaction).
      const position =
        fromEsdbPosition(result.position) ??
        (await positionOf(stream, result.nextExpectedRevision));
      return { nextExpectedRevision: result.nextExpectedRevision, position };
    },

    readStream,

    async *readAll(readOptions: ReadAllOptions = {}) {
      const { fromPosition = 0n, maxCount = Infinity } = readOptions;
      if (maxCount !== Infinity && !(Number.isSafeInteger(maxCount) && maxCount >= 0)) {
        throw new RangeError(`maxCount must be a whole number >= 0, got ${maxCount}`);
      }
      if (maxCount === 0) return;
      // Counted here, not by the server: the system events it would count are dropped below.
      const read = client.readAll({
        fromPosition: toReadPosition(fromPosition),
        direction: FORWARDS,
        resolveLinkTos: false,
      });
      let delivered = 0;
      for await (const resolved of drainOnExit(read)) {
        const event = fromResolvedEvent(resolved);
        // A forward read includes the event at its start position; the port's is exclusive.
        if (event === undefined || event.position <= fromPosition) continue;
        yield event;
        if (++delivered === maxCount) return;
      }
    },

    subscribeToAll(subscribeOptions: SubscribeOptions = {}) {
      const subscription = followAll(
        (after) =>
          client.subscribeToAll({
            fromPosition: toReadPosition(after),
            resolveLinkTos: false,
            filter: excludeSystemEvents(),
          }),
        { fromPosition: subscribeOptions.fromPosition, onDrop: options.onSubscriptionDrop },
      );
      subscriptions.add(subscription);
      return {
        [Symbol.asyncIterator]: () => subscription[Symbol.asyncIterator](),
        async close() {
          subscriptions.delete(subscription);
          await subscription.close();
        },
      };
    },

    async lastPosition() {
      // System events may trail the log: walk back to the newest event the port would deliver.
      const read = client.readAll({
        fromPosition: END,
        direction: BACKWARDS,
        resolveLinkTos: false,
      });
      for await (const resolved of drainOnExit(read)) {
        const event = fromResolvedEvent(resolved);
        if (event !== undefined) return event.position;
      }
      return 0n;
    },

    async close() {
      // Closed first: a subscription dropped by the disposal would otherwise try to resubscribe.
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      subscriptions.clear();
      await client.dispose();
    },
  };
}
