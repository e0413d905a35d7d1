/**
 * The event store contract against a real EventStoreDB, e.g.
 * `EVENTSTORE_URL='esdb://admin:changeit@localhost:2113?tls=false' npx vitest run --project events test/store/esdb`.
 * The user needs the right to read $all (admins have it). Skipped when EVENTSTORE_URL is not set.
 */
import { describe } from 'vitest';
import { openEventStoreDbEventStore } from '../../src/store/esdb';
import { describeEventStoreContract } from './contract';

const connectionString = process.env.EVENTSTORE_URL ?? '';

describe.skipIf(connectionString === '')('EventStoreDB adapter', () => {
  describeEventStoreContract('eventstoredb', async () => {
    const store = openEventStoreDbEventStore({ connectionString });
    return { store, cleanup: () => store.close() };
  });
});
