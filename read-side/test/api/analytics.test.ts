import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streams } from '@kefalet/events';
import { scanEventLog } from '../../src/queries/event-log';
import { GARANTI, HALKBANK } from '../models/fixtures';
import { APP, as, LATER_APP, marketplace, NOW, startReadSide, type TestReadSide } from './helper';

let rs: TestReadSide;
const { events, betweenOffers } = marketplace();

beforeAll(async () => {
  rs = await startReadSide(events);
});
afterAll(() => rs.close());

const get = (url: string) => rs.app.inject({ method: 'GET', url, headers: as.analyst });

interface Summary {
  position: string;
  type: string;
  stream: string;
}

const positionsOf = (items: Summary[]) => items.map((item) => item.position);
const positionsWhere = (match: (event: (typeof events)[number]) => boolean) =>
  events.filter(match).map((event) => String(event.position));

describe('time travel: GET /api/analytics/applications/:id/timeline', () => {
  it('replays the application up to the instant asked', async () => {
    const response = await get(
      `/api/analytics/applications/${APP}/timeline?at=${encodeURIComponent(betweenOffers)}`,
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      applicationId: APP,
      at: new Date(betweenOffers).toISOString(),
      eventsApplied: 7,
      eventsTotal: 9,
    });
    expect(body.state.status).toBe('BIDDING');
    // the partner banks by their registered names, Halkbank before it made an offer too
    expect(body.state.bankNames).toEqual({
      [GARANTI.code]: GARANTI.name,
      [HALKBANK.code]: HALKBANK.name,
    });
    expect(body.state.timeline.map((entry: Summary) => entry.type)).toEqual([
      'ApplicationSubmitted',
      'ApplicationDataCollected',
      'ApplicationScored',
      'ApplicationOpenedForBidding',
      'OfferSubmitted',
      'InformationRequested',
      'InformationProvided',
    ]);
  });

  it('replays up to and including the event at a log position, one event at a time', async () => {
    const own = events.filter((event) => event.stream === `application-${APP}`);
    const question = own.find((event) => event.type === 'InformationRequested')!;
    const body = (
      await get(`/api/analytics/applications/${APP}/timeline?position=${question.position}`)
    ).json();
    expect(body).toMatchObject({
      applicationId: APP,
      position: String(question.position),
      at: new Date(question.metadata.occurredAt).toISOString(),
      eventsApplied: own.indexOf(question) + 1,
      eventsTotal: own.length,
      now: NOW.toISOString(),
    });
    expect(body.state.timeline.at(-1)).toMatchObject({
      type: 'InformationRequested',
      summaryTr: `Ek bilgi istendi (${GARANTI.name})`,
    });
    expect(body.state.informationRequests).toMatchObject([{ answer: null }]);
    // the answer came at the same instant: the next position shows it
    const next = (
      await get(`/api/analytics/applications/${APP}/timeline?position=${question.position + 1n}`)
    ).json();
    expect(next.eventsApplied).toBe(body.eventsApplied + 1);
    expect(next.state.informationRequests).toMatchObject([{ answer: '2025 bilançosu yüklendi' }]);

    // before the application's first event: nothing yet
    const before = (await get(`/api/analytics/applications/${APP}/timeline?position=1`)).json();
    expect(before).toMatchObject({ eventsApplied: 0, position: null, state: null });

    const both = await get(
      `/api/analytics/applications/${APP}/timeline?position=3&at=${encodeURIComponent(betweenOffers)}`,
    );
    expect(both.statusCode).toBe(400);
    expect(both.json().errors).toEqual([
      { field: 'querystring.position', reason: 'give at or position, not both' },
    ]);
    const bad = await get(`/api/analytics/applications/${APP}/timeline?position=-1`);
    expect(bad.json().errors).toEqual([
      { field: 'querystring.position', reason: 'must be a log position' },
    ]);
  });

  it('defaults to the product clock, and is empty before the submission', async () => {
    const now = (await get(`/api/analytics/applications/${APP}/timeline`)).json();
    expect(now.state.status).toBe('BIDDING');
    expect(now.state.bankNames).toEqual({
      [GARANTI.code]: GARANTI.name,
      [HALKBANK.code]: HALKBANK.name,
    });
    expect(now.eventsApplied).toBe(8);

    const before = (
      await get(`/api/analytics/applications/${APP}/timeline?at=2026-03-02T06:00:00Z`)
    ).json();
    expect(before).toMatchObject({ state: null, eventsApplied: 0, eventsTotal: 9 });
  });

  it('refuses an instant that is not ISO 8601, and an unknown application', async () => {
    const response = await get(`/api/analytics/applications/${APP}/timeline?at=yesterday`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'querystring.at' }],
    });
    const unknown = await get(
      '/api/analytics/applications/00000000-0000-4000-8000-000000000099/timeline',
    );
    expect(unknown.statusCode).toBe(404);
  });
});

describe('GET /api/analytics/kpis', () => {
  it('derives the market figures from the log', async () => {
    const response = await get('/api/analytics/kpis');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      applicationsPerDay: [
        { day: '2026-03-02', count: 2 },
        { day: '2026-03-03', count: 1 },
      ],
      approvalRateByCreditNote: [
        { creditNote: 2, scored: 1, eligible: 1, rate: 1 },
        { creditNote: 3, scored: 1, eligible: 1, rate: 1 },
        { creditNote: 6, scored: 1, eligible: 0, rate: 0 },
      ],
      // APP had two offers, LATER_APP one
      offersPerApplication: 1.5,
      // 4.5 h on APP, 1 h on LATER_APP
      medianTimeToFirstOfferMs: (4.5 + 1) * 1_800_000,
      // APP closed with 48.21 % and 54.05 %: median 51.13 %
      meanBestToMedianSpreadBps: 292,
      winRateByBank: [
        { bankCode: '0012', bankName: HALKBANK.name, applicationsBid: 1, wins: 0, rate: 0 },
        { bankCode: '0046', bankName: 'Akbank', applicationsBid: 1, wins: 0, rate: 0 },
        { bankCode: '0062', bankName: GARANTI.name, applicationsBid: 1, wins: 0, rate: 0 },
      ],
      lastPosition: String(events.at(-1)!.position),
    });
  });
});

describe('event explorer: GET /api/analytics/events', () => {
  it('filters by type and pages with the position as cursor', async () => {
    const offers = positionsWhere((e) => e.type === 'OfferSubmitted');
    expect(offers).toHaveLength(3);

    const first = (await get('/api/analytics/events?type=OfferSubmitted&limit=2')).json();
    expect(positionsOf(first.items)).toEqual(offers.slice(0, 2));
    expect(first.nextCursor).toBe(offers[1]);
    expect(first.scanLimitReached).toBe(false);

    const next = (
      await get(`/api/analytics/events?type=OfferSubmitted&limit=2&after=${first.nextCursor}`)
    ).json();
    expect(positionsOf(next.items)).toEqual(offers.slice(2));
    expect(next.nextCursor).toBeNull();
  });

  it('filters by several types, stream, actor and time', async () => {
    const closing = (
      await get('/api/analytics/events?type=BiddingClosed,ApplicationRejected')
    ).json();
    expect(closing.items.map((item: Summary) => item.type)).toEqual([
      'ApplicationRejected',
      'BiddingClosed',
    ]);

    const stream = streams.application(LATER_APP);
    const later = (await get(`/api/analytics/events?stream=${stream}`)).json();
    expect(positionsOf(later.items)).toEqual(positionsWhere((e) => e.stream === stream));

    const garanti = (
      await get(`/api/analytics/events?actorRole=bank&bankCode=${GARANTI.code}`)
    ).json();
    expect(garanti.items.map((item: Summary) => item.type)).toEqual([
      'OfferSubmitted',
      'InformationRequested',
    ]);

    const system = (await get('/api/analytics/events?actorRole=system')).json();
    expect(positionsOf(system.items)).toEqual(
      positionsWhere((e) => e.metadata.actor.kind === 'system'),
    );

    const from = '2026-03-03T00:00:00+03:00';
    const to = '2026-03-03T10:30:00+03:00';
    const window = (
      await get(
        `/api/analytics/events?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      )
    ).json();
    expect(positionsOf(window.items)).toEqual(
      positionsWhere((e) => {
        const at = Date.parse(e.metadata.occurredAt);
        return at >= Date.parse(from) && at < Date.parse(to);
      }),
    );
    expect(window.items).toHaveLength(4);
  });

  it('answers bad parameters with problem+json, field by field', async () => {
    const response = await get('/api/analytics/events?limit=-1&type=OfferMade&after=abc');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const fields = response.json().errors.map((e: { field: string }) => e.field);
    expect(fields.sort()).toEqual(['querystring.after', 'querystring.limit', 'querystring.type.0']);
    expect((await get('/api/analytics/events?limit=501')).statusCode).toBe(400);
    expect((await get('/api/analytics/events?from=yesterday')).statusCode).toBe(400);
  });

  it('stops a scan at its bound and hands back a cursor to continue from', async () => {
    const query = { types: ['BiddingClosed' as const] };
    const bounded = await scanEventLog(rs.store, query, 10);
    expect(bounded).toEqual({ items: [], nextCursor: '10', scanned: 10, scanLimitReached: true });

    let cursor = bounded.nextCursor!;
    const found = [];
    for (;;) {
      const page = await scanEventLog(rs.store, { ...query, after: cursor }, 10);
      found.push(...page.items);
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(found.map((item) => item.position)).toEqual(
      positionsWhere((e) => e.type === 'BiddingClosed'),
    );
  });
});
