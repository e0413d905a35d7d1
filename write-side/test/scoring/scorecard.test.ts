import { describe, expect, it } from 'vitest';
import { ApplicationScored, CREDIT_NOTE_LABELS, InvalidValueError } from '@kefalet/events';
import {
  CREDIT_NOTE_BANDS,
  MODEL_VERSION,
  SCORECARD_RULES,
  blockingReasons,
  creditNoteForScore,
  scoreApplication,
} from '../../src/scoring';
import { inputWith, snapshotWith } from './snapshot';

const FACTOR_CODES = [
  'COMPANY_AGE',
  'BUREAU_SCORE',
  'EXPORT_VOLUME',
  'EXPORT_TREND',
  'EXPORT_REGULARITY',
  'HEADCOUNT',
  'NET_SALES',
  'SETTLED_BOUNCED_CHEQUES',
];

const pointsOf = (input: Parameters<typeof scoreApplication>[0], code: string) =>
  scoreApplication(input).reasons.find((r) => r.code === code)?.points;

describe('the decision', () => {
  it('given a clean SME exporter, then it is eligible at 90 % with every factor explained', () => {
    const decision = scoreApplication(inputWith());
    expect(decision).toMatchObject({
      modelVersion: MODEL_VERSION,
      eligible: true,
      score: 76,
      creditNote: 2,
      creditNoteLabel: 'Çok İyi',
      guaranteeRatio: '90',
      guaranteeAmount: '900000.00',
      currency: 'TRY',
    });
    expect(decision.reasons.filter((r) => r.kind === 'FACTOR').map((r) => r.code)).toEqual(
      FACTOR_CODES,
    );
    expect(decision.reasons[0]).toEqual({
      code: 'GUARANTEE_RATIO',
      kind: 'PACKAGE_RULE',
      message: 'KOBİ İhracat Kefalet Paketi: kefalet oranı %90 (mevcut ihracatçı).',
      messageEn: 'SME Export Guarantee Package: guarantee ratio 90% (current exporter).',
    });
    expect(blockingReasons(decision)).toEqual([]);
  });

  it('given any decision, then it is exactly the ApplicationScored data minus id and time', () => {
    const decision = scoreApplication(inputWith());
    const event = {
      ...decision,
      applicationId: '4f6f2b8e-2f7b-4b8a-9a53-0a3c1e2d9b10',
      scoredAt: '2026-12-03T09:00:00.000Z',
    };
    expect(ApplicationScored.strict().parse(event)).toEqual(event);
  });

  it('given any decision, then the score is the sum of the factor points', () => {
    const decision = scoreApplication(inputWith());
    const sum = decision.reasons.reduce((total, r) => total + (r.points ?? 0), 0);
    expect(decision.score).toBe(sum);
  });

  it('given the same input twice, then the decision is the same, and the input untouched', () => {
    const input = inputWith({ snapshot: snapshotWith({ tax: { taxDebt: '10.00' } }) });
    const copy = structuredClone(input);
    expect(scoreApplication(input)).toEqual(scoreApplication(input));
    expect(input).toEqual(copy);
  });
});

describe('knock-outs: ineligible whatever the score', () => {
  it.each([
    [
      'tax debt',
      { tax: { taxDebt: '12500.00' } },
      'TAX_DEBT',
      'Vergi borcu bulunmaktadır (12.500,00 ₺).',
      'The firm has tax debt (TRY 12,500.00).',
    ],
    [
      'SGK premium debt',
      { socialSecurity: { premiumDebt: '61250.50' } },
      'SGK_PREMIUM_DEBT',
      'SGK prim borcu bulunmaktadır (61.250,50 ₺).',
      'The firm owes social security premiums (TRY 61,250.50).',
    ],
    [
      'open proceedings',
      { creditBureau: { openProceedings: 2 } },
      'OPEN_PROCEEDINGS',
      'Firma hakkında 2 adet açık icra takibi bulunmaktadır.',
      'Open collection proceedings against the firm: 2.',
    ],
    [
      'an unsettled bounced cheque',
      { creditBureau: { bouncedCheques: 1, unsettledBouncedCheques: 1 } },
      'UNSETTLED_BOUNCED_CHEQUES',
      '1 adet ödenmemiş karşılıksız çek kaydı bulunmaktadır.',
      'Bounced cheques not settled: 1.',
    ],
    [
      'an inactive registry entry',
      { registry: { status: 'INACTIVE' as const } },
      'REGISTRY_NOT_ACTIVE',
      'Ticaret sicil kaydı faal değildir.',
      'The trade registry entry is not active.',
    ],
    [
      'liquidation',
      { registry: { status: 'IN_LIQUIDATION' as const } },
      'REGISTRY_NOT_ACTIVE',
      'Firma tasfiye halindedir.',
      'The firm is in liquidation.',
    ],
  ])(
    'given %s, then ineligible with a reason in Turkish and English',
    (_, parts, code, message, messageEn) => {
      const decision = scoreApplication(inputWith({ snapshot: snapshotWith(parts) }));
      expect(decision.eligible).toBe(false);
      expect(decision.creditNote).toBeLessThan(7); // the score alone would have passed
      expect(blockingReasons(decision)).toEqual([{ code, kind: 'KNOCKOUT', message, messageEn }]);
      expect(decision.guaranteeRatio).toBe('0');
      expect(decision.guaranteeAmount).toBe('0.00');
    },
  );

  it('given a settled bounced cheque only, then it is no knock-out, just fewer points', () => {
    const input = inputWith({ snapshot: snapshotWith({ creditBureau: { bouncedCheques: 2 } }) });
    const decision = scoreApplication(input);
    expect(decision.eligible).toBe(true);
    expect(decision.reasons.find((r) => r.code === 'SETTLED_BOUNCED_CHEQUES')).toEqual({
      code: 'SETTLED_BOUNCED_CHEQUES',
      kind: 'FACTOR',
      message: '2 adet karşılıksız çek kaydı, sonradan ödenmiş (1–2).',
      messageEn: '2 bounced cheques, since settled (1–2).',
      points: 0,
    });
  });

  it('given a score that maps to note 7, then ineligible by the CREDIT_NOTE_7 rule', () => {
    const snapshot = snapshotWith({
      creditBureau: { companyScore: 610, bouncedCheques: 3 },
      customs: { exportsLast12MonthsUsd: '0.00', exportsLast24MonthsUsd: '0.00' },
      registry: { foundedOn: '2025-10-03' },
    });
    const decision = scoreApplication(inputWith({ snapshot }));
    expect(decision).toMatchObject({
      eligible: false,
      creditNote: 7,
      creditNoteLabel: 'En Riskli',
    });
    expect(blockingReasons(decision).map((r) => r.code)).toEqual(['CREDIT_NOTE_7']);
  });
});

describe('credit note bands', () => {
  it.each([
    [96, 1],
    [80, 1],
    [79, 2],
    [70, 2],
    [69, 3],
    [60, 3],
    [59, 4],
    [50, 4],
    [49, 5],
    [40, 5],
    [39, 6],
    [30, 6],
    [29, 7],
    [-6, 7],
  ] as const)('given a score of %i, then the note is %i', (score, note) => {
    expect(creditNoteForScore(score)).toBe(note);
  });

  it('given each note, then its label is the Turkish one of CREDIT_NOTE_LABELS', () => {
    expect(CREDIT_NOTE_BANDS.map((b) => CREDIT_NOTE_LABELS[b.note].tr)).toEqual([
      'Mükemmel',
      'Çok İyi',
      'İyi',
      'Orta',
      'Riskli',
      'Çok Riskli',
    ]);
  });
});

describe('scorecard factors', () => {
  it.each([
    ['2016-12-03', 14], // tenth anniversary today
    ['2016-12-04', 10], // tomorrow
    ['2021-12-03', 10],
    ['2024-12-03', 5],
    ['2024-12-04', 0],
  ])('given founding on %s, then company age earns %i points', (foundedOn, points) => {
    const snapshot = snapshotWith({ registry: { foundedOn } });
    expect(pointsOf(inputWith({ snapshot }), 'COMPANY_AGE')).toBe(points);
  });

  it.each([
    [1900, 30],
    [1700, 30],
    [1699, 24],
    [1300, 18],
    [1100, 12],
    [900, 6],
    [899, 0],
  ])('given a bureau score of %i, then %i points', (companyScore, points) => {
    const snapshot = snapshotWith({ creditBureau: { companyScore } });
    expect(pointsOf(inputWith({ snapshot }), 'BUREAU_SCORE')).toBe(points);
  });

  it.each([
    ['5000000.00', '9000000.00', 16, 'GROWING', 8],
    ['4999999.99', '9999999.98', 12, 'STABLE', 5],
    ['1100000.00', '2100000.00', 12, 'GROWING', 8], // exactly +10 %
    ['900000.00', '1900000.00', 8, 'STABLE', 5], // exactly −10 %
    ['899999.99', '1899999.99', 8, 'DECLINING', 0],
    ['0.01', '0.01', 4, 'NEW', 4],
    ['0.00', '500000.00', 0, 'DECLINING', 0],
    ['0.00', '0.00', 0, 'NONE', 0],
  ])(
    'given exports of %s (12 m) and %s (24 m) USD, then volume %i and trend %s %i',
    (exportsLast12MonthsUsd, exportsLast24MonthsUsd, volume, _trend, trend) => {
      const snapshot = snapshotWith({
        customs: { exportsLast12MonthsUsd, exportsLast24MonthsUsd },
      });
      expect(pointsOf(inputWith({ snapshot }), 'EXPORT_VOLUME')).toBe(volume);
      expect(pointsOf(inputWith({ snapshot }), 'EXPORT_TREND')).toBe(trend);
    },
  );

  it.each([
    ['headcount', { socialSecurity: { headcount: 9 } }, 'HEADCOUNT', 2],
    ['headcount', { socialSecurity: { headcount: 250 } }, 'HEADCOUNT', 8],
    ['net sales', { tax: { netSalesLastYear: '9999999.99' } }, 'NET_SALES', 2],
    ['net sales', { tax: { netSalesLastYear: '1000000000.00' } }, 'NET_SALES', 8],
    ['declarations', { customs: { declarationsLast12Months: 5 } }, 'EXPORT_REGULARITY', 0],
    ['declarations', { customs: { declarationsLast12Months: 6 } }, 'EXPORT_REGULARITY', 3],
    ['settled cheques', { creditBureau: { bouncedCheques: 3 } }, 'SETTLED_BOUNCED_CHEQUES', -6],
  ])('given %s at a band edge (%j), then %s earns %i', (_, parts, code, points) => {
    expect(pointsOf(inputWith({ snapshot: snapshotWith(parts) }), code)).toBe(points);
  });
});

describe('guarantee amount', () => {
  it.each([
    ['1.15', '90', '1.04'], // a float would say 1.03
    ['0.05', '90', '0.05'], // 0.045 rounds half up
    ['1234567.89', '90', '1111111.10'],
    ['24999999.99', '90', '22499999.99'],
  ])('given %s TRY at %s %%, then the guarantee is exactly %s', (amount, _ratio, expected) => {
    expect(scoreApplication(inputWith({ amount })).guaranteeAmount).toBe(expected);
  });

  it('given a USD application, then the guarantee is in USD, from the USD amount', () => {
    const decision = scoreApplication(inputWith({ amount: '333333.33', currency: 'USD' }));
    expect(decision).toMatchObject({ currency: 'USD', guaranteeAmount: '300000.00' });
  });

  it('given a potential exporter, then the ratio is the potential exporter ratio, half up', () => {
    const snapshot = snapshotWith({
      customs: { exportsLast12MonthsUsd: '0.00', exportsLast24MonthsUsd: '0.00' },
    });
    const decision = scoreApplication(inputWith({ snapshot, amount: '1049382.71' }));
    // 1,049,382.71 × 85 % = 891,975.3035
    expect(decision).toMatchObject({ guaranteeRatio: '85', guaranteeAmount: '891975.30' });
    expect(decision.reasons[0]?.message).toBe(
      'KOBİ İhracat Kefalet Paketi: kefalet oranı %85 (potansiyel ihracatçı: son 12 ayda ihracat yok).',
    );
  });
});

describe('bad input', () => {
  it.each([
    [{ amount: '1,5' }, 'amount'],
    [{ maturityMonths: 0 }, 'maturityMonths'],
    [{ maturityMonths: 1.5 }, 'maturityMonths'],
    [
      { currency: 'USD' as const, fxRatesToTry: { TRY: '1', USD: '0', EUR: '1' } },
      'fxRatesToTry.USD',
    ],
  ])('given %j, then InvalidValueError names %s', (overrides, field) => {
    const error = (() => {
      try {
        scoreApplication(inputWith(overrides));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidValueError);
    expect((error as InvalidValueError).field).toBe(field);
  });
});

describe('SCORECARD_RULES', () => {
  it('given the rules table, then codes are unique and every factor lists its points', () => {
    const codes = SCORECARD_RULES.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const rule of SCORECARD_RULES.filter((r) => r.kind === 'FACTOR')) {
      expect(rule.points?.length, rule.code).toBeGreaterThan(1);
    }
    expect(SCORECARD_RULES.filter((r) => r.kind === 'FACTOR').map((r) => r.code)).toEqual(
      FACTOR_CODES,
    );
  });

  it('given the best band of every factor, then they add up to the maximum score of 96', () => {
    const best = SCORECARD_RULES.flatMap((r) =>
      r.points ? [Math.max(...r.points.map((p) => p.points))] : [],
    );
    expect(best.reduce((a, b) => a + b, 0)).toBe(96);
  });

  it('given decisions of every kind, then each reason code is listed in the rules table', () => {
    const codes = new Set(SCORECARD_RULES.map((r) => r.code));
    const decisions = [
      scoreApplication(inputWith()),
      scoreApplication(
        inputWith({
          packageCode: 'IHR-BUYUK',
          amount: '999999999.00',
          maturityMonths: 99,
          snapshot: snapshotWith({
            tax: { taxDebt: '1.00' },
            socialSecurity: { premiumDebt: '1.00' },
            registry: { status: 'INACTIVE' },
            creditBureau: { openProceedings: 1, unsettledBouncedCheques: 1, bouncedCheques: 1 },
          }),
        }),
      ),
      scoreApplication(inputWith({ packageCode: 'NOPE' })),
    ];
    for (const reason of decisions.flatMap((d) => d.reasons)) {
      expect(codes.has(reason.code), reason.code).toBe(true);
      expect(SCORECARD_RULES.find((r) => r.code === reason.code)?.kind).toBe(reason.kind);
    }
  });
});
