import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../../src/store/port';
import {
  openSqliteEventStore,
  type SqliteEventStore,
  type SqliteEventStoreOptions,
} from '../../src/store/sqlite';
import {
  collect,
  describeEventStoreContract,
  newEvents,
  nextOf,
  uniqueStream,
  within,
} from './contract';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kefalet-store-'));
let files = 0;
const freshFile = () => join(dir, `events-${++files}.db`);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Every connection the contract opens shares one file, so it never starts from an empty log.
const contractFile = freshFile();
describeEventStoreContract('sqlite', async () => {
  const store = openSqliteEventStore({ file: contractFile });
  return { store, cleanup: () => store.close() };
});

describe('sqlite adapter', () => {
  const opened: SqliteEventStore[] = [];
  const open = (file = freshFile(), options?: Omit<SqliteEventStoreOptions, 'file'>) => {
    const store = openSqliteEventStore({ file, ...options });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('runs in WAL with synchronous=FULL and a busy timeout', () => {
    expect(open(join(dir, 'nested', 'folder', 'events.db')).settings()).toEqual({
      journalMode: 'wal',
      synchronous: 2,
      busyTimeoutMs: expect.any(Number),
    });
    expect(open().settings().busyTimeoutMs).toBeGreaterThan(0);
  });

  it('numbers a fresh log 1, 2, 3… in commit order across streams', async () => {
    const store = open();
    expect(await store.lastPosition()).toBe(0n);
    await store.append('firm-1', newEvents(3), { expectedRevision: 'no-stream' });
    await store.append('firm-2', newEvents(2), { expectedRevision: 'no-stream' });

    const all = await collect(store.readAll());
    expect(all.map((event) => event.position)).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(await store.lastPosition()).toBe(5n);
  });

  it('keeps everything across a reopen, storing JSON text and UTC ISO timestamps', async () => {
    const file = freshFile();
    const first = open(file);
    const events = newEvents(3);
    await first.append('member-1', events, { expectedRevision: 'no-stream' });
    const written = await collect(first.readAll());
    await first.close();

    const reopened = open(file);
    expect(await collect(reopened.readAll())).toEqual(written);
    const next = await reopened.append('member-1', newEvents(1), { expectedRevision: 2n });
    expect(next).toEqual({ nextExpectedRevision: 3n, position: 4n });

    const raw = new Database(file, { readonly: true });
    try {
      const row = raw.prepare('SELECT data, recorded_at FROM events WHERE position = 1').get() as {
        data: string;
        recorded_at: string;
      };
      expect(JSON.parse(row.data)).toEqual(events[0]!.data);
      expect(row.recorded_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    } finally {
      raw.close();
    }
  });

  describe('event ids', () => {
    it("treats a retry with 'any' at the same place as the same append", async () => {
      const store = open();
      const events = newEvents(2);
      await store.append('bank-1', newEvents(1), { expectedRevision: 'no-stream' });
      const first = await store.append('bank-1', events, { expectedRevision: 'any' });
      await store.append('bank-2', newEvents(1), { expectedRevision: 'any' });

      expect(await store.append('bank-1', events, { expectedRevision: 'any' })).toEqual(first);
      expect(await store.append('bank-1', events, { expectedRevision: 'stream-exists' })).toEqual(
        first,
      );
      expect(await store.lastPosition()).toBe(4n);
    });

    it('rejects ids already stored elsewhere, writing nothing', async () => {
      const store = open();
      const events = newEvents(2);
      await store.append('bank-1', events, { expectedRevision: 'no-stream' });
      await store.append('bank-1', newEvents(1), { expectedRevision: 1n });

      const attempts = [
        store.append('bank-2', events, { expectedRevision: 'any' }),
        store.append('bank-1', events, { expectedRevision: 2n }),
        store.append('bank-1', [...events].reverse(), { expectedRevision: 'no-stream' }),
        store.append('bank-1', [...newEvents(1), events[0]!], { expectedRevision: 2n }),
      ];
      for (const attempt of attempts) {
        await expect(attempt).rejects.toBeInstanceOf(DuplicateEventIdError);
      }
      expect(await store.lastPosition()).toBe(3n);
    });

    it('checks the expected revision only for ids not yet stored', async () => {
      const store = open();
      await store.append('bank-1', newEvents(1), { expectedRevision: 'no-stream' });
      await expect(
        store.append('bank-1', newEvents(1), { expectedRevision: 'no-stream' }),
      ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    });

    it('rejects an empty append and duplicate ids within one append', async () => {
      const store = open();
      const [event] = newEvents(1);
      await expect(store.append('bank-1', [], { expectedRevision: 'any' })).rejects.toThrow(
        TypeError,
      );
      await expect(
        store.append('bank-1', [event!, event!], { expectedRevision: 'any' }),
      ).rejects.toThrow(TypeError);
      expect(await store.lastPosition()).toBe(0n);
    });
  });

  it('waits out a write lock held longer than busy_timeout instead of failing', async () => {
    const file = freshFile();
    const store = open(file);
    const blocker = new Database(file);
    blocker.exec('BEGIN IMMEDIATE');
    const release = setTimeout(() => {
      blocker.exec('COMMIT');
      blocker.close();
    }, 3 * store.settings().busyTimeoutMs);

    const startedAt = Date.now();
    const result = await store.append('firm-1', newEvents(1), { expectedRevision: 'no-stream' });
    clearTimeout(release);
    expect(result.position).toBe(1n);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(2 * store.settings().busyTimeoutMs);
  });

  it('rejects calls after close()', async () => {
    const store = open();
    await store.close();
    await expect(store.lastPosition()).rejects.toThrow(/closed/);
    await expect(store.append('firm-1', newEvents(1), { expectedRevision: 'any' })).rejects.toThrow(
      /closed/,
    );
  });

  it("supports ':memory:' for throwaway logs", async () => {
    const store = open(':memory:');
    await store.append('firm-1', newEvents(2), { expectedRevision: 'no-stream' });
    const subscription = store.subscribeToAll();
    const events = subscription[Symbol.asyncIterator]();
    try {
      expect(await nextOf(events, 'firm-1', 2)).toHaveLength(2);
      await store.append('firm-1', newEvents(1), { expectedRevision: 1n });
      expect((await nextOf(events, 'firm-1', 1))[0]!.position).toBe(3n);
    } finally {
      await subscription.close();
    }
  });

  describe('several processes on one file', () => {
    it('gives two concurrent writer processes contiguous positions and no errors', async () => {
      const file = freshFile();
      open(file); // creates the schema before the race
      const [a, b] = [
        startWriter([file, uniqueStream('writer-a'), '300', 'shared-1', '3']),
        startWriter([file, uniqueStream('writer-b'), '300', 'shared-1', '3']),
      ];
      await Promise.all([a.ready, b.ready]);
      a.go();
      b.go();
      const results = await Promise.all([a.finished, b.finished]);

      for (const result of results) {
        expect(result).toMatchObject({
          code: 0,
          summary: { appended: 300, shared: 100, errors: [] },
        });
      }
      // SQLite's lock is not fair: under back-to-back appends one writer may wait a while.
      console.info(
        'slowest append per writer (ms):',
        results.map((r) => r.summary.slowestAppendMs),
      );
      const store = open(file);
      let expected = 1n;
      for await (const event of store.readAll()) {
        expect(event.position).toBe(expected);
        expected += 1n;
      }
      expect(expected - 1n).toBe(800n);
      const shared = await collect(store.readStream('shared-1'));
      expect(shared.map((event) => event.revision)).toEqual(
        Array.from({ length: 200 }, (_, i) => BigInt(i)),
      );
    }, 20_000);

    it.each([
      { how: 'watching the WAL file', options: {}, withinMs: 100 },
      { how: 'polling alone', options: { watchWal: false, pollIntervalMs: 5 }, withinMs: 100 },
    ])('wakes a subscriber here soon after a commit in another process, $how', async (setup) => {
      const file = freshFile();
      const store = open(file, setup.options);
      const stream = uniqueStream('foreign');
      const writer = startWriter([file, stream, '1']);
      await writer.ready;

      const subscription = store.subscribeToAll({ fromPosition: await store.lastPosition() });
      const events = subscription[Symbol.asyncIterator]();
      try {
        const received = nextOf(events, stream, 1).then(([event]) => ({ event, at: Date.now() }));
        writer.go();
        const { event, at } = await received;
        // recordedAt is taken just before the commit, so this includes the other process's fsync.
        const latencyMs = at - event!.recordedAt.getTime();
        console.info(`cross-process subscriber latency, ${setup.how}: ${latencyMs} ms`);
        expect(latencyMs).toBeLessThan(setup.withinMs);
        expect((await writer.finished).code).toBe(0);
      } finally {
        await subscription.close();
      }
    });
  });
});

interface WriterResult {
  code: number | null;
  summary: { appended: number; shared: number; errors: string[]; slowestAppendMs: number };
}

function startWriter(args: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(HERE, 'writer-process.ts'), ...args],
    {
      cwd: HERE,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit') as Promise<[number | null]>;

  const ready = within(
    Promise.race([
      new Promise<void>((resolve) =>
        child.stdout.on('data', () => stdout.startsWith('ready\n') && resolve()),
      ),
      exited.then(([code]) => {
        throw new Error(`writer exited with ${code} before it was ready: ${stderr}`);
      }),
    ]),
    10_000,
  );
  const finished: Promise<WriterResult> = exited.then(([code]) => {
    const summary = stdout.trim().split('\n').at(-1) ?? '';
    if (!summary.startsWith('{')) throw new Error(`writer printed no summary (${code}): ${stderr}`);
    return { code, summary: JSON.parse(summary) };
  });
  return { ready, finished, go: () => child.stdin.end('go\n') };
}
