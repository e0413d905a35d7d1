import { describe, it } from 'vitest';
import type {
  ApplicationCommand,
  ReviseOffer,
  SubmitOffer,
  WithdrawOffer,
} from '../../../src/domain/application';
import { event, fixedContext } from '../spec';
import {
  AFTER_DEADLINE,
  APPLICATION_ID,
  BANK_NAMES,
  BANK_USER_ID,
  BIDDING,
  BIDDING_CLOSES_AT,
  CLOSED,
  DURING_BIDDING,
  HALKBANK,
  IS_BANKASI,
  MEMBER_ID,
  OFFER_HALKBANK,
  OFFER_VAKIFBANK,
  OFFER_ZIRAAT,
  PARTNER_BANKS,
  REFERENCE_NUMBER,
  REQUEST_ID,
  SELECTION_DEADLINE,
  SUBMITTED,
  TERMS,
  TWO_OFFERS,
  VAKIFBANK,
  ZIRAAT,
  ZIRAAT_SELECTED,
  bankDeclined,
  biddingClosedWithoutOffers,
  cancelled,
  informationRequested,
  offerSubmitted,
  offerWithdrawn,
  recorded,
  spec,
} from './fixtures';

const bankUser = (bankCode: string) =>
  fixedContext(DURING_BIDDING, { kind: 'user', userId: BANK_USER_ID, role: 'bank', bankCode });

const submitOffer = (bankCode: string, offerId: string, terms = TERMS): SubmitOffer => ({
  type: 'SubmitOffer',
  applicationId: APPLICATION_ID,
  offerId,
  bankCode,
  bankName: BANK_NAMES[bankCode] ?? 'Türkiye İş Bankası A.Ş.',
  terms,
});

const reviseOffer = (bankCode: string, offerId: string, terms = TERMS): ReviseOffer => ({
  type: 'ReviseOffer',
  applicationId: APPLICATION_ID,
  offerId,
  bankCode,
  terms,
});

const withdrawOffer = (
  bankCode: string,
  offerId: string,
  reason: WithdrawOffer['reason'] = 'BANK_DECISION',
): WithdrawOffer => ({
  type: 'WithdrawOffer',
  applicationId: APPLICATION_ID,
  offerId,
  bankCode,
  reason,
  note: '',
});

const decline = (bankCode: string): ApplicationCommand => ({
  type: 'DeclineRequest',
  applicationId: APPLICATION_ID,
  bankCode,
  note: 'Sektör limitimiz dolu',
});

const requestInformation = (bankCode: string, requestId = REQUEST_ID): ApplicationCommand => ({
  type: 'RequestInformation',
  applicationId: APPLICATION_ID,
  requestId,
  bankCode,
  question: 'Son iki yılın ihracat sözleşmelerini paylaşabilir misiniz?',
});

const answer = (memberVerifiedForFirm = true): ApplicationCommand => ({
  type: 'AnswerInformation',
  applicationId: APPLICATION_ID,
  requestId: REQUEST_ID,
  memberId: MEMBER_ID,
  memberVerifiedForFirm,
  answer: 'Sözleşmeler ekte; ana alıcımız Almanya’daki bir perakende zinciri.',
});

const closeBidding: ApplicationCommand = { type: 'CloseBidding', applicationId: APPLICATION_ID };

const closedAtDeadline = { kind: 'conflict', details: { closedAt: BIDDING_CLOSES_AT } } as const;

describe('SubmitOffer', () => {
  it('records the offer, dated on the Istanbul day, amounts with two decimals', () => {
    // 22:30 UTC on 25 May is already 01:30 on 26 May in Istanbul
    const lateNight = '2026-05-25T22:30:00.000Z';
    spec
      .given(BIDDING)
      .when(submitOffer(ZIRAAT, OFFER_ZIRAAT), fixedContext(lateNight))
      .then([
        event('OfferSubmitted', {
          applicationId: APPLICATION_ID,
          offerId: OFFER_ZIRAAT,
          bankCode: ZIRAAT,
          bankName: 'T.C. Ziraat Bankası A.Ş.',
          version: 1,
          terms: recorded(TERMS, '2026-05-26'),
          submittedAt: lateNight,
        }),
      ]);
  });

  it('keeps a floating offer’s reference rate and spread', () => {
    const floating = {
      ...TERMS,
      interestType: 'FLOATING',
      interestRate: '46.25',
      referenceRate: 'TLREF',
      spread: '4.5',
    } as const;
    spec
      .given(BIDDING)
      .when(submitOffer(ZIRAAT, OFFER_ZIRAAT, floating), bankUser(ZIRAAT))
      .then([
        event('OfferSubmitted', {
          applicationId: APPLICATION_ID,
          offerId: OFFER_ZIRAAT,
          bankCode: ZIRAAT,
          bankName: 'T.C. Ziraat Bankası A.Ş.',
          version: 1,
          terms: recorded(floating, '2026-05-25'),
          submittedAt: DURING_BIDDING,
        }),
      ]);
  });

  it('refuses once the deadline has passed, even before the scheduler closed the window', () => {
    spec
      .given(BIDDING)
      .when(submitOffer(ZIRAAT, OFFER_ZIRAAT), fixedContext(AFTER_DEADLINE))
      .thenRefuses('BIDDING_CLOSED', closedAtDeadline);
  });

  it('refuses at the deadline itself', () => {
    spec
      .given(BIDDING)
      .when(submitOffer(ZIRAAT, OFFER_ZIRAAT), fixedContext(BIDDING_CLOSES_AT))
      .thenRefuses('BIDDING_CLOSED', closedAtDeadline);
  });

  it('refuses after the close', () => {
    spec
      .given(CLOSED)
      .when(submitOffer(VAKIFBANK, OFFER_VAKIFBANK), bankUser(VAKIFBANK))
      .thenRefuses('BIDDING_CLOSED', closedAtDeadline);
  });

  it('refuses before the bidding opened, and on a cancelled application', () => {
    spec
      .given(SUBMITTED)
      .when(submitOffer(ZIRAAT, OFFER_ZIRAAT), bankUser(ZIRAAT))
      .thenRefuses('WRONG_STATUS', { kind: 'conflict', details: { currentStatus: 'SUBMITTED' } });
    spec
      .given([...BIDDING, cancelled])
      .when(submitOffer(ZIRAAT, OFFER_ZIRAAT), bankUser(ZIRAAT))
      .thenRefuses('WRONG_STATUS', { details: { currentStatus: 'CANCELLED' } });
  });

  it('refuses an application that does not exist', () => {
    spec
      .given([])
      .when(submitOffer(ZIRAAT, OFFER_ZIRAAT), bankUser(ZIRAAT))
      .thenRefuses('APPLICATION_NOT_FOUND', { kind: 'not-found' });
  });

  it('refuses a bank that is not a partner of the application', () => {
    spec
      .given(BIDDING)
      .when(submitOffer(IS_BANKASI, OFFER_VAKIFBANK), bankUser(IS_BANKASI))
      .thenRefuses('NOT_A_PARTNER_BANK', { kind: 'forbidden', field: 'bankCode' });
  });

  it('refuses a second live offer from the same bank', () => {
    spec
      .given(TWO_OFFERS)
      .when(submitOffer(ZIRAAT, OFFER_VAKIFBANK), bankUser(ZIRAAT))
      .thenRefuses('OFFER_ALREADY_SUBMITTED', {
        kind: 'conflict',
        details: { offerId: OFFER_ZIRAAT },
      });
  });

  it('accepts a new offer after the bank withdrew its first one', () => {
    spec
      .given([...TWO_OFFERS, offerWithdrawn(ZIRAAT, OFFER_ZIRAAT)])
      .when(submitOffer(ZIRAAT, OFFER_VAKIFBANK), bankUser(ZIRAAT))
      .then([
        event('OfferSubmitted', {
          applicationId: APPLICATION_ID,
          offerId: OFFER_VAKIFBANK,
          bankCode: ZIRAAT,
          bankName: 'T.C. Ziraat Bankası A.Ş.',
          version: 1,
          terms: recorded(TERMS, '2026-05-25'),
          submittedAt: DURING_BIDDING,
        }),
      ]);
  });

  it('refuses a bank that declined (R10)', () => {
    spec
      .given([...BIDDING, bankDeclined(VAKIFBANK)])
      .when(submitOffer(VAKIFBANK, OFFER_VAKIFBANK), bankUser(VAKIFBANK))
      .thenRefuses('BANK_DECLINED', { kind: 'conflict' });
  });

  it('refuses an offer id already in use', () => {
    spec
      .given(TWO_OFFERS)
      .when(submitOffer(VAKIFBANK, OFFER_ZIRAAT), bankUser(VAKIFBANK))
      .thenRefuses('DUPLICATE_OFFER_ID', { kind: 'conflict', field: 'offerId' });
  });

  describe('refuses terms that do not fit the application (IHR-KOBI: 24 months, 6 of grace)', () => {
    const cases = [
      ['MATURITY_TOO_LONG', 'maturityMonths', { maturityMonths: 25 }],
      ['GRACE_TOO_LONG', 'principalGraceMonths', { principalGraceMonths: 7 }],
      ['GRACE_TOO_LONG', 'interestGraceMonths', { interestGraceMonths: 7 }],
      ['REPAYMENT_BELOW_AMOUNT', 'totalRepaymentAmount', { totalRepaymentAmount: '1499999.99' }],
      [
        'UPFRONT_COSTS_TOO_HIGH',
        'totalExpenseAmount',
        { totalExpenseAmount: '1000000.00', totalCommissionAmount: '500000.00' },
      ],
    ] as const;
    for (const [code, field, change] of cases) {
      it(`${code} on ${field}`, () => {
        spec
          .given(BIDDING)
          .when(submitOffer(ZIRAAT, OFFER_ZIRAAT, { ...TERMS, ...change }), bankUser(ZIRAAT))
          .thenRefuses(code, { kind: 'invalid', field });
      });
    }

    it('accepts the limits themselves', () => {
      const atLimits = {
        ...TERMS,
        maturityMonths: 24,
        principalGraceMonths: 6,
        interestGraceMonths: 6,
        totalRepaymentAmount: '1500000.00',
        totalExpenseAmount: '1000000.00',
        totalCommissionAmount: '499999.99',
      };
      spec
        .given(BIDDING)
        .when(submitOffer(ZIRAAT, OFFER_ZIRAAT, atLimits), bankUser(ZIRAAT))
        .then([
          event('OfferSubmitted', {
            applicationId: APPLICATION_ID,
            offerId: OFFER_ZIRAAT,
            bankCode: ZIRAAT,
            bankName: 'T.C. Ziraat Bankası A.Ş.',
            version: 1,
            terms: { ...atLimits, offerDate: '2026-05-25' },
            submittedAt: DURING_BIDDING,
          }),
        ]);
    });
  });
});

describe('ReviseOffer (R12)', () => {
  const better = { ...TERMS, interestRate: '39.9', totalRepaymentAmount: '1840000.00' };
  const revised = (version: number) =>
    event('OfferRevised', {
      applicationId: APPLICATION_ID,
      offerId: OFFER_ZIRAAT,
      bankCode: ZIRAAT,
      version,
      terms: { ...recorded(better, '2026-05-25'), totalRepaymentAmount: '1840000.00' },
      revisedAt: DURING_BIDDING,
    });

  it('records the next version', () => {
    spec
      .given(TWO_OFFERS)
      .when(reviseOffer(ZIRAAT, OFFER_ZIRAAT, better), bankUser(ZIRAAT))
      .then([revised(2)]);
    spec
      .given([...TWO_OFFERS, revised(2)])
      .when(reviseOffer(ZIRAAT, OFFER_ZIRAAT, better), bankUser(ZIRAAT))
      .then([revised(3)]);
  });

  it('refuses after the close, saying when it closed', () => {
    spec
      .given(CLOSED)
      .when(reviseOffer(ZIRAAT, OFFER_ZIRAAT, better), bankUser(ZIRAAT))
      .thenRefuses('BIDDING_CLOSED', closedAtDeadline);
    spec
      .given(TWO_OFFERS)
      .when(reviseOffer(ZIRAAT, OFFER_ZIRAAT, better), fixedContext(AFTER_DEADLINE))
      .thenRefuses('BIDDING_CLOSED', closedAtDeadline);
  });

  it("refuses another bank's offer", () => {
    spec
      .given(TWO_OFFERS)
      .when(reviseOffer(HALKBANK, OFFER_ZIRAAT, better), bankUser(HALKBANK))
      .thenRefuses('NOT_YOUR_OFFER', { kind: 'forbidden', field: 'offerId' });
  });

  it('refuses an offer that does not exist', () => {
    spec
      .given(TWO_OFFERS)
      .when(reviseOffer(VAKIFBANK, OFFER_VAKIFBANK, better), bankUser(VAKIFBANK))
      .thenRefuses('OFFER_NOT_FOUND', { kind: 'not-found', field: 'offerId' });
  });

  it('refuses a bank that is not a partner', () => {
    spec
      .given(TWO_OFFERS)
      .when(reviseOffer(IS_BANKASI, OFFER_ZIRAAT, better), bankUser(IS_BANKASI))
      .thenRefuses('NOT_A_PARTNER_BANK', { kind: 'forbidden' });
  });

  it('refuses a withdrawn offer', () => {
    spec
      .given([...TWO_OFFERS, offerWithdrawn(ZIRAAT, OFFER_ZIRAAT)])
      .when(reviseOffer(ZIRAAT, OFFER_ZIRAAT, better), bankUser(ZIRAAT))
      .thenRefuses('OFFER_WITHDRAWN', { kind: 'conflict' });
  });

  it('holds the revised terms to the same limits', () => {
    spec
      .given(TWO_OFFERS)
      .when(reviseOffer(ZIRAAT, OFFER_ZIRAAT, { ...better, maturityMonths: 36 }), bankUser(ZIRAAT))
      .thenRefuses('MATURITY_TOO_LONG', { kind: 'invalid', field: 'maturityMonths' });
  });
});

describe('WithdrawOffer before the close (R12)', () => {
  it('accepts a plain bank decision', () => {
    spec
      .given(TWO_OFFERS)
      .when(withdrawOffer(ZIRAAT, OFFER_ZIRAAT), bankUser(ZIRAAT))
      .then([offerWithdrawn(ZIRAAT, OFFER_ZIRAAT)]);
  });

  it('accepts the reasons of R16 too', () => {
    spec
      .given(TWO_OFFERS)
      .when(withdrawOffer(ZIRAAT, OFFER_ZIRAAT, 'REGULATORY_CHANGE'), bankUser(ZIRAAT))
      .then([offerWithdrawn(ZIRAAT, OFFER_ZIRAAT, 'REGULATORY_CHANGE')]);
  });

  it('refuses SELECTION_WINDOW_LAPSED: there is no selection window yet', () => {
    spec
      .given(TWO_OFFERS)
      .when(withdrawOffer(ZIRAAT, OFFER_ZIRAAT, 'SELECTION_WINDOW_LAPSED'), bankUser(ZIRAAT))
      .thenRefuses('SELECTION_WINDOW_NOT_LAPSED', { kind: 'conflict', field: 'reason' });
  });

  it("refuses another bank's offer, an unknown offer, a withdrawn offer", () => {
    spec
      .given(TWO_OFFERS)
      .when(withdrawOffer(HALKBANK, OFFER_ZIRAAT), bankUser(HALKBANK))
      .thenRefuses('NOT_YOUR_OFFER', { kind: 'forbidden' });
    spec
      .given(TWO_OFFERS)
      .when(withdrawOffer(VAKIFBANK, OFFER_VAKIFBANK), bankUser(VAKIFBANK))
      .thenRefuses('OFFER_NOT_FOUND', { kind: 'not-found' });
    spec
      .given([...TWO_OFFERS, offerWithdrawn(ZIRAAT, OFFER_ZIRAAT)])
      .when(withdrawOffer(ZIRAAT, OFFER_ZIRAAT), bankUser(ZIRAAT))
      .thenRefuses('OFFER_WITHDRAWN', { kind: 'conflict' });
  });

  it('refuses a bank that is not a partner, and before the bidding opened', () => {
    spec
      .given(TWO_OFFERS)
      .when(withdrawOffer(IS_BANKASI, OFFER_ZIRAAT), bankUser(IS_BANKASI))
      .thenRefuses('NOT_A_PARTNER_BANK', { kind: 'forbidden' });
    spec
      .given(SUBMITTED)
      .when(withdrawOffer(ZIRAAT, OFFER_ZIRAAT), bankUser(ZIRAAT))
      .thenRefuses('WRONG_STATUS', { details: { currentStatus: 'SUBMITTED' } });
  });
});

describe('DeclineRequest (R10)', () => {
  it('records the decline', () => {
    spec
      .given(BIDDING)
      .when(decline(VAKIFBANK), bankUser(VAKIFBANK))
      .then([bankDeclined(VAKIFBANK)]);
  });

  it('does nothing the second time', () => {
    spec
      .given([...BIDDING, bankDeclined(VAKIFBANK)])
      .when(decline(VAKIFBANK), bankUser(VAKIFBANK))
      .then([]);
  });

  it('refuses a bank with a live offer: it withdraws instead', () => {
    spec
      .given(TWO_OFFERS)
      .when(decline(ZIRAAT), bankUser(ZIRAAT))
      .thenRefuses('OFFER_ALREADY_SUBMITTED', { kind: 'conflict' });
  });

  it('refuses after the close and a bank that is not a partner', () => {
    spec
      .given(CLOSED)
      .when(decline(VAKIFBANK), bankUser(VAKIFBANK))
      .thenRefuses('BIDDING_CLOSED', closedAtDeadline);
    spec
      .given(BIDDING)
      .when(decline(IS_BANKASI), bankUser(IS_BANKASI))
      .thenRefuses('NOT_A_PARTNER_BANK', { kind: 'forbidden' });
  });
});

describe('RequestInformation and AnswerInformation (R9)', () => {
  const exporter = fixedContext(DURING_BIDDING, {
    kind: 'user',
    userId: MEMBER_ID,
    role: 'exporter',
  });
  const answered = event('InformationProvided', {
    applicationId: APPLICATION_ID,
    requestId: REQUEST_ID,
    bankCode: HALKBANK,
    answer: 'Sözleşmeler ekte; ana alıcımız Almanya’daki bir perakende zinciri.',
    answeredBy: MEMBER_ID,
    answeredAt: DURING_BIDDING,
  });

  it('records the question and the answer', () => {
    spec
      .given(BIDDING)
      .when(requestInformation(HALKBANK), bankUser(HALKBANK))
      .then([informationRequested]);
    spec
      .given([...BIDDING, informationRequested])
      .when(answer(), exporter)
      .then([answered]);
  });

  it('refuses a question outside the bidding', () => {
    spec
      .given(CLOSED)
      .when(requestInformation(HALKBANK), bankUser(HALKBANK))
      .thenRefuses('BIDDING_CLOSED', closedAtDeadline);
    spec
      .given(SUBMITTED)
      .when(requestInformation(HALKBANK), bankUser(HALKBANK))
      .thenRefuses('WRONG_STATUS', { details: { currentStatus: 'SUBMITTED' } });
  });

  it('refuses a bank that is not a partner, or declined', () => {
    spec
      .given(BIDDING)
      .when(requestInformation(IS_BANKASI), bankUser(IS_BANKASI))
      .thenRefuses('NOT_A_PARTNER_BANK', { kind: 'forbidden' });
    spec
      .given([...BIDDING, bankDeclined(HALKBANK)])
      .when(requestInformation(HALKBANK), bankUser(HALKBANK))
      .thenRefuses('BANK_DECLINED', { kind: 'conflict' });
  });

  it('refuses a request id already in use', () => {
    spec
      .given([...BIDDING, informationRequested])
      .when(requestInformation(ZIRAAT), bankUser(ZIRAAT))
      .thenRefuses('DUPLICATE_REQUEST_ID', { kind: 'conflict', field: 'requestId' });
  });

  it("refuses an answer from someone not among the firm's members", () => {
    spec
      .given([...BIDDING, informationRequested])
      .when(answer(false), exporter)
      .thenRefuses('NOT_A_FIRM_MEMBER', { kind: 'forbidden' });
  });

  it('refuses an answer to no request, or to one already answered', () => {
    spec
      .given(BIDDING)
      .when(answer(), exporter)
      .thenRefuses('REQUEST_NOT_FOUND', { kind: 'not-found', field: 'requestId' });
    spec
      .given([...BIDDING, informationRequested, answered])
      .when(answer(), exporter)
      .thenRefuses('REQUEST_ALREADY_ANSWERED', { kind: 'conflict' });
  });

  it('accepts a late answer to an open request after the close, not once cancelled', () => {
    spec
      .given([...TWO_OFFERS, informationRequested, ...CLOSED.slice(TWO_OFFERS.length)])
      .when(answer(), exporter)
      .then([answered]);
    spec
      .given([...BIDDING, informationRequested, cancelled])
      .when(answer(), exporter)
      .thenRefuses('WRONG_STATUS', { details: { currentStatus: 'CANCELLED' } });
  });
});

describe('CloseBidding (R8, R10, R14)', () => {
  const closed = (change: object) =>
    event('BiddingClosed', {
      applicationId: APPLICATION_ID,
      referenceNumber: REFERENCE_NUMBER,
      closedAt: BIDDING_CLOSES_AT,
      early: false,
      liveOfferIds: [OFFER_ZIRAAT, OFFER_HALKBANK],
      selectionDeadline: SELECTION_DEADLINE,
      ...change,
    });

  it('closes at the deadline with the live offers, the reference number and the 2-day window', () => {
    spec
      .given([...TWO_OFFERS, offerSubmitted(VAKIFBANK, OFFER_VAKIFBANK)])
      .when(closeBidding, fixedContext(AFTER_DEADLINE))
      .then([closed({ liveOfferIds: [OFFER_ZIRAAT, OFFER_HALKBANK, OFFER_VAKIFBANK] })]);
  });

  it('dates the close at the deadline however late the scheduler runs', () => {
    spec
      .given(TWO_OFFERS)
      .when(closeBidding, fixedContext('2026-06-08T05:00:00.000Z'))
      .then([closed({})]);
  });

  it('leaves withdrawn offers out', () => {
    spec
      .given([...TWO_OFFERS, offerWithdrawn(HALKBANK, OFFER_HALKBANK)])
      .when(closeBidding, fixedContext(AFTER_DEADLINE))
      .then([closed({ liveOfferIds: [OFFER_ZIRAAT] })]);
  });

  it('closes without offers when none is live', () => {
    spec
      .given(BIDDING)
      .when(closeBidding, fixedContext(AFTER_DEADLINE))
      .then([biddingClosedWithoutOffers]);
    spec
      .given([
        ...BIDDING,
        offerSubmitted(ZIRAAT, OFFER_ZIRAAT),
        offerWithdrawn(ZIRAAT, OFFER_ZIRAAT),
      ])
      .when(closeBidding, fixedContext(AFTER_DEADLINE))
      .then([biddingClosedWithoutOffers]);
  });

  it('closes early once every partner bank bid or declined (R10)', () => {
    // the arife morning: the 2 business days skip the bayram, 31 May, and end on Tuesday 2 June
    const arifeMorning = '2026-05-26T06:00:00.000Z';
    spec
      .given([...TWO_OFFERS, bankDeclined(VAKIFBANK)])
      .when(closeBidding, fixedContext(arifeMorning))
      .then([
        closed({
          closedAt: arifeMorning,
          early: true,
          selectionDeadline: '2026-06-02T20:59:59.999Z',
        }),
      ]);
  });

  it('closes early without offers when every bank declined', () => {
    spec
      .given([...BIDDING, ...PARTNER_BANKS.map(bankDeclined)])
      .when(closeBidding, bankUser(VAKIFBANK))
      .then([
        event('BiddingClosedWithoutOffers', {
          applicationId: APPLICATION_ID,
          closedAt: DURING_BIDDING,
          early: true,
        }),
      ]);
  });

  it('refuses before the deadline while a bank has neither bid nor declined', () => {
    spec
      .given(TWO_OFFERS)
      .when(closeBidding, fixedContext(DURING_BIDDING))
      .thenRefuses('BIDDING_STILL_OPEN', {
        kind: 'conflict',
        details: { biddingClosesAt: BIDDING_CLOSES_AT },
      });
    // a withdrawn offer is no answer
    spec
      .given([
        ...TWO_OFFERS,
        offerSubmitted(VAKIFBANK, OFFER_VAKIFBANK),
        offerWithdrawn(VAKIFBANK, OFFER_VAKIFBANK),
      ])
      .when(closeBidding, fixedContext(DURING_BIDDING))
      .thenRefuses('BIDDING_STILL_OPEN');
  });

  it('does nothing once closed, however it closed, and on a cancelled application', () => {
    for (const given of [
      CLOSED,
      [...BIDDING, biddingClosedWithoutOffers],
      ZIRAAT_SELECTED,
      [...BIDDING, cancelled],
    ]) {
      spec.given(given).when(closeBidding, fixedContext(AFTER_DEADLINE)).then([]);
    }
  });

  it('refuses before the bidding opened, and an application that does not exist', () => {
    spec
      .given(SUBMITTED)
      .when(closeBidding, fixedContext(AFTER_DEADLINE))
      .thenRefuses('WRONG_STATUS', { details: { currentStatus: 'SUBMITTED' } });
    spec
      .given([])
      .when(closeBidding, fixedContext(AFTER_DEADLINE))
      .thenRefuses('APPLICATION_NOT_FOUND');
  });
});
