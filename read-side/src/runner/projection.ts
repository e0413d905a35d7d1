import type { DomainEvent, RecordedEvent } from '@kefalet/events';
import type { Op, ReadModelVersion } from '../store/port';

/** Where a document is listed: in sorted index `index` (its member is the document id) at `score`. */
export interface IndexMembership {
  readonly index: string;
  readonly score: number;
}

/**
 * A read model as pure functions over JSON documents keyed by id, stored in the collection named
 * `name`. For each event the runner asks which documents it touches, loads them, evolves each, and
 * writes the results, their index memberships and the projection's checkpoint in one atomic batch.
 */
export interface Projection<Doc = unknown> {
  /** Names the projection's checkpoint and the collection of its documents; keep it stable. */
  readonly name: string;
  /**
   * The ids of the documents the event changes; none when the event does not concern this model.
   * `read` returns the projection's own documents as they stand before the event (to fan out, e.g.
   * to every bank listed in a registry document); the answer must depend on nothing else.
   */
  ids(
    event: DomainEvent,
    read: (id: string) => Promise<Doc | undefined>,
  ): readonly string[] | Promise<readonly string[]>;
  /**
   * Pure: the document after the event (undefined: deleted). Returning `doc` itself writes nothing.
   * The documents are evolved in the order of `ids`; `sibling` gives another of them as it stands
   * now (already evolved when it comes earlier), e.g. a helper document that others are views of.
   */
  evolve(
    doc: Doc | undefined,
    event: DomainEvent,
    id: string,
    sibling: (id: string) => Doc | undefined,
  ): Doc | undefined;
  /** Pure: the sorted indexes listing the document, derived from it; at most one score per index. */
  indexes?(doc: Doc, id: string): readonly IndexMembership[];
}

/** The state of one document after a commit; `doc` is undefined when the document was deleted. */
export interface DocChange {
  readonly projection: string;
  readonly id: string;
  readonly doc: unknown;
}

/** A projection (or the parser) failed on an event: the runner stops rather than skip it. */
export class ProjectionError extends Error {
  override readonly name = 'ProjectionError';
  readonly position: bigint;
  readonly eventType: string;
  constructor(
    event: Pick<RecordedEvent, 'position' | 'type'>,
    readonly projection: string | undefined,
    cause: unknown,
  ) {
    const what = projection === undefined ? 'Cannot read' : `Projection ${projection} failed on`;
    super(`${what} ${event.type} at position ${event.position}: ${messageOf(cause)}`, { cause });
    this.position = event.position;
    this.eventType = event.type;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A store read failed (maybe inside projection code): a store fault, not the projection's. */
class StoreReadError extends Error {
  override readonly name = 'StoreReadError';
}

interface DocState {
  readonly before: unknown;
  readonly beforeIndexes: ReadonlyMap<string, number>;
  after: unknown;
  afterIndexes: ReadonlyMap<string, number>;
}

/**
 * Evolves documents of one version in memory over one or more events, then turns the net change into
 * ops for a single batch. Documents read once are kept, so later events see earlier ones' results.
 */
export class PendingBatch {
  private readonly docs = new Map<string, Map<string, DocState>>();

  constructor(
    private readonly version: ReadModelVersion,
    private readonly projections: readonly Projection[],
  ) {}

  /**
   * Runs the event through the projections; returns the documents it changed. The projections'
   * documents are looked up and read concurrently (each reads only its own collection), then
   * evolved in the projections' order.
   */
  async apply(event: DomainEvent): Promise<DocChange[]> {
    const plans = await Promise.all(
      this.projections.map(async (projection) => {
        const fail = (cause: unknown) =>
          cause instanceof StoreReadError || cause instanceof ProjectionError
            ? cause
            : new ProjectionError(event, projection.name, cause);
        let ids: string[];
        try {
          const read = async (id: string) => (await this.load(projection, [id], fail))[0]!.after;
          ids = [...new Set(await projection.ids(event, read))];
        } catch (error) {
          throw fail(error);
        }
        const states = await this.load(projection, ids, fail);
        return { projection, fail, ids, states };
      }),
    );
    const changes: DocChange[] = [];
    for (const { projection, fail, ids, states } of plans) {
      const sibling = (id: string) => {
        const at = ids.indexOf(id);
        if (at < 0) throw new Error(`Document ${id} is not among the ids of ${event.type}`);
        return states[at]!.after;
      };
      states.forEach((state, at) => {
        const id = ids[at]!;
        try {
          const after = projection.evolve(state.after, event, id, sibling);
          if (after === state.after) return;
          state.after = after;
          state.afterIndexes = indexesOf(projection, after, id);
        } catch (error) {
          throw fail(error);
        }
        changes.push({ projection: projection.name, id, doc: state.after });
      });
    }
    return changes;
  }

  /** The writes that take the stored documents and indexes to their evolved state. */
  ops(): Op[] {
    const ops: Op[] = [];
    for (const [collection, states] of this.docs) {
      for (const [id, state] of states) {
        if (state.after === state.before) continue;
        ops.push(
          state.after === undefined
            ? { type: 'delete', collection, id }
            : { type: 'put', collection, id, doc: state.after },
        );
        for (const index of state.beforeIndexes.keys()) {
          if (!state.afterIndexes.has(index)) ops.push({ type: 'unindex', index, member: id });
        }
        for (const [index, score] of state.afterIndexes) {
          if (state.beforeIndexes.get(index) !== score) {
            ops.push({ type: 'index', index, member: id, score });
          }
        }
      }
    }
    return ops;
  }

  /** The states of the given documents, reading from the version those not seen yet. */
  private async load(
    projection: Projection,
    ids: readonly string[],
    fail: (cause: unknown) => Error,
  ): Promise<DocState[]> {
    let states = this.docs.get(projection.name);
    if (states === undefined) this.docs.set(projection.name, (states = new Map()));
    const missing = ids.filter((id) => !states.has(id));
    if (missing.length > 0) {
      const docs = await this.version.getMany(projection.name, missing).catch((error: unknown) => {
        throw new StoreReadError(messageOf(error), { cause: error });
      });
      missing.forEach((id, at) => {
        // A concurrent load (a projection reading in parallel) may have got there first.
        if (states.has(id)) return;
        const doc = docs[at];
        let indexes;
        try {
          indexes = indexesOf(projection, doc, id);
        } catch (error) {
          throw fail(error);
        }
        states.set(id, { before: doc, beforeIndexes: indexes, after: doc, afterIndexes: indexes });
      });
    }
    return ids.map((id) => states.get(id)!);
  }
}

function indexesOf(projection: Projection, doc: unknown, id: string): ReadonlyMap<string, number> {
  if (doc === undefined || projection.indexes === undefined) return new Map();
  return new Map(projection.indexes(doc, id).map(({ index, score }) => [index, score]));
}
