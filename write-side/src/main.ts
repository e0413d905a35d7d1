/**
 * The write-side on its own (scaled out): `npm run start -w @kefalet/write-side`. The command API
 * under /api on PORT, the log in EventStoreDB when EVENTSTORE_URL is set (else DATA_DIR's SQLite
 * file), credentials and sessions in DATA_DIR/write-side.sqlite. Every instance may run the deadline
 * scheduler: its commands are idempotent. SESSION_SECRET is shared with the read-side instances.
 */
import { join, resolve } from 'node:path';
import Fastify from 'fastify';
import { z } from 'zod';
import { openEventStore } from '@kefalet/events/store';
import { registerWriteSide } from './app';
import { ManualClock, systemClock } from './clock';
import { openIdentityStore } from './identity/store';
import { createSandboxSources } from './integrations';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  EVENTSTORE_URL: z.string().optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters'),
  NODE_ENV: z.string().default('development'),
  CLOCK: z.enum(['system', 'manual']).default('system'),
  DEMO: z.enum(['auto', 'on', 'off']).default('auto'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

const parsed = Env.safeParse(process.env);
if (!parsed.success) {
  const reasons = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new Error(`Invalid configuration: ${reasons}`);
}
const env = parsed.data;
const production = env.NODE_ENV === 'production';
if (production && env.CLOCK === 'manual') {
  throw new Error('Invalid configuration: CLOCK=manual is for tests and demos, never production');
}
const dataDir = resolve(env.DATA_DIR);
const manualClock = env.CLOCK === 'manual' ? new ManualClock(new Date()) : undefined;
const clock = manualClock ?? systemClock;
const store = await openEventStore({
  eventStoreUrl: env.EVENTSTORE_URL,
  sqliteFile: join(dataDir, 'events.sqlite'),
});
const identity = openIdentityStore(join(dataDir, 'write-side.sqlite'));
const app = Fastify({
  logger: { level: env.LOG_LEVEL },
  bodyLimit: 1024 * 1024,
  onProtoPoisoning: 'error',
  onConstructorPoisoning: 'error',
});
app.get('/api/health', async () => ({
  status: 'ok',
  side: 'write',
  store: store.kind,
  lastPosition: (await store.lastPosition()).toString(),
}));
const writeSide = await registerWriteSide(app, {
  store,
  clock,
  ...(manualClock ? { manualClock } : {}),
  identity,
  sessionSecret: env.SESSION_SECRET,
  secureCookies: production,
  sources: createSandboxSources({ clock: () => clock.now() }),
  demo: !production && env.DEMO !== 'off',
});
await writeSide.ready;
await app.listen({ port: env.PORT, host: env.HOST });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void (async () => {
      await app.close();
      await writeSide.close();
      await store.close();
      identity.close();
      process.exit(0);
    })();
  });
}
