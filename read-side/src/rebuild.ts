/**
 * Rebuilds every read model from the whole log: `npm run rebuild -w @kefalet/read-side`. It replays
 * into a fresh version while running read-sides keep answering from the current one, then swaps
 * (they notice and carry on in the new version). With REDIS_URL the rebuilt models are Redis's under
 * REDIS_PREFIX (default 'kefalet:', as the read-sides use it); without it they are built in memory and dropped at exit: a dry run that measures the
 * rebuild rate. The log comes from EVENTSTORE_URL, else DATA_DIR's SQLite file.
 */
import { join, resolve } from 'node:path';
import { openEventStore } from '@kefalet/events/store';
import { projections } from './projections';
import { rebuild, type RebuildProgress } from './runner';
import { createMemoryReadModelStore } from './store/memory';
import { openRedisReadModelStore } from './store/redis';

const dataDir = resolve(process.env.DATA_DIR ?? './data');
const redisUrl = process.env.REDIS_URL;
const redisPrefix = process.env.REDIS_PREFIX || 'kefalet:';
const store = await openEventStore({
  eventStoreUrl: process.env.EVENTSTORE_URL,
  sqliteFile: join(dataDir, 'events.sqlite'),
});
const readModels = redisUrl
  ? await openRedisReadModelStore({ url: redisUrl, prefix: redisPrefix })
  : createMemoryReadModelStore();

const started = performance.now();
const rate = (events: number) => {
  const seconds = (performance.now() - started) / 1000;
  return seconds > 0 ? Math.round(events / seconds) : 0;
};
const BAR = 30;

/** One \r line: a bar by log position (positions of other stores than SQLite are not counts). */
function showProgress({ position, lastLogPosition, events }: RebuildProgress): void {
  const done = lastLogPosition === 0n ? 1 : Number(position) / Number(lastLogPosition);
  const filled = Math.round(Math.min(1, done) * BAR);
  const total = store.kind === 'sqlite' ? `/${lastLogPosition}` : '';
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${events}${total} events, ` +
      `${rate(events)} events/s   `,
  );
}

try {
  console.error(
    `Rebuilding ${projections.length} read models from the ${store.kind} log into ` +
      (redisUrl
        ? `Redis (${redisUrl}, keys under '${redisPrefix}')`
        : 'memory (dry run: set REDIS_URL to keep them)'),
  );
  const result = await rebuild({ store, readModels, projections, onProgress: showProgress });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  process.stderr.write('\n');
  console.log(
    `Rebuilt ${result.events} events up to position ${result.position} into version ` +
      `${result.version} in ${seconds} s: ${rate(result.events)} events/s`,
  );
} finally {
  await readModels.close();
  await store.close();
}
