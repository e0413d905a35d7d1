import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sessionUserOf } from '../../src/queries/session';
import type { RoomUpdate } from '../../src/queries/views';
import type { OfferBoard } from '../../src/models';
import { COLLECTIONS } from '../../src/projections';
import { AKBANK, EXPORTER_ID, GARANTI, HALKBANK, VKN } from '../models/fixtures';
import {
  APP,
  appendAll,
  as,
  LATER_APP,
  marketplace,
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

    expect(updates.filter((update) => update.event === 'inbox:update').map((u) => u.room)).toEqual(
      expect.arrayContaining([
        `inbox:${GARANTI.code}`,
        `inbox:${HALKBANK.code}`,
        `inbox:${AKBANK.code}`,
      ]),
    );
    const firmUpdate = updates.find((update) => update.event === 'application:update');
    expect(firmUpdate).toMatchObject({ room: `firm:${VKN}`, audience: 'firm' });
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
    expect((inbox!.snapshot as { requests: unknown[] }).requests).toHaveLength(2);
    expect(await rs.readSide.roomSnapshot(userOf(as.garanti), `inbox:${HALKBANK.code}`)).toBeNull();
    expect(await rs.readSide.roomSnapshot(userOf(as.exporter), 'inbox')).toBeNull();
  });

  it("opens a firm's list room to its members only", async () => {
    const list = await rs.readSide.roomSnapshot(userOf(as.exporter), `firm:${VKN}`);
    expect(list).toMatchObject({ room: `firm:${VKN}`, audience: 'firm' });
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
