import type { Currency, FirmDataSnapshot, Segment } from '@kefalet/events';
import type { ScoreInput } from '../../src/scoring';

const fetchedAt = '2026-12-03T09:00:00.000Z';

type Parts = { [K in keyof FirmDataSnapshot]?: Partial<FirmDataSnapshot[K]> };

/** A clean SME exporter (score 76, note 2); `parts` override single fields. */
export function snapshotWith(parts: Parts = {}): FirmDataSnapshot {
  return {
    registry: {
      source: 'MERSIS',
      fetchedAt,
      title: 'Test İhracat A.Ş.',
      mersisNumber: '0015001526400015',
      status: 'ACTIVE',
      foundedOn: '2011-03-15',
      naceCode: '13.20',
      authorisedPersons: [{ name: 'Ayşe Yılmaz', role: 'Yönetim Kurulu Başkanı' }],
      ...parts.registry,
    },
    tax: {
      source: 'GIB',
      fetchedAt,
      taxDebt: '0.00',
      netSalesLastYear: '245000000.00',
      year: 2025,
      ...parts.tax,
    },
    socialSecurity: {
      source: 'SGK',
      fetchedAt,
      headcount: 86,
      premiumDebt: '0.00',
      ...parts.socialSecurity,
    },
    customs: {
      source: 'GUMRUK',
      fetchedAt,
      exportsLast12MonthsUsd: '1850000.00',
      exportsLast24MonthsUsd: '3500000.00',
      declarationsLast12Months: 42,
      ...parts.customs,
    },
    creditBureau: {
      source: 'KKB',
      fetchedAt,
      companyScore: 1460,
      openProceedings: 0,
      bouncedCheques: 0,
      unsettledBouncedCheques: 0,
      ...parts.creditBureau,
    },
  };
}

export const NOW = new Date('2026-12-03T09:00:00Z');
export const FX: Record<Currency, string> = { TRY: '1', USD: '42.1500', EUR: '48.9000' };

/** 1,000,000.00 TRY for IHR-KOBI over 12 months by the clean SME exporter; override what a test needs. */
export function inputWith(overrides: Partial<ScoreInput> & { segment?: Segment } = {}): ScoreInput {
  return {
    snapshot: snapshotWith(),
    segment: 'KOBI',
    packageCode: 'IHR-KOBI',
    amount: '1000000.00',
    currency: 'TRY',
    maturityMonths: 12,
    now: NOW,
    fxRatesToTry: FX,
    ...overrides,
  };
}
