import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { openEventStore, type EventStore } from '@kefalet/events/store';
import {
  createMemoryReadModelStore,
  openRedisReadModelStore,
  registerReadSide,
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
    sources: createSandboxSources({ clock: () => clock.now() }),
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

  return {
    app,
    store,
    writeSide,
    readModels,
    readSide,
    async close() {
      await app.close();
      await readSide.close();
      await writeSide.close();
      await readModels.close();
      await store.close();
      identity.close();
    },
  };
}
