import type {
  EventData,
  FirmDataSnapshot,
  OfferTermsInput,
  WithdrawalReason,
} from '@kefalet/events';
import type { DecidedEvent } from '../../../src/domain/decider';
import { applicationDecider } from '../../../src/domain/application';
import { event, specFor } from '../spec';

/*
 * One realistic application: an SME textile exporter (VKN 0150015264) asks for 1.5m TRY under the
 * SME export package, on Friday 22 May 2026, the week before Kurban Bayramı (arife Tuesday 26 May,
 * bayram 27–30 May). Three partner banks are invited; İş Bankası (0064) is not one of them.
 */

export const spec = specFor(applicationDecider);

export const APPLICATION_ID = '3f6c2a9e-1b7d-4c58-9e2f-7a1d0c4b8e51';
export const OTHER_APPLICATION_ID = '9a2e4f1c-6d3b-4e7a-8c5f-0b1d2e3f4a5c';
export const VKN = '0150015264';
export const FIRM_TITLE = 'Anadolu Tekstil Sanayi ve Ticaret A.Ş.';
export const MEMBER_ID = '6b0f3d2e-8c41-4a7b-9d5e-2f1a0c3b4d6e';
export const BANK_USER_ID = 'c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f';

export const ZIRAAT = '0010';
export const HALKBANK = '0012';
export const VAKIFBANK = '0015';
export const IS_BANKASI = '0064';
export const PARTNER_BANKS = [ZIRAAT, HALKBANK, VAKIFBANK] as const;
export const BANK_NAMES: Record<string, string> = {
  [ZIRAAT]: 'T.C. Ziraat Bankası A.Ş.',
  [HALKBANK]: 'Türkiye Halk Bankası A.Ş.',
  [VAKIFBANK]: 'Türkiye Vakıflar Bankası T.A.O.',
};
export const OFFER_ZIRAAT = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
export const OFFER_HALKBANK = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';
export const OFFER_VAKIFBANK = 'c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f';
export const REQUEST_ID = 'd4e5f6a7-b8c9-4d0e-9f2a-3b4c5d6e7f80';

// Friday 22 May 2026, 10:00 Istanbul (UTC+3 all year).
export const SUBMITTED_AT = '2026-05-22T07:00:00.000Z';
export const OPENED_AT = '2026-05-22T07:00:10.000Z';
// 7 business days: Mon 25, Tue 26 (arife, a half day, still counts), bayram 27–30 May, Sun 31,
// then Mon 1 to Fri 5 June: the window ends on Friday 5 June at 23:59:59.999 Istanbul.
export const BIDDING_CLOSES_AT = '2026-06-05T20:59:59.999Z';
/** Monday 25 May, 12:30 Istanbul. */
export const DURING_BIDDING = '2026-05-25T09:30:00.000Z';
/** Saturday 6 June, 11:00 Istanbul: past the deadline, before the scheduler closed it. */
export const AFTER_DEADLINE = '2026-06-06T08:00:00.000Z';
// 2 business days after Friday 5 June: Monday 8 and Tuesday 9 June.
export const SELECTION_DEADLINE = '2026-06-09T20:59:59.999Z';
/** Monday 8 June, 10:00 Istanbul. */
export const DURING_SELECTION = '2026-06-08T07:00:00.000Z';
/** Wednesday 10 June, 09:00 Istanbul. */
export const AFTER_SELECTION = '2026-06-10T06:00:00.000Z';

/** referenceNumberFor(APPLICATION_ID), pinned: the number must never change for an id. */
export const REFERENCE_NUMBER = 'TRN-MZ9C-YZ7V-88Y';

const FETCHED_AT = '2026-05-22T07:00:02.000Z';

export const SNAPSHOT: FirmDataSnapshot = {
  registry: {
    source: 'MERSIS',
    fetchedAt: FETCHED_AT,
    title: FIRM_TITLE,
    mersisNumber: '0015001526400017',
    status: 'ACTIVE',
    foundedOn: '2009-03-16',
    naceCode: '13.20',
    authorisedPersons: [{ name: 'Mehmet Demir', role: 'Yönetim Kurulu Başkanı' }],
  },
  tax: {
    source: 'GIB',
    fetchedAt: FETCHED_AT,
    taxDebt: '0.00',
    netSalesLastYear: '184500000.00',
    year: 2025,
  },
  socialSecurity: { source: 'SGK', fetchedAt: FETCHED_AT, headcount: 142, premiumDebt: '0.00' },
  customs: {
    source: 'GUMRUK',
    fetchedAt: FETCHED_AT,
    exportsLast12MonthsUsd: '3250000.00',
    exportsLast24MonthsUsd: '6100000.00',
    declarationsLast12Months: 87,
  },
  creditBureau: {
    source: 'KKB',
    fetchedAt: FETCHED_AT,
    companyScore: 1420,
    openProceedings: 0,
    bouncedCheques: 0,
    unsettledBouncedCheques: 0,
  },
};

export const EXPORT_GROWTH = {
  code: 'EXPORT_GROWTH',
  kind: 'FACTOR',
  message: 'Son 12 ayda ihracat arttı',
  messageEn: 'Exports grew over the last 12 months',
  points: 40,
} as const;
export const TAX_DEBT = {
  code: 'OVERDUE_TAX_DEBT',
  kind: 'KNOCKOUT',
  message: 'Vadesi geçmiş vergi borcu var',
  messageEn: 'Overdue tax debt',
} as const;
export const SEGMENT_MISMATCH = {
  code: 'PACKAGE_SEGMENT_MISMATCH',
  kind: 'PACKAGE_RULE',
  message: 'Paket firmanın segmentine uygun değil',
  messageEn: "The package does not fit the firm's segment",
} as const;
export const LOW_SCORE = {
  code: 'LOW_BUREAU_SCORE',
  kind: 'FACTOR',
  message: 'KKB şirket skoru düşük',
  messageEn: 'Low credit bureau company score',
  points: -120,
} as const;

/** Ziraat's offer as the bank types it: amounts without decimals are accepted. */
export const TERMS: OfferTermsInput = {
  maturityMonths: 12,
  totalRepaymentAmount: '1862500.00',
  interestType: 'FIXED',
  interestRate: '42.5',
  principalPaymentFrequency: 'QUARTERLY',
  interestPaymentFrequency: 'MONTHLY',
  collateralType: 'PERSONAL_SURETY',
  totalExpenseAmount: '2500',
  creditType: 'INSTALMENT',
  totalCommissionAmount: '7500.00',
  principalGraceMonths: 3,
  interestGraceMonths: 0,
  branchCode: '0735',
  representativeName: 'Ayşe Yılmaz',
  phone: '+90 212 555 01 23',
  email: 'ayse.yilmaz@ziraatbank.com.tr',
};

/** The same terms as an event records them: dated, amounts with two decimals. */
export function recorded(terms: OfferTermsInput, offerDate: string) {
  return {
    ...terms,
    offerDate,
    totalRepaymentAmount: '1862500.00',
    totalExpenseAmount: '2500.00',
    totalCommissionAmount: '7500.00',
  };
}

// ---- the stream, event by event ----

export const submitted = event('ApplicationSubmitted', {
  applicationId: APPLICATION_ID,
  firmVkn: VKN,
  firmTitle: FIRM_TITLE,
  memberId: MEMBER_ID,
  packageCode: 'IHR-KOBI',
  amount: '1500000.00',
  currency: 'TRY',
  maturityMonths: 12,
  purpose: 'İhracat siparişi için hammadde alımı',
  submittedAt: SUBMITTED_AT,
});

export const dataDelayed = event('ApplicationDataDelayed', {
  applicationId: APPLICATION_ID,
  unavailableSources: ['SGK'],
  retryAt: '2026-05-22T07:05:00.000Z',
  attempt: 1,
});

export const dataCollected = event('ApplicationDataCollected', {
  applicationId: APPLICATION_ID,
  snapshot: SNAPSHOT,
  segment: 'KOBI',
});

/** The model's decision on the firm: eligible, note 2 (Çok İyi), 90 % of 1.5m guaranteed. */
export const DECISION: Omit<EventData<'ApplicationScored'>, 'scoredAt'> = {
  applicationId: APPLICATION_ID,
  modelVersion: 'ige-score-2026.05',
  eligible: true,
  score: 1312,
  creditNote: 2,
  creditNoteLabel: 'Çok İyi',
  reasons: [EXPORT_GROWTH],
  guaranteeRatio: '90',
  guaranteeAmount: '1350000.00',
  currency: 'TRY',
};

export const scoredEligible = event('ApplicationScored', { ...DECISION, scoredAt: OPENED_AT });

export const openedForBidding = event('ApplicationOpenedForBidding', {
  applicationId: APPLICATION_ID,
  partnerBankCodes: [...PARTNER_BANKS],
  openedAt: OPENED_AT,
  biddingClosesAt: BIDDING_CLOSES_AT,
});

export const rejected = event('ApplicationRejected', {
  applicationId: APPLICATION_ID,
  reasons: [TAX_DEBT],
  rejectedAt: OPENED_AT,
});

export function offerSubmitted(bankCode: string, offerId: string): DecidedEvent {
  return event('OfferSubmitted', {
    applicationId: APPLICATION_ID,
    offerId,
    bankCode,
    bankName: BANK_NAMES[bankCode] ?? bankCode,
    version: 1,
    terms: recorded(TERMS, '2026-05-25'),
    submittedAt: DURING_BIDDING,
  });
}

export function offerWithdrawn(
  bankCode: string,
  offerId: string,
  reason: WithdrawalReason = 'BANK_DECISION',
  withdrawnAt = DURING_BIDDING,
): DecidedEvent {
  return event('OfferWithdrawn', {
    applicationId: APPLICATION_ID,
    offerId,
    bankCode,
    reason,
    note: '',
    withdrawnAt,
  });
}

export function bankDeclined(bankCode: string): DecidedEvent {
  return event('BankDeclined', {
    applicationId: APPLICATION_ID,
    bankCode,
    note: 'Sektör limitimiz dolu',
    declinedAt: DURING_BIDDING,
  });
}

export const informationRequested = event('InformationRequested', {
  applicationId: APPLICATION_ID,
  requestId: REQUEST_ID,
  bankCode: HALKBANK,
  question: 'Son iki yılın ihracat sözleşmelerini paylaşabilir misiniz?',
  requestedAt: DURING_BIDDING,
});

export function biddingClosed(...liveOfferIds: [string, ...string[]]): DecidedEvent {
  return event('BiddingClosed', {
    applicationId: APPLICATION_ID,
    referenceNumber: REFERENCE_NUMBER,
    closedAt: BIDDING_CLOSES_AT,
    early: false,
    liveOfferIds,
    selectionDeadline: SELECTION_DEADLINE,
  });
}

export const biddingClosedWithoutOffers = event('BiddingClosedWithoutOffers', {
  applicationId: APPLICATION_ID,
  closedAt: BIDDING_CLOSES_AT,
  early: false,
});

export function offerSelected(bankCode: string, offerId: string): DecidedEvent {
  return event('OfferSelected', {
    applicationId: APPLICATION_ID,
    offerId,
    bankCode,
    referenceNumber: REFERENCE_NUMBER,
    selectedBy: MEMBER_ID,
    selectedAt: DURING_SELECTION,
    contactDeadline: SELECTION_DEADLINE,
  });
}

export const firmApplied = event('FirmAppliedToBank', {
  applicationId: APPLICATION_ID,
  offerId: OFFER_ZIRAAT,
  bankCode: ZIRAAT,
  referenceNumber: REFERENCE_NUMBER,
  recordedBy: BANK_USER_ID,
  appliedAt: DURING_SELECTION,
});

export const selectionLapsed = event('SelectionWindowLapsed', {
  applicationId: APPLICATION_ID,
  lapsedAt: SELECTION_DEADLINE,
});

export const cancelled = event('ApplicationCancelled', {
  applicationId: APPLICATION_ID,
  reason: 'Finansman başka kaynaktan sağlandı',
  cancelledBy: MEMBER_ID,
  cancelledAt: DURING_BIDDING,
});

// ---- streams at the milestones ----

export const SUBMITTED = [submitted];
export const DATA_IN = [submitted, dataCollected];
export const BIDDING = [...DATA_IN, scoredEligible, openedForBidding];
/** Ziraat and Halkbank bid, Vakıfbank stays silent. */
export const TWO_OFFERS = [
  ...BIDDING,
  offerSubmitted(ZIRAAT, OFFER_ZIRAAT),
  offerSubmitted(HALKBANK, OFFER_HALKBANK),
];
export const CLOSED = [...TWO_OFFERS, biddingClosed(OFFER_ZIRAAT, OFFER_HALKBANK)];
export const ZIRAAT_SELECTED = [...CLOSED, offerSelected(ZIRAAT, OFFER_ZIRAAT)];
