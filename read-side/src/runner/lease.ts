import type { Logger } from '../runner';
import type { ProjectionRunner, RunnerStatus } from './follower';

/**
 * The right to project, held by at most one instance at a time (READ_SIDE_PROJECTIONS=auto): it
 * expires unless renewed, so another instance takes over when its holder dies.
 */
export interface ProjectionLease {
  /** True when this instance holds the lease now (it was free, or already this instance's). */
  acquire(): Promise<boolean>;
  /** True when this instance still holds it; extends it. */
  renew(): Promise<boolean>;
  /** Gives it up, if this instance holds it. */
  release(): Promise<void>;
  /** How long a lease lasts without renewal, in ms. */
  readonly ttlMs: number;
}

export interface LeasedRunnerOptions {
  readonly lease: ProjectionLease;
  /** Starts the projection runner (while this instance holds the lease). */
  project(): ProjectionRunner;
  /** Starts a follower of the checkpoints (while another instance projects). */
  follow(): ProjectionRunner;
  readonly logger: Logger;
  /** How often the lease is renewed or sought. Defaults to a third of its ttl. */
  readonly checkMs?: number;
}

/**
 * Projects while this instance holds the lease, follows the stored checkpoints otherwise, and
 * switches as the lease comes and goes. A holder that cannot renew stops projecting at once; the
 * lease outlives a missed renewal, so two instances project together only when one stalls longer
 * than the ttl (then the checkpoints keep each event applied once; only push order may suffer).
 */
export function startLeasedRunner(options: LeasedRunnerOptions): ProjectionRunner {
  const { lease, logger } = options;
  const checkMs = options.checkMs ?? Math.max(50, Math.floor(lease.ttlMs / 3));
  let current = options.follow();
  let leading = false;
  let stopped = false;
  let error: string | undefined;
  let switching = Promise.resolve();
  /** Runners stopped on purpose (a switch): their end is no failure. */
  const retired = new WeakSet<ProjectionRunner>();
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const watchRunner = (runner: ProjectionRunner) => {
    void runner.done.then(() => {
      // a runner that stopped by itself failed on an event: give the lease up, report, stop
      if (stopped || retired.has(runner)) return;
      error = runner.status().error ?? 'The projection runner stopped';
      void stop();
    });
  };

  function become(lead: boolean): Promise<void> {
    switching = switching.then(async () => {
      if (stopped || lead === leading) return;
      const previous = current;
      retired.add(previous);
      await previous.stop();
      if (stopped) return;
      leading = lead;
      current = lead ? options.project() : options.follow();
      if (lead) watchRunner(current);
      logger.info(
        { projecting: lead },
        lead ? 'Projection lease taken: projecting' : 'Projection lease lost: following',
      );
    });
    return switching;
  }

  async function check(): Promise<void> {
    try {
      const held = leading ? await lease.renew() : await lease.acquire();
      await become(held);
    } catch (cause) {
      // cannot tell: a holder stops projecting (another may take over once the lease expires)
      logger.warn({ err: cause }, 'Projection lease unreachable');
      await become(false);
    }
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  const loop = async () => {
    await check();
    if (!stopped) timer = setTimeout(() => void loop(), checkMs);
  };
  void loop();

  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    await switching;
    await current.stop();
    if (leading) await lease.release().catch(() => {});
    resolveDone();
  }

  return {
    status(): RunnerStatus {
      const status = current.status();
      return error === undefined
        ? { ...status, running: !stopped && status.running }
        : { ...status, running: false, error };
    },
    async waitFor(position) {
      // a switch stops the runner a waiter waits on: wait on its successor
      for (;;) {
        const runner = current;
        try {
          return await runner.waitFor(position);
        } catch (cause) {
          await switching;
          if (stopped || runner === current) throw cause;
        }
      }
    },
    stop,
    done,
  };
}
