/**
 * The event store port. Both sides follow the same global log (the write-side appends and runs the
 * deadline scheduler, the read-side projects), so the port and its adapters live in the shared package.
 *
 * Positions and revisions are bigint inside; they become strings only on the wire.
 */

/** An event as handed to `append`: the envelope's id, type, data and metadata, not yet positioned. */
export interface NewEvent {
  /** uuid; a retried append with the same ids at the same place writes nothing new. */
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** An event as stored: positioned in its stream (revision, from 0) and in the global log (position, from 1). */
export interface RecordedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly stream: string;
  readonly revision: bigint;
  readonly position: bigint;
  /** When the store committed it (UTC). */
  readonly recordedAt: Date;
}

export type ExpectedRevision = 'no-stream' | 'stream-exists' | 'any' | bigint;

export interface AppendResult {
  /** Revision of the last event written (the stream's revision after the append). */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event written. */
  readonly position: bigint;
}

export interface ReadStreamOptions {
  /** First revision to read, inclusive. Defaults to 0. */
  readonly fromRevision?: bigint;
}

export interface ReadAllOptions {
  /** Read events strictly after this position. Defaults to the start of the log. */
  readonly fromPosition?: bigint;
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** Resume exclusively after this position; omitted means from the start of the log. */
  readonly fromPosition?: bigint;
}

/**
 * A catch-up subscription on the global log: iterate it with `for await` (back-pressure: the next event
 * is fetched only when the consumer asks). `close()` ends the iteration.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  readonly kind: 'sqlite' | 'eventstoredb';
  append(
    stream: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /** Streams the events of one stream in revision order; throws StreamNotFoundError when it has none. */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** Streams the global log in position order, never holding it all in memory. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** Catches up from `fromPosition`, then goes live. */
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** The position of the last event in the log, 0n when empty. */
  lastPosition(): Promise<bigint>;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's current revision, or 'no-stream'. */
    readonly actual: bigint | 'no-stream',
  ) {
    super(
      `Wrong expected revision on ${stream}: expected ${String(expected)}, actual ${String(actual)}`,
    );
  }
}

export class StreamNotFoundError extends Error {
  override readonly name = 'StreamNotFoundError';
  constructor(readonly stream: string) {
    super(`Stream not found: ${stream}`);
  }
}

/** The same event ids are already stored somewhere else than where this append would put them. */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  constructor(
    readonly stream: string,
    readonly ids: readonly string[],
  ) {
    super(`Event ids already stored elsewhere (appending to ${stream}): ${ids.join(', ')}`);
  }
}
