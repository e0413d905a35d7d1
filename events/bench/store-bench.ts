/**
 * Throughput and latency of the SQLite event store, with durable commits (WAL, synchronous=FULL).
 * Prints figures, asserts nothing:
 *
 *   node --import tsx events/bench/store-bench.ts
 *
 * With `--writer <file> <count>` it is instead the other process of the cross-process figures.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NewEvent, RecordedEvent } from '../src/store/port';
import { openSqliteEventStore, type SqliteEventStoreOptions } from '../src/store/sqlite';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
const now = () => performance.timeOrigin + performance.now();

const newEvents = (count: number, data: () => unknown = () => ({})): NewEvent[] =>
  Array.from({ length: count }, () => ({
    id: randomUUID(),
    type: 'BenchmarkRan',
    data: data(),
    metadata: { correlationId: randomUUID(), actor: 'bench', schemaVersion: 1 },
  }));

function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return `median ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms (n=${sorted.length})`;
}

async function appendThroughput(dir: string, batch: number, appends: number): Promise<void> {
  const store = openSqliteEventStore({ file: join(dir, `throughput-${batch}.db`) });
  const payload = () => ({ amountMinor: '125000000', currency: 'USD', note: 'x'.repeat(200) });
  const latencies: number[] = [];
  const startedAt = performance.now();
  for (let i = 0; i < appends; i++) {
    const t0 = performance.now();
    await store.append(`bench-${i % 100}`, newEvents(batch, payload), { expectedRevision: 'any' });
    latencies.push(performance.now() - t0);
  }
  const seconds = (performance.now() - startedAt) / 1000;
  await store.close();
  console.log(
    `batch ${String(batch).padStart(3)}: ${Math.round(appends / seconds)} appends/s, ` +
      `${Math.round((appends * batch) / seconds)} events/s; append ${percentiles(latencies)}`,
  );
}

async function localSubscriberLatency(dir: string, count: number): Promise<void> {
  const store = openSqliteEventStore({ file: join(dir, 'local.db') });
  const subscription = store.subscribeToAll({ fromPosition: await store.lastPosition() });
  const events = subscription[Symbol.asyncIterator]();
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    // The subscriber is parked waiting before the append starts, as a live projection would be.
    const delivered = events.next().then((result) => ({ result, at: performance.now() }));
    const t0 = performance.now();
    const appended = await store.append('bench-local', newEvents(1), { expectedRevision: 'any' });
    const { result, at } = await delivered;
    if (result.done || result.value.position !== appended.position) throw new Error('lost');
    latencies.push(at - t0);
  }
  await store.close();
  console.log(`same process, append() call -> subscriber: ${percentiles(latencies)}`);
}

type Waking = Omit<SqliteEventStoreOptions, 'file'>;
const describeWaking = (waking: Waking) =>
  waking.watchWal === false
    ? `polling every ${waking.pollIntervalMs} ms`
    : 'watching the WAL (default)';

async function foreignSubscriberLatency(dir: string, count: number, waking: Waking): Promise<void> {
  const file = join(dir, `foreign-${randomUUID()}.db`);
  const store = openSqliteEventStore({ file, ...waking });
  const subscription = store.subscribeToAll({ fromPosition: await store.lastPosition() });
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const writer = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--writer', file, String(count)],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const latencies: number[] = [];
  for await (const event of subscription as AsyncIterable<RecordedEvent>) {
    latencies.push(now() - (event.data as { sentAt: number }).sentAt);
    if (latencies.length === count) break;
  }
  const cpu = process.cpuUsage(cpuBefore);
  const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore);
  await once(writer, 'exit');
  await store.close();
  console.log(
    `other process, append() call -> subscriber, ${describeWaking(waking)}: ` +
      `${percentiles(latencies)}; subscriber CPU ${(cpuShare * 100).toFixed(1)}%`,
  );
}

async function idleCost(dir: string, waking: Waking): Promise<void> {
  const store = openSqliteEventStore({ file: join(dir, `idle-${randomUUID()}.db`), ...waking });
  const pending = store.subscribeToAll()[Symbol.asyncIterator]().next();
  const cpuBefore = process.cpuUsage();
  await sleep(2_000);
  const cpu = process.cpuUsage(cpuBefore);
  await store.close();
  await pending;
  const share = (cpu.user + cpu.system) / 1000 / 2_000;
  console.log(`idle subscriber, ${describeWaking(waking)}: ${(share * 100).toFixed(2)}% CPU`);
}

/** The foreign writer: appends with a little random spacing so each event finds the reader idle. */
async function writer(file: string, count: number): Promise<void> {
  const store = openSqliteEventStore({ file });
  for (let i = 0; i < count; i++) {
    await sleep(2 + Math.random() * 3);
    const events = newEvents(1, () => ({ sentAt: now() }));
    await store.append('bench-foreign', events, { expectedRevision: 'any' });
  }
  await store.close();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kefalet-bench-'));
  try {
    console.log(`SQLite event store, WAL + synchronous=FULL, files in ${dir}`);
    await appendThroughput(dir, 1, 2_000);
    await appendThroughput(dir, 10, 500);
    await appendThroughput(dir, 100, 100);
    await localSubscriberLatency(dir, 1_000);
    const wakings: Waking[] = [
      {},
      { watchWal: false, pollIntervalMs: 1 },
      { watchWal: false, pollIntervalMs: 5 },
    ];
    for (const waking of wakings) await foreignSubscriberLatency(dir, 300, waking);
    for (const waking of wakings) await idleCost(dir, waking);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, file, count] = process.argv.slice(2);
if (mode === '--writer' && file && count) await writer(file, Number(count));
else await main();
