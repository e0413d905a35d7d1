import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeLeft, type OfferBoard } from '../../src/models';
import { AKBANK, GARANTI, HALKBANK, VKN } from '../models/fixtures';
import {
  ANALYST_ID,
  APP,
  as,
  cookie,
  LATER_APP,
  marketplace,
  NOW,
  OTHER_APP,
  OTHER_VKN,
  startReadSide,
  type TestReadSide,
} from './helper';

let rs: TestReadSide;
const { events, garantiOffer, halkbankOffer } = marketplace();

beforeAll(async () => {
  rs = await startReadSide(events);
});
afterAll(() => rs.close());

const get = (url: string, headers: { cookie: string } | Record<string, never> = {}) =>
  rs.app.inject({ method: 'GET', url, headers });

function expectProblem(
  response: Awaited<ReturnType<typeof get>>,
  status: number,
  code: string,
): Record<string, unknown> {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json<Record<string, unknown>>();
  expect(body).toMatchObject({ status, code });
  return body;
}

describe('sign-in', () => {
  const routes = [
    '/api/applications',
    `/api/applications/${APP}`,
    `/api/applications/${APP}/board`,
    `/api/applications/${APP}/offer-document.pdf`,
    '/api/analytics/events',
    `/api/analytics/applications/${APP}/timeline`,
    '/api/analytics/kpis',
    '/api/read-side/status',
  ];

  it.each(routes)('%s is 401 without a session', async (url) => {
    expectProblem(await get(url), 401, 'NOT_SIGNED_IN');
  });

  it('refuses a cookie signed with another secret', async () => {
    const forged = cookie('analyst', ANALYST_ID, undefined, 'x'.repeat(43));
    expectProblem(await get('/api/applications', forged), 401, 'NOT_SIGNED_IN');
  });

  it('refuses a session the write-side revoked (logout)', async () => {
    const revoked = await startReadSide(events.slice(0, 3), { isSessionActive: () => false });
    try {
      const response = await revoked.app.inject({
        method: 'GET',
        url: '/api/applications',
        headers: as.exporter,
      });
      expect(response.statusCode).toBe(401);
    } finally {
      await revoked.close();
    }
  });
});

describe('GET /api/applications', () => {
  it("lists an exporter's firm's applications, newest first, with the credit note (R6, R17)", async () => {
    const response = await get('/api/applications', as.exporter);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.role).toBe('exporter');
    expect(body.firms).toEqual([{ vkn: VKN, title: 'Anadolu Tekstil İhracat A.Ş.' }]);
    expect(body.total).toBe(2);
    expect(body.items.map((row: { applicationId: string }) => row.applicationId)).toEqual([
      LATER_APP,
      APP,
    ]);
    expect(body.items[1]).toMatchObject({
      firmVkn: VKN,
      status: 'BIDDING_CLOSED',
      creditNote: 3,
      offerCount: 2,
      bestEffectiveAnnualCost: '48.21',
      nextDeadline: { kind: 'SELECT_AND_APPLY' },
    });
    // deadlines are counted on the product clock, which the answer states
    expect(body.now).toBe(NOW.toISOString());

    const page = (await get('/api/applications?offset=1&limit=1', as.exporter)).json();
    expect(page).toMatchObject({ total: 2, offset: 1, limit: 1 });
    expect(page.items.map((row: { applicationId: string }) => row.applicationId)).toEqual([APP]);
    const bidding = (await get('/api/applications?status=BIDDING', as.exporter)).json();
    expect(bidding.total).toBe(1);
    expect(bidding.items[0].applicationId).toBe(LATER_APP);
  });

  it("refuses another firm's list by VKN, and a malformed VKN field by field", async () => {
    expectProblem(
      await get(`/api/applications?firm=${OTHER_VKN}`, as.exporter),
      403,
      'NOT_A_MEMBER',
    );
    const bad = expectProblem(
      await get('/api/applications?firm=12ab', as.exporter),
      400,
      'VALIDATION_FAILED',
    );
    expect(bad.errors).toEqual([{ field: 'querystring.firm', reason: 'must be a 10-digit VKN' }]);
  });

  it('gives a bank its inbox: only requests opened to it, never the credit note (R6, R7)', async () => {
    const garanti = (await get('/api/applications', as.garanti)).json();
    expect(garanti).toMatchObject({ role: 'bank', bankCode: GARANTI.code, bankName: GARANTI.name });
    expect(garanti.items.map((r: { applicationId: string }) => r.applicationId)).toEqual([
      LATER_APP,
      APP,
    ]);
    expect(garanti.items[1]).toMatchObject({
      offer: { offerId: garantiOffer, rank: 2, effectiveAnnualCost: '54.05' },
      competingOfferCount: 1,
    });
    const text = JSON.stringify(garanti);
    expect(text).not.toContain('creditNote');
    expect(text).not.toContain(HALKBANK.name);
    expect(text).not.toContain(halkbankOffer);

    const akbank = (await get('/api/applications', as.akbank)).json();
    expect(akbank.items.map((r: { applicationId: string }) => r.applicationId)).toEqual([
      LATER_APP,
    ]);
  });

  it("gives each inbox row the time left to bid, like the board, at the product clock's now", async () => {
    const garanti = (await get('/api/applications', as.garanti)).json();
    expect(garanti.now).toBe(NOW.toISOString());
    expect(garanti.version).toBeGreaterThan(0);
    const [later, closed] = garanti.items;
    expect(later.timeLeft).toEqual(timeLeft(later, NOW));
    expect(later.timeLeft.businessDays).toBeGreaterThan(0);
    expect(closed.timeLeft).toEqual({ businessDays: 0, ms: 0 });
    // the board says the same
    const board = (await get(`/api/applications/${LATER_APP}/board`, as.garanti)).json();
    expect(later.timeLeft).toEqual(board.timeLeft);
  });

  it('pages an inbox, and filters it by status and by firm', async () => {
    const second = (await get('/api/applications?offset=1&limit=1', as.garanti)).json();
    expect(second).toMatchObject({ total: 2, offset: 1, limit: 1 });
    expect(second.items.map((r: { applicationId: string }) => r.applicationId)).toEqual([APP]);
    const closed = (await get('/api/applications?status=BIDDING_CLOSED', as.garanti)).json();
    expect(closed.total).toBe(1);
    expect(closed.items[0].applicationId).toBe(APP);
    const firm = (await get(`/api/applications?firm=${VKN}&status=BIDDING`, as.garanti)).json();
    expect(firm.items.map((r: { applicationId: string }) => r.applicationId)).toEqual([LATER_APP]);
    expect(firm.total).toBe(1);
    const none = (await get(`/api/applications?firm=${OTHER_VKN}`, as.garanti)).json();
    expect(none).toMatchObject({ total: 0, items: [] });
  });

  it('pages every application for analysts, filtered by status or firm', async () => {
    const all = (await get('/api/applications', as.analyst)).json();
    expect(all.total).toBe(3);
    expect(all.items.map((r: { applicationId: string }) => r.applicationId)).toEqual([
      LATER_APP,
      OTHER_APP,
      APP,
    ]);
    const second = (await get('/api/applications?offset=1&limit=1', as.analyst)).json();
    expect(second).toMatchObject({ total: 3, offset: 1, limit: 1 });
    expect(second.items).toHaveLength(1);
    expect(second.items[0]).toMatchObject({ applicationId: OTHER_APP, firmVkn: OTHER_VKN });

    const rejected = (await get('/api/applications?status=REJECTED', as.analyst)).json();
    expect(rejected.items.map((r: { applicationId: string }) => r.applicationId)).toEqual([
      OTHER_APP,
    ]);
    expect(rejected.total).toBe(1);

    const firm = (await get(`/api/applications?firm=${VKN}`, as.analyst)).json();
    expect(firm.total).toBe(2);
  });

  it('answers bad paging with field-level reasons', async () => {
    const body = expectProblem(
      await get('/api/applications?limit=0&status=OPEN', as.analyst),
      400,
      'VALIDATION_FAILED',
    );
    expect((body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'querystring.limit',
      'querystring.status',
    ]);
  });
});

describe('GET /api/applications/:id', () => {
  it('shows the firm its application in full, with the status and the credit note', async () => {
    const response = await get(`/api/applications/${APP}`, as.exporter);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      applicationId: APP,
      status: 'BIDDING_CLOSED',
      decision: { creditNote: 3 },
      referenceNumber: 'TRN-7K3M-Q9PX-2DC',
      now: NOW.toISOString(),
    });
  });

  it("refuses another firm's application as not found (its existence is not revealed)", async () => {
    expectProblem(
      await get(`/api/applications/${OTHER_APP}`, as.exporter),
      404,
      'APPLICATION_NOT_FOUND',
    );
    expectProblem(
      await get(`/api/applications/${APP}`, as.otherExporter),
      404,
      'APPLICATION_NOT_FOUND',
    );
    expect((await get(`/api/applications/${OTHER_APP}`, as.otherExporter)).statusCode).toBe(200);
  });

  it('shows a partner bank the eligibility, not the note, and none of the other banks (R6, R11)', async () => {
    const response = await get(`/api/applications/${APP}`, as.garanti);
    expect(response.statusCode).toBe(200);
    const detail = response.json();
    expect(detail).toMatchObject({
      status: 'BIDDING_CLOSED',
      eligibility: { guaranteeRatio: '90', guaranteeAmount: '1350000.00' },
      chosen: false,
      referenceNumber: null,
    });
    expect(detail).not.toHaveProperty('decision');
    expect(detail.informationRequests).toHaveLength(1);
    const text = JSON.stringify(detail);
    expect(text).not.toContain('creditNote');
    expect(text).not.toContain(HALKBANK.name);
    expect(text).not.toContain('TRN-7K3M');
  });

  it('is not found for a bank the application was not opened to, or an unknown id', async () => {
    expectProblem(await get(`/api/applications/${APP}`, as.akbank), 404, 'APPLICATION_NOT_FOUND');
    expectProblem(
      await get('/api/applications/00000000-0000-4000-8000-000000000099', as.analyst),
      404,
      'APPLICATION_NOT_FOUND',
    );
    const bad = expectProblem(
      await get('/api/applications/42', as.analyst),
      400,
      'VALIDATION_FAILED',
    );
    expect(bad.errors).toMatchObject([{ field: 'params.id' }]);
  });
});

describe('bank names in the detail', () => {
  it('come from the registrations: a bank that made no offer is named, never "Banka 0012"', async () => {
    // LATER_APP was opened to all three banks, and only Akbank made an offer
    const detail = (await get(`/api/applications/${LATER_APP}`, as.analyst)).json();
    expect(detail.bankNames).toEqual({
      [GARANTI.code]: GARANTI.name,
      [HALKBANK.code]: HALKBANK.name,
      [AKBANK.code]: AKBANK.name,
    });
    // APP: Garanti asked before Halkbank made its offer; the summaries name each bank
    const app = (await get(`/api/applications/${APP}`, as.exporter)).json();
    const summaries = app.timeline.map((entry: { summaryTr: string }) => entry.summaryTr);
    expect(summaries).toContain(`Ek bilgi istendi (${GARANTI.name})`);
    expect(summaries.join(' ')).not.toMatch(/Banka \d{4}/);
  });
});

describe('GET /api/applications/:id/board', () => {
  it('ranks the offers by effective annual cost for the firm and analysts (R13)', async () => {
    for (const user of [as.exporter, as.analyst]) {
      const {
        board,
        status,
        timeLeft: left,
      } = (await get(`/api/applications/${APP}/board`, user)).json();
      expect(status).toBe('BIDDING_CLOSED');
      expect(left).toEqual({ businessDays: 0, ms: 0 });
      expect(board.version).toBeGreaterThan(0);
      expect(
        board.offers.map((o: OfferBoard['offers'][number]) => [
          o.bankName,
          o.rank,
          o.effectiveAnnualCost,
          o.totalCost,
        ]),
      ).toEqual([
        [HALKBANK.name, 1, '48.21', '325000.00'],
        [GARANTI.name, 2, '54.05', '357500.00'],
      ]);
      expect(board.best).toMatchObject({ offerId: halkbankOffer, bankCode: HALKBANK.code });
    }
  });

  it('shows a bank its own offer, its rank and the number of rivals, nothing of theirs (R11)', async () => {
    const { board } = (await get(`/api/applications/${APP}/board`, as.garanti)).json();
    expect(board.offers).toHaveLength(1);
    expect(board.offers[0]).toMatchObject({ offerId: garantiOffer, rank: 2 });
    expect(board.competingOfferCount).toBe(1);
    const text = JSON.stringify(board);
    expect(text).not.toContain(HALKBANK.name);
    expect(text).not.toContain(HALKBANK.contact.representativeName);
    expect(text).not.toContain('48.21');
    expectProblem(
      await get(`/api/applications/${APP}/board`, as.akbank),
      404,
      'APPLICATION_NOT_FOUND',
    );
  });

  it('gives the time left to bid at the product clock', async () => {
    const response = (await get(`/api/applications/${LATER_APP}/board`, as.akbank)).json();
    expect(response.status).toBe('BIDDING');
    expect(response.timeLeft).toEqual(timeLeft(response.board, NOW));
    expect(response.now).toBe(NOW.toISOString());
    expect(response.timeLeft.businessDays).toBeGreaterThan(0);
    expect(response.board.offers).toHaveLength(1);
    expect(response.board.competingOfferCount).toBe(0);
  });
});

describe('GET /api/applications/:id/offer-document.pdf', () => {
  it('prints the offers for the firm once bidding closed (R14)', async () => {
    const response = await get(`/api/applications/${APP}/offer-document.pdf`, as.exporter);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('is a conflict before the close, and not for banks or other firms', async () => {
    expectProblem(
      await get(`/api/applications/${LATER_APP}/offer-document.pdf`, as.exporter),
      409,
      'BIDDING_NOT_CLOSED',
    );
    expectProblem(
      await get(`/api/applications/${APP}/offer-document.pdf`, as.garanti),
      403,
      'ROLE_NOT_ALLOWED',
    );
    expectProblem(
      await get(`/api/applications/${APP}/offer-document.pdf`, as.otherExporter),
      404,
      'APPLICATION_NOT_FOUND',
    );
    expect((await get(`/api/applications/${APP}/offer-document.pdf`, as.analyst)).statusCode).toBe(
      200,
    );
  });
});

describe('analyst-only routes', () => {
  const routes = [
    '/api/analytics/events',
    `/api/analytics/applications/${APP}/timeline`,
    '/api/analytics/kpis',
    '/api/read-side/status',
  ];
  it.each(routes)('%s is 403 for exporters and banks', async (url) => {
    expectProblem(await get(url, as.exporter), 403, 'ROLE_NOT_ALLOWED');
    expectProblem(await get(url, as.garanti), 403, 'ROLE_NOT_ALLOWED');
  });

  it('reports the runner caught up', async () => {
    const status = (await get('/api/read-side/status', as.analyst)).json();
    expect(status).toEqual({
      running: true,
      position: String(events.length),
      lastLogPosition: String(events.length),
      lagEvents: '0',
      error: null,
    });
  });
});
