import {
  StreamNotFoundError,
  WrongExpectedRevisionError,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '@kefalet/events';

/**
 * An in-memory event store for the runner tests: positions from 1, a subscription catches up then
 * waits for appends, and `dropSubscriptions` makes every open subscription fail as a lost connection
 * would.
 */
export class FakeEventStore implements EventStore {
  readonly kind = 'sqlite';
  readonly events: RecordedEvent[] = [];
  private readonly subscriptions = new Set<{ fail(error: Error): void; wake(): void }>();

  async append(
    stream: string,
    events: readonly NewEvent[],
    { expectedRevision }: { readonly expectedRevision: ExpectedRevision },
  ) {
    const current = this.events.filter((e) => e.stream === stream).length;
    const revision = BigInt(current) - 1n;
    const matches =
      expectedRevision === 'any' ||
      (expectedRevision === 'no-stream' && current === 0) ||
      (expectedRevision === 'stream-exists' && current > 0) ||
      expectedRevision === revision;
    if (!matches) {
      throw new WrongExpectedRevisionError(
        stream,
        expectedRevision,
        current === 0 ? 'no-stream' : revision,
      );
    }
    events.forEach((event, at) => {
      this.events.push({
        ...event,
        stream,
        revision: BigInt(current + at),
        position: BigInt(this.events.length + 1),
        recordedAt: new Date(),
      });
    });
    for (const subscription of this.subscriptions) subscription.wake();
    return {
      nextExpectedRevision: BigInt(current + events.length - 1),
      position: BigInt(this.events.length),
    };
  }

  async *readStream(stream: string, { fromRevision = 0n }: ReadStreamOptions = {}) {
    const events = this.events.filter((e) => e.stream === stream);
    if (events.length === 0) throw new StreamNotFoundError(stream);
    yield* events.filter((e) => e.revision >= fromRevision);
  }

  async *readAll({ fromPosition = 0n, maxCount = Infinity }: ReadAllOptions = {}) {
    yield* this.events.slice(Number(fromPosition), Number(fromPosition) + maxCount);
  }

  subscribeToAll({ fromPosition = 0n }: SubscribeOptions = {}): Subscription {
    const { events, subscriptions } = this;
    let after = fromPosition;
    let closed = false;
    let failure: Error | undefined;
    let wakeUp: (() => void) | undefined;
    const handle = {
      fail(error: Error) {
        failure = error;
        wakeUp?.();
      },
      wake: () => wakeUp?.(),
    };
    subscriptions.add(handle);
    return {
      async close() {
        closed = true;
        subscriptions.delete(handle);
        wakeUp?.();
      },
      async *[Symbol.asyncIterator]() {
        while (!closed) {
          if (failure) throw failure;
          const next = events[Number(after)];
          if (next) {
            after = next.position;
            yield next;
          } else {
            await new Promise<void>((resolve) => (wakeUp = resolve));
          }
        }
      },
    };
  }

  async lastPosition() {
    return BigInt(this.events.length);
  }

  async close() {}

  /** Every open subscription fails at its next read. */
  dropSubscriptions(error = new Error('connection lost')): void {
    for (const subscription of this.subscriptions) subscription.fail(error);
    this.subscriptions.clear();
  }

  openSubscriptions(): number {
    return this.subscriptions.size;
  }
}
