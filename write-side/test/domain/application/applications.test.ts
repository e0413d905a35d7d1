import { describe, it } from 'vitest';
import type {
  ApplicationCommand,
  RecordScore,
  SubmitApplication,
} from '../../../src/domain/application';
import { event, fixedContext } from '../spec';
import {
  APPLICATION_ID,
  BIDDING,
  BIDDING_CLOSES_AT,
  DATA_IN,
  DECISION,
  EXPORT_GROWTH,
  FIRM_TITLE,
  HALKBANK,
  LOW_SCORE,
  MEMBER_ID,
  OPENED_AT,
  PARTNER_BANKS,
  SEGMENT_MISMATCH,
  SNAPSHOT,
  SUBMITTED,
  SUBMITTED_AT,
  TAX_DEBT,
  VKN,
  ZIRAAT,
  dataCollected,
  dataDelayed,
  openedForBidding,
  rejected,
  scoredEligible,
  spec,
  submitted,
} from './fixtures';

const exporter = { kind: 'user', userId: MEMBER_ID, role: 'exporter' } as const;
const scoring = { kind: 'system', name: 'scoring' } as const;

const submit = (change: Partial<SubmitApplication> = {}): SubmitApplication => ({
  type: 'SubmitApplication',
  applicationId: APPLICATION_ID,
  firmVkn: VKN,
  firmTitle: FIRM_TITLE,
  memberId: MEMBER_ID,
  packageCode: 'IHR-KOBI',
  amount: '1500000',
  currency: 'TRY',
  maturityMonths: 12,
  purpose: 'İhracat siparişi için hammadde alımı',
  memberVerifiedForFirm: true,
  contractsSigned: true,
  ...change,
});

const recordFirmData: ApplicationCommand = {
  type: 'RecordFirmData',
  applicationId: APPLICATION_ID,
  snapshot: SNAPSHOT,
  segment: 'KOBI',
};

const recordDataDelay: ApplicationCommand = {
  type: 'RecordDataDelay',
  applicationId: APPLICATION_ID,
  unavailableSources: ['SGK'],
  retryAt: '2026-05-22T07:05:00.000Z',
  attempt: 1,
};

const recordScore = (change: Partial<RecordScore> = {}): RecordScore => ({
  type: 'RecordScore',
  ...DECISION,
  partnerBankCodes: [...PARTNER_BANKS],
  ...change,
});

describe('SubmitApplication', () => {
  const at = fixedContext(SUBMITTED_AT, exporter);

  it('records the application, the amount in its two-decimal form', () => {
    spec.given([]).when(submit(), at).then([submitted]);
  });

  it('refuses a second submission on the same id', () => {
    spec.given(SUBMITTED).when(submit(), at).thenRefuses('APPLICATION_ALREADY_EXISTS', {
      kind: 'conflict',
    });
  });

  it('refuses a user MERSIS does not list for the firm (R1)', () => {
    spec
      .given([])
      .when(submit({ memberVerifiedForFirm: false }), at)
      .thenRefuses('NOT_A_FIRM_MEMBER', { kind: 'forbidden' });
  });

  it('refuses before the portal contracts are signed (R2)', () => {
    spec
      .given([])
      .when(submit({ contractsSigned: false }), at)
      .thenRefuses('CONTRACTS_NOT_SIGNED', { kind: 'conflict' });
  });

  it('refuses a package that is not in the catalogue', () => {
    spec
      .given([])
      .when(submit({ packageCode: 'IHR-GUNES' }), at)
      .thenRefuses('UNKNOWN_PACKAGE', { kind: 'invalid', field: 'packageCode' });
  });

  it("refuses a maturity beyond the package's (24 months for IHR-KOBI)", () => {
    spec
      .given([])
      .when(submit({ maturityMonths: 36 }), at)
      .thenRefuses('MATURITY_TOO_LONG', {
        kind: 'invalid',
        field: 'maturityMonths',
        details: { maxMaturityMonths: 24 },
      });
  });
});

describe('RecordFirmData and RecordDataDelay (R4)', () => {
  const at = fixedContext('2026-05-22T07:00:05.000Z', scoring);

  it('records the data set and the segment', () => {
    spec.given(SUBMITTED).when(recordFirmData, at).then([dataCollected]);
  });

  it('records a source that did not answer, and later the data', () => {
    spec.given(SUBMITTED).when(recordDataDelay, at).then([dataDelayed]);
    spec
      .given([...SUBMITTED, dataDelayed])
      .when(recordFirmData, at)
      .then([dataCollected]);
  });

  it('refuses an application that does not exist', () => {
    spec.given([]).when(recordFirmData, at).thenRefuses('APPLICATION_NOT_FOUND', {
      kind: 'not-found',
    });
  });

  it('refuses data once it is in', () => {
    spec.given(DATA_IN).when(recordFirmData, at).thenRefuses('DATA_ALREADY_COLLECTED', {
      kind: 'conflict',
    });
    spec.given(DATA_IN).when(recordDataDelay, at).thenRefuses('DATA_ALREADY_COLLECTED');
  });

  it('refuses in a later status, naming it', () => {
    spec
      .given([...DATA_IN, rejected])
      .when(recordDataDelay, at)
      .thenRefuses('WRONG_STATUS', { kind: 'conflict', details: { currentStatus: 'REJECTED' } });
  });
});

describe('RecordScore (R5, R7, R8)', () => {
  const at = fixedContext(OPENED_AT, scoring);

  it('opens an eligible application to every partner bank for 7 business days', () => {
    // 22 May 2026 is a Friday; the 7 business days skip the weekend and Kurban Bayramı
    spec.given(DATA_IN).when(recordScore(), at).then([scoredEligible, openedForBidding]);
  });

  it('ends the window at 13:00 when its last business day is a half day (R19)', () => {
    // Thursday 14 May: Fri 15, Mon 18, (19 May holiday), Wed 20, Thu 21, Fri 22, Mon 25, Tue 26 arife
    const opened = '2026-05-14T07:00:00.000Z';
    spec
      .given(DATA_IN)
      .when(recordScore(), fixedContext(opened, scoring))
      .then([
        event('ApplicationScored', { ...DECISION, scoredAt: opened }),
        event('ApplicationOpenedForBidding', {
          applicationId: APPLICATION_ID,
          partnerBankCodes: [...PARTNER_BANKS],
          openedAt: opened,
          biddingClosesAt: '2026-05-26T10:00:00.000Z',
        }),
      ]);
  });

  it('invites each partner bank once', () => {
    spec
      .given(DATA_IN)
      .when(recordScore({ partnerBankCodes: [ZIRAAT, HALKBANK, ZIRAAT] }), at)
      .then([
        scoredEligible,
        event('ApplicationOpenedForBidding', {
          applicationId: APPLICATION_ID,
          partnerBankCodes: [ZIRAAT, HALKBANK],
          openedAt: OPENED_AT,
          biddingClosesAt: BIDDING_CLOSES_AT,
        }),
      ]);
  });

  it('rejects an ineligible application with its knock-out and package reasons', () => {
    const reasons = [EXPORT_GROWTH, TAX_DEBT, LOW_SCORE, SEGMENT_MISMATCH];
    const ineligible = {
      eligible: false,
      score: 640,
      creditNote: 6,
      creditNoteLabel: 'Çok Riskli',
    };
    spec
      .given(DATA_IN)
      .when(recordScore({ ...ineligible, reasons }), at)
      .then([
        event('ApplicationScored', { ...DECISION, ...ineligible, reasons, scoredAt: OPENED_AT }),
        event('ApplicationRejected', {
          applicationId: APPLICATION_ID,
          reasons: [TAX_DEBT, SEGMENT_MISMATCH],
          rejectedAt: OPENED_AT,
        }),
      ]);
  });

  it('gives every reason when none is a knock-out', () => {
    const ineligible = { eligible: false, score: 700, creditNote: 7, creditNoteLabel: 'En Riskli' };
    spec
      .given(DATA_IN)
      .when(recordScore({ ...ineligible, reasons: [LOW_SCORE] }), at)
      .then([
        event('ApplicationScored', {
          ...DECISION,
          ...ineligible,
          reasons: [LOW_SCORE],
          scoredAt: OPENED_AT,
        }),
        event('ApplicationRejected', {
          applicationId: APPLICATION_ID,
          reasons: [LOW_SCORE],
          rejectedAt: OPENED_AT,
        }),
      ]);
  });

  it('refuses a rejection without reasons', () => {
    spec
      .given(DATA_IN)
      .when(recordScore({ eligible: false, reasons: [] }), at)
      .thenRefuses('REJECTION_WITHOUT_REASONS', { kind: 'invalid', field: 'reasons' });
  });

  it('refuses to open the bidding to no bank', () => {
    spec
      .given(DATA_IN)
      .when(recordScore({ partnerBankCodes: [] }), at)
      .thenRefuses('NO_PARTNER_BANKS', { kind: 'invalid', field: 'partnerBankCodes' });
  });

  it('refuses to score before the data is in', () => {
    spec.given(SUBMITTED).when(recordScore(), at).thenRefuses('DATA_NOT_COLLECTED', {
      kind: 'conflict',
    });
    spec
      .given([...SUBMITTED, dataDelayed])
      .when(recordScore(), at)
      .thenRefuses('DATA_NOT_COLLECTED');
  });

  it('refuses to score twice', () => {
    spec
      .given(BIDDING)
      .when(recordScore(), at)
      .thenRefuses('WRONG_STATUS', { details: { currentStatus: 'BIDDING' } });
  });
});
