import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sessionUserOf } from '../../src/queries/session';
import type { InboxItem } from '../../src/queries/lists';
import type {
  FirmListUpdatePayload,
  InboxUpdatePayload,
  RoomUpdate,
} from '../../src/queries/views';
import {
  timeLeft,
  type ApplicationDetail,
  type FirmHead,
  type InboxHead,
  type OfferBoard,
} from '../../src/models';
import { COLLECTIONS } from '../../src/projections';
import { AKBANK, EXPORTER_ID, GARANTI, HALKBANK, VKN } from '../models/fixtures';
import {
  APP,
  appendAll,
  as,
  LATER_APP,
  marketplace,
  NOW,
  SECRET,
  startReadSide,
  type TestReadSide,
} from './helper';

const { events, laterOffer } = marketplace();
const userOf = (session: { cookie: string }) => sessionUserOf(session.cookie, { secret: SECRET })!;

describe('the projection runner keeps up with live appends', () => {
  let rs: TestReadSide;
  afterEach(() => rs.close());

  it('applies events appended after the start, then the queries show them', async () => {
    const cut = events.findIndex(
      (e) => e.type === 'OfferSubmitted' && e.stream.endsWith(LATER_APP),
    );
    rs = await startReadSide(events.slice(0, cut));
    const board = () =>
      rs.app
        .inject({
          method: 'GET',
          url: `/api/applications/${LATER_APP}/board`,
          headers: as.exporter,
        })
        .then((response) => response.json().board as OfferBoard);
    expect((await board()).offers).toEqual([]);

    const updates: RoomUpdate[] = [];
    const off = rs.readSide.onChange((changes, event) => {
      updates.push(...rs.readSide.roomUpdates(changes, event));
    });
    await appendAll(rs.store, events.slice(cut));
    await rs.readSide.waitFor(await rs.store.lastPosition());
    off();

    expect((await board()).offers.map((offer) => offer.offerId)).toEqual([laterOffer]);
    expect(rs.readSide.status()).toMatchObject({ position: BigInt(events.length), lagEvents: 0n });

    // the offer on LATER_APP, pushed per audience: every partner bank gets its own view
    const offerUpdates = updates.filter(
      (update) => update.room === `application:${LATER_APP}` && update.event === 'board:update',
    );
    expect(offerUpdates.map((update) => update.audience)).toEqual([
      'firm',
      'analyst',
      `bank:${GARANTI.code}`,
      `bank:${HALKBANK.code}`,
      `bank:${AKBANK.code}`,
    ]);
    const stored = await rs.readModels.get<OfferBoard>(COLLECTIONS.board, LATER_APP);
    for (const update of offerUpdates) expect(update.version).toBe(stored!.version);
    const garantiView = offerUpdates[2]!.payload as {
      board: { offers: []; competingOfferCount: number };
    };
    expect(garantiView.board.offers).toEqual([]);
    expect(garantiView.board.competingOfferCount).toBe(1);
    expect(JSON.stringify(garantiView)).not.toContain(AKBANK.name);

    // one time left for every audience, counted at the product clock, which each payload states
    for (const update of offerUpdates) {
      expect(update.payload).toMatchObject({
        now: NOW.toISOString(),
        timeLeft: (offerUpdates[0]!.payload as { timeLeft: unknown }).timeLeft,
      });
    }

    // every partner bank's inbox gets the one entry that changed, versioned by its head
    const inboxUpdates = updates.filter(
      (update) =>
        update.event === 'inbox:update' &&
        (update.payload as InboxUpdatePayload).entries[0]?.applicationId === LATER_APP,
    );
    expect(inboxUpdates.map((u) => u.room)).toEqual([
      `inbox:${GARANTI.code}`,
      `inbox:${HALKBANK.code}`,
      `inbox:${AKBANK.code}`,
    ]);
    for (const update of inboxUpdates) {
      const bankCode = update.room.slice('inbox:'.length);
      const head = await rs.readModels.get<InboxHead>(COLLECTIONS.inbox, bankCode);
      const payload = update.payload as InboxUpdatePayload;
      expect(payload.entries).toHaveLength(1);
      expect(payload.now).toBe(NOW.toISOString());
      expect(payload.entries[0]!.timeLeft).toEqual(timeLeft(payload.entries[0]!, NOW));
      // the last update of the bank carries its head's version (APP closed after it for two banks)
      const last = updates.filter((u) => u.room === update.room).at(-1)!;
      expect(last.version).toBe(head!.version);
    }
    const akbank = inboxUpdates[2]!.payload as InboxUpdatePayload;
    expect(akbank.entries[0]).toMatchObject({
      offer: { offerId: laterOffer, rank: 1 },
      competingOfferCount: 0,
    });
    expect((inboxUpdates[0]!.payload as InboxUpdatePayload).entries[0]).toMatchObject({
      offer: null,
      competingOfferCount: 1,
    });

    const firmUpdate = updates.find(
      (update) => update.event === 'application:update' && update.room.startsWith('firm:'),
    );
    expect(firmUpdate).toMatchObject({ room: `firm:${VKN}`, audience: 'firm' });
    expect((firmUpdate!.payload as FirmListUpdatePayload).entries).toMatchObject([
      { applicationId: LATER_APP, offerCount: 1, firmVkn: VKN },
    ]);
    const firmHead = await rs.readModels.get<FirmHead>(COLLECTIONS.firmApplications, VKN);
    const firmUpdates = updates.filter((update) => update.room === `firm:${VKN}`);
    expect(firmUpdates.map((u) => u.version)).toEqual([firmHead!.version - 1, firmHead!.version]);
  });

  it("pushes the detail's questions and answers to the firm, analysts and the bank asking", async () => {
    const cut = events.findIndex((e) => e.type === 'InformationRequested');
    rs = await startReadSide(events.slice(0, cut));
    const updates: RoomUpdate[] = [];
    const off = rs.readSide.onChange((changes, event) => {
      updates.push(...rs.readSide.roomUpdates(changes, event));
    });
    await appendAll(rs.store, events.slice(cut, cut + 3));
    await rs.readSide.waitFor(await rs.store.lastPosition());
    off();

    const room = `application:${APP}`;
    const details = updates.filter(
      (update) => update.room === room && update.event === 'application:update',
    );
    // the question and the answer; Halkbank's offer after them shows on the board instead
    expect(details.map((update) => update.audience)).toEqual([
      'firm',
      'analyst',
      `bank:${GARANTI.code}`,
      'firm',
      'analyst',
      `bank:${GARANTI.code}`,
    ]);
    const stored = await rs.readModels.get<ApplicationDetail>(COLLECTIONS.detail, APP);
    expect(details.at(-1)!.version).toBe(stored!.version - 1);
    const garanti = details[5]!.payload as {
      informationRequests: { answer: string | null }[];
      now: string;
    };
    expect(garanti.informationRequests).toMatchObject([{ answer: '2025 bilançosu yüklendi' }]);
    expect(garanti.now).toBe(NOW.toISOString());
    expect(JSON.stringify(garanti)).not.toContain('creditNote');
    expect(details[0]!.payload).toMatchObject({ decision: { creditNote: 3 } });
    expect(
      updates.filter((update) => update.room === room && update.event === 'board:update'),
    ).toHaveLength(4);
  });

  it('builds only the payloads an audience filter lets through', async () => {
    rs = await startReadSide(events.slice(0, -1));
    const updates: RoomUpdate[] = [];
    const off = rs.readSide.onChange((changes, event) => {
      updates.push(
        ...rs.readSide.roomUpdates(changes, event, (room, audience) => audience === 'firm'),
      );
    });
    await appendAll(rs.store, events.slice(-1));
    await rs.readSide.waitFor(await rs.store.lastPosition());
    off();
    expect(updates.map((update) => [update.room, update.audience])).toEqual([
      [`application:${APP}`, 'firm'],
      [`firm:${VKN}`, 'firm'],
    ]);
  });
});

describe('room snapshots for live push', () => {
  let rs: TestReadSide;
  beforeAll(async () => {
    rs = await startReadSide(events);
  });
  afterAll(() => rs.close());

  it('gives each audience its view of an application room', async () => {
    const room = `application:${APP}`;
    const firm = await rs.readSide.roomSnapshot(userOf(as.exporter), room);
    const board = await rs.readModels.get<OfferBoard>(COLLECTIONS.board, APP);
    expect(firm).toMatchObject({ room, audience: 'firm', version: board!.version });
    expect((firm!.snapshot as { board: OfferBoard }).board.offers).toHaveLength(2);

    expect(await rs.readSide.roomSnapshot(userOf(as.analyst), room)).toMatchObject({
      audience: 'analyst',
    });
    const garanti = await rs.readSide.roomSnapshot(userOf(as.garanti), room);
    expect(garanti).toMatchObject({ audience: `bank:${GARANTI.code}` });
    expect(JSON.stringify(garanti)).not.toContain(HALKBANK.name);

    expect(await rs.readSide.roomSnapshot(userOf(as.otherExporter), room)).toBeNull();
    expect(await rs.readSide.roomSnapshot(userOf(as.akbank), room)).toBeNull();
  });

  it("names a bank's inbox room canonically and keeps other banks out", async () => {
    const inbox = await rs.readSide.roomSnapshot(userOf(as.garanti), 'inbox');
    expect(inbox).toMatchObject({
      room: `inbox:${GARANTI.code}`,
      audience: `bank:${GARANTI.code}`,
    });
    // the first page of GET /api/applications, with the inbox version and the product clock
    expect(inbox!.snapshot).toMatchObject({
      bankCode: GARANTI.code,
      bankName: GARANTI.name,
      total: 2,
      offset: 0,
      version: inbox!.version,
      now: NOW.toISOString(),
    });
    const items = (inbox!.snapshot as { items: InboxItem[] }).items;
    expect(items.map((item) => item.applicationId)).toEqual([LATER_APP, APP]);
    expect(items[0]!.timeLeft).toEqual(timeLeft(items[0]!, NOW));
    const head = await rs.readModels.get<InboxHead>(COLLECTIONS.inbox, GARANTI.code);
    expect(inbox!.version).toBe(head!.version);
    expect(await rs.readSide.roomSnapshot(userOf(as.garanti), `inbox:${HALKBANK.code}`)).toBeNull();
    expect(await rs.readSide.roomSnapshot(userOf(as.exporter), 'inbox')).toBeNull();
  });

  it("opens a firm's list room to its members only", async () => {
    const list = await rs.readSide.roomSnapshot(userOf(as.exporter), `firm:${VKN}`);
    expect(list).toMatchObject({ room: `firm:${VKN}`, audience: 'firm' });
    expect(list!.snapshot).toMatchObject({ firmVkn: VKN, total: 2, now: NOW.toISOString() });
    expect(
      (list!.snapshot as { items: { applicationId: string }[] }).items.map((i) => i.applicationId),
    ).toEqual([LATER_APP, APP]);
    expect(await rs.readSide.roomSnapshot(userOf(as.otherExporter), `firm:${VKN}`)).toBeNull();
    expect(await rs.readSide.roomSnapshot(userOf(as.analyst), 'application:nope')).toBeNull();
    expect(await rs.readSide.roomSnapshot(userOf(as.analyst), 'lobby')).toBeNull();
  });

  it('reads the session from a Cookie header as the queries do', () => {
    expect(rs.readSide.sessionUser(as.exporter.cookie)).toMatchObject({ userId: EXPORTER_ID });
    expect(rs.readSide.sessionUser(undefined)).toBeUndefined();
    expect(rs.readSide.sessionUser('kefalet_session=forged.token')).toBeUndefined();
  });
});
