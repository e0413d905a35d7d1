import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import type { LiveClient } from '../../src/live/client';
import type { LivePush } from '../../src/live/push';
import { clientPool, FakeRooms, REDIS_URL, startLive, type LiveServer } from './fixtures';

const ROOM = 'board:bench';
const UPDATES = 1_000;

const pool = clientPool();
const servers: LiveServer[] = [];
afterAll(async () => {
  pool.closeAll();
  await Promise.all(servers.map((server) => server.close()));
});

/** Publishes one update at a time, each after the previous one arrived; returns the times in ms. */
async function roundTrips(publisher: LivePush, client: LiveClient): Promise<number[]> {
  const times: number[] = [];
  let arrived: (() => void) | undefined;
  client.on('board:update', () => arrived?.());
  for (let version = 2; version < UPDATES + 2; version++) {
    const received = new Promise<void>((resolve) => (arrived = resolve));
    const start = performance.now();
    publisher.publish([
      { room: ROOM, audience: 'firm', event: 'board:update', payload: version, version },
    ]);
    await received;
    times.push(performance.now() - start);
  }
  return times;
}

function report(label: string, times: number[]): void {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  console.log(
    `live push ${label}: ${times.length} updates,`,
    `median ${at(0.5).toFixed(3)} ms, p99 ${at(0.99).toFixed(3)} ms`,
  );
}

// Figures only: the machines are shared and noisy, so nothing is asserted on them.
describe('publish -> receive latency', () => {
  it('one instance', async () => {
    const server = await startLive();
    servers.push(server);
    server.rooms.put(ROOM, 1, { firm: 1 });
    const client = await pool.connect(server.url, 'exporter');
    await client.subscribe(ROOM);

    const times = await roundTrips(server.live, client);

    report('in process', times);
    expect(client.view(ROOM)?.version).toBe(UPDATES + 1);
  });

  it('across two instances through Redis', async () => {
    const rooms = new FakeRooms();
    const redisKey = `kefalet-test-${randomUUID()}`;
    const a = await startLive({ rooms, redisUrl: REDIS_URL, redisKey });
    const b = await startLive({ rooms, redisUrl: REDIS_URL, redisKey });
    servers.push(a, b);
    rooms.put(ROOM, 1, { firm: 1 });
    const client = await pool.connect(b.url, 'exporter');
    await client.subscribe(ROOM);

    const times = await roundTrips(a.live, client);

    report('via Redis (A -> B)', times);
    expect(client.view(ROOM)?.version).toBe(UPDATES + 1);
  });
});
