import { describe, expect, it } from 'vitest';
import {
  compareOffersByCost,
  monthsPerPeriod,
  offerCost,
  validateCostTerms,
  type CostTerms,
  type RankedOfferCost,
} from '../src/offer-cost';
import { InvalidValueError } from '../src/values/errors';
import { minorFromDecimalString } from '../src/values/money';
import { addRates, parseRatePercent } from '../src/values/rate';

const TRY = (amount: string): bigint => minorFromDecimalString(amount);

/** 1,000,000.00 TRY at 40 % over 12 months, everything monthly, no fees, no grace. */
function terms(overrides: Partial<CostTerms> = {}): CostTerms {
  return {
    principal: TRY('1000000.00'),
    maturityMonths: 12,
    annualRate: parseRatePercent('40'),
    principalPaymentFrequency: 'MONTHLY',
    interestPaymentFrequency: 'MONTHLY',
    principalGraceMonths: 0,
    interestGraceMonths: 0,
    upfrontExpenses: 0n,
    upfrontCommission: 0n,
    ...overrides,
  };
}

const sum = (values: bigint[]): bigint => values.reduce((a, b) => a + b, 0n);

describe('monthsPerPeriod', () => {
  it('given each frequency, then it gives the months between payments', () => {
    expect(monthsPerPeriod('MONTHLY', 24)).toBe(1);
    expect(monthsPerPeriod('QUARTERLY', 24)).toBe(3);
    expect(monthsPerPeriod('SEMIANNUAL', 24)).toBe(6);
    expect(monthsPerPeriod('ANNUAL', 24)).toBe(12);
    expect(monthsPerPeriod('AT_MATURITY', 24)).toBe(24);
  });
});

describe('offerCost: effective annual cost', () => {
  it('given a fee-free fixed loan paid annually, when costed, then the effective cost equals its rate', () => {
    const cost = offerCost(
      terms({
        maturityMonths: 24,
        principalPaymentFrequency: 'ANNUAL',
        interestPaymentFrequency: 'ANNUAL',
      }),
    );

    expect(cost.schedule).toEqual([
      {
        month: 12,
        principal: TRY('500000.00'),
        interest: TRY('400000.00'),
        total: TRY('900000.00'),
        outstandingAfter: TRY('500000.00'),
      },
      {
        month: 24,
        principal: TRY('500000.00'),
        interest: TRY('200000.00'),
        total: TRY('700000.00'),
        outstandingAfter: 0n,
      },
    ]);
    expect(cost.effectiveAnnualCost).toBeCloseTo(0.4, 9);
    expect(cost.effectiveAnnualCostPercent).toBe('40.00');
    expect(cost.totalCost).toBe(TRY('600000.00'));
    expect(cost.netProceeds).toBe(TRY('1000000.00'));
  });

  it('given a fee-free loan paid monthly, when costed, then the effective cost is the compounded rate', () => {
    const cost = offerCost(
      terms({ principal: TRY('1200000.00'), annualRate: parseRatePercent('36') }),
    );

    expect(cost.schedule).toHaveLength(12);
    expect(cost.schedule[0]).toEqual({
      month: 1,
      principal: TRY('100000.00'),
      interest: TRY('36000.00'),
      total: TRY('136000.00'),
      outstandingAfter: TRY('1100000.00'),
    });
    expect(cost.effectiveAnnualCost).toBeCloseTo((1 + 0.36 / 12) ** 12 - 1, 9);
    expect(cost.effectiveAnnualCostPercent).toBe('42.58');
  });

  it('given a floating offer, when the caller passes reference + spread, then it costs like that fixed rate', () => {
    const floating = offerCost(
      terms({ annualRate: addRates(parseRatePercent('38.5'), parseRatePercent('1.5')) }),
    );

    expect(floating).toEqual(offerCost(terms()));
  });

  it('given a zero rate and no fees, when costed, then the loan costs nothing', () => {
    const cost = offerCost(terms({ annualRate: parseRatePercent('0') }));

    expect(cost.totalInterest).toBe(0n);
    expect(cost.effectiveAnnualCost).toBeCloseTo(0, 12);
    expect(cost.effectiveAnnualCostPercent).toBe('0.00');
  });

  it('given upfront expenses and commission, when costed, then the effective cost rises above the fee-free one', () => {
    const feeFree = offerCost(terms());
    const withFees = offerCost(
      terms({ upfrontExpenses: TRY('5000.00'), upfrontCommission: TRY('15000.00') }),
    );

    expect(withFees.schedule).toEqual(feeFree.schedule);
    expect(withFees.netProceeds).toBe(TRY('980000.00'));
    expect(withFees.totalCost).toBe(feeFree.totalInterest + TRY('20000.00'));
    expect(withFees.effectiveAnnualCost).toBeGreaterThan(feeFree.effectiveAnnualCost + 0.03);
  });
});

describe('offerCost: schedule', () => {
  it('given a principal grace, when costed, then principal starts one period after it and interest runs throughout', () => {
    const quarterly = {
      principalPaymentFrequency: 'QUARTERLY',
      interestPaymentFrequency: 'QUARTERLY',
    };
    const noGrace = offerCost(terms({ maturityMonths: 24, ...quarterly } as Partial<CostTerms>));
    const grace = offerCost(
      terms({ maturityMonths: 24, principalGraceMonths: 6, ...quarterly } as Partial<CostTerms>),
    );

    expect(grace.schedule.map((p) => p.month)).toEqual([3, 6, 9, 12, 15, 18, 21, 24]);
    expect(grace.schedule.slice(0, 3)).toEqual([
      {
        month: 3,
        principal: 0n,
        interest: TRY('100000.00'),
        total: TRY('100000.00'),
        outstandingAfter: TRY('1000000.00'),
      },
      {
        month: 6,
        principal: 0n,
        interest: TRY('100000.00'),
        total: TRY('100000.00'),
        outstandingAfter: TRY('1000000.00'),
      },
      {
        month: 9,
        principal: TRY('166666.66'),
        interest: TRY('100000.00'),
        total: TRY('266666.66'),
        outstandingAfter: TRY('833333.34'),
      },
    ]);
    expect(grace.totalInterest).toBeGreaterThan(noGrace.totalInterest);
    // Fee-free, interest paid every quarter: the money costs the same per year, only for longer.
    expect(grace.effectiveAnnualCost).toBeCloseTo((1 + 0.4 / 4) ** 4 - 1, 8);
    expect(noGrace.effectiveAnnualCost).toBeCloseTo((1 + 0.4 / 4) ** 4 - 1, 8);
  });

  it('given fees, when a principal grace keeps the money longer, then the fees weigh less per year', () => {
    const fees = { upfrontCommission: TRY('30000.00') };
    const noGrace = offerCost(terms({ maturityMonths: 24, ...fees }));
    const grace = offerCost(terms({ maturityMonths: 24, principalGraceMonths: 12, ...fees }));

    expect(grace.schedule.find((p) => p.principal > 0n)?.month).toBe(13);
    expect(grace.effectiveAnnualCost).toBeLessThan(noGrace.effectiveAnnualCost);
  });

  it('given an interest grace, when costed, then the accrued interest is paid uncompounded at the first date after it', () => {
    const bullet = { principalPaymentFrequency: 'AT_MATURITY' } as const;
    const noGrace = offerCost(terms(bullet));
    const grace = offerCost(terms({ ...bullet, interestGraceMonths: 3 }));

    const monthly = TRY('1000000.00') * 400000n; // outstanding × rate.scaled
    expect(grace.schedule[0]).toEqual({
      month: 4,
      principal: 0n,
      interest: (4n * monthly + 6_000_000n) / 12_000_000n, // four months, simple, half up
      total: TRY('133333.33'),
      outstandingAfter: TRY('1000000.00'),
    });
    expect(grace.schedule[1]).toMatchObject({ month: 5, interest: TRY('33333.33') });
    expect(grace.schedule.map((p) => p.month)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // Interest paid later without interest on interest is cheaper money.
    expect(grace.effectiveAnnualCost).toBeLessThan(noGrace.effectiveAnnualCost);
    expect(grace.totalInterest).toBe(noGrace.totalInterest + 1n); // rounding once instead of 4 times
  });

  it('given an interest grace longer than the interest period, when costed, then the first date comes one period after the grace', () => {
    const cost = offerCost(
      terms({ maturityMonths: 24, interestPaymentFrequency: 'QUARTERLY', interestGraceMonths: 4 }),
    );

    const interestMonths = cost.schedule.filter((p) => p.interest > 0n).map((p) => p.month);
    expect(interestMonths).toEqual([7, 10, 13, 16, 19, 22, 24]);
  });

  it('given 1,000,000.01 TRY in 7 instalments, when costed, then the principal parts add up to the kuruş', () => {
    const principal = TRY('1000000.01');
    const cost = offerCost(
      terms({ principal, maturityMonths: 21, principalPaymentFrequency: 'QUARTERLY' }),
    );

    const parts = cost.schedule.filter((p) => p.principal > 0n).map((p) => p.principal);
    expect(parts).toEqual([...Array<bigint>(6).fill(14285714n), 14285717n]);
    expect(sum(parts)).toBe(principal);
    expect(cost.totalPrincipal).toBe(principal);
    expect(cost.schedule.at(-1)?.outstandingAfter).toBe(0n);
    expect(cost.totalRepayment).toBe(sum(cost.schedule.map((p) => p.total)));
  });

  it('given a period that does not divide the term, when costed, then the last period is shorter', () => {
    const cost = offerCost(terms({ maturityMonths: 10, principalPaymentFrequency: 'QUARTERLY' }));

    const principalMonths = cost.schedule.filter((p) => p.principal > 0n).map((p) => p.month);
    expect(principalMonths).toEqual([3, 6, 9, 10]);
  });

  it('given AT_MATURITY for both, when costed, then one bullet pays principal and simple interest', () => {
    const cost = offerCost(
      terms({
        maturityMonths: 18,
        principalPaymentFrequency: 'AT_MATURITY',
        interestPaymentFrequency: 'AT_MATURITY',
      }),
    );

    expect(cost.schedule).toEqual([
      {
        month: 18,
        principal: TRY('1000000.00'),
        interest: TRY('600000.00'),
        total: TRY('1600000.00'),
        outstandingAfter: 0n,
      },
    ]);
    expect(cost.effectiveAnnualCost).toBeCloseTo(1.6 ** (12 / 18) - 1, 9);
  });

  it('given 200,000,000.00 TRY over 120 months, when costed, then every figure stays exact', () => {
    const principal = TRY('200000000.00');
    const rate = parseRatePercent('47.1239');
    const cost = offerCost(terms({ principal, maturityMonths: 120, annualRate: rate }));

    // 20,000,000,000 × 471239 / 12,000,000 = 785,398,333.33: beyond 2^53 before the division.
    expect(principal * rate.scaled).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(cost.schedule[0]?.interest).toBe(785398333n);
    const instalment = principal / 120n;
    expect(cost.schedule[0]?.principal).toBe(instalment);
    expect(cost.schedule.at(-1)?.principal).toBe(principal - 119n * instalment);
    expect(sum(cost.schedule.map((p) => p.principal))).toBe(principal);
    expect(sum(cost.schedule.map((p) => p.interest))).toBe(cost.totalInterest);
    expect(cost.totalRepayment).toBe(principal + cost.totalInterest);
    // Unrounded interest is rate × Σ outstanding / 12e6; 120 half-up roundings move it by ≤ 60.
    const outstandingMonths = 120n * principal - instalment * ((119n * 120n) / 2n);
    const exact = (rate.scaled * outstandingMonths) / 12_000_000n;
    const drift = cost.totalInterest - exact;
    expect(drift >= -60n && drift <= 60n).toBe(true);
  });
});

describe('offerCost: stated total repayment', () => {
  it('given a stated total within the tolerance, when costed, then the mismatch is reported but not large', () => {
    const computed = offerCost(terms()).totalRepayment;
    const cost = offerCost(terms({ statedTotalRepayment: computed + TRY('99.99') }));

    expect(cost.statedTotalRepayment).toBe(computed + TRY('99.99'));
    expect(cost.repaymentMismatch).toEqual({
      difference: 9999n,
      ratio: 9999 / Number(computed),
      large: false,
    });
  });

  it('given a stated total off by more than 1 % and 100.00, when costed, then the mismatch is large', () => {
    const computed = offerCost(terms()).totalRepayment;
    const cost = offerCost(terms({ statedTotalRepayment: computed - computed / 50n }));

    expect(cost.repaymentMismatch?.difference).toBe(-(computed / 50n));
    expect(cost.repaymentMismatch?.ratio).toBeCloseTo(-0.02, 6);
    expect(cost.repaymentMismatch?.large).toBe(true);
  });

  it('given a small loan off by over 1 % but under 100.00, when costed, then the mismatch is not large', () => {
    const small = terms({ principal: TRY('5000.00') });
    const computed = offerCost(small).totalRepayment;
    const cost = offerCost({ ...small, statedTotalRepayment: computed + TRY('90.00') });

    expect(cost.repaymentMismatch?.ratio).toBeGreaterThan(0.01);
    expect(cost.repaymentMismatch?.large).toBe(false);
  });

  it('given no stated total, when costed, then no mismatch is reported', () => {
    const cost = offerCost(terms());

    expect(cost.statedTotalRepayment).toBeUndefined();
    expect(cost.repaymentMismatch).toBeUndefined();
  });
});

describe('validateCostTerms', () => {
  const cases: [string, Partial<CostTerms>][] = [
    ['maturityMonths', { maturityMonths: 0 }],
    ['maturityMonths', { maturityMonths: 12.5 }],
    ['maturityMonths', { maturityMonths: 361 }],
    ['principalGraceMonths', { principalGraceMonths: 12 }],
    ['principalGraceMonths', { principalGraceMonths: -1 }],
    ['interestGraceMonths', { interestGraceMonths: 1.5 }],
    ['interestGraceMonths', { interestGraceMonths: 13 }],
    ['principal', { principal: 0n }],
    ['upfrontExpenses', { upfrontExpenses: -1n }],
    ['upfrontCommission', { upfrontCommission: -1n }],
    ['upfrontExpenses', { upfrontExpenses: TRY('600000.00'), upfrontCommission: TRY('400000.00') }],
    ['annualRate', { annualRate: { scaled: -1n } }],
    ['statedTotalRepayment', { statedTotalRepayment: 0n }],
    [
      'interestPaymentFrequency',
      { interestPaymentFrequency: 'WEEKLY' as CostTerms['interestPaymentFrequency'] },
    ],
  ];

  it.each(cases)('given bad terms, when validated, then the error names %s', (field, bad) => {
    const attempt = () => offerCost(terms(bad));

    expect(attempt).toThrow(InvalidValueError);
    expect(attempt).toThrow(expect.objectContaining({ field }));
  });

  it('given the longest maturity and a grace one month shorter, when validated, then it passes', () => {
    expect(() =>
      validateCostTerms(terms({ maturityMonths: 360, principalGraceMonths: 359 })),
    ).not.toThrow();
  });
});

describe('compareOffersByCost', () => {
  const ranked = (
    cost: { effectiveAnnualCost: number; totalCost: bigint },
    submittedAt: string,
  ): RankedOfferCost => ({
    effectiveAnnualCost: cost.effectiveAnnualCost,
    totalCost: cost.totalCost,
    submittedAt,
  });

  it('given a lower rate with heavy fees and a higher rate without, when ranked, then the fee-free one is cheaper', () => {
    const lowRateHeavyFees = ranked(
      offerCost(
        terms({
          annualRate: parseRatePercent('38'),
          upfrontExpenses: TRY('10000.00'),
          upfrontCommission: TRY('30000.00'),
        }),
      ),
      '2025-03-03T09:00:00+03:00',
    );
    const higherRateNoFees = ranked(
      offerCost(terms({ annualRate: parseRatePercent('42') })),
      '2025-03-03T10:00:00+03:00',
    );

    expect(compareOffersByCost(lowRateHeavyFees, higherRateNoFees)).toBe(1);
    expect([lowRateHeavyFees, higherRateNoFees].sort(compareOffersByCost)).toEqual([
      higherRateNoFees,
      lowRateHeavyFees,
    ]);
  });

  it('given equal effective costs up to float noise, when ranked, then the lower total cost wins', () => {
    const cheaper = ranked(
      { effectiveAnnualCost: 0.4621, totalCost: 100n },
      '2025-03-03T10:00:00Z',
    );
    const dearer = ranked(
      { effectiveAnnualCost: 0.4621 - 1e-10, totalCost: 101n },
      '2025-03-03T09:00:00Z',
    );

    expect(compareOffersByCost(cheaper, dearer)).toBe(-1);
    expect(compareOffersByCost(dearer, cheaper)).toBe(1);
  });

  it('given equal effective and total costs, when ranked, then the earlier submission wins across offsets', () => {
    const earlier = ranked(
      { effectiveAnnualCost: 0.5, totalCost: 100n },
      '2025-03-03T09:59:00+03:00',
    );
    const later = ranked({ effectiveAnnualCost: 0.5, totalCost: 100n }, '2025-03-03T07:00:00Z');

    expect(compareOffersByCost(earlier, later)).toBe(-1);
    expect(compareOffersByCost(later, earlier)).toBe(1);
    expect(compareOffersByCost(earlier, { ...earlier })).toBe(0);
  });

  it('given a clearly lower effective cost, when ranked, then it wins whatever the total cost', () => {
    const lowerRate = ranked(
      { effectiveAnnualCost: 0.45, totalCost: 900n },
      '2025-03-03T10:00:00Z',
    );
    const higherRate = ranked(
      { effectiveAnnualCost: 0.46, totalCost: 100n },
      '2025-03-03T09:00:00Z',
    );

    expect(compareOffersByCost(lowerRate, higherRate)).toBe(-1);
  });
});
