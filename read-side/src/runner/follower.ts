import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '@kefalet/events';
import type { ReadModelStore } from '../store/port';
import type { Projection } from './projection';

/** The runner's face, also for an instance that only reads (see startCheckpointFollower). */
export interface RunnerStatus {
  /** Every projection has applied the log up to here (in the current read-model version). */
  readonly position: bigint;
  /** The end of the log, as last seen. */
  readonly lastLogPosition?: bigint;
  /** lastLogPosition - position; a count of events where positions are contiguous (SQLite). */
  readonly lagEvents?: bigint;
  readonly running: boolean;
  readonly error?: string;
}

export interface ProjectionRunner {
  status(): RunnerStatus;
  /** Resolves once every projection has applied the log up to `position`; rejects if the runner stops. */
  waitFor(position: bigint): Promise<void>;
  stop(): Promise<void>;
  /** Settles (never rejects) when the runner has stopped, by `stop()` or by an error in `status()`. */
  readonly done: Promise<void>;
}

export interface CheckpointFollowerOptions {
  readonly store: EventStore;
  /** Shared read models (Redis) that another instance's runner keeps. */
  readonly readModels: ReadModelStore;
  readonly projections: readonly Projection[];
  /** How often the checkpoints and the log's end are read. Defaults to 100 ms. */
  readonly pollMs?: number;
}

/**
 * For a read-side that serves queries but does not project (READ_SIDE_PROJECTIONS=off): follows the
 * checkpoints another instance's runner writes into the shared read models, so its status, its lag
 * and `waitFor` (readiness: "caught up with the log") work as a runner's do. It never writes.
 */
export function startCheckpointFollower(options: CheckpointFollowerOptions): ProjectionRunner {
  const { store, readModels, projections, pollMs = 100 } = options;
  const stopping = new AbortController();
  let position = 0n;
  let lastLogPosition: bigint | undefined;
  let running = true;
  const waiters = new Set<{ position: bigint; resolve: () => void; reject: (e: Error) => void }>();

  function settleWaiters(): void {
    for (const waiter of waiters) {
      if (position >= waiter.position) waiter.resolve();
      else if (!running) waiter.reject(new Error('The checkpoint follower stopped'));
      else continue;
      waiters.delete(waiter);
    }
  }

  async function poll(): Promise<void> {
    // the reader methods read the current version: a rebuild's swap is followed too
    const positions = await Promise.all(projections.map((p) => readModels.checkpoint(p.name)));
    position = positions.reduce((min, p) => (p < min ? p : min), positions[0] ?? 0n);
    const end = await store.lastPosition();
    if (lastLogPosition === undefined || end > lastLogPosition) lastLogPosition = end;
    settleWaiters();
  }

  const done = (async () => {
    try {
      while (!stopping.signal.aborted) {
        // a store fault is retried at the next poll; the status keeps the last known positions
        await poll().catch(() => {});
        await sleep(pollMs, undefined, { signal: stopping.signal }).catch(() => {});
      }
    } finally {
      running = false;
      settleWaiters();
    }
  })();

  return {
    status() {
      const lagEvents =
        lastLogPosition !== undefined && store.kind === 'sqlite'
          ? lastLogPosition > position
            ? lastLogPosition - position
            : 0n
          : undefined;
      return { position, lastLogPosition, lagEvents, running };
    },
    waitFor(target) {
      return new Promise((resolve, reject) => {
        waiters.add({ position: target, resolve, reject });
        settleWaiters();
      });
    },
    async stop() {
      stopping.abort();
      await done;
    },
    done,
  };
}
