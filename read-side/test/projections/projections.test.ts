import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteEventStore, type SqliteEventStore } from '@kefalet/events/store/sqlite';
import {
  APPLICATION_STATUSES,
  evolveFirmApplication,
  evolveFirmHead,
  evolveInboxApplication,
  evolveInboxEntry,
  evolveInboxHead,
  firmApplicationKey,
  firmKeys,
  inboxApplicationKey,
  inboxEntryId,
  inboxKeys,
  type FirmApplicationState,
  type FirmHead,
  type InboxApplication,
  type InboxEntry,
  type InboxHead,
} from '../../src/models';
import {
  ANALYTICS_APPLICATIONS_INDEX,
  APPLICATIONS_INDEX,
  applicationsByStatusIndex,
  BANK_NAMES_ID,
  COLLECTIONS,
  firmIndex,
  firmStatusIndex,
  helperId,
  inboxIndex,
  inboxStatusIndex,
  PARTNER_BANKS_ID,
  projections,
} from '../../src/projections';
import { rebuild, startProjectionRunner, type ProjectionRunner } from '../../src/runner';
import { createMemoryReadModelStore } from '../../src/store/memory';
import type { ReadModelReader, ReadModelStore } from '../../src/store/port';
import {
  APP,
  appendAll,
  LATER_APP,
  marketplace,
  OTHER_APP,
  OTHER_EXPORTER_ID,
  OTHER_TITLE,
  OTHER_VKN,
  silentLogger,
} from '../api/helper';
import {
  AKBANK,
  EXPORTER_ID,
  FIRM_TITLE,
  GARANTI,
  HALKBANK,
  stored,
  VKN,
} from '../models/fixtures';
import { storeKinds } from '../runner/fixtures';

const { events } = marketplace();
const applications = [APP, OTHER_APP, LATER_APP];
const banks = [GARANTI.code, HALKBANK.code, AKBANK.code];

/** The bank entries of the scenario: APP opened to Garanti and Halkbank, LATER_APP to all three. */
const entryIds = [
  inboxEntryId(GARANTI.code, APP),
  inboxEntryId(HALKBANK.code, APP),
  ...banks.map((bank) => inboxEntryId(bank, LATER_APP)),
];

/** Every document the scenario produces, by collection. */
const documentIds: Record<string, readonly string[]> = {
  [COLLECTIONS.board]: applications,
  [COLLECTIONS.detail]: [...applications, PARTNER_BANKS_ID],
  [COLLECTIONS.inbox]: [...banks, ...entryIds, ...applications.map(helperId)],
  [COLLECTIONS.firmApplications]: [VKN, OTHER_VKN, ...applications.map(helperId)],
  [COLLECTIONS.analytics]: [BANK_NAMES_ID, ...applications.map(helperId)],
  [COLLECTIONS.memberships]: [EXPORTER_ID, OTHER_EXPORTER_ID],
};
const indexes = [
  APPLICATIONS_INDEX,
  ...APPLICATION_STATUSES.map(applicationsByStatusIndex),
  ...banks.flatMap((bank) => [
    inboxIndex(bank),
    ...APPLICATION_STATUSES.map((status) => inboxStatusIndex(bank, status)),
  ]),
  ...[VKN, OTHER_VKN].flatMap((vkn) => [
    firmIndex(vkn),
    ...APPLICATION_STATUSES.map((status) => firmStatusIndex(vkn, status)),
  ]),
  ANALYTICS_APPLICATIONS_INDEX,
];

/** Everything a query could read: documents, index entries and checkpoints. */
async function contents(reader: ReadModelReader) {
  const docs = await Promise.all(
    Object.entries(documentIds).map(async ([collection, ids]) => [
      collection,
      await reader.getMany(collection, ids),
    ]),
  );
  return {
    docs: Object.fromEntries(docs),
    indexes: await Promise.all(indexes.map((index) => reader.range(index))),
    checkpoints: await Promise.all(projections.map((p) => reader.checkpoint(p.name))),
  };
}

let store: SqliteEventStore;
let live: ReadModelStore;
let runner: ProjectionRunner;

beforeEach(async () => {
  store = openSqliteEventStore({ file: ':memory:' });
  live = createMemoryReadModelStore();
  runner = startProjectionRunner({ store, readModels: live, projections, logger: silentLogger });
  // appended in uneven chunks while the runner follows, sometimes waiting for it, sometimes not
  for (let from = 0, size = 1; from < events.length; from += size, size += 2) {
    await appendAll(store, events.slice(from, from + size));
    if (size % 4 === 1) await runner.waitFor(await store.lastPosition());
  }
  await runner.waitFor(await store.lastPosition());
});
afterEach(async () => {
  await runner.stop();
  await live.close();
  await store.close();
});

describe.each(storeKinds)('a rebuild into the $name store', (kind) => {
  afterAll(() => kind.cleanup());

  it('holds exactly what the live runner built from the same events', async () => {
    const rebuilt = await kind.open();
    try {
      const result = await rebuild({ store, readModels: rebuilt, projections, pageSize: 7 });
      expect(result.events).toBe(events.length);
      const expected = await contents(live);
      expect(await contents(rebuilt)).toEqual(expected);
      // the scenario reaches every collection, so the comparison is not of empty stores
      for (const docs of Object.values(expected.docs)) expect(docs).not.toContain(undefined);
      expect(expected.indexes[0]).toHaveLength(applications.length);
    } finally {
      await rebuilt.close();
    }
  });
});

describe('projections', () => {
  it('fold the inbox and the firm list through their helper documents, entries and heads', async () => {
    const inboxHelpers = new Map<string, InboxApplication>();
    const entries = new Map<string, InboxEntry>();
    const inboxHeads = new Map<string, InboxHead>();
    const firmHelpers = new Map<string, FirmApplicationState>();
    const firmHeads = new Map<string, FirmHead>();
    // the steps as the models' header comments describe them
    for (const event of events) {
      const inboxKey = inboxApplicationKey(event);
      const application =
        inboxKey === undefined
          ? undefined
          : evolveInboxApplication(inboxHelpers.get(inboxKey), event);
      if (inboxKey !== undefined && application) inboxHelpers.set(inboxKey, application);
      for (const bankCode of inboxKeys(event, application)) {
        let entryChanged = false;
        if (inboxKey !== undefined) {
          const id = inboxEntryId(bankCode, inboxKey);
          const before = entries.get(id);
          const entry = evolveInboxEntry(before, event, { bankCode, application });
          if (entry) entries.set(id, entry);
          entryChanged = entry !== before;
        }
        const head = evolveInboxHead(inboxHeads.get(bankCode), event, { bankCode, entryChanged });
        if (head) inboxHeads.set(bankCode, head);
      }
      const firmKey = firmApplicationKey(event);
      const state =
        firmKey === undefined ? undefined : evolveFirmApplication(firmHelpers.get(firmKey), event);
      if (firmKey !== undefined && state) firmHelpers.set(firmKey, state);
      for (const vkn of firmKeys(event, state)) {
        const head = evolveFirmHead(firmHeads.get(vkn), event, state);
        if (head) firmHeads.set(vkn, head);
      }
    }

    for (const bankCode of banks) {
      expect(await live.get(COLLECTIONS.inbox, bankCode)).toEqual(stored(inboxHeads.get(bankCode)));
    }
    for (const id of entryIds) {
      expect(await live.get(COLLECTIONS.inbox, id)).toEqual(stored(entries.get(id)));
    }
    expect(entries.size).toBe(entryIds.length);
    for (const vkn of [VKN, OTHER_VKN]) {
      expect(await live.get(COLLECTIONS.firmApplications, vkn)).toEqual(stored(firmHeads.get(vkn)));
    }
    for (const id of applications) {
      expect(await live.get(COLLECTIONS.inbox, helperId(id))).toEqual(stored(inboxHelpers.get(id)));
      expect(await live.get(COLLECTIONS.firmApplications, helperId(id))).toEqual(
        stored(firmHelpers.get(id)),
      );
    }
  });

  it("list a bank's entries newest opened first, by status too, and a firm's by submission", async () => {
    const members = async (index: string) =>
      (await live.range(index, { reverse: true })).map((entry) => entry.member);
    expect(await members(inboxIndex(GARANTI.code))).toEqual([
      inboxEntryId(GARANTI.code, LATER_APP),
      inboxEntryId(GARANTI.code, APP),
    ]);
    expect(await members(inboxStatusIndex(GARANTI.code, 'BIDDING_CLOSED'))).toEqual([
      inboxEntryId(GARANTI.code, APP),
    ]);
    expect(await members(inboxIndex(AKBANK.code))).toEqual([inboxEntryId(AKBANK.code, LATER_APP)]);
    expect(await members(firmIndex(VKN))).toEqual([helperId(LATER_APP), helperId(APP)]);
    expect(await members(firmStatusIndex(OTHER_VKN, 'REJECTED'))).toEqual([helperId(OTHER_APP)]);
  });

  it('keep the firms each member was verified for (R1)', async () => {
    expect(await live.get(COLLECTIONS.memberships, EXPORTER_ID)).toMatchObject({
      memberId: EXPORTER_ID,
      firms: [{ vkn: VKN, title: FIRM_TITLE }],
    });
    expect(await live.get(COLLECTIONS.memberships, OTHER_EXPORTER_ID)).toMatchObject({
      firms: [{ vkn: OTHER_VKN, title: OTHER_TITLE }],
    });
  });

  it('index applications by submission, newest last, and by their current status', async () => {
    const all = await live.range(APPLICATIONS_INDEX);
    expect(all.map((entry) => entry.member)).toEqual([APP, OTHER_APP, LATER_APP]);
    const byStatus = async (status: (typeof APPLICATION_STATUSES)[number]) =>
      (await live.range(applicationsByStatusIndex(status))).map((entry) => entry.member);
    expect(await byStatus('BIDDING_CLOSED')).toEqual([APP]);
    expect(await byStatus('REJECTED')).toEqual([OTHER_APP]);
    expect(await byStatus('BIDDING')).toEqual([LATER_APP]);
    expect(await byStatus('SUBMITTED')).toEqual([]);
  });
});
