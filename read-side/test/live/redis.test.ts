import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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

describe('live push across instances (Redis)', () => {
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

  it('delivers every update in one order on both instances, whichever instance published it', async () => {
    const room = 'board:app-order';
    rooms.put(room, 1, { firm: 'v1' });
    const onA = await pool.connect(a.url, 'exporter');
    const onB = await pool.connect(b.url, 'exporter');
    const seen = { a: [] as number[], b: [] as number[] };
    onA.on('board:update', (update) => seen.a.push(update.version));
    onB.on('board:update', (update) => seen.b.push(update.version));
    await onA.subscribe(room);
    await onB.subscribe(room);
    expect(a.live.wants(room, 'firm')).toBe(true);

    // two projecting instances taking turns: each hands its own update to Redis like any other
    for (let version = 2; version <= 21; version++) {
      const from = version % 2 === 0 ? a : b;
      from.live.publish(rooms.advance(room, version, { firm: `v${version}` }));
    }
    const all = Array.from({ length: 20 }, (_, at) => at + 2);
    await vi.waitFor(() => expect([...seen.a].sort((x, y) => x - y)).toEqual(all));
    await vi.waitFor(() => expect(seen.b).toHaveLength(20));
    expect(seen.b).toEqual(seen.a);
  });

  it('knows which rooms a socket on any instance follows, from before its snapshot is read', async () => {
    const room = 'board:app-interest';
    rooms.put(room, 1, { firm: 'v1', 'bank:0062': 'bank v1' });
    const pairs: [string, string][] = [
      [room, 'firm'],
      [room, 'bank:0062'],
      ['board:nobody', 'firm'],
    ];
    expect(await a.live.following(pairs)).toEqual(new Set());
    const onB = await pool.connect(b.url, 'exporter');
    // the snapshot that counts is read after the join, once the room is registered: from then
    // on, A builds its payloads
    let reads = 0;
    const seenDuringRead: string[] = [];
    rooms.afterRead = () => {
      if (++reads < 2) return;
      rooms.afterRead = undefined;
      void a.live.following(pairs).then((found) => seenDuringRead.push(...found));
    };
    await onB.subscribe(room);
    await vi.waitFor(() => expect(seenDuringRead).toEqual([`${room}#firm`]));
    expect(await a.live.following(pairs)).toEqual(new Set([`${room}#firm`]));
    expect(a.live.distributed).toBe(true);

    await onB.unsubscribe(room);
    await vi.waitFor(async () => expect(await a.live.following(pairs)).toEqual(new Set()));
  });

  it('publishes one commit as one message on its updates channel', async () => {
    const monitor = await createClient({ url: REDIS_URL }).connect();
    const messages: string[] = [];
    try {
      await monitor.subscribe(`${redisKey}#updates`, (message) => messages.push(message));
      const room = 'board:app-frame';
      a.live.publish(
        rooms.advance(room, 2, { firm: { offers: ['ç', 'ğ'] }, 'bank:0062': 'bank view' }),
      );
      await vi.waitFor(() => expect(messages).toHaveLength(1));
      const [header] = messages[0]!.split('\n');
      expect(JSON.parse(header!)).toEqual([
        [room, 'firm', 'board:update', 2, JSON.stringify({ offers: ['ç', 'ğ'] }).length],
        [room, 'bank:0062', 'board:update', 2, JSON.stringify('bank view').length],
      ]);
    } finally {
      await monitor.close();
    }
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
