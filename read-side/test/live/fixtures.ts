import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readCookie, SESSION_COOKIE, type SessionUser } from '@kefalet/events/session';
import { connectLive, type ConnectLiveOptions, type LiveClient } from '../../src/live/client';
import type { UpdateEvent } from '@kefalet/events';
import {
  attachLivePush,
  type LivePush,
  type LivePushOptions,
  type RoomResolver,
  type RoomUpdate,
} from '../../src/live/push';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const farFuture = Math.floor(Date.UTC(2100, 0, 1) / 1000);

function user(
  name: string,
  role: SessionUser['role'],
  extra: Partial<SessionUser> = {},
): SessionUser {
  return {
    sid: `session-of-${name}`.padEnd(16, '-'),
    userId: randomUUID(),
    role,
    fullName: name,
    email: `${name}@example.test`,
    exp: farFuture,
    ...extra,
  };
}

export const USERS = {
  exporter: user('exporter', 'exporter'),
  bank0062: user('bank0062', 'bank', { bankCode: '0062' }),
  bank0012: user('bank0012', 'bank', { bankCode: '0012' }),
  analyst: user('analyst', 'analyst'),
};
export type UserName = keyof typeof USERS | 'expiring';

export const cookieOf = (name: UserName): string => `${SESSION_COOKIE}=${name}`;

/** `kefalet_session=<name>` is that fixed user's session; 'expiring' ends a second from now. */
export async function fakeAuthenticate(
  header: string | undefined,
): Promise<SessionUser | undefined> {
  const name = readCookie(header, SESSION_COOKIE);
  if (name === 'expiring') {
    return user('expiring', 'exporter', { exp: Math.floor(Date.now() / 1000) + 1 });
  }
  return name !== undefined && Object.hasOwn(USERS, name)
    ? USERS[name as keyof typeof USERS]
    : undefined;
}

/** The exporter sees the firm's view, a bank its own; analysts follow no board. */
function audienceOf(user: SessionUser): string | undefined {
  if (user.role === 'exporter') return 'firm';
  if (user.role === 'bank') return `bank:${user.bankCode}`;
  return undefined;
}

interface Doc {
  version: number;
  views: Record<string, unknown>;
}

/** Read models in memory: one document per room, a view per audience. */
export class FakeRooms implements RoomResolver {
  readonly docs = new Map<string, Doc>();
  calls = 0;
  /** Runs after each read, before the result returns: lets a test slip an update in. */
  afterRead: (() => void) | undefined;

  put(room: string, version: number, views: Record<string, unknown>): void {
    this.docs.set(room, { version, views });
  }

  /** Stores the new version and returns the updates that announce it, one per audience. */
  advance(
    room: string,
    version: number,
    views: Record<string, unknown>,
    event: UpdateEvent = 'board:update',
  ): RoomUpdate[] {
    this.put(room, version, views);
    return Object.entries(views).map(([audience, payload]) => ({
      room,
      audience,
      event,
      payload,
      version,
    }));
  }

  async snapshot(user: SessionUser, requestedRoom: string) {
    this.calls++;
    const doc = this.docs.get(requestedRoom);
    const audience = audienceOf(user);
    const found =
      doc && audience
        ? { room: requestedRoom, audience, snapshot: doc.views[audience], version: doc.version }
        : null;
    this.afterRead?.();
    return found;
  }
}

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  obj: object;
  msg: string | undefined;
}

export function memoryLogger() {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (obj: object, msg?: string): void => {
      entries.push({ level, obj, msg });
    };
  return { entries, info: at('info'), warn: at('warn'), error: at('error') };
}

export interface LiveServer {
  url: string;
  live: LivePush;
  rooms: FakeRooms;
  logger: ReturnType<typeof memoryLogger>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1, port 0, with live push attached. */
export async function startLive(
  options: Partial<Omit<LivePushOptions, 'rooms'>> & { rooms?: FakeRooms } = {},
): Promise<LiveServer> {
  const httpServer = createServer((_request, response) => response.writeHead(404).end());
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const rooms = options.rooms ?? new FakeRooms();
  const logger = memoryLogger();
  const live = await attachLivePush({
    httpServer,
    authenticate: fakeAuthenticate,
    logger,
    ...options,
    rooms,
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    live,
    rooms,
    logger,
    async close() {
      await live.close();
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
    },
  };
}

/** Clients opened through this are closed by `closeAll`. */
export function clientPool() {
  const clients: LiveClient[] = [];
  return {
    async connect(url: string, name: UserName, options?: ConnectLiveOptions<unknown>) {
      const client = await connectLive(url, cookieOf(name), options);
      clients.push(client);
      return client;
    },
    closeAll(): void {
      for (const client of clients.splice(0)) client.close();
    },
  };
}

/** Resolves with the first `event` the client emits that satisfies `accept`. */
export function nextUpdate(
  client: LiveClient,
  event: UpdateEvent,
  accept: (update: { room: string; version: number; payload: unknown }) => boolean = () => true,
) {
  return new Promise<{ room: string; version: number; payload: unknown }>((resolve) => {
    const off = client.on(event, (update) => {
      if (!accept(update)) return;
      off();
      resolve(update);
    });
  });
}
