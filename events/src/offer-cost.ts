/**
 * What an offer's money really costs (DOMAIN.md R13): the payment schedule, the totals and the
 * effective annual cost rate that ranks offers.
 *
 * Conventions:
 * - Months are counted from the disbursement (month 0); the loan is paid out, net of the upfront
 *   expenses and commission, at month 0 and every payment falls at the end of a month 1..maturity.
 * - Payment dates, for principal and for interest alike, run every `monthsPerPeriod` months from the
 *   end of that part's grace period: grace + p, grace + 2p, ... and always the maturity. A period
 *   that does not divide the remaining term leaves a shorter last period; a period longer than the
 *   remaining term (and AT_MATURITY) leaves a single payment at the maturity.
 * - Principal: equal instalments of floor(principal / instalments) minor units; the last instalment
 *   (at the maturity) pays whatever is still outstanding, so the parts add up exactly.
 * - Interest accrues simply, month by month, on the principal outstanding during that month:
 *   outstanding × rate.scaled / (12 × 100 × 10^4) per month. Accruals are summed exactly and each
 *   interest payment pays everything accrued since the last one, rounded half up once. Interest
 *   accrued during the interest grace is paid at the first interest date after it, without interest
 *   on interest (not compounded).
 * - Effective annual cost: the monthly IRR r of netProceeds at month 0 against every scheduled
 *   payment, annualised as (1 + r)^12 − 1. Float math is used here only; it ranks and is displayed.
 * - Stated total repayment (the bank's field) is compared with principal + interest; the mismatch
 *   is `large` when |stated − computed| exceeds both 1 % of the computed total and 100.00.
 */
import { z } from 'zod';
import { InvalidValueError } from './values/errors';
import { RATE_PLACES, type Rate } from './values/rate';

export const PAYMENT_FREQUENCIES = [
  'MONTHLY',
  'QUARTERLY',
  'SEMIANNUAL',
  'ANNUAL',
  'AT_MATURITY',
] as const;
export const PaymentFrequencySchema = z.enum(PAYMENT_FREQUENCIES);
export type PaymentFrequency = z.infer<typeof PaymentFrequencySchema>;

export const MAX_MATURITY_MONTHS = 360;

/** Months between two payments; AT_MATURITY is one period spanning the whole maturity. */
export function monthsPerPeriod(freq: PaymentFrequency, maturityMonths: number): number {
  switch (freq) {
    case 'MONTHLY':
      return 1;
    case 'QUARTERLY':
      return 3;
    case 'SEMIANNUAL':
      return 6;
    case 'ANNUAL':
      return 12;
    case 'AT_MATURITY':
      return maturityMonths;
  }
}

export interface CostTerms {
  /** Minor units: the application's requested amount. */
  principal: bigint;
  maturityMonths: number;
  /** Nominal; for a floating offer the caller passes referenceRate + spread. */
  annualRate: Rate;
  principalPaymentFrequency: PaymentFrequency;
  interestPaymentFrequency: PaymentFrequency;
  principalGraceMonths: number;
  interestGraceMonths: number;
  upfrontExpenses: bigint;
  upfrontCommission: bigint;
  /** The bank's "total repayment amount", checked against the computed one. */
  statedTotalRepayment?: bigint;
}

export interface ScheduledPayment {
  /** 1..maturity, months after disbursement. */
  month: number;
  principal: bigint;
  interest: bigint;
  total: bigint;
  outstandingAfter: bigint;
}

export interface RepaymentMismatch {
  /** stated − computed, minor units. */
  difference: bigint;
  /** difference / computed total repayment. */
  ratio: number;
  /** |difference| > max(1 % of the computed total, 100.00). */
  large: boolean;
}

/** All amounts in minor units. */
export interface OfferCost {
  schedule: ScheduledPayment[];
  totalPrincipal: bigint;
  totalInterest: bigint;
  /** principal + interest */
  totalRepayment: bigint;
  /** interest + expenses + commission */
  totalCost: bigint;
  /** principal − expenses − commission */
  netProceeds: bigint;
  /** A fraction: 0.4621 for 46.21 %. */
  effectiveAnnualCost: number;
  /** "46.21": two decimals, dot. */
  effectiveAnnualCostPercent: string;
  statedTotalRepayment?: bigint;
  /** Present whenever statedTotalRepayment is. */
  repaymentMismatch?: RepaymentMismatch;
}

/** Both must hold for a mismatch to be large: above 1 % of the computed total and above 100.00. */
const MISMATCH_PERCENT = 1n;
const MISMATCH_MINIMUM = 10000n;

/** 12 months × percent × the rate's scale: outstanding × rate.scaled / this = one month's interest. */
const MONTHLY_INTEREST_DIVISOR = 12n * 100n * 10n ** BigInt(RATE_PLACES);

function checkMonths(field: string, value: number, max: number, tooLong: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidValueError(field, 'must be a non-negative whole number of months');
  }
  if (value > max) throw new InvalidValueError(field, tooLong);
}

/** Throws InvalidValueError naming the first offending field. */
export function validateCostTerms(terms: CostTerms): void {
  const maturity = terms.maturityMonths;
  if (!Number.isInteger(maturity) || maturity < 1) {
    throw new InvalidValueError('maturityMonths', 'must be a positive whole number of months');
  }
  if (maturity > MAX_MATURITY_MONTHS) {
    throw new InvalidValueError('maturityMonths', `must be at most ${MAX_MATURITY_MONTHS} months`);
  }
  const shorter = 'must be shorter than the maturity';
  checkMonths('principalGraceMonths', terms.principalGraceMonths, maturity - 1, shorter);
  checkMonths('interestGraceMonths', terms.interestGraceMonths, maturity - 1, shorter);
  for (const field of ['principalPaymentFrequency', 'interestPaymentFrequency'] as const) {
    if (!PaymentFrequencySchema.safeParse(terms[field]).success) {
      throw new InvalidValueError(field, `must be one of ${PAYMENT_FREQUENCIES.join(', ')}`);
    }
  }
  if (terms.annualRate.scaled < 0n) {
    throw new InvalidValueError('annualRate', 'must not be negative');
  }
  if (terms.principal <= 0n) throw new InvalidValueError('principal', 'must be greater than zero');
  if (terms.upfrontExpenses < 0n) {
    throw new InvalidValueError('upfrontExpenses', 'must not be negative');
  }
  if (terms.upfrontCommission < 0n) {
    throw new InvalidValueError('upfrontCommission', 'must not be negative');
  }
  if (terms.principal - terms.upfrontExpenses - terms.upfrontCommission <= 0n) {
    throw new InvalidValueError(
      'upfrontExpenses',
      'expenses and commission must leave net proceeds greater than zero',
    );
  }
  if (terms.statedTotalRepayment !== undefined && terms.statedTotalRepayment <= 0n) {
    throw new InvalidValueError('statedTotalRepayment', 'must be greater than zero');
  }
}

/** Non-negative numerator only. */
function divideHalfUp(numerator: bigint, divisor: bigint): bigint {
  return (2n * numerator + divisor) / (2n * divisor);
}

/** grace + p, grace + 2p, ... before the maturity, then the maturity itself. */
function paymentMonths(graceMonths: number, period: number, maturityMonths: number): Set<number> {
  const months = new Set<number>();
  for (let month = graceMonths + period; month < maturityMonths; month += period) months.add(month);
  months.add(maturityMonths);
  return months;
}

export function offerCost(terms: CostTerms): OfferCost {
  validateCostTerms(terms);
  const maturity = terms.maturityMonths;
  const principalMonths = paymentMonths(
    terms.principalGraceMonths,
    monthsPerPeriod(terms.principalPaymentFrequency, maturity),
    maturity,
  );
  const interestMonths = paymentMonths(
    terms.interestGraceMonths,
    monthsPerPeriod(terms.interestPaymentFrequency, maturity),
    maturity,
  );
  const instalment = terms.principal / BigInt(principalMonths.size);

  const schedule: ScheduledPayment[] = [];
  let outstanding = terms.principal;
  // Σ outstanding × rate.scaled since the last interest payment: exact, rounded only when paid.
  let accrued = 0n;
  let totalInterest = 0n;
  for (let month = 1; month <= maturity; month++) {
    accrued += outstanding * terms.annualRate.scaled;
    let interest = 0n;
    if (interestMonths.has(month)) {
      interest = divideHalfUp(accrued, MONTHLY_INTEREST_DIVISOR);
      accrued = 0n;
    }
    let principal = 0n;
    if (month === maturity) principal = outstanding;
    else if (principalMonths.has(month)) principal = instalment;
    outstanding -= principal;
    totalInterest += interest;
    if (principal > 0n || interest > 0n) {
      schedule.push({
        month,
        principal,
        interest,
        total: principal + interest,
        outstandingAfter: outstanding,
      });
    }
  }

  const fees = terms.upfrontExpenses + terms.upfrontCommission;
  const netProceeds = terms.principal - fees;
  const totalRepayment = terms.principal + totalInterest;
  const effectiveAnnualCost = annualise(monthlyIrr(netProceeds, schedule));
  const cost: OfferCost = {
    schedule,
    totalPrincipal: terms.principal,
    totalInterest,
    totalRepayment,
    totalCost: totalInterest + fees,
    netProceeds,
    effectiveAnnualCost,
    effectiveAnnualCostPercent: (Math.round(effectiveAnnualCost * 10000) / 100).toFixed(2),
  };
  if (terms.statedTotalRepayment !== undefined) {
    cost.statedTotalRepayment = terms.statedTotalRepayment;
    cost.repaymentMismatch = repaymentMismatch(terms.statedTotalRepayment, totalRepayment);
  }
  return cost;
}

function repaymentMismatch(stated: bigint, computed: bigint): RepaymentMismatch {
  const difference = stated - computed;
  const magnitude = difference < 0n ? -difference : difference;
  return {
    difference,
    ratio: Number(difference) / Number(computed),
    large: magnitude > MISMATCH_MINIMUM && magnitude * 100n > computed * MISMATCH_PERCENT,
  };
}

const IRR_TOLERANCE = 1e-12;
const IRR_LOWER = -0.99;
const IRR_UPPER = 10;
const IRR_MAX_ITERATIONS = 200;

/**
 * The monthly rate r with Σ payment_m / (1 + r)^m = netProceeds. Amounts are divided by the net
 * proceeds so the function is of order 1 whatever the loan size. With every payment positive it
 * is decreasing and convex in r, so Newton from 0 (where it is ≥ 0, as payments ≥ principal ≥
 * net proceeds) climbs to the root without overshooting; the bracket and bisection are the
 * safety net against float trouble.
 */
function monthlyIrr(netProceeds: bigint, schedule: readonly ScheduledPayment[]): number {
  const net = Number(netProceeds);
  const flows = schedule.map((payment) => ({
    month: payment.month,
    amount: Number(payment.total) / net,
  }));
  const presentValueLessOne = (rate: number): { value: number; slope: number } => {
    let value = -1;
    let slope = 0;
    for (const { month, amount } of flows) {
      const discounted = amount * (1 + rate) ** -month;
      value += discounted;
      slope -= (month * discounted) / (1 + rate);
    }
    return { value, slope };
  };

  let low = IRR_LOWER;
  let high = IRR_UPPER;
  // Fees that eat nearly all the proceeds can push the root past the usual bracket.
  while (presentValueLessOne(high).value > 0 && high < 1e6) {
    low = high;
    high *= 2;
  }
  let rate = Math.max(low, 0);
  for (let i = 0; i < IRR_MAX_ITERATIONS; i++) {
    const { value, slope } = presentValueLessOne(rate);
    if (value === 0) return rate;
    if (value > 0) low = rate;
    else high = rate;
    let next = rate - value / slope;
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (Math.abs(next - rate) < IRR_TOLERANCE) return next;
    rate = next;
  }
  return (low + high) / 2;
}

/** (1 + r)^12 − 1 without losing digits for small r. */
function annualise(monthlyRate: number): number {
  return Math.expm1(12 * Math.log1p(monthlyRate));
}

export interface RankedOfferCost {
  effectiveAnnualCost: number;
  totalCost: bigint;
  /** ISO 8601 instant. */
  submittedAt: string;
}

/** Rounded before comparing so float noise below a ten-thousandth of a percent never decides. */
const COST_COMPARISON_SCALE = 1e6;

/** R13 ranking: effective annual cost, then total cost, then the earlier submission. */
export function compareOffersByCost(a: RankedOfferCost, b: RankedOfferCost): number {
  const byRate =
    Math.round(a.effectiveAnnualCost * COST_COMPARISON_SCALE) -
    Math.round(b.effectiveAnnualCost * COST_COMPARISON_SCALE);
  if (byRate !== 0) return Math.sign(byRate);
  if (a.totalCost !== b.totalCost) return a.totalCost < b.totalCost ? -1 : 1;
  return Math.sign(Date.parse(a.submittedAt) - Date.parse(b.submittedAt));
}
