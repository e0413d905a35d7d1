import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientPool,
  FakeRooms,
  nextUpdate,
  REDIS_URL,
  startLive,
  type LiveServer,
} from './fixtures';

const ROOM = 'board:app-1';

// Two instances share one read model (Redis in production) and one channel prefix per test run.
const rooms = new FakeRooms();
const redisKey = `kefalet-test-${randomUUID()}`;
const pool = clientPool();
let a: LiveServer;
let b: LiveServer;

beforeAll(async () => {
  a = await startLive({ rooms, redisUrl: REDIS_URL, redisKey });
  b = await startLive({ rooms, redisUrl: REDIS_URL, redisKey });
});
afterAll(async () => {
  pool.closeAll();
  await Promise.all([a?.close(), b?.close()]);
});

describe('live push across instances (Redis adapter)', () => {
  it('delivers an update published on instance A to clients of both instances, per audience', async () => {
    rooms.put(ROOM, 1, { firm: 'firm v1', 'bank:0062': '0062 v1' });
    const onB = await pool.connect(b.url, 'exporter');
    const bankOnB = await pool.connect(b.url, 'bank0062');
    const onA = await pool.connect(a.url, 'exporter');
    for (const client of [onB, bankOnB, onA]) await client.subscribe(ROOM);

    const received = [onB, bankOnB, onA].map((client) => nextUpdate(client, 'board:update'));
    a.live.publish(rooms.advance(ROOM, 2, { firm: 'firm v2', 'bank:0062': '0062 v2' }));

    expect((await Promise.all(received)).map((update) => update.payload)).toEqual([
      'firm v2',
      '0062 v2',
      'firm v2',
    ]);
    expect(onB.view(ROOM)).toMatchObject({ version: 2, state: 'firm v2' });
    expect(b.live.connectedClients()).toBe(2);
    expect(a.live.connectedClients()).toBe(1);
  });

  it("closing one instance leaves the other's clients connected and its Redis subscriptions gone", async () => {
    const onA = await pool.connect(a.url, 'exporter');
    const monitor = await createClient({ url: REDIS_URL }).connect();
    try {
      const subscribers = async (): Promise<number[]> => {
        const reply = (await monitor.sendCommand([
          'PUBSUB',
          'NUMSUB',
          `${redisKey}-request#/#`,
          `${redisKey}-request#/live#`,
        ])) as [string, number, string, number];
        return [reply[1], reply[3]];
      };
      expect(await subscribers()).toEqual([2, 2]);

      await b.close();

      expect(onA.socket.connected).toBe(true);
      expect(a.live.connectedClients()).toBeGreaterThan(0);
      expect(await subscribers()).toEqual([1, 1]);
    } finally {
      await monitor.close();
    }
  });
});
