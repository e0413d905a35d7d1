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
  // payloads are built only for the rooms someone follows: without Redis, a socket here; with
  // Redis, a socket anywhere, asked of Redis after the commit (publishes stay in commit order)
  let publishing = Promise.resolve();
  const stop = readSide.onChange((changes, event) => {
    if (!live.distributed) {
      live.publish(readSide.roomUpdates(changes, event, live.wants));
      return;
    }
    const candidates: [string, string][] = [];
    readSide.roomUpdates(changes, event, (room, audience) => {
      candidates.push([room, audience]);
      return false;
    });
    if (candidates.length === 0) return;
    const following = live.following(candidates).catch((error: unknown) => {
      app.log.warn({ err: error }, 'live push: who follows is unknown; publishing to every room');
      return undefined;
    });
    publishing = publishing.then(async () => {
      const wanted = await following;
      try {
        live.publish(
          readSide.roomUpdates(
            changes,
            event,
            wanted && ((room, audience) => wanted.has(`${room}#${audience}`)),
          ),
        );
      } catch (error) {
        app.log.error({ err: error, position: String(event.position) }, 'live push failed');
      }
    });
  });
  return {
    live,
    async close() {
      stop();
      await live.close();
    },
  };
}
