import {
  parseRecordedEvent,
  StreamNotFoundError,
  type EventStore,
  type RecordedEvent,
} from '@kefalet/events';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  queryEventLog,
  summariseEvent,
  type EventLogQuery,
  type EventSummary,
} from '../models';

/*
 * The analysts' event explorer reads the event store itself: no read model copies the log. The
 * cursor is a log position, so a page costs a read from the cursor on, never from the start. A
 * filter that matches rarely could read the whole log for one page, so a request scans at most
 * MAX_SCANNED_EVENTS events: it then returns what it found with `nextCursor` at the last event
 * scanned and `scanLimitReached: true`, and the client asks again from there. Filtering on `from`
 * and `to` does not seek (positions are not times); a stream filter reads only that stream.
 */

export const MAX_SCANNED_EVENTS = 5_000;
const CHUNK = 500;

export interface EventLogScan {
  readonly items: readonly EventSummary[];
  /** Pass as `after` for the next page; null when the log has no more events to look at. */
  readonly nextCursor: string | null;
  readonly scanned: number;
  /** The scan stopped at its bound before finding a full page; more may match after nextCursor. */
  readonly scanLimitReached: boolean;
}

export async function scanEventLog(
  store: EventStore,
  query: EventLogQuery,
  maxScanned = MAX_SCANNED_EVENTS,
): Promise<EventLogScan> {
  const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE);
  const after = query.after === undefined ? 0n : BigInt(query.after);
  const filters = { ...query, after: undefined };
  const items: EventSummary[] = [];
  let scanned = 0;
  let chunk: EventSummary[] = [];

  /** Matches the chunk; true when the page is full and a further match shows there is more. */
  const flush = () => {
    // one more than the page needs tells whether a next page exists
    const page = queryEventLog(chunk, { ...filters, limit: limit - items.length + 1 });
    items.push(...page.items);
    chunk = [];
    return items.length > limit || page.nextCursor !== null;
  };
  const full = (): EventLogScan => {
    const page = items.slice(0, limit);
    return { items: page, nextCursor: page.at(-1)!.position, scanned, scanLimitReached: false };
  };

  for await (const recorded of eventsAfter(store, after, query.stream)) {
    chunk.push(summariseEvent(parseRecordedEvent(recorded)));
    scanned += 1;
    if (chunk.length < CHUNK && scanned < maxScanned) continue;
    const last = chunk.at(-1)!.position;
    if (flush()) return full();
    if (scanned >= maxScanned) {
      return { items, nextCursor: last, scanned, scanLimitReached: true };
    }
  }
  if (flush()) return full();
  return { items, nextCursor: null, scanned, scanLimitReached: false };
}

async function* eventsAfter(
  store: EventStore,
  after: bigint,
  stream: string | undefined,
): AsyncIterable<RecordedEvent> {
  if (stream === undefined) {
    yield* store.readAll({ fromPosition: after });
    return;
  }
  try {
    for await (const recorded of store.readStream(stream)) {
      if (recorded.position > after) yield recorded;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
}
