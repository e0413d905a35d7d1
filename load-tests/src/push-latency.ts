/**
 * Push latency bench (figures only, no assertions):
 *
 *   npm run bench:push -w @kefalet/load-tests [-- --scaled] [--applications 100] [--banks 9]
 *     [--revisions 1] [--concurrency 8]
 *
 * Measures, per offer (a submission or a revision), the time from the moment the bank's HTTP 2xx
 * arrives to the moment the exporter's socket receives the board update that carries that offer
 * version (matched by offerId and offer version). The exporter follows every application's room.
 * Baseline: GET /api/health round trips, idle and during the load. Then it rebuilds the read
 * models from the resulting log with `npm run rebuild -w @kefalet/read-side` (REDIS_URL set, so
 * the rebuild really writes) and prints its rate.
 *
 * Targets: the embedded product (default), or with --scaled one write-side and two read-sides on
 * Redis, the exporter connected to the second read-side. Logins are rate limited to 10 a minute,
 * so at most 9 banks (plus the exporter) take part.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { startProduct } from './product';
import {
  claimRedisDatabase,
  createApplication,
  DEFAULT_REDIS_URL,
  DEMO_PASSWORD,
  redisAnswers,
  reviseOffer,
  ROOT,
  startScaled,
  submitOffer,
  type OfferResult,
} from './scaled';
import { login, percentile } from './scenario';

const BANKS = ['0010', '0012', '0015', '0032', '0046', '0062', '0064', '0067', '0099'];
/** The server's limit of rooms per connection. */
const ROOMS_PER_SOCKET = 100;

interface Target {
  readonly label: string;
  /** Where commands and logins go. */
  readonly commandUrl: string;
  /** Where the exporter's socket connects. */
  readonly liveUrl: string;
  readonly health: readonly { label: string; url: string }[];
  readonly dataDir: string;
  /** Stops the processes; the data folder (and Redis database) stay for the rebuild. */
  stopProcesses(): Promise<void>;
  /** Runs the rebuild against the data folder and returns its summary line. */
  rebuild(): Promise<string>;
  cleanUp(): Promise<void>;
}

interface BoardUpdate {
  room: string;
  version: number;
  payload: { board: { offers: { offerId: string; version: number }[] } };
}

const { values: args } = parseArgs({
  options: {
    scaled: { type: 'boolean', default: false },
    applications: { type: 'string', default: '100' },
    banks: { type: 'string', default: String(BANKS.length) },
    revisions: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '8' },
  },
});
const applications = Number(args.applications);
const bankCount = Math.min(BANKS.length, Number(args.banks));
const revisions = Number(args.revisions);
const concurrency = Number(args.concurrency);
const redisBase = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** `npm run rebuild -w @kefalet/read-side` on `dataDir`; its "Rebuilt ..." line. */
function runRebuild(dataDir: string, redisUrl: string | undefined): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  if (redisUrl) env.REDIS_URL = redisUrl;
  else delete env.REDIS_URL;
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'rebuild', '-w', '@kefalet/read-side'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('Rebuilt '));
      if (code === 0 && line) resolve(`${line}${redisUrl ? ` (Redis ${redisUrl})` : ' (dry run)'}`);
      else reject(new Error(`rebuild exited with ${code}: ${output}`));
    });
  });
}

async function embedded(): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefalet-bench-'));
  // the data folder is ours (startProduct deletes only its own), kept for the rebuild
  const product = await startProduct({ DATA_DIR: dataDir, REDIS_URL: '' });
  let stopped: Promise<void> | undefined;
  return {
    label: 'embedded (one process, memory read models)',
    commandUrl: product.baseUrl,
    liveUrl: product.baseUrl,
    health: [{ label: 'embedded', url: product.baseUrl }],
    dataDir,
    stopProcesses: () => (stopped ??= product.stop()),
    async rebuild() {
      if (!(await redisAnswers(redisBase))) return runRebuild(dataDir, undefined);
      const redis = await claimRedisDatabase(redisBase);
      try {
        return await runRebuild(dataDir, redis.url);
      } finally {
        await redis.release();
      }
    },
    cleanUp: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function scaled(): Promise<Target> {
  const product = await startScaled({ readSides: 2, redisUrl: redisBase });
  const [readA, readB] = product.readUrls as [string, string];
  return {
    label: 'scaled (write-side + 2 read-sides, Redis; exporter on read-side B)',
    commandUrl: product.writeUrl,
    liveUrl: readB,
    health: [
      { label: 'write-side', url: product.writeUrl },
      { label: 'read-side B', url: readB },
      { label: 'read-side A', url: readA },
    ],
    dataDir: product.dataDir,
    stopProcesses: () => product.stopProcesses(),
    rebuild: () => runRebuild(product.dataDir, product.redisUrl),
    cleanUp: () => product.stop(),
  };
}

async function timedHealth(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/api/health`);
  await response.arrayBuffer();
  return performance.now() - started;
}

function summary(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    `median ${ms(percentile(sorted, 50))}, p90 ${ms(percentile(sorted, 90))}, ` +
    `p99 ${ms(percentile(sorted, 99))}, max ${ms(sorted.at(-1) ?? Number.NaN)} (n=${sorted.length})`
  );
}

async function connectExporter(url: string, cookie: string): Promise<Socket> {
  const socket = io(`${url}/live`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { cookie },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

async function measure(target: Target): Promise<void> {
  const banks = BANKS.slice(0, bankCount);
  const [exporter, ...bankCookies] = await Promise.all(
    ['exporter@demo.test', ...banks.map((code) => `bank.${code}@demo.test`)].map((email) =>
      login(target.commandUrl, email, DEMO_PASSWORD),
    ),
  );

  const ids: string[] = [];
  for (let i = 0; i < applications; i++) {
    ids.push(await createApplication(target.commandUrl, exporter!));
  }

  // the exporter follows every room; when an update arrives, each offer version it carries is seen
  const seen = new Map<string, number>();
  /** Per room: the highest version so far (the snapshot's at first) and every version received. */
  const lastVersion = new Map<string, number>();
  const snapshotVersion = new Map<string, number>();
  const received = new Map<string, Set<number>>();
  let gaps = 0;
  let reordered = 0;
  let duplicates = 0;
  let updates = 0;
  const sockets: Socket[] = [];
  try {
    for (let from = 0; from < ids.length; from += ROOMS_PER_SOCKET) {
      const socket = await connectExporter(target.liveUrl, exporter!);
      sockets.push(socket);
      socket.on('board:update', (update: BoardUpdate) => {
        const now = performance.now();
        updates++;
        const last = lastVersion.get(update.room) ?? 0;
        const versions = received.get(update.room) ?? new Set<number>();
        if (versions.has(update.version)) duplicates++;
        else if (update.version <= last) reordered++;
        if (update.version > last + 1) gaps++;
        if (update.version > last) lastVersion.set(update.room, update.version);
        received.set(update.room, versions.add(update.version));
        for (const offer of update.payload.board.offers) {
          const key = `${offer.offerId}:${offer.version}`;
          if (!seen.has(key)) seen.set(key, now);
        }
      });
      await Promise.all(
        ids.slice(from, from + ROOMS_PER_SOCKET).map(async (id) => {
          const room = `application:${id}`;
          // a read-side that has not projected the application yet refuses the room
          for (let attempt = 0; ; attempt++) {
            const ack = (await socket.timeout(10_000).emitWithAck('subscribe', { room })) as
              { version: number } | { error: { code: string } };
            if (!('error' in ack)) {
              lastVersion.set(room, ack.version);
              snapshotVersion.set(room, ack.version);
              break;
            }
            if (attempt > 200) throw new Error(`subscribe ${room}: ${JSON.stringify(ack)}`);
            await sleep(50);
          }
        }),
      );
    }

    const idleByTarget = new Map(target.health.map((h) => [h.label, [] as number[]]));
    for (let i = 0; i < 50; i++) {
      for (const h of target.health) idleByTarget.get(h.label)!.push(await timedHealth(h.url));
    }

    // the load: each worker owns its applications, so no two commands race on one stream
    const sent: OfferResult[] = [];
    const conflicts = { count: 0 };
    const underLoad = new Map(target.health.map((h) => [h.label, [] as number[]]));
    let loading = true;
    const probe = (async () => {
      while (loading) {
        for (const h of target.health) underLoad.get(h.label)!.push(await timedHealth(h.url));
        await sleep(20);
      }
    })();
    const started = performance.now();
    const worker = async (w: number) => {
      const mine = ids.filter((_, i) => i % concurrency === w);
      const offerIds = new Map<string, string>();
      for (let round = 0; round <= revisions; round++) {
        for (const [a, id] of mine.entries()) {
          for (const [b, cookie] of bankCookies.entries()) {
            const rate = (36 + ((a * 7 + b * 3 + round * 5) % 1200) / 100).toFixed(2);
            const key = `${id}:${b}`;
            for (let attempt = 0; ; attempt++) {
              try {
                const existing = offerIds.get(key);
                const result = existing
                  ? await reviseOffer(target.commandUrl, cookie, id, existing, {
                      interestRate: rate,
                    })
                  : await submitOffer(target.commandUrl, cookie, id, { interestRate: rate });
                offerIds.set(key, result.offerId);
                sent.push(result);
                break;
              } catch (error) {
                if (attempt < 3 && String(error).includes(' 409 ')) {
                  conflicts.count++;
                  continue;
                }
                throw error;
              }
            }
          }
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
    const elapsed = (performance.now() - started) / 1000;
    loading = false;
    await probe;

    // the read-side may lag behind: wait while updates keep coming (up to 20 s without one)
    const waitStarted = performance.now();
    let progress = { seen: seen.size, at: Date.now() };
    while (sent.some((o) => !seen.has(`${o.offerId}:${o.version}`))) {
      if (seen.size !== progress.seen) progress = { seen: seen.size, at: Date.now() };
      if (Date.now() - progress.at > 20_000) break;
      await sleep(20);
    }
    const drained = (performance.now() - waitStarted) / 1000;
    let lost = 0;
    for (const [room, versions] of received) {
      const from = snapshotVersion.get(room)!;
      for (let v = from + 1; v <= lastVersion.get(room)!; v++) if (!versions.has(v)) lost++;
    }
    const latencies: number[] = [];
    let missing = 0;
    for (const offer of sent) {
      const at = seen.get(`${offer.offerId}:${offer.version}`);
      if (at === undefined) missing++;
      else latencies.push(at - offer.at);
    }
    const early = latencies.filter((l) => l < 0).length;

    console.log(`\n== push latency, ${target.label}`);
    console.log(
      `   ${applications} applications x ${banks.length} banks x ${1 + revisions} ` +
        `(submission + ${revisions} revision${revisions === 1 ? '' : 's'}) = ${sent.length} offers, ` +
        `${concurrency} concurrent bank clients, ${elapsed.toFixed(1)} s ` +
        `(${Math.round(sent.length / elapsed)} offers/s)`,
    );
    console.log(`   bank 2xx -> exporter board:update: ${summary(latencies)}`);
    console.log(
      `   matched ${latencies.length}, missing ${missing}, update before the 2xx ${early}, ` +
        `409 retries ${conflicts.count}`,
    );
    console.log(
      `   board updates ${updates}: ${gaps} ahead of a missing version (a client resubscribes), ` +
        `${reordered} arrived after a newer one, ${duplicates} duplicates, ` +
        `${lost} versions never arrived; ` +
        `the last updates came ${drained.toFixed(1)} s after the last 2xx`,
    );
    for (const h of target.health) {
      const idleMedian = percentile(
        [...idleByTarget.get(h.label)!].sort((a, b) => a - b),
        50,
      );
      console.log(
        `   GET /api/health (${h.label}): idle median ${ms(idleMedian)}; ` +
          `during the load ${summary(underLoad.get(h.label)!)}`,
      );
    }
  } finally {
    for (const socket of sockets) socket.close();
  }
}

const target = await (args.scaled ? scaled() : embedded());
try {
  await measure(target);
  await target.stopProcesses();
  console.log(`   rebuild: ${await target.rebuild()}`);
} finally {
  await target.stopProcesses();
  await target.cleanUp();
}
