import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
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

/**
 * A restarted manual clock resumes from the last event's time when that is later than now: time in
 * a demo must never run backwards under the events already written.
 */
async function manualClockStart(store: EventStore): Promise<Date> {
  const now = new Date();
  const last = await store.lastPosition();
  if (last === 0n) return now;
  for await (const event of store.readAll({ fromPosition: last - 1n, maxCount: 1 })) {
    const occurredAt = Date.parse((event.metadata as { occurredAt?: string }).occurredAt ?? '');
    if (Number.isFinite(occurredAt) && occurredAt > now.getTime()) return new Date(occurredAt);
  }
  return now;
}

/**
 * What every response of the embedded server gets: problem+json for the errors fastify raises before
 * any route (URI or headers too long), and headers that keep pages out of frames, stop MIME
 * sniffing, and keep API answers (credit notes, offers) out of caches.
 */
function installHttpBasics(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(status)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: status >= 500 ? 'Something went wrong on our side' : error.message,
        status,
        code: status >= 500 ? 'INTERNAL' : (error.code ?? 'BAD_REQUEST'),
      });
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
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
  const identity = openIdentityStore(config.identityFile);
  const store = await openEventStore({
    eventStoreUrl: config.eventStoreUrl,
    sqliteFile: config.sqliteFile,
  });
  const manualClock =
    config.clock === 'manual'
      ? new ManualClock(
          config.clockStart ? new Date(config.clockStart) : await manualClockStart(store),
        )
      : undefined;
  const clock = manualClock ?? systemClock;
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: 1024 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // errors the router raises before any route (a path parameter too long, a bad URL)
    frameworkErrors: (error, _request, reply) =>
      (reply as unknown as FastifyReply)
        .status(error.statusCode ?? 400)
        .type('application/problem+json')
        .send({
          type: 'about:blank',
          title: error.message,
          status: error.statusCode ?? 400,
          code: error.code,
        }),
  });
  installHttpBasics(app);

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
