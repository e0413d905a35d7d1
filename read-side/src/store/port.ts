/**
 * The read-model store port: JSON documents by collection and id, sorted indexes of ids by score, and
 * per-projection checkpoints, all inside a *version*.
 *
 * - Queries read the current version (`ReadModelStore`'s reader methods); each read resolves the
 *   current version and reads it in one step, so it never mixes two versions.
 * - The only write is `applyBatch` on a version: its ops and checkpoint moves land together or not at
 *   all, and only if every checkpoint still holds the position the writer read. A replayed event, or
 *   one a concurrent runner already applied, is refused as 'stale' and changes nothing.
 * - A rebuild fills a fresh version from `createVersion()` while queries keep reading the current one;
 *   `swap` makes it current in one step and retires the old one (later batches into it are 'stale',
 *   its data is deleted).
 *
 * Documents are JSON: what `get` returns is a copy, bigints must be strings. Checkpoints are log
 * positions (bigint), 0n meaning "nothing applied yet".
 */

/** One change inside a batch. The member of an index is a document id (or any string). */
export type Op =
  | {
      readonly type: 'put';
      readonly collection: string;
      readonly id: string;
      readonly doc: unknown;
    }
  | { readonly type: 'delete'; readonly collection: string; readonly id: string }
  | {
      readonly type: 'index';
      readonly index: string;
      readonly member: string;
      /** Finite; adding a member again moves it to the new score. */
      readonly score: number;
    }
  | { readonly type: 'unindex'; readonly index: string; readonly member: string };

export interface CheckpointMove {
  readonly projection: string;
  /** The checkpoint the writer read (0n when none): the batch applies only if it still holds. */
  readonly from: bigint;
  /** The position applied by this batch; greater than `from`. */
  readonly to: bigint;
}

export interface Batch {
  readonly checkpoints: readonly CheckpointMove[];
  readonly ops: readonly Op[];
}

export type BatchOutcome = 'applied' | 'stale';

export interface IndexEntry {
  readonly member: string;
  readonly score: number;
}

export interface ScoreBounds {
  /** Inclusive; defaults to -Infinity. */
  readonly min?: number;
  /** Inclusive; defaults to +Infinity. */
  readonly max?: number;
}

export interface RangeOptions extends ScoreBounds {
  /** Highest score first (ties: member descending). Defaults to ascending. */
  readonly reverse?: boolean;
  readonly offset?: number;
  /** At most this many entries; all when omitted. */
  readonly limit?: number;
}

/** Reads of one version. Entries are ordered by score, ties by member (byte order), as Redis does. */
export interface ReadModelReader {
  get<T = unknown>(collection: string, id: string): Promise<T | undefined>;
  /** One result per id, in the same order. */
  getMany<T = unknown>(collection: string, ids: readonly string[]): Promise<(T | undefined)[]>;
  range(index: string, options?: RangeOptions): Promise<IndexEntry[]>;
  count(index: string, bounds?: ScoreBounds): Promise<number>;
  /** The position the projection has applied; 0n when nothing. */
  checkpoint(projection: string): Promise<bigint>;
}

/** One version of the read models: the runner reads and writes through it. */
export interface ReadModelVersion extends ReadModelReader {
  readonly id: string;
  /**
   * Writes the ops and moves the checkpoints atomically, if every checkpoint still equals its `from`
   * and the version has not been retired; otherwise writes nothing and returns 'stale'.
   * Throws InvalidBatchError (writing nothing) for a batch no store could hold.
   */
  applyBatch(batch: Batch): Promise<BatchOutcome>;
}

/** The reader methods read the current version; an empty store (no version yet) reads as empty. */
export interface ReadModelStore extends ReadModelReader {
  /** The version queries read, created empty on first use. */
  current(): Promise<ReadModelVersion>;
  /** A fresh, empty version that no query reads until it is swapped in. */
  createVersion(): Promise<ReadModelVersion>;
  /**
   * Makes `version` current in one step and retires the previous current version, deleting its data.
   * Throws if `version` was retired or dropped.
   */
  swap(version: ReadModelVersion): Promise<void>;
  /** Retires and deletes a version that is not current (an abandoned rebuild). */
  drop(version: ReadModelVersion): Promise<void>;
  close(): Promise<void>;
}

/** A programming error in a batch (a value that is not JSON, a checkpoint not moving forward). */
export class InvalidBatchError extends Error {
  override readonly name = 'InvalidBatchError';
}
