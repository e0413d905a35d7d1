/**
 * Live push over Socket.IO: snapshot then updates.
 *
 * A client subscribes to a room and gets the current snapshot with its version in the
 * acknowledgement; updates carry versions, so a client that sees a gap or reconnects subscribes
 * again.
 * Socket.IO delivers at most once and the Redis adapter cannot recover connection state, so nothing
 * here tries to: correctness rests on the snapshot.
 *
 * Each room is split by audience: a socket joins `${room}#${audience}`, and an update goes to one
 * audience only, so a bank never receives another bank's view of the same application.
 *
 * Order: with Redis, every instance delivers every update from one Redis channel
 * (`${redisKey}#updates`), the publishing instance too, so all sockets everywhere see the updates
 * in the order they were published: no instance hands its own updates to its sockets ahead of
 * those it relays. One projecting instance (READ_SIDE_PROJECTIONS) publishes them in commit order.
 * An instance encodes an update for its sockets only when one of them joined the room.
 *
 * Interest: the publisher builds a payload only for a room's audience some socket follows. Without
 * Redis `wants` says so from this instance's rooms. With Redis every instance keeps the rooms its
 * sockets joined in a hash of its own (`${redisKey}#interest#<instance>`, expiring unless
 * refreshed, listed in `${redisKey}#instances`), and `following` asks Redis which of an event's
 * rooms anyone follows. It is exact, not a cache: a socket's room is registered before its snapshot
 * is read, and the question is asked after the commit, so an update the snapshot lacks always finds
 * the room registered.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import type { SessionUser } from '@kefalet/events/session';
import {
  LIVE_NAMESPACE,
  MAX_ROOM_LENGTH,
  type ServerToClientEvents,
  type SubscribeAck,
  type UpdateEvent,
} from '@kefalet/events';

export interface RoomResolver {
  /**
   * null when the user may not join `requestedRoom`; otherwise the canonical room, the user's
   * audience in it, and the current snapshot with its version.
   */
  snapshot(
    user: SessionUser,
    requestedRoom: string,
  ): Promise<{ room: string; audience: string; snapshot: unknown; version: number } | null>;
}

export interface RoomUpdate {
  room: string;
  audience: string;
  event: UpdateEvent;
  payload: unknown;
  version: number;
}

export interface LivePushOptions {
  httpServer: HttpServer;
  /** Verifies the handshake's Cookie header (session cookie); undefined = reject the connection. */
  authenticate(cookieHeader: string | undefined): Promise<SessionUser | undefined>;
  rooms: RoomResolver;
  /** When set, @socket.io/redis-adapter fans updates out across read-side instances. */
  redisUrl?: string;
  /**
   * Prefix of the Redis channels (the adapter's, and the updates' `${redisKey}#updates`); instances
   * that share updates must share it. Defaults to 'kefalet:live'.
   */
  redisKey?: string;
  logger: {
    info(obj: object, msg?: string): void;
    warn(obj: object, msg?: string): void;
    error(obj: object, msg?: string): void;
  };
  /** Allowed browser origins for CORS; default same-origin only. */
  corsOrigins?: string[];
}

export interface LivePush {
  /** Sends one commit's updates, in order (through Redis when set). */
  publish(updates: RoomUpdate[]): void;
  /**
   * Whether an update of the room for the audience may reach a socket: without Redis, whether one
   * here joined it; with Redis always (ask `following`).
   */
  wants(room: string, audience: string): boolean;
  /** True when updates go through Redis, and `following` is the way to know who listens. */
  readonly distributed: boolean;
  /**
   * Of the given (room, audience) pairs, those a socket on any instance follows, as
   * `${room}#${audience}`. Ask after the commit whose updates are concerned.
   */
  following(pairs: readonly (readonly [string, string])[]): Promise<Set<string>>;
  connectedClients(): number;
  close(): Promise<void>;
}

/** A client sends anything; the handlers validate before trusting it. */
type ClientEvents = Record<'subscribe' | 'unsubscribe', (...args: unknown[]) => void>;

interface SocketData {
  user: SessionUser;
  /** Canonical room -> the internal room joined for it. */
  joined: Map<string, string>;
}

type LiveSocket = Socket<ClientEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const DEFAULT_REDIS_KEY = 'kefalet:live';
/** An instance's interest hash outlives it by this much, unless refreshed. */
const INTEREST_TTL_MS = 30_000;

// ARGV: the interest hashes' key before the instance id, then the fields asked about.
const FOLLOWING = `
local found = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. id
  if redis.call('EXISTS', key) == 0 then
    redis.call('SREM', KEYS[1], id)
  else
    local values = redis.call('HMGET', key, unpack(ARGV, 2))
    for i = 1, #ARGV - 1 do
      if values[i] then found[i] = true end
    end
  end
end
local result = {}
for i = 1, #ARGV - 1 do
  if found[i] then result[#result + 1] = ARGV[i + 1] end
end
return result`;
const MAX_ROOMS_PER_SOCKET = 100;
/** How often a re-read may find a changed audience before the client is told to retry. */
const MAX_JOIN_ATTEMPTS = 3;
/** setTimeout's limit (about 24.8 days); sessions last hours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const RoomRequestSchema = z.object({ room: z.string().min(1).max(MAX_ROOM_LENGTH) });

const internalRoom = (room: string, audience: string): string => `${room}#${audience}`;

export async function attachLivePush(options: LivePushOptions): Promise<LivePush> {
  const { logger, rooms, corsOrigins } = options;
  const redisKey = options.redisKey ?? DEFAULT_REDIS_KEY;
  const redis = options.redisUrl ? await connectRedis(options.redisUrl, logger) : undefined;

  // No connectionStateRecovery: the Redis adapter does not support it; clients re-subscribe.
  const io = new Server<ClientEvents, ServerToClientEvents, Record<string, never>, SocketData>(
    options.httpServer,
    {
      serveClient: false,
      // Clients only send subscribe and unsubscribe.
      maxHttpBufferSize: 16 * 1024,
      // The HTTP server is shared (the embedded mode serves the web app on it too).
      destroyUpgrade: false,
      allowRequest: (request, callback) => {
        if (originAllowed(request, corsOrigins)) return callback(null, true);
        logger.warn({ origin: request.headers.origin }, 'live push: origin refused');
        callback('origin not allowed', false);
      },
      ...(corsOrigins && { cors: { origin: corsOrigins, credentials: true } }),
      ...(redis && { adapter: createAdapter(redis.pub, redis.sub, { key: redisKey }) }),
    },
  );

  io.of('/').use((_socket, next) => next(new Error('not found')));
  const live = io.of(LIVE_NAMESPACE);

  const updatesChannel = `${redisKey}#updates`;
  /** Hands updates to this instance's sockets, encoding only those some socket here will get. */
  const deliver = (
    room: string,
    audience: string,
    event: UpdateEvent,
    version: number,
    payload: () => unknown,
  ) => {
    const target = internalRoom(room, audience);
    if (!live.adapter.rooms.get(target)?.size) return;
    live.local.to(target).emit(event, { room, version, payload: payload() });
  };

  const interest = redis ? registry(redis.pub, redisKey, logger) : undefined;
  if (interest) {
    // rooms of this instance's sockets (`${room}#${audience}`; a socket's own room has no '#')
    live.adapter.on('create-room', (room: string) => {
      if (room.includes('#')) interest.add(room);
    });
    live.adapter.on('delete-room', (room: string) => {
      if (room.includes('#')) interest.remove(room);
    });
  }

  if (redis) {
    // resolves once Redis confirmed the subscription: nothing published after attach is missed
    await redis.sub.subscribe(updatesChannel, (message: string) => {
      try {
        relay(message, deliver);
      } catch (error) {
        logger.error({ err: error }, 'live push: unreadable update from Redis');
      }
    });
    // The adapter subscribes without waiting for Redis. A round trip on the same connection proves
    // its subscriptions are active, so no update published elsewhere is lost once attach resolves.
    const barrier = `${redisKey}-ready#${randomUUID()}`;
    await redis.sub.subscribe(barrier, () => {});
    await redis.sub.unsubscribe(barrier);
  }

  live.use((socket, next) => {
    options.authenticate(socket.handshake.headers.cookie).then(
      (user) => {
        if (!user) return next(new Error('unauthorised'));
        socket.data.user = user;
        socket.data.joined = new Map();
        next();
      },
      (error: unknown) => {
        logger.error({ err: error }, 'live push: authentication failed');
        next(new Error('unavailable'));
      },
    );
  });

  live.on('connection', (socket) => {
    // The handshake proved a session that ends; the socket must not outlive it.
    const expiresIn = socket.data.user.exp * 1000 - Date.now();
    const expiry = setTimeout(() => socket.disconnect(true), Math.min(expiresIn, MAX_TIMER_MS));
    socket.on('disconnect', () => clearTimeout(expiry));

    socket.on('subscribe', (...args) => {
      const ack = args.at(-1);
      // Without an acknowledgement the client could never get the snapshot.
      if (typeof ack !== 'function') return;
      const reply = ack as (reply: SubscribeAck) => void;
      subscribe(socket, args[0]).then(reply, (error: unknown) => {
        logger.error({ err: error, request: args[0] }, 'live push: subscribe failed');
        reply({ error: { code: 'UNAVAILABLE', message: 'the snapshot is unavailable; retry' } });
      });
    });

    socket.on('unsubscribe', (...args) => {
      const parsed = RoomRequestSchema.safeParse(args[0]);
      const target = parsed.success ? socket.data.joined.get(parsed.data.room) : undefined;
      if (parsed.success && target) {
        void socket.leave(target);
        socket.data.joined.delete(parsed.data.room);
      }
      const ack = args.at(-1);
      if (typeof ack === 'function') (ack as () => void)();
    });
  });

  async function subscribe(socket: LiveSocket, request: unknown): Promise<SubscribeAck> {
    const parsed = RoomRequestSchema.safeParse(request);
    if (!parsed.success) {
      return badRequest(`expected { room: a string of 1 to ${MAX_ROOM_LENGTH} characters }`);
    }
    const { joined, user } = socket.data;
    if (joined.size >= MAX_ROOMS_PER_SOCKET && !joined.has(parsed.data.room)) {
      return badRequest(`at most ${MAX_ROOMS_PER_SOCKET} rooms per connection`);
    }
    // The snapshot is valid only if the socket was already in the room when it was read: an update
    // published between the read and a later join would be lost. So join, then read again.
    for (let attempt = 0; attempt < MAX_JOIN_ATTEMPTS; attempt++) {
      const roomsBeforeRead = new Set(socket.rooms);
      const found = await rooms.snapshot(user, parsed.data.room);
      if (!found) {
        return { error: { code: 'FORBIDDEN', message: 'you may not follow this room' } };
      }
      const target = internalRoom(found.room, found.audience);
      if (roomsBeforeRead.has(target)) {
        return { room: found.room, snapshot: found.snapshot, version: found.version };
      }
      // A socket that left meanwhile must not be put back into a room.
      if (socket.disconnected) return { error: { code: 'UNAVAILABLE', message: 'disconnected' } };
      const previous = joined.get(found.room);
      if (previous) void socket.leave(previous);
      void socket.join(target);
      joined.set(found.room, target);
      // the publisher must know someone follows the room before the snapshot is read again
      await interest?.registered(target);
    }
    throw new Error(`the audience kept changing for room ${parsed.data.room}`);
  }

  logger.info({ redis: redis !== undefined, namespace: LIVE_NAMESPACE }, 'live push attached');

  let closing: Promise<void> | undefined;
  return {
    publish(updates) {
      if (updates.length === 0) return;
      if (!redis) {
        for (const { room, audience, event, version, payload } of updates) {
          deliver(room, audience, event, version, () => payload);
        }
        return;
      }
      redis.pub.publish(updatesChannel, frame(updates)).catch((error: unknown) => {
        // clients see the gap at the next update and ask for a snapshot
        logger.warn({ err: error }, 'live push: could not publish updates to Redis');
      });
    },

    wants: (room, audience) =>
      redis !== undefined || (live.adapter.rooms.get(internalRoom(room, audience))?.size ?? 0) > 0,

    distributed: redis !== undefined,

    async following(pairs) {
      const fields = [...new Set(pairs.map(([room, audience]) => internalRoom(room, audience)))];
      if (!interest) {
        return new Set(fields.filter((field) => (live.adapter.rooms.get(field)?.size ?? 0) > 0));
      }
      return interest.following(fields);
    },

    connectedClients: () => live.sockets.size,

    close() {
      // Not io.close(): it would also close the HTTP server, which belongs to the app.
      closing ??= (async () => {
        // `local`: through the Redis adapter the plain call disconnects other instances' clients.
        live.local.disconnectSockets(true);
        await Promise.all([io.of('/').adapter.close(), live.adapter.close()]);
        io.engine.close();
        if (redis) {
          await interest?.close();
          await redis.sub.unsubscribe(updatesChannel).catch(() => {});
          await Promise.all([redis.pub.close(), redis.sub.close()]);
        }
      })();
      return closing;
    },
  };
}

/**
 * One commit's updates as one Redis message: a JSON header line of
 * [room, audience, event, version, payload length] per update, then the payloads' JSON one after
 * the other, so a receiver parses only the payloads its own sockets need.
 */
function frame(updates: readonly RoomUpdate[]): string {
  const payloads = updates.map((update) => JSON.stringify(update.payload) ?? 'null');
  const header = updates.map((update, at) => [
    update.room,
    update.audience,
    update.event,
    update.version,
    payloads[at]!.length,
  ]);
  return `${JSON.stringify(header)}\n${payloads.join('')}`;
}

type Deliver = (
  room: string,
  audience: string,
  event: UpdateEvent,
  version: number,
  payload: () => unknown,
) => void;

function relay(message: string, deliver: Deliver): void {
  const newline = message.indexOf('\n');
  const header = JSON.parse(message.slice(0, newline)) as [
    string,
    string,
    UpdateEvent,
    number,
    number,
  ][];
  let at = newline + 1;
  for (const [room, audience, event, version, length] of header) {
    const text = message.slice(at, at + length);
    at += length;
    deliver(room, audience, event, version, () => JSON.parse(text) as unknown);
  }
}

function badRequest(message: string): SubscribeAck {
  return { error: { code: 'BAD_REQUEST', message } };
}

/**
 * WebSockets are not subject to CORS and the session cookie rides along, so a page on another
 * origin could otherwise listen with the user's session.
 */
function originAllowed(request: IncomingMessage, corsOrigins: string[] | undefined): boolean {
  const { origin, host } = request.headers;
  // Not a browser: the load driver, tests, server-side clients.
  if (origin === undefined) return true;
  if (corsOrigins?.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

type RedisClient = Awaited<ReturnType<typeof connectRedis>>['pub'];

/** This instance's share of the cluster's interest in rooms, kept in Redis (see the header). */
function registry(client: RedisClient, redisKey: string, logger: LivePushOptions['logger']) {
  const instance = randomUUID();
  const instances = `${redisKey}#instances`;
  const prefix = `${redisKey}#interest#`;
  const own = prefix + instance;
  const send = <T>(args: string[]) => client.sendCommand<T>(args);
  /** Local rooms, each with its registration (resolves once Redis has it). */
  const rooms = new Map<string, Promise<void>>();

  const register = (fields: readonly string[]): Promise<void> =>
    send(['HSET', own, ...fields.flatMap((field) => [field, '1'])])
      .then(() => send(['PEXPIRE', own, String(INTEREST_TTL_MS)]))
      .then(() => send(['SADD', instances, instance]))
      .then(
        () => undefined,
        (error: unknown) => logger.warn({ err: error }, 'live push: could not register a room'),
      );

  // refreshed well before it expires; rewritten whole, should Redis have lost it
  const refresh = setInterval(() => {
    if (rooms.size > 0) void register([...rooms.keys()]);
  }, INTEREST_TTL_MS / 3);
  refresh.unref();

  return {
    add(room: string) {
      rooms.set(room, register([room]));
    },
    remove(room: string) {
      rooms.delete(room);
      send(['HDEL', own, room]).catch(() => {});
    },
    registered: (room: string): Promise<void> => rooms.get(room) ?? Promise.resolve(),
    async following(fields: readonly string[]): Promise<Set<string>> {
      if (fields.length === 0) return new Set();
      const found = await send<string[]>(['EVAL', FOLLOWING, '1', instances, prefix, ...fields]);
      return new Set(found);
    },
    async close() {
      clearInterval(refresh);
      await send(['DEL', own]).catch(() => {});
      await send(['SREM', instances, instance]).catch(() => {});
    },
  };
}

async function connectRedis(url: string, logger: LivePushOptions['logger']) {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  pub.on('error', (error: unknown) => logger.error({ err: error }, 'live push: Redis (pub) error'));
  sub.on('error', (error: unknown) => logger.error({ err: error }, 'live push: Redis (sub) error'));
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (error) {
    pub.destroy();
    sub.destroy();
    throw error;
  }
  return { pub, sub };
}
