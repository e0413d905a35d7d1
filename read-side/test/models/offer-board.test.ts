import { describe, expect, it } from 'vitest';
import {
  boardForBank,
  boardForFirm,
  boardKeys,
  evolveBoard,
  timeLeft,
  type OfferBoard,
} from '../../src/models/offer-board';
import {
  AKBANK,
  GARANTI,
  HALKBANK,
  HEAVY_FEES,
  History,
  NO_FEES_40,
  NO_FEES_44,
  NO_FEES_45,
  project,
  stored,
  terms,
  uuid,
} from './fixtures';

const APP = uuid(100);

/** Submitted, scored and opened to the three banks on Monday 2 March 2026. */
function opened(): History {
  const history = new History('2026-03-02T09:30:00.000+03:00');
  history.submitted(APP);
  history.at('2026-03-02T09:30:05.000+03:00').dataCollected(APP);
  history.at('2026-03-02T09:30:06.000+03:00').scored(APP);
  history.at('2026-03-02T09:31:00.000+03:00').opened(APP);
  return history;
}

function board(history: History): OfferBoard {
  const doc = project(history.events, boardKeys, evolveBoard).get(APP);
  if (doc === undefined) throw new Error('no board');
  return stored(doc);
}

const ranking = (doc: OfferBoard) =>
  doc.offers.map((offer) => [offer.bankName, offer.rank, offer.status, offer.effectiveAnnualCost]);

describe('offer board', () => {
  it('given two offers, is the application with every offer in full, ranked by effective cost', () => {
    const history = opened();
    const garanti = history
      .at('2026-03-03T10:00:00.000+03:00')
      .offerSubmitted(APP, GARANTI, HEAVY_FEES);
    const halkbank = history
      .at('2026-03-03T11:00:00.000+03:00')
      .offerSubmitted(APP, HALKBANK, NO_FEES_44);

    expect(board(history)).toEqual({
      applicationId: APP,
      firmVkn: '0150015264',
      firmTitle: 'Anadolu Tekstil İhracat A.Ş.',
      packageCode: 'IHR-KOBI',
      amount: '1500000.00',
      currency: 'TRY',
      maturityMonths: 12,
      status: 'BIDDING',
      selectedOfferId: null,
      openedAt: '2026-03-02T09:31:00.000+03:00',
      biddingClosesAt: '2026-03-11T20:59:59.999Z',
      closedAt: null,
      referenceNumber: null,
      selectionDeadline: null,
      partnerBankCount: 3,
      declinedBankCodes: [],
      declinedBankCount: 0,
      offers: [
        {
          offerId: halkbank,
          bankCode: '0012',
          bankName: 'Halkbank',
          ...NO_FEES_44,
          ...HALKBANK.contact,
          effectiveAnnualCost: '54.05',
          effectiveAnnualCostRate: expect.closeTo(0.540528, 6),
          totalCost: '357500.00',
          computedTotalRepayment: '1857500.00',
          repaymentMismatch: false,
          rank: 1,
          status: 'active',
          version: 1,
          versions: [
            {
              version: 1,
              at: '2026-03-03T11:00:00.000+03:00',
              terms: { ...NO_FEES_44, ...HALKBANK.contact },
              effectiveAnnualCost: '54.05',
              totalCost: '357500.00',
            },
          ],
          submittedAt: '2026-03-03T11:00:00.000+03:00',
          updatedAt: '2026-03-03T11:00:00.000+03:00',
        },
        {
          offerId: garanti,
          bankCode: '0062',
          bankName: 'Garanti BBVA',
          ...HEAVY_FEES,
          ...GARANTI.contact,
          effectiveAnnualCost: '68.32',
          effectiveAnnualCostRate: expect.closeTo(0.683172, 6),
          totalCost: '416250.00',
          computedTotalRepayment: '1841250.00',
          repaymentMismatch: false,
          rank: 2,
          status: 'active',
          version: 1,
          versions: [
            {
              version: 1,
              at: '2026-03-03T10:00:00.000+03:00',
              terms: { ...HEAVY_FEES, ...GARANTI.contact },
              effectiveAnnualCost: '68.32',
              totalCost: '416250.00',
            },
          ],
          submittedAt: '2026-03-03T10:00:00.000+03:00',
          updatedAt: '2026-03-03T10:00:00.000+03:00',
        },
      ],
      offerCount: 2,
      best: {
        offerId: halkbank,
        bankCode: '0012',
        bankName: 'Halkbank',
        effectiveAnnualCost: '54.05',
        totalCost: '357500.00',
      },
      // submitted, data collected, opened and two offers; the score is not on the board
      version: 5,
      lastPosition: '6',
    });
  });

  it('ranks a lower nominal rate with heavy fees below higher rates without fees (R13)', () => {
    const history = opened();
    history.at('2026-03-03T10:00:00.000+03:00').offerSubmitted(APP, GARANTI, HEAVY_FEES);
    history.at('2026-03-03T11:00:00.000+03:00').offerSubmitted(APP, HALKBANK, NO_FEES_44);
    history.at('2026-03-03T12:00:00.000+03:00').offerSubmitted(APP, AKBANK, NO_FEES_45);

    expect(ranking(board(history))).toEqual([
      ['Halkbank', 1, 'active', '54.05'],
      ['Akbank', 2, 'active', '55.55'],
      ['Garanti BBVA', 3, 'active', '68.32'],
    ]);
  });

  it('re-ranks on a revision and keeps every version (R12)', () => {
    const history = opened();
    const garanti = history
      .at('2026-03-03T10:00:00.000+03:00')
      .offerSubmitted(APP, GARANTI, HEAVY_FEES);
    history.at('2026-03-03T11:00:00.000+03:00').offerSubmitted(APP, HALKBANK, NO_FEES_44);
    history.at('2026-03-03T12:00:00.000+03:00').offerSubmitted(APP, AKBANK, NO_FEES_45);
    history.at('2026-03-04T09:15:00.000+03:00').offerRevised(APP, garanti, GARANTI, 2, NO_FEES_40);

    const doc = board(history);
    expect(ranking(doc)).toEqual([
      ['Garanti BBVA', 1, 'revised', '48.21'],
      ['Halkbank', 2, 'active', '54.05'],
      ['Akbank', 3, 'active', '55.55'],
    ]);
    const revised = doc.offers[0];
    expect(revised?.interestRate).toBe('40.0000');
    expect(revised?.totalExpenseAmount).toBe('0.00');
    expect(revised?.submittedAt).toBe('2026-03-03T10:00:00.000+03:00');
    expect(revised?.updatedAt).toBe('2026-03-04T09:15:00.000+03:00');
    expect(
      revised?.versions.map((v) => [v.version, v.terms.interestRate, v.effectiveAnnualCost]),
    ).toEqual([
      [1, '42.0000', '68.32'],
      [2, '40.0000', '48.21'],
    ]);
    expect(doc.best).toEqual({
      offerId: garanti,
      bankCode: '0062',
      bankName: 'Garanti BBVA',
      effectiveAnnualCost: '48.21',
      totalCost: '325000.00',
    });
  });

  it('drops a withdrawn offer from the ranking and the count, and lists it last', () => {
    const history = opened();
    history.at('2026-03-03T10:00:00.000+03:00').offerSubmitted(APP, GARANTI, HEAVY_FEES);
    const halkbank = history
      .at('2026-03-03T11:00:00.000+03:00')
      .offerSubmitted(APP, HALKBANK, NO_FEES_44);
    history.at('2026-03-03T12:00:00.000+03:00').offerSubmitted(APP, AKBANK, NO_FEES_45);
    history.at('2026-03-05T16:00:00.000+03:00').offerWithdrawn(APP, halkbank, HALKBANK);

    const doc = board(history);
    expect(ranking(doc)).toEqual([
      ['Akbank', 1, 'active', '55.55'],
      ['Garanti BBVA', 2, 'active', '68.32'],
      ['Halkbank', null, 'withdrawn', '54.05'],
    ]);
    expect(doc.offerCount).toBe(2);
    expect(doc.best?.bankName).toBe('Akbank');
    expect(doc.offers[2]?.updatedAt).toBe('2026-03-05T16:00:00.000+03:00');
  });

  it('breaks a tie on cost by the earlier offer; a revision to equal terms goes behind', () => {
    const history = opened();
    const halkbank = history
      .at('2026-03-03T11:00:00.000+03:00')
      .offerSubmitted(APP, HALKBANK, NO_FEES_44);
    history.at('2026-03-03T12:00:00.000+03:00').offerSubmitted(APP, AKBANK, NO_FEES_44);
    expect(ranking(board(history))).toEqual([
      ['Halkbank', 1, 'active', '54.05'],
      ['Akbank', 2, 'active', '54.05'],
    ]);

    history
      .at('2026-03-03T13:00:00.000+03:00')
      .offerRevised(APP, halkbank, HALKBANK, 2, NO_FEES_44);
    expect(ranking(board(history))).toEqual([
      ['Akbank', 1, 'active', '54.05'],
      ['Halkbank', 2, 'revised', '54.05'],
    ]);
  });

  it('counts declines and has no best before the first offer', () => {
    const history = opened();
    history.at('2026-03-03T10:00:00.000+03:00').declined(APP, AKBANK);

    const doc = board(history);
    expect(doc).toMatchObject({
      offerCount: 0,
      best: null,
      partnerBankCount: 3,
      declinedBankCodes: ['0046'],
      declinedBankCount: 1,
    });
  });

  it('flags a stated total repayment far from the schedule', () => {
    const history = opened();
    history
      .at('2026-03-03T10:00:00.000+03:00')
      .offerSubmitted(APP, HALKBANK, terms({ totalRepaymentAmount: '1500000.00' }));

    expect(board(history).offers[0]).toMatchObject({
      totalRepaymentAmount: '1500000.00',
      computedTotalRepayment: '1857500.00',
      repaymentMismatch: true,
    });
  });

  it('ignores a replayed event: the same document comes back', () => {
    const history = opened();
    history.at('2026-03-03T10:00:00.000+03:00').offerSubmitted(APP, GARANTI, HEAVY_FEES);
    const doc = board(history);
    const last = history.events.at(-1);
    const earlier = history.events[0];
    if (last === undefined || earlier === undefined) throw new Error('no events');

    expect(evolveBoard(doc, last)).toBe(doc);
    expect(evolveBoard(doc, earlier)).toBe(doc);
    expect(doc.version).toBe(4);
    expect(doc.lastPosition).toBe(last.position.toString());
  });

  it('is not touched by the score or information requests, and never holds the credit note', () => {
    const history = opened();
    const scored = history.events.find((event) => event.type === 'ApplicationScored');
    history.at('2026-03-03T10:00:00.000+03:00').informationRequested(APP, GARANTI, 'Son bilanço?');
    const request = history.events.at(-1);
    if (scored === undefined || request === undefined) throw new Error('no events');

    expect(boardKeys(scored)).toEqual([]);
    expect(boardKeys(request)).toEqual([]);
    const doc = board(history);
    expect(evolveBoard(doc, request)).toBe(doc);
    expect(JSON.stringify(doc)).not.toMatch(/creditNote|score|İyi/);
  });

  it('records the close, the reference number and the selection', () => {
    const history = opened();
    const halkbank = history
      .at('2026-03-03T11:00:00.000+03:00')
      .offerSubmitted(APP, HALKBANK, NO_FEES_44);
    history.at('2026-03-11T20:59:59.999Z').biddingClosed(APP, [halkbank]);
    history
      .at('2026-03-12T10:00:00.000+03:00')
      .offerSelected(APP, halkbank, HALKBANK, '2026-03-13T20:59:59.999Z');

    expect(board(history)).toMatchObject({
      status: 'OFFER_SELECTED',
      selectedOfferId: halkbank,
      closedAt: '2026-03-11T20:59:59.999Z',
      referenceNumber: 'TRN-7K3M-Q9PX-2DC',
      selectionDeadline: '2026-03-13T20:59:59.999Z',
    });
  });
});

describe('time left', () => {
  it('counts whole business days and milliseconds to the close, at query time', () => {
    const doc = board(opened());
    expect(timeLeft(doc, new Date('2026-03-09T10:00:00.000+03:00'))).toEqual({
      businessDays: 2,
      ms: Date.parse('2026-03-11T20:59:59.999Z') - Date.parse('2026-03-09T07:00:00.000Z'),
    });
    expect(timeLeft(doc, new Date('2026-03-12T00:00:00.000+03:00'))).toEqual({
      businessDays: 0,
      ms: 0,
    });
  });

  it('is null before the opening and zero once the bidding closed early', () => {
    const history = new History();
    history.submitted(APP);
    expect(timeLeft(board(history), new Date('2026-03-02T10:00:00.000+03:00'))).toBeNull();

    const closed = opened();
    const offer = closed
      .at('2026-03-03T11:00:00.000+03:00')
      .offerSubmitted(APP, HALKBANK, NO_FEES_44);
    closed.at('2026-03-04T11:00:00.000+03:00').biddingClosed(APP, [offer], true);
    expect(timeLeft(board(closed), new Date('2026-03-05T10:00:00.000+03:00'))).toEqual({
      businessDays: 0,
      ms: 0,
    });
  });
});

describe('board views', () => {
  function threeOffers() {
    const history = opened();
    const garanti = history
      .at('2026-03-03T10:00:00.000+03:00')
      .offerSubmitted(APP, GARANTI, HEAVY_FEES);
    const halkbank = history
      .at('2026-03-03T11:00:00.000+03:00')
      .offerSubmitted(APP, HALKBANK, NO_FEES_44);
    const akbank = history
      .at('2026-03-03T12:00:00.000+03:00')
      .offerSubmitted(APP, AKBANK, NO_FEES_45);
    return { history, garanti, halkbank, akbank };
  }

  it('shows a bank its own offers, its rank and the number of competing offers only (R11)', () => {
    const { history, akbank } = threeOffers();
    const view = boardForBank(board(history), AKBANK.code);

    expect(view.offers.map((offer) => [offer.offerId, offer.rank, offer.bankName])).toEqual([
      [akbank, 2, 'Akbank'],
    ]);
    expect(view.competingOfferCount).toBe(2);
    expect(view).toMatchObject({ chosen: false, referenceNumber: null, declined: false });

    const json = JSON.stringify(view);
    for (const secret of [
      'Garanti BBVA',
      'Halkbank',
      '"0062"',
      '"0012"',
      ...Object.values(GARANTI.contact),
      ...Object.values(HALKBANK.contact),
      '42.0000',
      '44.0000',
      '30000.00',
      '68.32',
      '54.05',
    ]) {
      expect(json).not.toContain(secret);
    }
  });

  it('gives the reference number to the chosen bank only', () => {
    const { history, halkbank, garanti, akbank } = threeOffers();
    history.at('2026-03-11T20:59:59.999Z').biddingClosed(APP, [garanti, halkbank, akbank]);
    history
      .at('2026-03-12T10:00:00.000+03:00')
      .offerSelected(APP, halkbank, HALKBANK, '2026-03-13T20:59:59.999Z');
    const doc = board(history);

    expect(boardForBank(doc, HALKBANK.code)).toMatchObject({
      chosen: true,
      referenceNumber: 'TRN-7K3M-Q9PX-2DC',
    });
    const other = boardForBank(doc, GARANTI.code);
    expect(other).toMatchObject({ chosen: false, referenceNumber: null });
    expect(JSON.stringify(other)).not.toContain('TRN-');
  });

  it('shows the firm everything', () => {
    const { history } = threeOffers();
    const doc = board(history);
    expect(boardForFirm(doc)).toEqual(doc);
  });
});
