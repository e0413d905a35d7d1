/**
 * The read-side on its own (scaled out): `npm run start -w @kefalet/read-side`. The query API under
 * /api on PORT, read models in Redis when REDIS_URL is set (else in memory, rebuilt at start), the
 * log from EventStoreDB when EVENTSTORE_URL is set (else DATA_DIR's SQLite file).
 *
 * READ_SIDE_PROJECTIONS=on|off|auto (default on): whether this instance runs the projection
 * runner. Several instances behind a proxy must have one projector: it keeps the shared read models
 * and publishes every update, in commit order, through Redis; the others serve queries, follow the
 * stored checkpoints for /api/health and their readiness, and relay the pushes to their sockets.
 * - `on` on one instance and `off` (which needs REDIS_URL) on the others: a fixed projector.
 * - `auto` (needs REDIS_URL) on all of them: they hold a lease in Redis (<prefix>projector, 10 s)
 *   and whoever holds it projects; when it dies another takes over.
 * Several `on` instances stay correct (a batch is applied once, whoever wins it) but compete for
 * every event and publish in a racy order: clients see updates out of order and resubscribe.
 * In docker-compose.yml: `READ_SIDE_PROJECTIONS: "on"` on one read-side service and `"off"` on the
 * rest, or `"auto"` on all.
 *
 * REDIS_PREFIX (default 'kefalet:'): the prefix of the read models' Redis keys, and of the live
 * push's channels (`<prefix>live`); instances that share read models and pushes share it.
 *
 * Sessions: SESSION_SECRET must be the write-side's. Outside production, the secret the embedded
 * server keeps in DATA_DIR/session-secret is used when none is given. There is no revocation list
 * shared between processes yet, so a cookie counts here until it expires.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Fastify from 'fastify';
import { z } from 'zod';
import { openEventStore } from '@kefalet/events/store';
import { registerReadSide } from './app';
import { startLivePush } from './live/wire';
import { problem, sendProblem } from './queries/problem';
import { createMemoryReadModelStore } from './store/memory';
import { openRedisReadModelStore } from './store/redis';
import { openRedisLease } from './store/redis-lease';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  EVENTSTORE_URL: z.string().optional(),
  REDIS_URL: z.string().optional(),
  REDIS_PREFIX: z.string().min(1).default('kefalet:'),
  READ_SIDE_PROJECTIONS: z.enum(['on', 'off', 'auto']).default('on'),
  SESSION_SECRET: z.string().min(32).optional(),
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

const parsed = Env.safeParse(process.env);
if (!parsed.success) {
  const reasons = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new Error(`Invalid configuration: ${reasons}`);
}
const env = parsed.data;
const projecting = env.READ_SIDE_PROJECTIONS;
if (projecting !== 'on' && !env.REDIS_URL) {
  throw new Error(
    `Invalid configuration: READ_SIDE_PROJECTIONS=${projecting} needs REDIS_URL (read models shared with the projecting instance)`,
  );
}
const dataDir = resolve(env.DATA_DIR);
const secretFile = join(dataDir, 'session-secret');
const sessionSecret =
  env.SESSION_SECRET ??
  (env.NODE_ENV !== 'production' && existsSync(secretFile)
    ? readFileSync(secretFile, 'utf8').trim()
    : undefined);
if (sessionSecret === undefined) {
  throw new Error("Invalid configuration: SESSION_SECRET (the write-side's) is required");
}

const store = await openEventStore({
  eventStoreUrl: env.EVENTSTORE_URL,
  sqliteFile: join(dataDir, 'events.sqlite'),
});
const readModels = env.REDIS_URL
  ? await openRedisReadModelStore({ url: env.REDIS_URL, prefix: env.REDIS_PREFIX })
  : createMemoryReadModelStore();
const lease =
  projecting === 'auto' && env.REDIS_URL
    ? await openRedisLease({ url: env.REDIS_URL, key: `${env.REDIS_PREFIX}projector` })
    : undefined;
const app = Fastify({ logger: { level: env.LOG_LEVEL }, onProtoPoisoning: 'error' });

app.setNotFoundHandler((request, reply) =>
  sendProblem(
    reply,
    problem(404, 'NOT_FOUND', 'No such route', { detail: `${request.method} ${request.url}` })
      .problem,
  ),
);
const readSide = await registerReadSide(app, {
  store,
  readModels,
  sessionSecret,
  clock: { now: () => new Date() },
  logger: app.log,
  project: projecting === 'on',
  ...(lease && { lease }),
});
app.get('/api/health', async () => {
  const { running, position, lagEvents } = readSide.status();
  return {
    status: running ? 'ok' : 'stopped',
    store: store.kind,
    projections: projecting,
    position: position.toString(),
    lagEvents: lagEvents?.toString() ?? null,
  };
});

// queries answer from caught-up read models only (with Redis, from the stored checkpoint on; an
// instance that does not project waits for the projecting one's checkpoints to reach the log's end)
await readSide.waitFor(await store.lastPosition());
// with REDIS_URL, updates published by any instance reach sockets connected to every instance
const push = await startLivePush(
  app,
  readSide,
  env.REDIS_URL ? { redisUrl: env.REDIS_URL, redisKey: `${env.REDIS_PREFIX}live` } : {},
);
await app.listen({ port: env.PORT, host: env.HOST });

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const shutdown = async () => {
      await push.close();
      await app.close();
      await lease?.close();
      await readModels.close();
      await store.close();
    };
    shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
