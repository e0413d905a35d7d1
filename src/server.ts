import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { openEventStore, type EventStore } from '@kefalet/events/store';
import {
  createMemoryReadModelStore,
  openRedisReadModelStore,
  registerReadSide,
  startLivePush,
  type ReadModelStore,
  type ReadSide,
} from '@kefalet/read-side';
import {
  ManualClock,
  createSandboxSources,
  openIdentityStore,
  registerWriteSide,
  systemClock,
  type WriteSide,
} from '@kefalet/write-side';
import type { Config } from './config';

/**
 * The composition root of the embedded mode: one process, one port, the adapters chosen by
 * configuration. It is the only module that knows every side; the sides meet through events/ and HTTP.
 */
export interface Server {
  readonly app: FastifyInstance;
  readonly store: EventStore;
  readonly writeSide: WriteSide;
  readonly readModels: ReadModelStore;
  readonly readSide: ReadSide;
  close(): Promise<void>;
}

const WEB_HANDLER = fileURLToPath(new URL('../web/build/handler.js', import.meta.url));

/**
 * Serves the built SvelteKit app (adapter-node's handler) for every path the API does not own, so
 * the UI, the API and Socket.IO share one origin. Without a build the API still runs.
 */
async function mountWebApp(app: FastifyInstance): Promise<void> {
  if (!existsSync(WEB_HANDLER)) {
    app.log.warn('web/build is missing: run `npm run build -w @kefalet/web` to serve the UI');
    return;
  }
  const { handler } = (await import(pathToFileURL(WEB_HANDLER).href)) as {
    handler: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  };
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || !['GET', 'HEAD'].includes(request.method)) {
      return reply
        .status(404)
        .type('application/problem+json')
        .send({ type: 'about:blank', title: 'Not found', status: 404, code: 'NOT_FOUND' });
    }
    reply.hijack();
    handler(request.raw, reply.raw, () => {
      reply.raw.statusCode = 404;
      reply.raw.end('Not found');
    });
  });
}

/** Without SESSION_SECRET (development only) a random one is kept in the data folder. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export async function createServer(config: Config): Promise<Server> {
  mkdirSync(config.dataDir, { recursive: true });
  const sessionSecret = config.sessionSecret ?? developmentSecret(config.dataDir);
  const manualClock =
    config.clock === 'manual'
      ? new ManualClock(config.clockStart ? new Date(config.clockStart) : new Date())
      : undefined;
  const clock = manualClock ?? systemClock;
  const identity = openIdentityStore(config.identityFile);
  const store = await openEventStore({
    eventStoreUrl: config.eventStoreUrl,
    sqliteFile: config.sqliteFile,
  });
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: 1024 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });

  app.get('/api/health', async () => ({
    status: 'ok',
    store: store.kind,
    lastPosition: (await store.lastPosition()).toString(),
  }));

  const writeSide = await registerWriteSide(app, {
    store,
    clock,
    ...(manualClock ? { manualClock } : {}),
    identity,
    sessionSecret,
    secureCookies: config.production,
    sources: createSandboxSources({ ...config.sandbox, clock: () => clock.now() }),
    demo: config.demo,
  });
  await writeSide.ready;

  // read models in memory are rebuilt from the log at every start; Redis keeps them between starts
  const readModels = config.redisUrl
    ? await openRedisReadModelStore({ url: config.redisUrl, prefix: 'kefalet:' })
    : createMemoryReadModelStore();
  const readSide = await registerReadSide(app, {
    store,
    readModels,
    sessionSecret,
    // logout revokes the session on both sides at once: one identity store in this process
    isSessionActive: (sid) => identity.isSessionActive(sid, new Date()),
    clock,
    logger: app.log,
  });
  // the demo seed and everything before it are in the read models before the first query
  await readSide.waitFor(await store.lastPosition());
  const push = await startLivePush(
    app,
    readSide,
    config.redisUrl ? { redisUrl: config.redisUrl } : {},
  );
  await mountWebApp(app);

  return {
    app,
    store,
    writeSide,
    readModels,
    readSide,
    async close() {
      await push.close();
      await app.close();
      await readSide.close();
      await writeSide.close();
      await readModels.close();
      await store.close();
      identity.close();
    },
  };
}
