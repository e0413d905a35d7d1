import { describe, expect, it } from 'vitest';
import { blockingReasons, scoreApplication } from '../../src/scoring';
import { inputWith, snapshotWith } from './snapshot';

const blockingCodes = (input: Parameters<typeof inputWith>[0]) =>
  blockingReasons(scoreApplication(inputWith(input))).map((r) => r.code);

const nonSme = snapshotWith({
  socialSecurity: { headcount: 1240 },
  tax: { netSalesLastYear: '4800000000.00' },
});
const noExports = { exportsLast12MonthsUsd: '0.00', exportsLast24MonthsUsd: '0.00' };

describe('package rules (R3)', () => {
  it('given exactly the SME limit of 25,000,000.00 TRY, then eligible', () => {
    expect(blockingCodes({ amount: '25000000.00' })).toEqual([]);
  });

  it('given one kuruş over the limit in TRY, then AMOUNT_OVER_LIMIT', () => {
    const decision = scoreApplication(inputWith({ amount: '25000000.01' }));
    expect(blockingReasons(decision)).toEqual([
      {
        code: 'AMOUNT_OVER_LIMIT',
        kind: 'PACKAGE_RULE',
        message: 'Tutar (25.000.000,01 ₺) paketin KOBİ üst limitini (25.000.000,00 ₺) aşmaktadır.',
        messageEn:
          "The amount (TRY 25,000,000.01) exceeds the package's SME limit (TRY 25,000,000.00).",
      },
    ]);
  });

  it('given USD at 42.15, then the TRY equivalent is compared exactly, to the kuruş', () => {
    // 593,119.81 × 42.15 = 24,999,999.9915 TRY (in); 593,119.82 × 42.15 = 25,000,000.413 TRY (over)
    expect(blockingCodes({ amount: '593119.81', currency: 'USD' })).toEqual([]);
    const decision = scoreApplication(inputWith({ amount: '593119.82', currency: 'USD' }));
    expect(blockingReasons(decision)[0]?.message).toBe(
      'Tutar (593.119,82 $ ≈ 25.000.000,41 ₺) paketin KOBİ üst limitini (25.000.000,00 ₺) aşmaktadır.',
    );
  });

  it('given EUR at 48.90 for the non-SME package, then its 200m TRY limit applies', () => {
    const input = { snapshot: nonSme, segment: 'KOBI_DISI' as const, packageCode: 'IHR-BUYUK' };
    // 200,000,000 / 48.90 = 4,089,979.55...
    expect(blockingCodes({ ...input, amount: '4089979.55', currency: 'EUR' })).toEqual([]);
    expect(blockingCodes({ ...input, amount: '4089979.56', currency: 'EUR' })).toEqual([
      'AMOUNT_OVER_LIMIT',
    ]);
  });

  it('given a maturity beyond the package maximum, then MATURITY_TOO_LONG', () => {
    expect(blockingCodes({ maturityMonths: 24 })).toEqual([]);
    const decision = scoreApplication(inputWith({ maturityMonths: 25 }));
    expect(blockingReasons(decision)).toEqual([
      {
        code: 'MATURITY_TOO_LONG',
        kind: 'PACKAGE_RULE',
        message: 'Vade (25 ay) paketin azami vadesini (24 ay) aşmaktadır.',
        messageEn: "The maturity (25 months) exceeds the package's maximum (24 months).",
      },
    ]);
    expect(blockingCodes({ packageCode: 'YESIL', maturityMonths: 120 })).toEqual([]);
  });

  it('given a non-SME firm applying for the SME package, then PACKAGE_SEGMENT', () => {
    const decision = scoreApplication(inputWith({ snapshot: nonSme, segment: 'KOBI_DISI' }));
    expect(blockingReasons(decision)).toEqual([
      {
        code: 'PACKAGE_SEGMENT',
        kind: 'PACKAGE_RULE',
        message: 'KOBİ İhracat Kefalet Paketi KOBİ dışı firmalara açık değildir.',
        messageEn: 'SME Export Guarantee Package is not open to non-SME firms.',
      },
    ]);
  });

  it('given an SME applying for the non-SME package, then PACKAGE_SEGMENT', () => {
    expect(blockingCodes({ packageCode: 'IHR-BUYUK' })).toEqual(['PACKAGE_SEGMENT']);
  });

  it('given an unknown package, then PACKAGE_UNKNOWN alone', () => {
    expect(blockingCodes({ packageCode: 'IHR-XYZ', maturityMonths: 500 })).toEqual([
      'PACKAGE_UNKNOWN',
    ]);
  });

  it('given several package rules broken, then each is listed, after the knock-outs', () => {
    const snapshot = snapshotWith({ tax: { taxDebt: '5.00' } });
    expect(blockingCodes({ snapshot, amount: '30000000.00', maturityMonths: 30 })).toEqual([
      'TAX_DEBT',
      'AMOUNT_OVER_LIMIT',
      'MATURITY_TOO_LONG',
    ]);
  });

  it.each([
    ['IHR-KOBI', 'KOBI', '85'],
    ['YESIL', 'KOBI', '80'],
    ['ISLETME', 'KOBI', '80'],
    ['YESIL', 'KOBI_DISI', '75'],
  ] as const)(
    'given a potential exporter applying for %s as %s, then the potential exporter ratio %s %% applies',
    (packageCode, segment, ratio) => {
      const snapshot =
        segment === 'KOBI'
          ? snapshotWith({ customs: noExports })
          : snapshotWith({ ...nonSme, customs: { ...nonSme.customs, ...noExports } });
      const decision = scoreApplication(inputWith({ snapshot, segment, packageCode }));
      expect(decision).toMatchObject({ eligible: true, guaranteeRatio: ratio });
    },
  );

  it('given a non-SME potential exporter applying for IHR-BUYUK, then EXPORT_HISTORY_REQUIRED', () => {
    const snapshot = snapshotWith({ ...nonSme, customs: { ...nonSme.customs, ...noExports } });
    const decision = scoreApplication(
      inputWith({ snapshot, segment: 'KOBI_DISI', packageCode: 'IHR-BUYUK' }),
    );
    expect(blockingReasons(decision)).toEqual([
      {
        code: 'EXPORT_HISTORY_REQUIRED',
        kind: 'PACKAGE_RULE',
        message:
          'KOBİ Dışı İhracat Kefalet Paketi son 12 ayda ihracat gerektirir; firmanın son 12 ayda ihracatı yoktur.',
        messageEn:
          'Non-SME Export Guarantee Package needs exports in the last 12 months; the firm has none.',
      },
    ]);
  });

  it('given a current exporter, then the package ratio for its segment applies', () => {
    expect(scoreApplication(inputWith({ packageCode: 'ISLETME' })).guaranteeRatio).toBe('80');
    const decision = scoreApplication(
      inputWith({ snapshot: nonSme, segment: 'KOBI_DISI', packageCode: 'IHR-BUYUK' }),
    );
    expect(decision).toMatchObject({ guaranteeRatio: '75', guaranteeAmount: '750000.00' });
  });
});
