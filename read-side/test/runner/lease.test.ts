import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  startCheckpointFollower,
  startProjectionRunner,
  type ProjectionRunner,
} from '../../src/runner';
import { startLeasedRunner, type ProjectionLease } from '../../src/runner/lease';
import { createMemoryReadModelStore } from '../../src/store/memory';
import type { ReadModelStore } from '../../src/store/port';
import { openRedisLease } from '../../src/store/redis-lease';
import { REDIS_URL } from '../store/redis-fixture';
import { FakeEventStore } from './fake-event-store';
import { applicationOrder, bankRegistered, recordingLogger, streamCounts } from './fixtures';

/** Leases on one shared key, in memory: what Redis gives the instances. */
function leases(ttlMs = 60_000) {
  let holder: string | undefined;
  let reachable = true;
  const open = (name: string): ProjectionLease => ({
    ttlMs,
    async acquire() {
      if (!reachable) throw new Error('unreachable');
      holder ??= name;
      return holder === name;
    },
    async renew() {
      if (!reachable) throw new Error('unreachable');
      return holder === name;
    },
    async release() {
      if (holder === name) holder = undefined;
    },
  });
  return {
    open,
    holder: () => holder,
    steal: (name: string) => (holder = name),
    cut: () => (reachable = false),
  };
}

describe('READ_SIDE_PROJECTIONS=auto: one instance projects, by lease', () => {
  let events: FakeEventStore;
  let readModels: ReadModelStore;
  const runners: ProjectionRunner[] = [];
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  });

  function instance(lease: ProjectionLease, applied: string[]) {
    const projections = [streamCounts(), applicationOrder];
    const runner = startLeasedRunner({
      lease,
      logger: recordingLogger(),
      checkMs: 10,
      project: () =>
        startProjectionRunner({
          store: events,
          readModels,
          projections,
          logger: recordingLogger(),
          onApplied: (event) => applied.push(String(event.position)),
        }),
      follow: () => startCheckpointFollower({ store: events, readModels, projections, pollMs: 10 }),
    });
    runners.push(runner);
    return runner;
  }

  const append = async () =>
    (await events.append('bank-a', [bankRegistered()], { expectedRevision: 'any' })).position;

  it('lets the holder project and the other follow, and hands over when the holder stops', async () => {
    events = new FakeEventStore();
    readModels = createMemoryReadModelStore();
    const shared = leases();
    const appliedByA: string[] = [];
    const appliedByB: string[] = [];
    const a = instance(shared.open('a'), appliedByA);
    await vi.waitFor(() => expect(shared.holder()).toBe('a'));
    const b = instance(shared.open('b'), appliedByB);

    const first = await append();
    await Promise.all([a.waitFor(first), b.waitFor(first)]);
    expect(appliedByA).toEqual(['1']);
    expect(appliedByB).toEqual([]);
    expect(b.status()).toMatchObject({ position: 1n, running: true });

    // the holder goes: the lease is released, the other takes it and goes on from the checkpoint
    await a.stop();
    expect(shared.holder()).toBeUndefined();
    await vi.waitFor(() => expect(shared.holder()).toBe('b'));
    const second = await append();
    await b.waitFor(second);
    expect(appliedByB).toEqual(['2']);
    expect(await readModels.get('order', 'all')).toEqual(['1', '2']);
  });

  it('stops projecting as soon as the lease is lost or cannot be renewed', async () => {
    events = new FakeEventStore();
    readModels = createMemoryReadModelStore();
    const shared = leases();
    const applied: string[] = [];
    const a = instance(shared.open('a'), applied);
    await vi.waitFor(() => expect(shared.holder()).toBe('a'));
    await a.waitFor(await append());

    // another instance took it over (this one stalled past the ttl): this one follows
    shared.steal('z');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const waiting = a.waitFor(2n);
    await append();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(applied).toEqual(['1']);

    // the checkpoints move (by the new holder, played here by a plain runner): the waiter resolves
    const other = startProjectionRunner({
      store: events,
      readModels,
      projections: [streamCounts(), applicationOrder],
      logger: recordingLogger(),
    });
    runners.push(other);
    await waiting;

    shared.cut();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(a.status().running).toBe(true);
  });
});

describe.skipIf(!(await redisUp()))('the Redis lease', () => {
  it('is held by one instance at a time, renewed by it only, and free once released', async () => {
    const key = `kefalet-test-${randomUUID()}:projector`;
    const a = await openRedisLease({ url: REDIS_URL, key, ttlMs: 5_000 });
    const b = await openRedisLease({ url: REDIS_URL, key, ttlMs: 5_000 });
    try {
      expect(await a.acquire()).toBe(true);
      expect(await b.acquire()).toBe(false);
      expect(await a.acquire()).toBe(true);
      expect(await a.renew()).toBe(true);
      expect(await b.renew()).toBe(false);
      await b.release();
      expect(await b.acquire()).toBe(false);
      await a.release();
      expect(await b.acquire()).toBe(true);
      expect(await a.renew()).toBe(false);
      await b.release();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('expires unless renewed', async () => {
    const key = `kefalet-test-${randomUUID()}:projector`;
    const a = await openRedisLease({ url: REDIS_URL, key, ttlMs: 100 });
    const b = await openRedisLease({ url: REDIS_URL, key, ttlMs: 100 });
    try {
      expect(await a.acquire()).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await b.acquire()).toBe(true);
      expect(await a.renew()).toBe(false);
      await b.release();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

async function redisUp(): Promise<boolean> {
  try {
    const lease = await openRedisLease({
      url: REDIS_URL,
      key: `kefalet-test-${randomUUID()}`,
      onError: () => {},
    });
    await lease.close();
    return true;
  } catch {
    return false;
  }
}
