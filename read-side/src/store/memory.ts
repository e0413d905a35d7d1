/**
 * The in-memory adapter of the read-model store port, for the embedded mode (read models are rebuilt
 * from the log at start). Documents are kept as JSON text, so readers get copies and values behave as
 * they do in Redis. Every method does its reads and writes without awaiting in between, which makes
 * each one atomic against the others.
 */
import { serialiseBatch } from './batch';
import type {
  Batch,
  BatchOutcome,
  IndexEntry,
  RangeOptions,
  ReadModelReader,
  ReadModelStore,
  ReadModelVersion,
  ScoreBounds,
} from './port';

interface VersionData {
  readonly docs: Map<string, Map<string, string>>;
  readonly indexes: Map<string, SortedIndex>;
  readonly checkpoints: Map<string, bigint>;
}

export function createMemoryReadModelStore(): ReadModelStore {
  // Live versions only: retiring a version deletes its data, and its handles then read as empty.
  const versions = new Map<string, VersionData>();
  let currentId: string | undefined;
  let lastId = 0;

  const newVersion = (): string => {
    const id = String(++lastId);
    versions.set(id, { docs: new Map(), indexes: new Map(), checkpoints: new Map() });
    return id;
  };
  const handle = (id: string): ReadModelVersion => ({
    id,
    ...reader(() => versions.get(id)),
    applyBatch: async (batch) => apply(versions.get(id), batch),
  });

  return {
    ...reader(() => (currentId === undefined ? undefined : versions.get(currentId))),
    async current() {
      currentId ??= newVersion();
      return handle(currentId);
    },
    async createVersion() {
      return handle(newVersion());
    },
    async swap(version) {
      if (!versions.has(version.id)) throw new Error(`Read-model version ${version.id} is retired`);
      if (currentId !== undefined && currentId !== version.id) versions.delete(currentId);
      currentId = version.id;
    },
    async drop(version) {
      if (version.id === currentId) throw new Error(`Cannot drop the current version ${currentId}`);
      versions.delete(version.id);
    },
    async close() {},
  };
}

function reader(data: () => VersionData | undefined): ReadModelReader {
  const parse = <T>(text: string | undefined) =>
    text === undefined ? undefined : (JSON.parse(text) as T);
  return {
    async get<T>(collection: string, id: string) {
      return parse<T>(data()?.docs.get(collection)?.get(id));
    },
    async getMany<T>(collection: string, ids: readonly string[]) {
      const docs = data()?.docs.get(collection);
      return ids.map((id) => parse<T>(docs?.get(id)));
    },
    async range(index: string, options: RangeOptions = {}) {
      return data()?.indexes.get(index)?.range(options) ?? [];
    },
    async count(index: string, bounds: ScoreBounds = {}) {
      return data()?.indexes.get(index)?.count(bounds) ?? 0;
    },
    async checkpoint(projection: string) {
      return data()?.checkpoints.get(projection) ?? 0n;
    },
  };
}

function apply(data: VersionData | undefined, batch: Batch): BatchOutcome {
  const json = serialiseBatch(batch);
  if (data === undefined) return 'stale';
  for (const move of batch.checkpoints) {
    if ((data.checkpoints.get(move.projection) ?? 0n) !== move.from) return 'stale';
  }
  for (const move of batch.checkpoints) data.checkpoints.set(move.projection, move.to);
  batch.ops.forEach((op, at) => {
    switch (op.type) {
      case 'put': {
        let docs = data.docs.get(op.collection);
        if (docs === undefined) data.docs.set(op.collection, (docs = new Map()));
        docs.set(op.id, json.get(at)!);
        break;
      }
      case 'delete': {
        const docs = data.docs.get(op.collection);
        docs?.delete(op.id);
        if (docs?.size === 0) data.docs.delete(op.collection);
        break;
      }
      case 'index': {
        let index = data.indexes.get(op.index);
        if (index === undefined) data.indexes.set(op.index, (index = new SortedIndex()));
        index.set(op.member, op.score);
        break;
      }
      case 'unindex': {
        const index = data.indexes.get(op.index);
        index?.delete(op.member);
        if (index?.size === 0) data.indexes.delete(op.index);
        break;
      }
    }
  });
  return 'applied';
}

/** Members kept sorted by (score, member) like a Redis sorted set, so ranges are binary searches. */
class SortedIndex {
  private readonly scores = new Map<string, number>();
  private readonly entries: IndexEntry[] = [];

  get size(): number {
    return this.entries.length;
  }

  set(member: string, score: number): void {
    const old = this.scores.get(member);
    if (old === score) return;
    if (old !== undefined) this.delete(member);
    this.scores.set(member, score);
    this.entries.splice(
      this.first((e) => compare(e, score, member) > 0),
      0,
      { member, score },
    );
  }

  delete(member: string): void {
    const score = this.scores.get(member);
    if (score === undefined) return;
    this.scores.delete(member);
    this.entries.splice(
      this.first((e) => compare(e, score, member) >= 0),
      1,
    );
  }

  range({ min, max, reverse = false, offset = 0, limit }: RangeOptions): IndexEntry[] {
    const [low, high] = this.bounds({ min, max });
    const size = Math.max(0, Math.min(high - low - offset, limit ?? Infinity));
    const start = reverse ? high - offset - size : low + offset;
    const slice = this.entries.slice(start, start + size);
    return reverse ? slice.reverse() : slice;
  }

  count(bounds: ScoreBounds): number {
    const [low, high] = this.bounds(bounds);
    return Math.max(0, high - low);
  }

  private bounds({ min = -Infinity, max = Infinity }: ScoreBounds): [number, number] {
    return [this.first((e) => e.score >= min), this.first((e) => e.score > max)];
  }

  /** The first position whose entry satisfies `test`, which must be false then true along the array. */
  private first(test: (entry: IndexEntry) => boolean): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (test(this.entries[middle]!)) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}

function compare(entry: IndexEntry, score: number, member: string): number {
  if (entry.score !== score) return entry.score < score ? -1 : 1;
  // Redis breaks ties by the members' bytes; UTF-16 order differs from it beyond the BMP.
  return entry.member === member
    ? 0
    : Buffer.compare(Buffer.from(entry.member), Buffer.from(member));
}
