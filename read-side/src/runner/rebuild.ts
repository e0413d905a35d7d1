import {
  parseRecordedEvent,
  type DomainEvent,
  type EventStore,
  type RecordedEvent,
} from '@kefalet/events';
import type { ReadModelStore } from '../store/port';
import { PendingBatch, ProjectionError, type Projection } from './projection';

export interface RebuildOptions {
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly projections: readonly Projection[];
  /** Events per read of the log and per committed batch. Defaults to 500. */
  readonly pageSize?: number;
  /** Called after each committed page; the rebuild waits for it. */
  readonly onProgress?: (progress: RebuildProgress) => void | Promise<void>;
  readonly parse?: (recorded: RecordedEvent) => DomainEvent;
}

export interface RebuildProgress {
  /** The fresh version has applied the log up to here. */
  readonly position: bigint;
  /** The end of the log when the rebuild started (or the position, when the log has grown past it). */
  readonly lastLogPosition: bigint;
  readonly events: number;
}

export interface RebuildResult {
  /** The id of the version now current. */
  readonly version: string;
  readonly position: bigint;
  readonly events: number;
}

/**
 * Replays the whole log into a fresh read-model version, a page of events per atomic batch, and swaps
 * it in once a read of the log comes back empty; queries keep reading the current version until then.
 * Running runners notice the swap (their next batch is stale) and carry on in the new version. On
 * failure the fresh version is dropped and the current one stays.
 */
export async function rebuild(options: RebuildOptions): Promise<RebuildResult> {
  const { store, readModels, projections, pageSize = 500, onProgress } = options;
  const parse = options.parse ?? ((recorded: RecordedEvent) => parseRecordedEvent(recorded));
  const startEnd = await store.lastPosition();
  const version = await readModels.createVersion();
  let position = 0n;
  let events = 0;

  /** Applies the log after `position` page by page; false when another writer moved a checkpoint. */
  async function catchUp(): Promise<boolean> {
    for (;;) {
      const page: RecordedEvent[] = [];
      for await (const recorded of store.readAll({ fromPosition: position, maxCount: pageSize })) {
        page.push(recorded);
      }
      const last = page.at(-1)?.position;
      if (last === undefined) return true;
      const pending = new PendingBatch(version, projections);
      for (const recorded of page) {
        let event: DomainEvent;
        try {
          event = parse(recorded);
        } catch (cause) {
          throw new ProjectionError(recorded, undefined, cause);
        }
        await pending.apply(event);
      }
      const outcome = await version.applyBatch({
        checkpoints: projections.map((p) => ({ projection: p.name, from: position, to: last })),
        ops: pending.ops(),
      });
      if (outcome === 'stale') return false;
      position = last;
      events += page.length;
      await onProgress?.({
        position,
        lastLogPosition: startEnd > position ? startEnd : position,
        events,
      });
    }
  }

  try {
    if (!(await catchUp()))
      throw new Error(`Read-model version ${version.id} changed under the rebuild`);
  } catch (error) {
    await readModels.drop(version).catch(() => {});
    throw error;
  }
  await readModels.swap(version);
  // Events appended since the last read may have reached only the old version, and an idle runner
  // would not bring them over until the next event: do it here. Should a runner commit first (stale),
  // it has taken over.
  await catchUp();
  return { version: version.id, position, events };
}
