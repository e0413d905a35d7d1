/**
 * Starts the scaled-out deployment for tests and benches: one write-side and N read-sides as separate
 * processes (`node --import tsx <side>/src/main.ts`, as `npm run start -w` does), sharing a temporary
 * data folder (the read-sides follow the write-side's events.sqlite), one session secret, and Redis
 * for the read models and the Socket.IO adapter.
 *
 * Isolation: the read-side's Redis key prefix ('kefalet:') and the adapter's channel ('kefalet:live')
 * are fixed in read-side/src/main.ts. So each run claims a Redis logical database of its own
 * (`claimRedisDatabase`) and clears its 'kefalet:*' keys before and after; pub/sub channels are not
 * per database, but every room name carries a fresh application id, so other runs' broadcasts reach
 * nobody here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

// ---- a minimal RESP client: enough to probe, claim a database and clear keys --------------------

type Reply = string | number | null | Reply[];

export interface RedisConnection {
  command(...args: string[]): Promise<Reply>;
  close(): void;
}

/** Connects to `url` (redis://[user:password@]host[:port][/db]); rejects within `timeoutMs`. */
export function connectRedis(url: string, timeoutMs = 1_000): Promise<RedisConnection> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:') throw new Error(`only redis:// URLs are supported: ${url}`);
  return new Promise((resolveConnection, reject) => {
    const socket: Socket = connect({
      host: parsed.hostname || '127.0.0.1',
      port: Number(parsed.port || 6379),
    });
    let buffer = Buffer.alloc(0);
    const waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];
    const failAll = (error: Error): void => {
      for (const w of waiting.splice(0)) w.reject(error);
    };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`Redis at ${parsed.host} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);

    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const parsedReply = parseReply(buffer, 0);
        if (parsedReply === undefined) return;
        buffer = buffer.subarray(parsedReply.end);
        const next = waiting.shift();
        if (parsedReply.error) next?.reject(new Error(parsedReply.error));
        else next?.resolve(parsedReply.value);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      failAll(error);
      reject(error);
    });
    socket.on('close', () => failAll(new Error('Redis connection closed')));

    const connection: RedisConnection = {
      command: (...args) =>
        new Promise<Reply>((resolveReply, rejectReply) => {
          waiting.push({ resolve: resolveReply, reject: rejectReply });
          const parts = args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`);
          socket.write(`*${args.length}\r\n${parts.join('')}`);
        }),
      close: () => socket.destroy(),
    };
    socket.once('connect', () => {
      void (async () => {
        try {
          const user = decodeURIComponent(parsed.username);
          const password = decodeURIComponent(parsed.password);
          if (password) await connection.command('AUTH', ...(user ? [user] : []), password);
          const db = parsed.pathname.replace(/^\//, '');
          if (db) await connection.command('SELECT', db);
          await connection.command('PING');
          clearTimeout(timer);
          resolveConnection(connection);
        } catch (error) {
          clearTimeout(timer);
          socket.destroy();
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      })();
    });
  });
}

function parseReply(
  buffer: Buffer,
  start: number,
): { value: Reply; error?: string; end: number } | undefined {
  const lineEnd = buffer.indexOf('\r\n', start);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[start]!);
  const line = buffer.toString('utf8', start + 1, lineEnd);
  const after = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: after };
    case '-':
      return { value: null, error: line, end: after };
    case ':':
      return { value: Number(line), end: after };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, end: after };
      if (buffer.length < after + length + 2) return undefined;
      return { value: buffer.toString('utf8', after, after + length), end: after + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: after };
      const items: Reply[] = [];
      let at = after;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, at);
        if (item === undefined) return undefined;
        items.push(item.value);
        at = item.end;
      }
      return { value: items, end: at };
    }
    default:
      throw new Error(`unexpected Redis reply type ${JSON.stringify(type)}`);
  }
}

/** True when Redis at `url` answers PING. */
export async function redisAnswers(url: string): Promise<boolean> {
  try {
    (await connectRedis(url)).close();
    return true;
  } catch {
    return false;
  }
}

/** Deletes the keys matching `pattern` in the database of `url`; returns how many. */
export async function deleteRedisKeys(url: string, pattern = 'kefalet:*'): Promise<number> {
  const redis = await connectRedis(url);
  try {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = (await redis.command(
        'SCAN',
        cursor,
        'MATCH',
        pattern,
        'COUNT',
        '1000',
      )) as [string, string[]];
      cursor = next;
      if (keys.length > 0) deleted += Number(await redis.command('DEL', ...keys));
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.close();
  }
}

const LOCK_KEY = 'kefalet-load-tests:lock';

export interface RedisDatabase {
  /** REDIS_URL for the processes: the base URL with this run's database. */
  readonly url: string;
  /** Clears the run's 'kefalet:*' keys and gives the database back. */
  release(): Promise<void>;
}

/**
 * Claims a logical database (1..15) no other run holds, with a lock key that expires by itself if
 * this process dies, and clears the read-side's keys in it. Falls back to the URL's own database
 * (cleared the same way) when the server has no other databases (SELECT refused).
 */
export async function claimRedisDatabase(baseUrl: string): Promise<RedisDatabase> {
  const runId = randomBytes(8).toString('hex');
  const withDb = (db: number): string => {
    const url = new URL(baseUrl);
    url.pathname = `/${db}`;
    return url.href;
  };
  for (let db = 1; db < 16; db++) {
    let redis: RedisConnection;
    try {
      redis = await connectRedis(withDb(db));
    } catch (error) {
      if (db === 1 && /SELECT|DB index/i.test(String(error))) break;
      throw error;
    }
    try {
      if ((await redis.command('SET', LOCK_KEY, runId, 'NX', 'EX', '900')) !== 'OK') continue;
    } finally {
      redis.close();
    }
    const url = withDb(db);
    await deleteRedisKeys(url);
    return {
      url,
      async release() {
        await deleteRedisKeys(url);
        const conn = await connectRedis(url);
        try {
          if ((await conn.command('GET', LOCK_KEY)) === runId) await conn.command('DEL', LOCK_KEY);
        } finally {
          conn.close();
        }
      },
    };
  }
  await deleteRedisKeys(baseUrl);
  return { url: baseUrl, release: async () => void (await deleteRedisKeys(baseUrl)) };
}

// ---- the processes ------------------------------------------------------------------------------

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<void>;
}

async function startSide(
  entry: string,
  env: Record<string, string>,
  healthy: (body: unknown) => boolean,
): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const started: Started = { child, url, exited };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${entry} exited with ${child.exitCode ?? child.signalCode}`);
    }
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok && healthy(await response.json())) return started;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopChild(started);
      throw new Error(`${entry} did not answer /api/health within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGTERM the process we spawned (by its PID), SIGKILL after 5 s. */
async function stopChild({ child, exited }: Started): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export interface ScaledProduct {
  /** The write-side: commands, login. */
  readonly writeUrl: string;
  /** The read-sides: queries and live push. */
  readonly readUrls: readonly string[];
  readonly dataDir: string;
  /** The Redis URL the read-sides use (this run's database). */
  readonly redisUrl: string;
  /** Stops the processes; keeps the data folder and Redis keys until `cleanUp` (for a rebuild). */
  stopProcesses(): Promise<void>;
  /** Stops everything, deletes the data folder, clears and releases the Redis database. */
  stop(): Promise<void>;
}

export interface StartScaledOptions {
  readonly readSides?: number;
  /** Defaults to REDIS_URL, else redis://127.0.0.1:6379. */
  readonly redisUrl?: string;
  readonly env?: Record<string, string>;
}

/** One write-side (demo data seeded) and `readSides` read-sides on Redis, all on free ports. */
export async function startScaled(options: StartScaledOptions = {}): Promise<ScaledProduct> {
  const readSides = options.readSides ?? 2;
  const redis = await claimRedisDatabase(
    options.redisUrl ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'kefalet-scaled-'));
  const sessionSecret = randomBytes(32).toString('base64url');
  const common = { DATA_DIR: dataDir, SESSION_SECRET: sessionSecret, ...options.env };
  const started: Started[] = [];
  let stopped: Promise<void> | undefined;
  const stopProcesses = (): Promise<void> =>
    (stopped ??= Promise.all(started.map(stopChild)).then(() => undefined));
  let cleaned: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (cleaned ??= (async () => {
      await stopProcesses();
      rmSync(dataDir, { recursive: true, force: true });
      await redis.release();
    })());
  try {
    // the write-side first: it creates the log and seeds the demo data the read-sides follow
    const write = await startSide(
      'write-side/src/main.ts',
      common,
      (body) => (body as { status?: string }).status === 'ok',
    );
    started.push(write);
    const results = await Promise.allSettled(
      Array.from({ length: readSides }, () =>
        startSide(
          'read-side/src/main.ts',
          // as deployed: one instance, elected by a lease in Redis, projects and publishes
          { ...common, REDIS_URL: redis.url, READ_SIDE_PROJECTIONS: 'auto' },
          (body) => (body as { status?: string }).status === 'ok',
        ),
      ),
    );
    const reads: Started[] = [];
    for (const result of results) if (result.status === 'fulfilled') reads.push(result.value);
    started.push(...reads);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return {
      writeUrl: write.url,
      readUrls: reads.map((side) => side.url),
      dataDir,
      redisUrl: redis.url,
      stopProcesses,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ---- the marketplace API, as the tests and the bench drive it -----------------------------------

export const DEMO_PASSWORD = 'demo-password-2026';

export const APPLICATION = {
  firmVkn: '0150015264',
  packageCode: 'IHR-KOBI',
  amount: '1500000.00',
  currency: 'TRY',
  maturityMonths: 12,
  purpose: 'Hammadde',
} as const;

/** The 17 fields a bank sends (the offer date is the server's). */
export const OFFER_TERMS = {
  maturityMonths: 12,
  totalRepaymentAmount: '1850000.00',
  interestType: 'FIXED',
  interestRate: '42.5',
  principalPaymentFrequency: 'MONTHLY',
  interestPaymentFrequency: 'MONTHLY',
  collateralType: 'NONE',
  totalExpenseAmount: '2500.00',
  creditType: 'INSTALMENT',
  totalCommissionAmount: '7500.00',
  principalGraceMonths: 0,
  interestGraceMonths: 0,
  branchCode: '0621',
  representativeName: 'Ali Veli',
  phone: '+90 212 555 11 22',
  email: 'ali@bank.test',
} as const;

/** Fields of OFFER_TERMS to override. */
export type TermsOverrides = Partial<Record<keyof typeof OFFER_TERMS, string | number>>;

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
  /** performance.now() when the response headers arrived. */
  readonly at: number;
}

/** One JSON request; `at` is when the response arrived (the body is read after). */
export async function api(
  baseUrl: string,
  cookie: string | undefined,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
): Promise<ApiResponse> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const at = performance.now();
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined, at };
}

function expectStatus(response: ApiResponse, status: number, what: string): void {
  if (response.status !== status) {
    throw new Error(
      `${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
}

/** Submits an application for the demo exporter's firm; it is opened for bidding at once. */
export async function createApplication(baseUrl: string, exporterCookie: string): Promise<string> {
  const response = await api(baseUrl, exporterCookie, 'POST', '/api/applications', APPLICATION);
  expectStatus(response, 201, 'POST /api/applications');
  const body = response.body as { applicationId: string; status: string };
  if (body.status !== 'BIDDING') {
    throw new Error(`the application was not opened for bidding: ${JSON.stringify(body)}`);
  }
  return body.applicationId;
}

export interface OfferResult {
  readonly offerId: string;
  /** The offer's version (1 when submitted). */
  readonly version: number;
  /** When the 2xx arrived (performance.now()). */
  readonly at: number;
}

export async function submitOffer(
  baseUrl: string,
  bankCookie: string,
  applicationId: string,
  terms: TermsOverrides = {},
): Promise<OfferResult> {
  const response = await api(
    baseUrl,
    bankCookie,
    'POST',
    `/api/applications/${applicationId}/offers`,
    { ...OFFER_TERMS, ...terms },
  );
  expectStatus(response, 201, 'POST offers');
  const body = response.body as { offerId: string; version: number };
  return { offerId: body.offerId, version: body.version, at: response.at };
}

export async function reviseOffer(
  baseUrl: string,
  bankCookie: string,
  applicationId: string,
  offerId: string,
  terms: TermsOverrides = {},
): Promise<OfferResult> {
  const response = await api(
    baseUrl,
    bankCookie,
    'PUT',
    `/api/applications/${applicationId}/offers/${offerId}`,
    { ...OFFER_TERMS, ...terms },
  );
  if (response.status < 200 || response.status > 299) {
    throw new Error(`PUT offer: ${response.status} ${JSON.stringify(response.body)}`);
  }
  const body = response.body as { offerId?: string; version: number };
  return { offerId, version: body.version, at: response.at };
}
