import type { DomainEvent } from '@kefalet/events';

/**
 * What every read-model document carries, so pushes carry versions and a replayed event is a no-op
 * even before the runner's checkpoint would refuse it.
 */
export interface Versioned {
  /** Events applied to this document: 1 after the first. */
  readonly version: number;
  /** Global log position of the last applied event, a bigint as a decimal string. */
  readonly lastPosition: string;
}

/** A document without its version stamp: what a model's change function produces. */
export type Body<T extends Versioned> = Omit<T, keyof Versioned>;

/**
 * Applies `change` unless the event was already applied (position ≤ lastPosition). The change
 * returns the document itself when the event changes nothing, and then so does this, so a caller
 * can skip the write and the push; otherwise the result is stamped with the next version.
 */
export function evolveVersioned<T extends Versioned>(
  doc: T | undefined,
  event: DomainEvent,
  change: (doc: T | undefined) => Body<T> | undefined,
): T | undefined {
  if (doc !== undefined && event.position <= BigInt(doc.lastPosition)) return doc;
  const next = change(doc);
  if (next === undefined || next === doc) return doc;
  // Body<T> plus the two stamped fields is T; TypeScript cannot see that through Omit.
  return {
    ...next,
    version: (doc?.version ?? 0) + 1,
    lastPosition: event.position.toString(),
  } as unknown as T;
}
