/**
 * The projection runner: follows the global log from the read models' checkpoints and applies each
 * event, in order, to every projection that has not applied it yet, committing each event's document
 * changes with the checkpoints in one atomic batch.
 *
 * - Idempotent: a projection skips events at or below its checkpoint, and a batch whose checkpoints
 *   moved meanwhile (another runner, a swap) is refused as stale; the runner then re-reads the
 *   checkpoints of the current version and carries on from there, resubscribing if they went back.
 * - Back-pressure: the subscription is iterated with `for await`, so the next event is fetched only
 *   after the previous one is committed. A dropped subscription is resumed with back-off.
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
}

export function startProjectionRunner(options: ProjectionRunnerOptions): ProjectionRunner {
  const { store, readModels, projections, onApplied } = options;
  const logger = options.logger ?? consoleLogger;
  const parse = options.parse ?? ((recorded: RecordedEvent) => parseRecordedEvent(recorded));
  const { initialMs, maxMs } = options.backoff ?? { initialMs: 100, maxMs: 5_000 };
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
          for await (const recorded of subscription) {
            if (!(await project(recorded, previous))) {
              replay = true;
              break;
            }
            previous = recorded.position;
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
