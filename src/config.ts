import { resolve } from 'node:path';
import { z } from 'zod';

/** Configuration comes from the environment only; README lists every variable. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  EVENTSTORE_URL: z.string().optional(),
  REDIS_URL: z.string().optional(),
  NODE_ENV: z.string().default('development'),
  SESSION_SECRET: z.string().min(32).optional(),
  CLOCK: z.enum(['system', 'manual']).default('system'),
  CLOCK_START: z.iso.datetime({ offset: true }).optional(),
  DEMO: z.enum(['auto', 'on', 'off']).default('auto'),
  /** Sandbox public sources' behaviour, for load and fault tests: {"KKB":{"latencyMs":300,"failureRate":0.2}} or {"*":{...}} */
  SANDBOX_BEHAVIOUR: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${reasons}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && !e.SESSION_SECRET) {
    throw new Error(
      'Invalid configuration: SESSION_SECRET (32+ characters) is required in production',
    );
  }
  if (production && e.CLOCK === 'manual') {
    throw new Error('Invalid configuration: CLOCK=manual is for tests and demos, never production');
  }
  const dataDir = resolve(e.DATA_DIR);
  const sandbox = parseSandboxBehaviour(e.SANDBOX_BEHAVIOUR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    sqliteFile: resolve(dataDir, 'events.sqlite'),
    identityFile: resolve(dataDir, 'write-side.sqlite'),
    eventStoreUrl: e.EVENTSTORE_URL,
    redisUrl: e.REDIS_URL,
    production,
    // a development secret is generated per data folder by the caller when none is given
    sessionSecret: e.SESSION_SECRET,
    clock: e.CLOCK,
    clockStart: e.CLOCK_START,
    demo: !production && e.DEMO !== 'off',
    sandbox,
    logLevel: e.LOG_LEVEL,
  };
}

const Behaviour = z.strictObject({
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  failureRate: z.number().min(0).max(1).optional(),
});
const SandboxBehaviour = z.partialRecord(
  z.enum(['*', 'MERSIS', 'GIB', 'SGK', 'GUMRUK', 'KKB']),
  Behaviour,
);

function parseSandboxBehaviour(text: string | undefined) {
  if (!text) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('Invalid configuration: SANDBOX_BEHAVIOUR: is not JSON');
  }
  const parsed = SandboxBehaviour.safeParse(json);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: SANDBOX_BEHAVIOUR: ${reasons}`);
  }
  const { '*': all, ...sources } = parsed.data;
  return { ...(all ? { behaviour: all } : {}), sources };
}
