import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectLive } from '../../src/live/client';
import type { LiveUpdate } from '@kefalet/events';
import {
  clientPool,
  cookieOf,
  FakeRooms,
  nextUpdate,
  startLive,
  type LiveServer,
} from './fixtures';

const ROOM = 'board:app-1';

let server: LiveServer;
const pool = clientPool();

beforeAll(async () => {
  server = await startLive();
});
afterEach(() => pool.closeAll());
afterAll(() => server.close());

/** A raw socket, to send what the typed client would not. */
function rawSocket(url: string, extraHeaders: Record<string, string>): Socket {
  return io(`${url}/live`, { transports: ['websocket'], forceNew: true, extraHeaders });
}

/** 'connected', or the reason the server refused. */
function connects(socket: Socket): Promise<string> {
  return new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error) => resolve(error.message));
  }).finally(() => socket.disconnect());
}

describe('handshake and subscribe validation', () => {
  it('refuses a connection without a valid session cookie', async () => {
    await expect(connectLive(server.url, undefined)).rejects.toThrow('unauthorised');
    await expect(connectLive(server.url, 'kefalet_session=nobody')).rejects.toThrow('unauthorised');
    expect(server.live.connectedClients()).toBe(0);
  });

  it('serves only the /live namespace', async () => {
    const socket = io(server.url, { transports: ['websocket'], forceNew: true });
    expect(await connects(socket)).toBe('not found');
  });

  it('acks BAD_REQUEST for a malformed subscribe', async () => {
    const client = await pool.connect(server.url, 'exporter');
    const raw = client.socket as unknown as Socket;
    for (const request of [42, null, {}, { room: 5 }, { room: '' }, { room: 'x'.repeat(201) }]) {
      const ack = await raw.emitWithAck('subscribe', request);
      expect(ack, JSON.stringify(request)).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    }
    // 200 characters are a valid name: this one is merely not a room the user may follow.
    expect(await client.subscribe('x'.repeat(200))).toMatchObject({
      error: { code: 'FORBIDDEN' },
    });
  });

  it('acks FORBIDDEN for a room the user may not follow', async () => {
    server.rooms.put(ROOM, 1, { firm: 'f', 'bank:0062': 'b' });
    const analyst = await pool.connect(server.url, 'analyst');
    expect(await analyst.subscribe(ROOM)).toEqual({
      error: { code: 'FORBIDDEN', message: expect.any(String) },
    });
    expect(analyst.view(ROOM)).toBeUndefined();
  });

  it('acks UNAVAILABLE when the snapshot cannot be read, and logs why', async () => {
    const failing = await startLive({
      rooms: Object.assign(new FakeRooms(), {
        snapshot: () => Promise.reject(new Error('read model down')),
      }),
    });
    try {
      const client = await pool.connect(failing.url, 'exporter');
      expect(await client.subscribe(ROOM)).toMatchObject({ error: { code: 'UNAVAILABLE' } });
      expect(failing.logger.entries).toContainEqual(
        expect.objectContaining({ level: 'error', msg: 'live push: subscribe failed' }),
      );
    } finally {
      pool.closeAll();
      await failing.close();
    }
  });

  it('accepts browsers from the same origin or a listed one, and refuses other origins', async () => {
    const listed = await startLive({ corsOrigins: ['https://app.example'] });
    try {
      const cookie = cookieOf('exporter');
      expect(await connects(rawSocket(server.url, { cookie, origin: server.url }))).toBe(
        'connected',
      );
      expect(
        await connects(rawSocket(server.url, { cookie, origin: 'https://evil.example' })),
      ).not.toBe('connected');
      expect(await connects(rawSocket(listed.url, { cookie, origin: 'https://app.example' }))).toBe(
        'connected',
      );
    } finally {
      await listed.close();
    }
  });

  it('disconnects a socket when its session expires', async () => {
    const client = await pool.connect(server.url, 'expiring');
    const reason = await new Promise((resolve) => client.on('disconnect', resolve));
    expect(reason).toBe('io server disconnect');
  });
});

describe('snapshot then updates', () => {
  it('acks the snapshot with its version, then delivers the next version', async () => {
    server.rooms.put(ROOM, 3, { firm: { offers: 1 } });
    const client = await pool.connect(server.url, 'exporter');

    expect(await client.subscribe(ROOM)).toEqual({
      room: ROOM,
      snapshot: { offers: 1 },
      version: 3,
    });

    const received = nextUpdate(client, 'board:update');
    server.live.publish(server.rooms.advance(ROOM, 4, { firm: { offers: 2 } }));
    expect(await received).toEqual({ room: ROOM, version: 4, payload: { offers: 2 } });
    expect(client.view(ROOM)).toEqual({
      room: ROOM,
      version: 4,
      state: { offers: 2 },
      pending: false,
    });
  });

  it('wants an update only for an audience a socket here joined (no Redis)', async () => {
    server.rooms.put('board:wanted', 1, { firm: 'one', 'bank:0062': 'bank one' });
    expect(server.live.wants('board:wanted', 'firm')).toBe(false);
    const client = await pool.connect(server.url, 'exporter');
    await client.subscribe('board:wanted');
    expect(server.live.wants('board:wanted', 'firm')).toBe(true);
    expect(server.live.wants('board:wanted', 'bank:0062')).toBe(false);
    expect(server.live.wants('board:other', 'firm')).toBe(false);
  });

  it('does not lose an update published between the snapshot read and the join', async () => {
    server.rooms.put(ROOM, 10, { firm: 'v10' });
    // The first read returns v10; before the socket joins, v11 is stored and published.
    server.rooms.afterRead = () => {
      server.rooms.afterRead = undefined;
      server.live.publish(server.rooms.advance(ROOM, 11, { firm: 'v11' }));
    };
    const client = await pool.connect(server.url, 'exporter');

    expect(await client.subscribe(ROOM)).toMatchObject({ version: 11, snapshot: 'v11' });
  });

  it('stops delivering after unsubscribe', async () => {
    server.rooms.put(ROOM, 1, { firm: 'one' });
    server.rooms.put('board:other', 1, { firm: 'other' });
    const client = await pool.connect(server.url, 'exporter');
    await client.subscribe(ROOM);
    await client.subscribe('board:other');
    const seen: LiveUpdate[] = [];
    client.on('board:update', (update) => seen.push(update));

    await client.unsubscribe(ROOM);
    const marker = nextUpdate(client, 'board:update', (update) => update.room === 'board:other');
    server.live.publish([
      ...server.rooms.advance(ROOM, 2, { firm: 'two' }),
      ...server.rooms.advance('board:other', 2, { firm: 'other 2' }),
    ]);
    await marker;

    expect(seen.map((update) => update.room)).toEqual(['board:other']);
    expect(client.view(ROOM)).toBeUndefined();
  });
});

describe('audience isolation', () => {
  it("gives each audience only its own payload; one bank never sees another's", async () => {
    server.rooms.put(ROOM, 1, {
      firm: 'firm v1',
      'bank:0062': '0062 v1',
      'bank:0012': '0012 v1',
    });
    const firm = await pool.connect(server.url, 'exporter');
    const bankA = await pool.connect(server.url, 'bank0062');
    const bankB = await pool.connect(server.url, 'bank0012');
    const everythingBankB: unknown[] = [];
    bankB.socket.onAny((event, ...args) => everythingBankB.push([event, ...args]));

    expect(await firm.subscribe(ROOM)).toMatchObject({ snapshot: 'firm v1' });
    expect(await bankA.subscribe(ROOM)).toMatchObject({ snapshot: '0062 v1' });
    expect(await bankB.subscribe(ROOM)).toMatchObject({ snapshot: '0012 v1' });

    const got = [firm, bankA, bankB].map((client) => nextUpdate(client, 'board:update'));
    server.live.publish(
      server.rooms.advance(ROOM, 2, {
        firm: 'firm v2',
        'bank:0062': '0062 v2',
        'bank:0012': '0012 v2',
      }),
    );
    expect((await Promise.all(got)).map((update) => update.payload)).toEqual([
      'firm v2',
      '0062 v2',
      '0012 v2',
    ]);

    // Bank 0062 alone gets v3; a later update to 0012 arrives after anything that leaked to it.
    server.live.publish(server.rooms.advance(ROOM, 3, { 'bank:0062': '0062 v3' }));
    const last = nextUpdate(bankB, 'board:update', (update) => update.version === 4);
    server.live.publish(server.rooms.advance(ROOM, 4, { 'bank:0012': '0012 v4' }));
    await last;

    expect(everythingBankB).toEqual([
      ['board:update', { room: ROOM, version: 2, payload: '0012 v2' }],
      ['board:update', { room: ROOM, version: 4, payload: '0012 v4' }],
    ]);
  });
});

describe('recovery without message delivery', () => {
  it('re-subscribes after a reconnect and gets what was published while it was away', async () => {
    server.rooms.put(ROOM, 5, { firm: 'v5' });
    const client = await pool.connect(server.url, 'exporter', {
      socket: { reconnectionDelay: 300, reconnectionDelayMax: 300, randomizationFactor: 0 },
    });
    await client.subscribe(ROOM);
    const resyncs: string[] = [];
    client.on('resync', (room, reason) => resyncs.push(`${room} ${reason}`));

    // Drop the transport (as a network failure would); the client reconnects by itself.
    client.socket.io.engine.close();
    await vi.waitFor(() => expect(server.live.connectedClients()).toBe(0));
    server.live.publish(server.rooms.advance(ROOM, 6, { firm: 'v6' }));

    await vi.waitFor(() =>
      expect(client.view(ROOM)).toMatchObject({ version: 6, state: 'v6', pending: false }),
    );
    expect(resyncs).toEqual([`${ROOM} reconnect`]);
  });

  it('re-subscribes when a version is skipped, and takes the fresh snapshot', async () => {
    server.rooms.put(ROOM, 7, { firm: 'v7' });
    const client = await pool.connect(server.url, 'exporter');
    await client.subscribe(ROOM);
    const resyncs: string[] = [];
    client.on('resync', (room, reason) => resyncs.push(`${room} ${reason}`));
    const callsBefore = server.rooms.calls;

    // v8 never reaches the client; v9 shows the gap.
    server.rooms.advance(ROOM, 8, { firm: 'v8' });
    server.live.publish(server.rooms.advance(ROOM, 9, { firm: 'v9' }));

    await vi.waitFor(() =>
      expect(client.view(ROOM)).toMatchObject({ version: 9, state: 'v9', pending: false }),
    );
    expect(resyncs).toEqual([`${ROOM} gap`]);
    expect(server.rooms.calls).toBeGreaterThan(callsBefore);
  });
});
