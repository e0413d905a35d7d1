import { WITHDRAWAL_REASONS_AFTER_CLOSE } from '@kefalet/events';
import { describe, it } from 'vitest';
import {
  referenceNumberFor,
  type ApplicationCommand,
  type RecordBankApplication,
  type WithdrawOffer,
} from '../../../src/domain/application';
import { event, fixedContext } from '../spec';
import {
  AFTER_DEADLINE,
  AFTER_SELECTION,
  APPLICATION_ID,
  BANK_USER_ID,
  BIDDING,
  BIDDING_CLOSES_AT,
  CLOSED,
  DATA_IN,
  DURING_BIDDING,
  DURING_SELECTION,
  HALKBANK,
  MEMBER_ID,
  OFFER_HALKBANK,
  OFFER_ZIRAAT,
  OTHER_APPLICATION_ID,
  REFERENCE_NUMBER,
  SELECTION_DEADLINE,
  SUBMITTED,
  TWO_OFFERS,
  ZIRAAT,
  ZIRAAT_SELECTED,
  biddingClosedWithoutOffers,
  cancelled,
  dataDelayed,
  firmApplied,
  offerSelected,
  offerWithdrawn,
  rejected,
  selectionLapsed,
  spec,
} from './fixtures';

const exporter = (now: string) =>
  fixedContext(now, { kind: 'user', userId: MEMBER_ID, role: 'exporter' });
const bankUser = (now: string, bankCode = ZIRAAT) =>
  fixedContext(now, { kind: 'user', userId: BANK_USER_ID, role: 'bank', bankCode });

const selectOffer = (offerId: string, memberVerifiedForFirm = true): ApplicationCommand => ({
  type: 'SelectOffer',
  applicationId: APPLICATION_ID,
  offerId,
  memberId: MEMBER_ID,
  memberVerifiedForFirm,
});

const recordBankApplication = (
  referenceNumber = REFERENCE_NUMBER,
  bankCode = ZIRAAT,
): RecordBankApplication => ({
  type: 'RecordBankApplication',
  applicationId: APPLICATION_ID,
  bankCode,
  referenceNumber,
  recordedBy: BANK_USER_ID,
});

const lapse: ApplicationCommand = { type: 'LapseSelectionWindow', applicationId: APPLICATION_ID };

const withdrawOffer = (
  reason: WithdrawOffer['reason'],
  bankCode = ZIRAAT,
  offerId = OFFER_ZIRAAT,
): WithdrawOffer => ({
  type: 'WithdrawOffer',
  applicationId: APPLICATION_ID,
  offerId,
  bankCode,
  reason,
  note: 'Firmanın KKB kaydında yeni karşılıksız çek',
});

const cancel = (memberVerifiedForFirm = true): ApplicationCommand => ({
  type: 'CancelApplication',
  applicationId: APPLICATION_ID,
  memberId: MEMBER_ID,
  memberVerifiedForFirm,
  reason: 'Finansman başka kaynaktan sağlandı',
});

describe('SelectOffer (R14, R15)', () => {
  it('selects a live offer, with the reference number and the deadline to apply', () => {
    spec
      .given(CLOSED)
      .when(selectOffer(OFFER_ZIRAAT), exporter(DURING_SELECTION))
      .then([offerSelected(ZIRAAT, OFFER_ZIRAAT)]);
  });

  it("refuses someone not among the firm's members", () => {
    spec
      .given(CLOSED)
      .when(selectOffer(OFFER_ZIRAAT, false), exporter(DURING_SELECTION))
      .thenRefuses('NOT_A_FIRM_MEMBER', { kind: 'forbidden' });
  });

  it('refuses while the bidding is open, even past its deadline', () => {
    spec
      .given(TWO_OFFERS)
      .when(selectOffer(OFFER_ZIRAAT), exporter(AFTER_DEADLINE))
      .thenRefuses('WRONG_STATUS', { kind: 'conflict', details: { currentStatus: 'BIDDING' } });
  });

  it('refuses an unknown offer and a withdrawn one', () => {
    spec
      .given(CLOSED)
      .when(selectOffer('e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b'), exporter(DURING_SELECTION))
      .thenRefuses('OFFER_NOT_FOUND', { kind: 'not-found', field: 'offerId' });
    spec
      .given([
        ...CLOSED,
        offerWithdrawn(HALKBANK, OFFER_HALKBANK, 'CREDITWORTHINESS_WORSENED', DURING_SELECTION),
      ])
      .when(selectOffer(OFFER_HALKBANK), exporter(DURING_SELECTION))
      .thenRefuses('OFFER_WITHDRAWN', { kind: 'conflict' });
  });

  it('does nothing when the same offer is selected again, refuses another one', () => {
    spec
      .given(ZIRAAT_SELECTED)
      .when(selectOffer(OFFER_ZIRAAT), exporter(DURING_SELECTION))
      .then([]);
    spec
      .given(ZIRAAT_SELECTED)
      .when(selectOffer(OFFER_HALKBANK), exporter(DURING_SELECTION))
      .thenRefuses('OFFER_ALREADY_SELECTED', {
        kind: 'conflict',
        details: { offerId: OFFER_ZIRAAT },
      });
  });

  it('lets the firm choose again when the bank withdraws the chosen offer', () => {
    spec
      .given([
        ...ZIRAAT_SELECTED,
        offerWithdrawn(ZIRAAT, OFFER_ZIRAAT, 'REGULATORY_CHANGE', DURING_SELECTION),
      ])
      .when(selectOffer(OFFER_HALKBANK), exporter(DURING_SELECTION))
      .then([offerSelected(HALKBANK, OFFER_HALKBANK)]);
  });

  it('refuses once the window lapsed, recorded or not', () => {
    const lapsed = {
      kind: 'conflict',
      details: { selectionDeadline: SELECTION_DEADLINE },
    } as const;
    spec
      .given(CLOSED)
      .when(selectOffer(OFFER_ZIRAAT), exporter(AFTER_SELECTION))
      .thenRefuses('SELECTION_WINDOW_LAPSED', lapsed);
    spec
      .given([...CLOSED, selectionLapsed])
      .when(selectOffer(OFFER_ZIRAAT), exporter(AFTER_SELECTION))
      .thenRefuses('SELECTION_WINDOW_LAPSED', lapsed);
  });

  it('refuses after a close without offers', () => {
    spec
      .given([...BIDDING, biddingClosedWithoutOffers])
      .when(selectOffer(OFFER_ZIRAAT), exporter(DURING_SELECTION))
      .thenRefuses('WRONG_STATUS', { details: { currentStatus: 'CLOSED_WITHOUT_OFFERS' } });
  });
});

describe('RecordBankApplication (R15)', () => {
  it('records that the firm applied to the chosen bank with the reference number', () => {
    spec
      .given(ZIRAAT_SELECTED)
      .when(recordBankApplication(), bankUser(DURING_SELECTION))
      .then([firmApplied]);
  });

  it('reads the number as people type it: any case, spaces, no dashes, no prefix', () => {
    // TRN-MZ9C-YZ7V-88Y
    for (const typed of ['trn mz9c yz7v 88y', 'MZ9CYZ7V88Y', 'TRN-MZ9C-YZ7V-88Y ']) {
      spec
        .given(ZIRAAT_SELECTED)
        .when(recordBankApplication(typed), bankUser(DURING_SELECTION))
        .then([firmApplied]);
    }
  });

  it('refuses a mistyped number, and another application’s number', () => {
    spec
      .given(ZIRAAT_SELECTED)
      .when(recordBankApplication('TRN-MZ9C-YZ7V-89Y'), bankUser(DURING_SELECTION))
      .thenRefuses('WRONG_REFERENCE_NUMBER', {
        kind: 'invalid',
        field: 'referenceNumber',
        details: { wellFormed: false },
      });
    spec
      .given(ZIRAAT_SELECTED)
      .when(recordBankApplication('TRN-MZ9C-ZY7V-88Y'), bankUser(DURING_SELECTION))
      .thenRefuses('WRONG_REFERENCE_NUMBER', { details: { wellFormed: false } });
    spec
      .given(ZIRAAT_SELECTED)
      .when(
        recordBankApplication(referenceNumberFor(OTHER_APPLICATION_ID)),
        bankUser(DURING_SELECTION),
      )
      .thenRefuses('WRONG_REFERENCE_NUMBER', {
        field: 'referenceNumber',
        details: { wellFormed: true },
      });
  });

  it('refuses a bank the firm did not choose', () => {
    spec
      .given(ZIRAAT_SELECTED)
      .when(recordBankApplication(REFERENCE_NUMBER, HALKBANK), bankUser(DURING_SELECTION, HALKBANK))
      .thenRefuses('NOT_THE_SELECTED_BANK', { kind: 'forbidden', field: 'bankCode' });
  });

  it('refuses once the window lapsed, recorded or not', () => {
    spec
      .given(ZIRAAT_SELECTED)
      .when(recordBankApplication(), bankUser(AFTER_SELECTION))
      .thenRefuses('SELECTION_WINDOW_LAPSED', {
        kind: 'conflict',
        details: { selectionDeadline: SELECTION_DEADLINE },
      });
    spec
      .given([...ZIRAAT_SELECTED, selectionLapsed])
      .when(recordBankApplication(), bankUser(AFTER_SELECTION))
      .thenRefuses('SELECTION_WINDOW_LAPSED');
  });

  it('refuses before an offer is selected, and a second time', () => {
    spec
      .given(CLOSED)
      .when(recordBankApplication(), bankUser(DURING_SELECTION))
      .thenRefuses('WRONG_STATUS', { details: { currentStatus: 'BIDDING_CLOSED' } });
    spec
      .given([...ZIRAAT_SELECTED, firmApplied])
      .when(recordBankApplication(), bankUser(DURING_SELECTION))
      .thenRefuses('WRONG_STATUS', { details: { currentStatus: 'APPLIED_TO_BANK' } });
  });
});

describe('LapseSelectionWindow (R15)', () => {
  const lapsedWith = event('SelectionWindowLapsed', {
    applicationId: APPLICATION_ID,
    offerId: OFFER_ZIRAAT,
    bankCode: ZIRAAT,
    lapsedAt: SELECTION_DEADLINE,
  });

  it('lapses the chosen offer at the deadline, however late the scheduler runs', () => {
    spec.given(ZIRAAT_SELECTED).when(lapse, fixedContext(AFTER_SELECTION)).then([lapsedWith]);
    spec.given(ZIRAAT_SELECTED).when(lapse, fixedContext(SELECTION_DEADLINE)).then([lapsedWith]);
  });

  it('lapses without an offer when the firm chose none', () => {
    spec.given(CLOSED).when(lapse, fixedContext(AFTER_SELECTION)).then([selectionLapsed]);
  });

  it('refuses before the deadline', () => {
    spec
      .given(ZIRAAT_SELECTED)
      .when(lapse, fixedContext(DURING_SELECTION))
      .thenRefuses('SELECTION_WINDOW_OPEN', {
        kind: 'conflict',
        details: { selectionDeadline: SELECTION_DEADLINE },
      });
  });

  it('does nothing when lapsed already, applied, closed without offers or cancelled', () => {
    for (const given of [
      [...ZIRAAT_SELECTED, lapsedWith],
      [...ZIRAAT_SELECTED, firmApplied],
      [...BIDDING, biddingClosedWithoutOffers],
      [...CLOSED, cancelled],
    ]) {
      spec.given(given).when(lapse, fixedContext(AFTER_SELECTION)).then([]);
    }
  });

  it('refuses while the bidding is open', () => {
    spec
      .given(TWO_OFFERS)
      .when(lapse, fixedContext(AFTER_SELECTION))
      .thenRefuses('WRONG_STATUS', { details: { currentStatus: 'BIDDING' } });
  });
});

describe('WithdrawOffer after the close (R16)', () => {
  const withdrawn = (reason: WithdrawOffer['reason'], at: string) =>
    event('OfferWithdrawn', {
      applicationId: APPLICATION_ID,
      offerId: OFFER_ZIRAAT,
      bankCode: ZIRAAT,
      reason,
      note: 'Firmanın KKB kaydında yeni karşılıksız çek',
      withdrawnAt: at,
    });
  const notAllowed = {
    kind: 'invalid',
    field: 'reason',
    details: { closedAt: BIDDING_CLOSES_AT, allowed: WITHDRAWAL_REASONS_AFTER_CLOSE },
  } as const;

  it('refuses a plain bank decision after the close, and past the deadline', () => {
    spec
      .given(CLOSED)
      .when(withdrawOffer('BANK_DECISION'), bankUser(DURING_SELECTION))
      .thenRefuses('WITHDRAWAL_REASON_NOT_ALLOWED', notAllowed);
    spec
      .given(TWO_OFFERS)
      .when(withdrawOffer('BANK_DECISION'), bankUser(AFTER_DEADLINE))
      .thenRefuses('WITHDRAWAL_REASON_NOT_ALLOWED', notAllowed);
  });

  for (const reason of WITHDRAWAL_REASONS_AFTER_CLOSE.filter(
    (r) => r !== 'SELECTION_WINDOW_LAPSED',
  )) {
    it(`accepts ${reason}, before and after the firm applied`, () => {
      spec
        .given(ZIRAAT_SELECTED)
        .when(withdrawOffer(reason), bankUser(DURING_SELECTION))
        .then([withdrawn(reason, DURING_SELECTION)]);
      spec
        .given([...ZIRAAT_SELECTED, firmApplied])
        .when(withdrawOffer(reason), bankUser(AFTER_SELECTION))
        .then([withdrawn(reason, AFTER_SELECTION)]);
    });
  }

  it('accepts SELECTION_WINDOW_LAPSED only once the firm let the window pass', () => {
    const tooEarly = { kind: 'conflict', field: 'reason' } as const;
    spec
      .given(ZIRAAT_SELECTED)
      .when(withdrawOffer('SELECTION_WINDOW_LAPSED'), bankUser(DURING_SELECTION))
      .thenRefuses('SELECTION_WINDOW_NOT_LAPSED', {
        ...tooEarly,
        details: { selectionDeadline: SELECTION_DEADLINE },
      });
    spec
      .given([...ZIRAAT_SELECTED, firmApplied])
      .when(withdrawOffer('SELECTION_WINDOW_LAPSED'), bankUser(AFTER_SELECTION))
      .thenRefuses('SELECTION_WINDOW_NOT_LAPSED', tooEarly);
    spec
      .given(ZIRAAT_SELECTED)
      .when(withdrawOffer('SELECTION_WINDOW_LAPSED'), bankUser(AFTER_SELECTION))
      .then([withdrawn('SELECTION_WINDOW_LAPSED', AFTER_SELECTION)]);
    spec
      .given([...CLOSED, selectionLapsed])
      .when(withdrawOffer('SELECTION_WINDOW_LAPSED'), bankUser(AFTER_SELECTION))
      .then([withdrawn('SELECTION_WINDOW_LAPSED', AFTER_SELECTION)]);
  });

  it('refuses on a cancelled application', () => {
    spec
      .given([...CLOSED, cancelled])
      .when(withdrawOffer('CREDITWORTHINESS_WORSENED'), bankUser(DURING_SELECTION))
      .thenRefuses('WRONG_STATUS', { details: { currentStatus: 'CANCELLED' } });
  });
});

describe('CancelApplication', () => {
  const cancelledAt = (at: string) =>
    event('ApplicationCancelled', {
      applicationId: APPLICATION_ID,
      reason: 'Finansman başka kaynaktan sağlandı',
      cancelledBy: MEMBER_ID,
      cancelledAt: at,
    });

  it('cancels before a bank is chosen', () => {
    for (const given of [SUBMITTED, [...SUBMITTED, dataDelayed], DATA_IN, TWO_OFFERS]) {
      spec
        .given(given)
        .when(cancel(), exporter(DURING_BIDDING))
        .then([cancelledAt(DURING_BIDDING)]);
    }
    spec
      .given(CLOSED)
      .when(cancel(), exporter(DURING_SELECTION))
      .then([cancelledAt(DURING_SELECTION)]);
  });

  it('does nothing the second time', () => {
    spec
      .given([...TWO_OFFERS, cancelled])
      .when(cancel(), exporter(DURING_BIDDING))
      .then([]);
  });

  it('refuses once an offer is selected, and after a rejection', () => {
    spec
      .given(ZIRAAT_SELECTED)
      .when(cancel(), exporter(DURING_SELECTION))
      .thenRefuses('WRONG_STATUS', {
        kind: 'conflict',
        details: { currentStatus: 'OFFER_SELECTED' },
      });
    spec
      .given([...DATA_IN, rejected])
      .when(cancel(), exporter(DURING_BIDDING))
      .thenRefuses('WRONG_STATUS', { details: { currentStatus: 'REJECTED' } });
  });

  it("refuses someone not among the firm's members", () => {
    spec
      .given(TWO_OFFERS)
      .when(cancel(false), exporter(DURING_BIDDING))
      .thenRefuses('NOT_A_FIRM_MEMBER', { kind: 'forbidden' });
  });
});
