import type { Actor, DomainEvent, EventMetadata, EventType, Role } from '@kefalet/events';

/*
 * The analysts' event log query: filter and paginate event summaries. The raw log itself lives in
 * the event store; this is the pure query logic over a slice of it.
 */

export interface EventSummary {
  /** A bigint as a decimal string. */
  readonly position: string;
  readonly stream: string;
  readonly type: EventType;
  readonly occurredAt: string;
  readonly actor: Actor;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

export function summariseEvent(event: DomainEvent): EventSummary {
  return {
    position: event.position.toString(),
    stream: event.stream,
    type: event.type,
    occurredAt: event.metadata.occurredAt,
    actor: event.metadata.actor,
    data: event.data,
    metadata: event.metadata,
  };
}

/** Every given criterion must hold. */
export interface ActorFilter {
  /** 'system' for the scheduler and the scoring model. */
  readonly role?: Role | 'system';
  readonly bankCode?: string;
  readonly userId?: string;
}

export interface EventLogQuery {
  /** Any of these types. */
  readonly types?: readonly EventType[];
  readonly stream?: string;
  /** Inclusive. */
  readonly from?: Date;
  /** Exclusive. */
  readonly to?: Date;
  readonly actor?: ActorFilter;
  /** The cursor: only events after this position. */
  readonly after?: string;
  /** Page size, 1..MAX_PAGE_SIZE; DEFAULT_PAGE_SIZE when omitted. */
  readonly limit?: number;
}

export interface EventLogPage {
  readonly items: readonly EventSummary[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

function actorMatches(actor: Actor, filter: ActorFilter): boolean {
  if (actor.kind === 'system') {
    return (
      (filter.role === undefined || filter.role === 'system') &&
      filter.bankCode === undefined &&
      filter.userId === undefined
    );
  }
  return (
    (filter.role === undefined || filter.role === actor.role) &&
    (filter.bankCode === undefined || filter.bankCode === actor.bankCode) &&
    (filter.userId === undefined || filter.userId === actor.userId)
  );
}

function matches(summary: EventSummary, query: EventLogQuery): boolean {
  const at = Date.parse(summary.occurredAt);
  return (
    (query.types === undefined || query.types.includes(summary.type)) &&
    (query.stream === undefined || query.stream === summary.stream) &&
    (query.from === undefined || at >= query.from.getTime()) &&
    (query.to === undefined || at < query.to.getTime()) &&
    (query.actor === undefined || actorMatches(summary.actor, query.actor))
  );
}

/** One page of the matching events; `events` must be in log order (ascending position). */
export function queryEventLog(events: readonly EventSummary[], query: EventLogQuery): EventLogPage {
  const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE);
  const after = query.after === undefined ? undefined : BigInt(query.after);
  const items: EventSummary[] = [];
  for (const summary of events) {
    if (after !== undefined && BigInt(summary.position) <= after) continue;
    if (!matches(summary, query)) continue;
    // one match past the page tells whether there is a next page
    if (items.length === limit) return { items, nextCursor: items.at(-1)?.position ?? null };
    items.push(summary);
  }
  return { items, nextCursor: null };
}
