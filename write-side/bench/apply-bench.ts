/**
 * Latency of the instant decision path (R3–R7): POST /api/applications end to end over real HTTP,
 * on a SQLite log in a temp dir with zero-latency sandbox sources. GET /api/health, measured the
 * same way in the same run, is the baseline (HTTP, fastify, one cheap store call).
 *
 *   node --import tsx write-side/bench/apply-bench.ts [measured=300] [warmup=20]
 *
 * Prints figures only; it asserts nothing.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { openSqliteEventStore } from '@kefalet/events/store/sqlite';
import { registerWriteSide } from '../src/app';
import { systemClock } from '../src/clock';
import { DEMO_PASSWORD } from '../src/demo';
import { openIdentityStore } from '../src/identity/store';
import { createSandboxSources } from '../src/integrations';

const MEASURED = Number(process.argv[2] ?? 300);
const WARMUP = Number(process.argv[3] ?? 20);

const APPLICATION = JSON.stringify({
  firmVkn: '0150015264',
  packageCode: 'IHR-KOBI',
  amount: '1000000.00',
  currency: 'TRY',
  maturityMonths: 12,
  purpose: 'Hammadde alımı ve ihracat ön finansmanı',
});

interface Sample {
  readonly ms: number;
  readonly status: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** Sends `count` requests one after the other; each sample covers the request and its whole body. */
async function measure(count: number, send: () => Promise<Response>): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await send();
    await response.arrayBuffer();
    samples.push({ ms: performance.now() - started, status: response.status });
  }
  return samples;
}

function summary(samples: readonly Sample[]) {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const statuses = new Map<number, number>();
  for (const s of samples) statuses.set(s.status, (statuses.get(s.status) ?? 0) + 1);
  return {
    median: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    statuses: [...statuses].map(([status, n]) => `${n}×${status}`).join(', '),
  };
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'kefalet-apply-bench-'));
  const eventsFile = join(dir, 'events.sqlite');
  const store = openSqliteEventStore({ file: eventsFile });
  const identity = openIdentityStore(join(dir, 'write-side.sqlite'));
  // the composition root's settings (src/server.ts), without request logging
  const app = Fastify({
    logger: false,
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
    clock: systemClock,
    identity,
    sessionSecret: 'bench-session-secret-0123456789abcdef',
    secureCookies: false,
    sources: createSandboxSources({ clock: () => systemClock.now() }),
    demo: true,
  });
  try {
    await writeSide.ready;
    await writeSide.scheduler?.caughtUp();
    const address = await app.listen({ host: '127.0.0.1', port: 0 });

    const login = await fetch(`${address}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'exporter@demo.test', password: DEMO_PASSWORD }),
    });
    const cookie = login.headers.getSetCookie()[0]?.split(';')[0];
    if (login.status !== 200 || !cookie) {
      throw new Error(`login failed: ${login.status} ${await login.text()}`);
    }

    const apply = () =>
      fetch(`${address}/api/applications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: APPLICATION,
      });
    const health = () => fetch(`${address}/api/health`);

    await measure(WARMUP, apply);
    const applied = summary(await measure(MEASURED, apply));
    await measure(WARMUP, health);
    const baseline = summary(await measure(MEASURED, health));

    console.log(
      `apply-bench: ${MEASURED} sequential requests after ${WARMUP} warm-up, Node ${process.version}, ${cpus().length} CPU(s)`,
    );
    console.log(
      `POST /api/applications  median ${ms(applied.median)}  p90 ${ms(applied.p90)}  p99 ${ms(applied.p99)}  max ${ms(applied.max)}  (${applied.statuses})`,
    );
    console.log(
      `GET  /api/health        median ${ms(baseline.median)}  p90 ${ms(baseline.p90)}  p99 ${ms(baseline.p99)}  max ${ms(baseline.max)}  (${baseline.statuses})`,
    );
    console.log(
      `log: ${await store.lastPosition()} events, ${(statSync(eventsFile).size / 1024).toFixed(0)} KiB (+ WAL)`,
    );
  } finally {
    await app.close();
    await writeSide.close();
    await store.close();
    identity.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
