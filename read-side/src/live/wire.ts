import type { FastifyInstance } from 'fastify';
import type { ReadSide } from '../app';
import { attachLivePush, type LivePush } from './push';

/**
 * Live push for a running read-side: Socket.IO on the same HTTP server, sessions checked the same
 * way as the query API, and every committed read-model change published to the rooms it concerns.
 * An instance that does not project (READ_SIDE_PROJECTIONS=off) has no changes of its own: with
 * Redis it relays what the projecting instance publishes.
 */
export async function startLivePush(
  app: FastifyInstance,
  readSide: ReadSide,
  options: { redisUrl?: string; redisKey?: string },
): Promise<{ live: LivePush; close(): Promise<void> }> {
  const live = await attachLivePush({
    httpServer: app.server,
    authenticate: async (cookieHeader) => readSide.sessionUser(cookieHeader),
    rooms: { snapshot: (user, room) => readSide.roomSnapshot(user, room) },
    ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    ...(options.redisKey ? { redisKey: options.redisKey } : {}),
    logger: app.log,
  });
  // payloads are built only for rooms someone may be in (without Redis: someone here)
  const stop = readSide.onChange((changes, event) =>
    live.publish(readSide.roomUpdates(changes, event, live.wants)),
  );
  return {
    live,
    async close() {
      stop();
      await live.close();
    },
  };
}
