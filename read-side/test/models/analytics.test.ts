import { describe, expect, it } from 'vitest';
import {
  ANALYTICS_KEY,
  analyticsKeys,
  evolveAnalytics,
  marketKpis,
  type MarketAnalytics,
} from '../../src/models/analytics';
import {
  AKBANK,
  GARANTI,
  HALKBANK,
  HEAVY_FEES,
  History,
  NO_FEES_40,
  NO_FEES_44,
  NO_FEES_45,
  PARTNER_BANKS,
  project,
  stored,
  uuid,
} from './fixtures';

const A = uuid(100);
const B = uuid(101);
const C = uuid(102);
const D = uuid(103);

function analytics(history: History): MarketAnalytics {
  const doc = project(history.events, analyticsKeys, evolveAnalytics).get(ANALYTICS_KEY);
  if (doc === undefined) throw new Error('no analytics');
  return stored(doc);
}

/** Four applications over two Istanbul days; A and C close with offers, B is rejected, D gets none. */
function market(): History {
  const history = new History('2026-03-02T09:00:00.000+03:00');
  for (const bank of PARTNER_BANKS) history.bankRegistered(bank);

  history.at('2026-03-02T09:30:00.000+03:00').submitted(A);
  history.dataCollected(A);
  history.scored(A, { creditNote: 2 });
  history.at('2026-03-02T09:31:00.000+03:00').opened(A);
  // first offer 24 hours after the opening
  const a1 = history.at('2026-03-03T09:31:00.000+03:00').offerSubmitted(A, HALKBANK, NO_FEES_44);
  const a2 = history.at('2026-03-03T12:00:00.000+03:00').offerSubmitted(A, GARANTI, HEAVY_FEES);
  const a3 = history.at('2026-03-04T10:00:00.000+03:00').offerSubmitted(A, AKBANK, NO_FEES_45);
  history.at('2026-03-04T11:00:00.000+03:00').biddingClosed(A, [a1, a2, a3], true);
  history
    .at('2026-03-05T10:00:00.000+03:00')
    .offerSelected(A, a1, HALKBANK, '2026-03-06T20:59:59.999Z');

  // 01:00 in Istanbul is still the previous day in UTC: counted on 3 March
  history.at('2026-03-03T01:00:00.000+03:00').submitted(B);
  history.dataCollected(B);
  history.scored(B, { eligible: false, creditNote: 6 });
  history.rejected(B);

  history.at('2026-03-03T10:00:00.000+03:00').submitted(C);
  history.dataCollected(C);
  history.scored(C, { creditNote: 2 });
  history.at('2026-03-03T10:01:00.000+03:00').opened(C, [GARANTI, AKBANK]);
  // first offer 2 hours after the opening, first made dearer and then revised
  const c1 = history.at('2026-03-03T12:01:00.000+03:00').offerSubmitted(C, GARANTI, HEAVY_FEES);
  history.at('2026-03-03T12:30:00.000+03:00').offerRevised(C, c1, GARANTI, 2, NO_FEES_40);
  const c2 = history.at('2026-03-03T13:00:00.000+03:00').offerSubmitted(C, AKBANK, NO_FEES_44);
  history.at('2026-03-12T20:59:59.999Z').biddingClosed(C, [c1, c2]);
  history
    .at('2026-03-13T10:00:00.000+03:00')
    .offerSelected(C, c1, GARANTI, '2026-03-16T20:59:59.999Z');

  history.at('2026-03-03T11:00:00.000+03:00').submitted(D);
  history.dataCollected(D);
  history.scored(D, { creditNote: 3 });
  history.opened(D);
  history.at('2026-03-12T20:59:59.999Z').closedWithoutOffers(D);
  return history;
}

describe('market analytics', () => {
  it('derives the KPIs from a small history', () => {
    expect(marketKpis(analytics(market()))).toEqual({
      applicationsPerDay: [
        { day: '2026-03-02', count: 1 },
        { day: '2026-03-03', count: 3 },
      ],
      approvalRateByCreditNote: [
        { creditNote: 2, scored: 2, eligible: 2, rate: 1 },
        { creditNote: 3, scored: 1, eligible: 1, rate: 1 },
        { creditNote: 6, scored: 1, eligible: 0, rate: 0 },
      ],
      // A 3, C 2, D none
      offersPerApplication: 5 / 3,
      // 24 h and 2 h
      medianTimeToFirstOfferMs: 13 * 3_600_000,
      // A: median 55.55 − best 54.05 = 150; C: (48.21 + 54.05) / 2 − 48.21 = 292
      meanBestToMedianSpreadBps: 221,
      winRateByBank: [
        { bankCode: '0012', bankName: 'Halkbank', applicationsBid: 1, wins: 1, rate: 1 },
        { bankCode: '0046', bankName: 'Akbank', applicationsBid: 2, wins: 0, rate: 0 },
        { bankCode: '0062', bankName: 'Garanti BBVA', applicationsBid: 2, wins: 1, rate: 0.5 },
      ],
    });
  });

  it('takes a withdrawn selection back from the winner', () => {
    const history = market();
    const selection = history.events.find(
      (event) => event.type === 'OfferSelected' && event.data.applicationId === C,
    );
    if (selection?.type !== 'OfferSelected') throw new Error('no selection');
    history
      .at('2026-03-13T15:00:00.000+03:00')
      .offerWithdrawn(C, selection.data.offerId, GARANTI, 'REGULATORY_CHANGE');

    const garanti = marketKpis(analytics(history)).winRateByBank.find((b) => b.bankCode === '0062');
    expect(garanti).toEqual({
      bankCode: '0062',
      bankName: 'Garanti BBVA',
      applicationsBid: 2,
      wins: 0,
      rate: 0,
    });
  });

  it('is empty before any event and ignores a replayed one', () => {
    expect(marketKpis(undefined)).toEqual({
      applicationsPerDay: [],
      approvalRateByCreditNote: [],
      offersPerApplication: null,
      medianTimeToFirstOfferMs: null,
      meanBestToMedianSpreadBps: null,
      winRateByBank: [],
    });
    const history = market();
    const doc = analytics(history);
    const last = history.events.at(-1);
    if (last === undefined) throw new Error('no event');
    expect(evolveAnalytics(doc, last)).toBe(doc);
    expect(doc.version).toBe(history.events.length);
  });
});
