/**
 * The embedded adapter of the event store port: one SQLite file (better-sqlite3, WAL).
 *
 * Every append is a `BEGIN IMMEDIATE` transaction, so writers (in this process or another) are
 * serialised by SQLite's write lock and positions are handed out contiguously in commit order.
 * Reads fetch pages with `.all()`, so no statement (nor read transaction) stays open across an
 * await.
 * Subscriptions wake on this connection's appends directly and on other processes' commits through
 * `PRAGMA data_version`, checked when the WAL file changes and on a slow safety poll.
 */
import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import {
  DuplicateEventIdError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from './port';

export interface SqliteEventStoreOptions {
  /** The database file (its folder is created), or ':memory:' for a private throwaway log. */
  readonly file: string;
  /**
   * Watch the WAL file to see other processes' commits within a millisecond or two (default true).
   * Off, only the poll finds them: for file systems whose change events cannot be trusted.
   */
  readonly watchWal?: boolean;
  /** How often waiting subscriptions poll for other processes' commits. Defaults to 50 ms. */
  readonly pollIntervalMs?: number;
}

export interface SqliteEventStore extends EventStore {
  readonly kind: 'sqlite';
  /** The connection's durability settings, for diagnostics and tests. */
  settings(): { journalMode: string; synchronous: number; busyTimeoutMs: number };
}

/** Thrown when an append reuses event ids already stored anywhere but at the same place. */
const PAGE_SIZE = 500;
// better-sqlite3 waits for a lock synchronously, freezing the event loop: appends wait at most
// BUSY_TIMEOUT_MS at a time, then back off asynchronously until BUSY_DEADLINE_MS. Opening
// (switching to WAL, creating the table) happens once, so it may wait longer.
const BUSY_TIMEOUT_MS = 20;
const BUSY_DEADLINE_MS = 30_000;
const OPEN_BUSY_TIMEOUT_MS = 10_000;
const DEFAULT_POLL_INTERVAL_MS = 50;
// Long enough to cover a slow disk's fsync between the WAL write and the commit becoming visible.
const WAL_BURST_MS = 50;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position    INTEGER PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE,
    stream      TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    UNIQUE (stream, revision)
  )`;

const COLUMNS = 'position, id, stream, revision, type, data, metadata, recorded_at';

interface EventRow {
  position: bigint;
  id: string;
  stream: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

type StoredIdRow = Pick<EventRow, 'id' | 'stream' | 'revision' | 'position'>;
type SerializedEvent = Pick<EventRow, 'id' | 'type' | 'data' | 'metadata'>;

export function openSqliteEventStore(options: SqliteEventStoreOptions): SqliteEventStore {
  const memory = options.file === ':memory:';
  if (!memory) mkdirSync(dirname(resolve(options.file)), { recursive: true });
  const db = new Database(options.file, { timeout: OPEN_BUSY_TIMEOUT_MS });
  try {
    configure(db, memory);
  } catch (error) {
    db.close();
    throw error;
  }

  const statements = {
    storedIds: db
      .prepare<[string], StoredIdRow>(
        `SELECT id, stream, revision, position FROM events
         WHERE id IN (SELECT value FROM json_each(?))`,
      )
      .safeIntegers(),
    streamRevision: db
      .prepare<[string], { revision: bigint | null }>(
        'SELECT max(revision) AS revision FROM events WHERE stream = ?',
      )
      .safeIntegers(),
    lastPosition: db
      .prepare<[], { position: bigint }>(
        'SELECT coalesce(max(position), 0) AS position FROM events',
      )
      .safeIntegers(),
    insert: db.prepare<[EventRow]>(
      `INSERT INTO events (${COLUMNS})
       VALUES (@position, @id, @stream, @revision, @type, @data, @metadata, @recorded_at)`,
    ),
    allPage: db
      .prepare<[bigint, number], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
      )
      .safeIntegers(),
    streamPage: db
      .prepare<[string, bigint, number], EventRow>(
        `SELECT ${COLUMNS} FROM events
         WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      )
      .safeIntegers(),
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
  };

  const appendTransaction = db.transaction(
    (
      stream: string,
      events: readonly SerializedEvent[],
      expected: ExpectedRevision,
    ): AppendResult => {
      const ids = events.map((event) => event.id);
      const stored = statements.storedIds.all(JSON.stringify(ids));
      if (stored.length > 0) return replayedAppend(stream, ids, expected, stored);

      const current = statements.streamRevision.get(stream)?.revision ?? null;
      assertExpectedRevision(stream, expected, current);
      const recordedAt = new Date().toISOString();
      let position = statements.lastPosition.get()?.position ?? 0n;
      let revision = current ?? -1n;
      for (const event of events) {
        position += 1n;
        revision += 1n;
        statements.insert.run({ ...event, position, stream, revision, recorded_at: recordedAt });
      }
      return { nextExpectedRevision: revision, position };
    },
  );

  const commits = new CommitSignal(
    memory
      ? undefined
      : {
          version: () => statements.dataVersion.get() ?? 0,
          walFile: options.watchWal === false ? undefined : `${options.file}-wal`,
          pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
        },
  );
  const subscriptions = new Set<SqliteSubscription>();
  let closed = false;

  const assertOpen = () => {
    if (closed) throw new Error(`Event store ${options.file} is closed`);
  };

  const readAllPage = (after: bigint, limit: number) => statements.allPage.all(after, limit);

  return {
    kind: 'sqlite',

    async append(stream, events, { expectedRevision }) {
      assertOpen();
      if (events.length === 0) throw new TypeError(`Nothing to append to ${stream}`);
      if (new Set(events.map((event) => event.id)).size !== events.length) {
        throw new TypeError(`Duplicate event ids in one append to ${stream}`);
      }
      // Serialised before taking the write lock, which is held as briefly as possible.
      const serialized = events.map(({ id, type, data, metadata }) => ({
        id,
        type,
        data: JSON.stringify(data ?? null),
        metadata: JSON.stringify(metadata ?? null),
      }));
      const result = await retryWhileBusy(() => {
        assertOpen();
        return appendTransaction.immediate(stream, serialized, expectedRevision);
      });
      commits.notify();
      return result;
    },

    /** Lazy: a missing stream throws StreamNotFoundError on the first `next()`, not here. */
    async *readStream(stream: string, readOptions?: ReadStreamOptions) {
      assertOpen();
      let from = readOptions?.fromRevision ?? 0n;
      for (let first = true; ; first = false) {
        assertOpen();
        const rows = statements.streamPage.all(stream, from, PAGE_SIZE);
        if (
          first &&
          rows.length === 0 &&
          (statements.streamRevision.get(stream)?.revision ?? null) === null
        ) {
          throw new StreamNotFoundError(stream);
        }
        for (const row of rows) yield toRecordedEvent(row);
        const last = rows.at(-1);
        if (!last || rows.length < PAGE_SIZE) return;
        from = last.revision + 1n;
      }
    },

    async *readAll(readOptions?: ReadAllOptions) {
      assertOpen();
      let after = readOptions?.fromPosition ?? 0n;
      let remaining = readOptions?.maxCount ?? Infinity;
      if (remaining !== Infinity && !(Number.isSafeInteger(remaining) && remaining >= 0)) {
        throw new RangeError(`maxCount must be a whole number >= 0, got ${remaining}`);
      }
      while (remaining > 0) {
        assertOpen();
        const rows = readAllPage(after, Math.min(PAGE_SIZE, remaining));
        for (const row of rows) yield toRecordedEvent(row);
        const last = rows.at(-1);
        if (!last || rows.length < PAGE_SIZE) return;
        after = last.position;
        remaining -= rows.length;
      }
    },

    subscribeToAll(subscribeOptions?: SubscribeOptions) {
      const subscription = new SqliteSubscription(
        subscribeOptions?.fromPosition ?? 0n,
        readAllPage,
        commits,
        () => closed,
        () => subscriptions.delete(subscription),
      );
      if (!closed) subscriptions.add(subscription);
      return subscription;
    },

    async lastPosition() {
      assertOpen();
      return statements.lastPosition.get()?.position ?? 0n;
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      commits.close();
      db.close();
    },

    settings() {
      assertOpen();
      return {
        journalMode: String(db.pragma('journal_mode', { simple: true })),
        synchronous: Number(db.pragma('synchronous', { simple: true })),
        busyTimeoutMs: Number(db.pragma('busy_timeout', { simple: true })),
      };
    },
  };
}

function configure(db: Database.Database, memory: boolean): void {
  if (!memory) {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`SQLite refused WAL mode (got ${String(mode)})`);
  }
  // FULL syncs the WAL on every commit: an acknowledged append survives power loss.
  db.pragma('synchronous = FULL');
  db.exec(SCHEMA);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
}

/**
 * The same ids already stored: a retry of an append that committed (its acknowledgement was lost)
 * returns the original result, provided they sit in the same stream, in the same order, where the
 * expected revision puts them. Anything else is a client reusing ids.
 */
function replayedAppend(
  stream: string,
  ids: readonly string[],
  expected: ExpectedRevision,
  stored: readonly StoredIdRow[],
): AppendResult {
  const byId = new Map(stored.map((row) => [row.id, row]));
  const first = byId.get(ids[0] ?? '');
  const rows = ids.map((id) => byId.get(id));
  const inPlace =
    first !== undefined &&
    rows.every(
      (row, index) =>
        row !== undefined &&
        row.stream === stream &&
        row.revision === first.revision + BigInt(index),
    ) &&
    revisionFits(expected, first.revision);
  const last = rows.at(-1);
  if (!inPlace || !last) throw new DuplicateEventIdError(stream, [...byId.keys()]);
  return { nextExpectedRevision: last.revision, position: last.position };
}

/** Whether an append made with `expected` would have written its first event at `firstRevision`. */
function revisionFits(expected: ExpectedRevision, firstRevision: bigint): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no-stream':
      return firstRevision === 0n;
    case 'stream-exists':
      return firstRevision > 0n;
    default:
      return firstRevision === expected + 1n;
  }
}

function assertExpectedRevision(
  stream: string,
  expected: ExpectedRevision,
  current: bigint | null,
): void {
  const ok =
    expected === 'any' ||
    (expected === 'no-stream' && current === null) ||
    (expected === 'stream-exists' && current !== null) ||
    (typeof expected === 'bigint' && current === expected);
  if (!ok) throw new WrongExpectedRevisionError(stream, expected, current ?? 'no-stream');
}

async function retryWhileBusy<T>(attempt: () => T): Promise<T> {
  const deadline = Date.now() + BUSY_DEADLINE_MS;
  for (let tries = 0; ; tries++) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
    }
    // Jittered 1..8 ms: contending processes do not retry in lockstep, and short sleeps keep a
    // chance of catching the lock between another writer's back-to-back commits.
    await sleep(1 + Math.random() * Math.min(2 ** tries, 7));
  }
}

function isBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY');
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    recordedAt: new Date(row.recorded_at),
  };
}

/** How this connection learns of other connections' commits; absent for ':memory:'. */
interface ForeignCommits {
  /** `PRAGMA data_version`: changes exactly when another connection has committed. */
  readonly version: () => number;
  /** The WAL file, written by every commit, or undefined to rely on polling alone. */
  readonly walFile: string | undefined;
  readonly pollIntervalMs: number;
}

/**
 * Counts the commits this connection knows of: its own appends (notified directly) and other
 * connections'. Those are found by checking `data_version`, only while someone waits: every
 * `pollIntervalMs`, and every millisecond for a short burst after the WAL file changes (the write
 * comes before the commit's fsync, so one check at the change would be too early).
 */
class CommitSignal {
  #count = 0;
  readonly #waiters = new Set<() => void>();
  #lastForeign: number | undefined;
  #poll: NodeJS.Timeout | undefined;
  #burst: NodeJS.Timeout | undefined;
  #burstUntil = 0;
  #watcher: FSWatcher | undefined;

  constructor(private readonly foreign: ForeignCommits | undefined) {
    this.#lastForeign = foreign?.version();
    if (foreign?.walFile) this.#watcher = watchQuietly(foreign.walFile, () => this.#walChanged());
  }

  get count(): number {
    return this.#count;
  }

  notify(): void {
    this.#count += 1;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Calls `wake` once a commit newer than `seen` is known; returns the cancellation. */
  wait(seen: number, wake: () => void): () => void {
    if (this.#count !== seen) {
      wake();
      return () => {};
    }
    this.#waiters.add(wake);
    if (this.foreign && this.#poll === undefined) {
      this.#poll = setInterval(() => this.#check(), this.foreign.pollIntervalMs);
    }
    // The WAL may have changed just before this wait, for a commit not yet visible to the read.
    if (performance.now() < this.#burstUntil) this.#startBurst();
    return () => this.#waiters.delete(wake);
  }

  close(): void {
    this.#watcher?.close();
    this.#stopTimers();
  }

  #walChanged(): void {
    this.#burstUntil = performance.now() + WAL_BURST_MS;
    if (this.#waiters.size > 0) this.#startBurst();
  }

  #startBurst(): void {
    this.#burst ??= setInterval(() => {
      if (performance.now() > this.#burstUntil) {
        clearInterval(this.#burst);
        this.#burst = undefined;
      } else this.#check();
    }, 1);
  }

  #check(): void {
    if (this.#waiters.size === 0) return this.#stopTimers();
    const version = this.foreign?.version();
    if (version === this.#lastForeign) return;
    this.#lastForeign = version;
    this.notify();
  }

  #stopTimers(): void {
    clearInterval(this.#poll);
    clearInterval(this.#burst);
    this.#poll = this.#burst = undefined;
  }
}

/** A watch that never keeps the process alive and, if the platform fails it, is simply absent. */
function watchQuietly(file: string, onChange: () => void): FSWatcher | undefined {
  try {
    const watcher = watch(file, { persistent: false }, onChange);
    watcher.on('error', () => watcher.close());
    return watcher;
  } catch {
    return undefined;
  }
}

class SqliteSubscription implements Subscription {
  #closed = false;
  #iterated = false;
  #wake: (() => void) | undefined;

  constructor(
    private readonly fromPosition: bigint,
    private readonly readPage: (after: bigint, limit: number) => EventRow[],
    private readonly commits: CommitSignal,
    private readonly storeClosed: () => boolean,
    private readonly onClose: () => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.#iterated) throw new Error('A subscription can be iterated only once');
    this.#iterated = true;
    return this.#events();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.onClose();
    this.#wake?.();
  }

  #ended(): boolean {
    return this.#closed || this.storeClosed();
  }

  async *#events(): AsyncGenerator<RecordedEvent> {
    let position = this.fromPosition;
    try {
      while (!this.#ended()) {
        // Taken before the read: a commit landing after it bumps the count, so none is missed.
        const seen = this.commits.count;
        const rows = this.readPage(position, PAGE_SIZE);
        for (const row of rows) {
          yield toRecordedEvent(row);
          position = row.position;
          if (this.#ended()) return;
        }
        if (rows.length < PAGE_SIZE) await this.#nextCommit(seen);
      }
    } finally {
      // A consumer that breaks out of `for await` is done with the subscription too.
      await this.close();
    }
  }

  async #nextCommit(seen: number): Promise<void> {
    let cancel = () => {};
    await new Promise<void>((resolve) => {
      this.#wake = resolve;
      cancel = this.commits.wait(seen, resolve);
    });
    cancel();
    this.#wake = undefined;
  }
}
