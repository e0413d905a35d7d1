import type { EventStore } from './port';

export * from './port';

/** Chooses the adapter by configuration: EVENTSTORE_URL selects EventStoreDB, else the SQLite file. */
export async function openEventStore(config: {
  eventStoreUrl?: string;
  sqliteFile: string;
}): Promise<EventStore> {
  if (config.eventStoreUrl) {
    const { openEventStoreDbEventStore } = await import('./esdb');
    return openEventStoreDbEventStore({ connectionString: config.eventStoreUrl });
  }
  const { openSqliteEventStore } = await import('./sqlite');
  return openSqliteEventStore({ file: config.sqliteFile });
}
