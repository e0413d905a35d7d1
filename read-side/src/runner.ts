/**
 * The projection runner: follows the global log from the read models' checkpoints and applies each
 * event, in order, to every projection that has not applied it yet, committing each event's document
 * changes with the checkpoints in one atomic batch.
 *
 * - Idempotent: a projection skips events at or below its checkpoint, and a batch whose checkpoints
 *   moved meanwhile (another runner, a swap) is refused as stale; the runner then re-reads the
 *   checkpoints of the current version and carries on from there, resubscribing if they went back.
 * - Back-pressure: the subscription is iterated by the runner, so the next events are fetched only
 *   after the previous ones are committed. A dropped subscription is resumed with back-off.
 * - Batches under load: events already waiting in the subscription (a backlog: a burst, a restart)
 *   are committed together, up to `maxBatch`, as the rebuild does; each event's changes are still
 *   handed to onApplied one event at a time, in order, after the commit. The runner never waits
 *   for more events to fill a batch: an idle runner commits each event alone, as soon as it comes.
 * - Loud: an event that cannot be parsed or that a projection throws on stops the runner; the error
 *   names the event's position and type and is logged and kept in `status().error`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  parseRecordedEvent,
  type DomainEvent,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '@kefalet/events';
import {
  messageOf,
  PendingBatch,
  ProjectionError,
  type DocChange,
  type Projection,
} from './runner/projection';
import type { ProjectionRunner } from './runner/follower';
import { InvalidBatchError, type ReadModelStore, type ReadModelVersion } from './store/port';

export {
  ProjectionError,
  type DocChange,
  type IndexMembership,
  type Projection,
} from './runner/projection';
export {
  startCheckpointFollower,
  type CheckpointFollowerOptions,
  type ProjectionRunner,
  type RunnerStatus,
} from './runner/follower';
export {
  rebuild,
  type RebuildOptions,
  type RebuildProgress,
  type RebuildResult,
} from './runner/rebuild';

/** Pino's calling convention, so fastify's logger fits. */
export interface Logger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const consoleLogger: Logger = {
  info: (fields, message) => console.info(message, fields),
  warn: (fields, message) => console.warn(message, fields),
  error: (fields, message) => console.error(message, fields),
};

export interface ProjectionRunnerOptions {
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly projections: readonly Projection[];
  /** Called after each commit with the documents it changed; a throw is logged, not fatal. */
  readonly onApplied?: (event: DomainEvent, changes: readonly DocChange[]) => void;
  readonly logger?: Logger;
  /** Turns stored events into domain events; defaults to parseRecordedEvent (give it upcasters here). */
  readonly parse?: (recorded: RecordedEvent) => DomainEvent;
  /** Delay before resubscribing after a drop: doubles from `initialMs` up to `maxMs`. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** How often the log's end is read for the lag. Defaults to 1000 ms. */
  readonly lagPollMs?: number;
  /** At most this many waiting events are committed in one batch. Defaults to 64. */
  readonly maxBatch?: number;
}

const NOT_READY = Symbol('not ready');

/**
 * Settles with NOT_READY after some microtask turns, never giving the event loop a turn: a read the
 * subscription can answer from what it holds settles first, one that waits for I/O does not.
 */
async function microtasksLater(turns = 16): Promise<typeof NOT_READY> {
  for (let turn = 0; turn < turns; turn++) await null;
  return NOT_READY;
}

/**
 * The subscription's events in batches: the next event, and after it those the subscription holds
 * already (a backlog), up to `max`. It never waits for more: an event that arrives meanwhile (in
 * the embedded mode, appended by this very process) goes into the next batch, so batching never
 * delays a push behind events that were not there yet.
 */
async function* batchesOf(
  subscription: Subscription,
  max: number,
): AsyncGenerator<RecordedEvent[], void, undefined> {
  const iterator = subscription[Symbol.asyncIterator]();
  const next = () => {
    const result = iterator.next();
    // read later; a failure meanwhile must not count as unhandled
    result.catch(() => {});
    return result;
  };
  let pending = next();
  for (;;) {
    const first = await pending;
    if (first.done) return;
    const batch = [first.value];
    pending = next();
    while (batch.length < max) {
      const ready = await Promise.race([pending, microtasksLater()]);
      if (ready === NOT_READY || ready.done) break;
      batch.push(ready.value);
      pending = next();
    }
    yield batch;
  }
}

export function startProjectionRunner(options: ProjectionRunnerOptions): ProjectionRunner {
  const { store, readModels, projections, onApplied } = options;
  const logger = options.logger ?? consoleLogger;
  const parse = options.parse ?? ((recorded: RecordedEvent) => parseRecordedEvent(recorded));
  const { initialMs, maxMs } = options.backoff ?? { initialMs: 100, maxMs: 5_000 };
  const maxBatch = Math.max(1, options.maxBatch ?? 64);
  assertUniqueNames(projections);

  const stopping = new AbortController();
  const checkpoints = new Map<string, bigint>();
  let version: ReadModelVersion | undefined;
  let subscription: Subscription | undefined;
  let position = 0n;
  let lastLogPosition: bigint | undefined;
  let running = true;
  let error: string | undefined;
  const waiters = new Set<{ position: bigint; resolve: () => void; reject: (e: Error) => void }>();

  function settleWaiters(): void {
    for (const waiter of waiters) {
      if (position >= waiter.position) waiter.resolve();
      else if (!running) waiter.reject(new Error(error ?? 'The projection runner stopped'));
      else continue;
      waiters.delete(waiter);
    }
  }

  function seeLogEnd(end: bigint): void {
    if (lastLogPosition === undefined || end > lastLogPosition) lastLogPosition = end;
  }

  async function refreshLogEnd(): Promise<void> {
    // Only the lag depends on it; a store fault shows up in the subscription anyway.
    seeLogEnd(await store.lastPosition().catch(() => 0n));
  }

  /** Reads the current version and its checkpoints. */
  async function sync(): Promise<ReadModelVersion> {
    const current = await readModels.current();
    const positions = await Promise.all(projections.map((p) => current.checkpoint(p.name)));
    projections.forEach((p, at) => checkpoints.set(p.name, positions[at]!));
    version = current;
    position = positions.reduce((min, p) => (p < min ? p : min), positions[0] ?? 0n);
    settleWaiters();
    return current;
  }

  /** Applies one event where due; false when the checkpoints went back and the log must be replayed. */
  async function project(recorded: RecordedEvent, previous: bigint): Promise<boolean> {
    seeLogEnd(recorded.position);
    let event: DomainEvent | undefined;
    for (;;) {
      const due = projections.filter((p) => checkpoints.get(p.name)! < recorded.position);
      if (due.length === 0) break;
      if (due.some((p) => checkpoints.get(p.name)! < previous)) return false;
      try {
        event ??= parse(recorded);
      } catch (cause) {
        throw new ProjectionError(recorded, undefined, cause);
      }
      const target = version!;
      const pending = new PendingBatch(target, due);
      const changes = await pending.apply(event);
      const batch = {
        checkpoints: due.map((p) => ({
          projection: p.name,
          from: checkpoints.get(p.name)!,
          to: recorded.position,
        })),
        ops: pending.ops(),
      };
      const outcome = await target.applyBatch(batch).catch((cause: unknown) => {
        const names = due.map((p) => p.name).join(', ');
        throw cause instanceof InvalidBatchError
          ? new ProjectionError(recorded, names, cause)
          : cause;
      });
      if (outcome === 'applied') {
        for (const p of due) checkpoints.set(p.name, recorded.position);
        notify(event, changes);
        break;
      }
      // Another runner applied it, or a rebuild swapped the version: look again.
      await sync();
    }
    position = [...checkpoints.values()].reduce((min, p) => (p < min ? p : min), recorded.position);
    settleWaiters();
    return true;
  }

  /**
   * Applies consecutive events in one batch when every projection stands right before them (the
   * steady state); otherwise, or when the batch turns out stale, one by one. False as `project`.
   */
  async function projectAll(batch: readonly RecordedEvent[], previous: bigint): Promise<boolean> {
    const last = batch.at(-1)!;
    const aligned =
      projections.every((p) => checkpoints.get(p.name) === previous) &&
      batch.every((recorded, at) => recorded.position > (batch[at - 1]?.position ?? previous));
    if (batch.length > 1 && aligned) {
      seeLogEnd(last.position);
      const target = version!;
      const pending = new PendingBatch(target, projections);
      const applied: [DomainEvent, DocChange[]][] = [];
      try {
        for (const recorded of batch) {
          const event = parse(recorded);
          applied.push([event, await pending.apply(event)]);
        }
      } catch {
        // nothing is written yet: one by one, the events before a failing one are committed and
        // the failure names its event
        applied.length = 0;
      }
      const outcome =
        applied.length === 0
          ? 'one by one'
          : await target
              .applyBatch({
                checkpoints: projections.map((p) => ({
                  projection: p.name,
                  from: previous,
                  to: last.position,
                })),
                ops: pending.ops(),
              })
              .catch((cause: unknown) => {
                // which event made the batch invalid is found by applying them one by one
                if (cause instanceof InvalidBatchError) return 'one by one' as const;
                throw cause;
              });
      if (outcome === 'applied') {
        for (const p of projections) checkpoints.set(p.name, last.position);
        for (const [event, changes] of applied) notify(event, changes);
        position = last.position;
        settleWaiters();
        return true;
      }
      // another runner got there first, or a rebuild swapped the version: look again
      if (outcome === 'stale') await sync();
    }
    let before = previous;
    for (const recorded of batch) {
      if (!(await project(recorded, before))) return false;
      before = recorded.position;
    }
    return true;
  }

  function notify(event: DomainEvent, changes: readonly DocChange[]): void {
    try {
      onApplied?.(event, changes);
    } catch (cause) {
      logger.error({ err: cause, position: String(event.position) }, 'onApplied failed');
    }
  }

  async function follow(): Promise<void> {
    let delay = initialMs;
    const poll = setInterval(() => void refreshLogEnd(), options.lagPollMs ?? 1_000);
    poll.unref();
    try {
      while (!stopping.signal.aborted) {
        try {
          const current = await sync();
          const from = position;
          await refreshLogEnd();
          logger.info(
            { fromPosition: String(from), version: current.id },
            'Projection runner following the log',
          );
          subscription = store.subscribeToAll({ fromPosition: from });
          let previous = from;
          let replay = false;
          for await (const batch of batchesOf(subscription, maxBatch)) {
            if (!(await projectAll(batch, previous))) {
              replay = true;
              break;
            }
            previous = batch.at(-1)!.position;
            delay = initialMs;
            if (stopping.signal.aborted) break;
          }
          if (replay || stopping.signal.aborted) continue;
          throw new Error('The subscription ended');
        } catch (cause) {
          if (cause instanceof ProjectionError || stopping.signal.aborted) throw cause;
          logger.warn(
            { err: cause, retryInMs: delay },
            `Projection runner lost the log (${messageOf(cause)}); resubscribing`,
          );
          await sleep(delay, undefined, { signal: stopping.signal }).catch(() => {});
          delay = Math.min(delay * 2, maxMs);
        } finally {
          await subscription?.close().catch(() => {});
          subscription = undefined;
        }
      }
    } catch (cause) {
      // Anything else reaching here is the stop interrupting a store call.
      if (cause instanceof ProjectionError) {
        error = cause.message;
        logger.error({ err: cause }, error);
      }
    } finally {
      clearInterval(poll);
      running = false;
      settleWaiters();
    }
  }

  const done = follow();

  return {
    status() {
      const lagEvents =
        lastLogPosition !== undefined && store.kind === 'sqlite'
          ? lastLogPosition > position
            ? lastLogPosition - position
            : 0n
          : undefined;
      return { position, lastLogPosition, lagEvents, running, error };
    },
    waitFor(target) {
      return new Promise((resolve, reject) => {
        waiters.add({ position: target, resolve, reject });
        settleWaiters();
      });
    },
    async stop() {
      stopping.abort();
      await subscription?.close().catch(() => {});
      await done;
    },
    done,
  };
}

function assertUniqueNames(projections: readonly Projection[]): void {
  const names = projections.map((p) => p.name);
  const duplicate = names.find((name, at) => names.indexOf(name) !== at);
  if (duplicate !== undefined) throw new Error(`Two projections are named ${duplicate}`);
}
