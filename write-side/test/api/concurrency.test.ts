import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PARTNER_BANKS } from '../../src/demo';
import {
  applicationBody,
  buildApp,
  offerTerms,
  ofApplication,
  type Response,
  type TestApp,
} from './helper';

/*
 * Optimistic concurrency on the application stream: racing commands either both land or the loser
 * gets a 409 CONCURRENT_CHANGE; never a 500, never a lost write, never two live offers of one bank.
 * Stream reads are slowed down so that racing requests really do interleave between load and append
 * (in one process they otherwise run one after the other: see withSlowStreamReads).
 */

let t: TestApp;
let exporter: string;
const banks = new Map<string, string>();

beforeAll(async () => {
  t = await buildApp({ slowStreamReads: true });
  exporter = await t.login('exporter@demo.test');
  const cookies = await Promise.all(
    DEMO_PARTNER_BANKS.map((bank) => t.login(`bank.${bank.code}@demo.test`)),
  );
  DEMO_PARTNER_BANKS.forEach((bank, index) => banks.set(bank.code, cookies[index]!));
});

afterAll(async () => {
  await t?.close();
});

async function openApplication(): Promise<string> {
  const response = await t.send('POST', '/api/applications', {
    cookie: exporter,
    payload: applicationBody(),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().applicationId;
}

const bid = (applicationId: string, bankCode: string) =>
  t.send('POST', `/api/applications/${applicationId}/offers`, {
    cookie: banks.get(bankCode)!,
    payload: offerTerms({ branchCode: `${bankCode.slice(1)}1` }),
  });

async function offersInLog(applicationId: string) {
  return (await t.events())
    .filter((e) => e.type === 'OfferSubmitted' && ofApplication(applicationId)(e))
    .map((e) => e.data as { offerId: string; bankCode: string });
}

/** Each answer is a 201 or a 409 CONCURRENT_CHANGE; returns the offer ids that were accepted. */
function accepted(responses: readonly Response[]): string[] {
  for (const response of responses) {
    if (response.statusCode === 201) continue;
    expect(response.statusCode, response.body).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 409, code: 'CONCURRENT_CHANGE' });
  }
  return responses.filter((r) => r.statusCode === 201).map((r) => r.json().offerId as string);
}

describe('concurrent offers', () => {
  it('two banks bidding at once: both land, or one is told to retry', async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < 10; round++) {
      const applicationId = await openApplication();
      const responses = await Promise.all([bid(applicationId, '0062'), bid(applicationId, '0012')]);
      const ids = accepted(responses);
      expect(ids.length).toBeGreaterThanOrEqual(1);
      outcomes.add(responses.map((r) => r.statusCode).join('/'));

      // the log holds exactly the accepted offers: nothing lost, nothing extra
      const logged = await offersInLog(applicationId);
      expect(logged.map((o) => o.offerId).sort()).toEqual([...ids].sort());

      // the one told to retry gets in on the retry
      for (const [index, response] of responses.entries()) {
        if (response.statusCode === 409) {
          const retry = await bid(applicationId, index === 0 ? '0062' : '0012');
          expect(retry.statusCode, retry.body).toBe(201);
        }
      }
      const banksInLog = (await offersInLog(applicationId)).map((o) => o.bankCode).sort();
      expect(banksInLog).toEqual(['0012', '0062']);
    }
    // both outcomes are correct; with the reads slowed down the race must have been lost at least once
    expect([...outcomes].some((outcome) => outcome.includes('409'))).toBe(true);
  });

  it('all twelve partner banks at once: no 500, no duplicate bank, no lost offer', async () => {
    const applicationId = await openApplication();
    const codes = DEMO_PARTNER_BANKS.map((b) => b.code);
    const responses = await Promise.all(codes.map((code) => bid(applicationId, code)));
    const ids = accepted(responses);
    const logged = await offersInLog(applicationId);
    expect(logged.map((o) => o.offerId).sort()).toEqual([...ids].sort());
    expect(new Set(logged.map((o) => o.bankCode)).size).toBe(logged.length);
  });

  it('one bank bidding twice at once gets one offer at most', async () => {
    const applicationId = await openApplication();
    const responses = await Promise.all([1, 2, 3].map(() => bid(applicationId, '0046')));
    for (const response of responses) {
      expect(response.statusCode, response.body).toBeLessThan(500);
      if (response.statusCode !== 201) {
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(['CONCURRENT_CHANGE', 'OFFER_ALREADY_SUBMITTED']).toContain(response.json().code);
      }
    }
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const logged = await offersInLog(applicationId);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.bankCode).toBe('0046');
  });

  it('a revision racing a withdrawal: the log never shows a revision after the withdrawal', async () => {
    const applicationId = await openApplication();
    const first = await bid(applicationId, '0067');
    expect(first.statusCode, first.body).toBe(201);
    const offerUrl = `/api/applications/${applicationId}/offers/${first.json().offerId}`;
    const cookie = banks.get('0067')!;
    const responses = await Promise.all([
      t.send('PUT', offerUrl, { cookie, payload: offerTerms({ interestRate: '35' }) }),
      t.send('POST', `${offerUrl}/withdraw`, { cookie, payload: { reason: 'BANK_DECISION' } }),
    ]);
    for (const response of responses) {
      expect(response.statusCode, response.body).toBeLessThan(500);
    }
    expect(responses.filter((r) => r.statusCode < 300).length).toBeGreaterThanOrEqual(1);
    const types = (await t.events())
      .filter(ofApplication(applicationId))
      .map((e) => e.type)
      .filter((type) => type.startsWith('Offer'));
    const withdrawnAt = types.indexOf('OfferWithdrawn');
    if (withdrawnAt >= 0) expect(types.slice(withdrawnAt + 1)).not.toContain('OfferRevised');
  });
});
