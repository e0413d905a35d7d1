import { randomUUID } from 'node:crypto';
import type { DomainEvent, NewEvent } from '@kefalet/events';
import type { Logger, Projection } from '../../src/runner';
import { createMemoryReadModelStore } from '../../src/store/memory';
import type { ReadModelStore } from '../../src/store/port';
import { redisStores } from '../store/redis-fixture';

/** A valid PartnerBankRegistered, so the runner's real parser accepts it. */
export function bankRegistered(name = 'Bank'): NewEvent {
  return {
    id: randomUUID(),
    type: 'PartnerBankRegistered',
    data: { bankCode: '0012', name, registeredAt: '2026-12-03T09:00:00.000+03:00' },
    metadata: {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { kind: 'system', name: 'test' },
      occurredAt: '2026-12-03T09:00:00.000+03:00',
      schemaVersion: 1,
    },
  };
}

export interface StreamCount {
  readonly count: number;
  /** Positions applied, in the order applied (strings: documents are JSON). */
  readonly positions: string[];
}

/** The toy read model: how many events each stream has, listed by count. */
export function streamCounts(step = 1, name = 'stream-counts'): Projection<StreamCount> {
  return {
    name,
    ids: (event) => [event.stream],
    evolve: (doc = { count: 0, positions: [] }, event) => ({
      count: doc.count + step,
      positions: [...doc.positions, String(event.position)],
    }),
    indexes: (doc) => [{ index: `${name}:by-count`, score: doc.count }],
  };
}

/** Every position applied, across streams, in one document: shows the order of application. */
export const applicationOrder: Projection<string[]> = {
  name: 'order',
  ids: () => ['all'],
  evolve: (doc = [], event) => [...doc, String(event.position)],
};

/** Fans out through a registry document it keeps: each event bumps every stream seen so far. */
export const fanOut: Projection<{ streams: string[] } | { hits: number }> = {
  name: 'fan-out',
  async ids(event, read) {
    const registry = (await read('registry')) as { streams: string[] } | undefined;
    return ['registry', ...new Set([...(registry?.streams ?? []), event.stream])];
  },
  evolve(doc, event: DomainEvent, id) {
    if (id === 'registry') {
      const streams = (doc as { streams: string[] } | undefined)?.streams ?? [];
      return streams.includes(event.stream) ? doc : { streams: [...streams, event.stream] };
    }
    return { hits: ((doc as { hits: number } | undefined)?.hits ?? 0) + 1 };
  },
};

/** Per-stream documents that are views of a summary document evolved first in the same event. */
export const shares: Projection<{ total: number } | { mine: number; of: number }> = {
  name: 'shares',
  ids: (event) => ['summary', event.stream],
  evolve(doc, _, id, sibling) {
    if (id === 'summary')
      return { total: ((doc as { total: number } | undefined)?.total ?? 0) + 1 };
    const { total } = sibling('summary') as { total: number };
    return { mine: ((doc as { mine: number } | undefined)?.mine ?? 0) + 1, of: total };
  },
};

export interface RecordingLogger extends Logger {
  readonly lines: { level: string; message: string; fields: object }[];
}

export function recordingLogger(): RecordingLogger {
  const lines: RecordingLogger['lines'] = [];
  const record = (level: string) => (fields: object, message: string) => {
    lines.push({ level, message, fields });
  };
  return { lines, info: record('info'), warn: record('warn'), error: record('error') };
}

export interface StoreKind {
  readonly name: string;
  open(): Promise<ReadModelStore>;
  cleanup(): Promise<void>;
}

const redis = redisStores();

export const storeKinds: StoreKind[] = [
  { name: 'memory', open: async () => createMemoryReadModelStore(), cleanup: async () => {} },
  { name: 'redis', open: redis.open, cleanup: () => redis.cleanup() },
];
