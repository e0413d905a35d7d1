import { EventMetadataSchema } from './envelope';
import { CURRENT_SCHEMA_VERSION, EVENT_SCHEMAS, isEventType, type DomainEvent } from './events';
import type { RecordedEvent } from './store/port';

/** Lifts the data of an older schema version of one event type to the next version. */
export type Upcaster = (data: unknown) => unknown;

/**
 * Upcasters keyed by `${type}@${fromVersion}`; old events are upcast on read, never rewritten.
 * Every event is at version 1 today, so the table starts empty.
 */
export type UpcasterTable = Readonly<Record<string, Upcaster>>;

export interface ParseOptions {
  readonly upcasters?: UpcasterTable;
  /** The version this code's schemas describe (a test may raise it to exercise upcasting). */
  readonly currentVersion?: number;
}

export class EventParseError extends Error {
  override readonly name = 'EventParseError';
  constructor(
    readonly stream: string,
    readonly position: bigint,
    readonly type: string,
    reason: string,
  ) {
    super(`Cannot parse event ${type} at ${stream} (position ${position}): ${reason}`);
  }
}

/** Validates a stored event against its schema, upcasting old versions; fails loudly otherwise. */
export function parseRecordedEvent(
  recorded: RecordedEvent,
  { upcasters = {}, currentVersion = CURRENT_SCHEMA_VERSION }: ParseOptions = {},
): DomainEvent {
  const fail = (reason: string) =>
    new EventParseError(recorded.stream, recorded.position, recorded.type, reason);
  if (!isEventType(recorded.type)) throw fail('unknown event type');
  const metadata = EventMetadataSchema.safeParse(recorded.metadata);
  if (!metadata.success) throw fail(`bad metadata: ${metadata.error.message}`);

  let data = recorded.data;
  for (let v = metadata.data.schemaVersion; v < currentVersion; v++) {
    const upcast = upcasters[`${recorded.type}@${v}`];
    if (!upcast) throw fail(`no upcaster from schema version ${v}`);
    data = upcast(data);
  }
  if (metadata.data.schemaVersion > currentVersion) {
    throw fail(`schema version ${metadata.data.schemaVersion} is newer than this code`);
  }
  const parsed = EVENT_SCHEMAS[recorded.type].safeParse(data);
  if (!parsed.success) throw fail(`bad data: ${parsed.error.message}`);
  return {
    id: recorded.id,
    type: recorded.type,
    data: parsed.data,
    metadata: metadata.data,
    stream: recorded.stream,
    revision: recorded.revision,
    position: recorded.position,
  } as DomainEvent;
}
