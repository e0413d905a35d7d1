import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { openEventStore, type EventStore } from '@kefalet/events/store';
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

  return {
    app,
    store,
    writeSide,
    async close() {
      await app.close();
      await writeSide.close();
      await store.close();
      identity.close();
    },
  };
}
