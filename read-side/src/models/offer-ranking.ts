import {
  compareOffersByCost,
  minorFromDecimalString,
  offerCost,
  parseRatePercent,
  toDecimalString,
  type OfferStatus,
  type OfferTerms,
} from '@kefalet/events';

export type { OfferStatus } from '@kefalet/events';

export function liveOfferStatus(version: number): OfferStatus {
  return version > 1 ? 'revised' : 'active';
}

/** What one version of an offer costs (R13), as the read models show it. */
export interface OfferFigures {
  /** Effective annual cost in percent, two decimals: "46.21". */
  readonly effectiveAnnualCost: string;
  /** The same as an unrounded fraction (0.46213...): it ranks, the rounded percent is shown. */
  readonly effectiveAnnualCostRate: number;
  /** Interest + expenses + commission, decimal string. */
  readonly totalCost: string;
  /** Principal + interest from the schedule, to compare with the bank's stated total repayment. */
  readonly computedTotalRepayment: string;
  /** The stated total repayment is off by more than 1 % and 100.00. */
  readonly repaymentMismatch: boolean;
}

/**
 * The cost math for an offer on an application of `amount`. A floating offer's interestRate is
 * already its all-in rate (reference + spread). The decider validated the terms with the same
 * math, so a recorded offer always computes.
 */
export function offerFigures(amount: string, terms: OfferTerms): OfferFigures {
  const cost = offerCost({
    principal: minorFromDecimalString(amount),
    maturityMonths: terms.maturityMonths,
    annualRate: parseRatePercent(terms.interestRate),
    principalPaymentFrequency: terms.principalPaymentFrequency,
    interestPaymentFrequency: terms.interestPaymentFrequency,
    principalGraceMonths: terms.principalGraceMonths,
    interestGraceMonths: terms.interestGraceMonths,
    upfrontExpenses: minorFromDecimalString(terms.totalExpenseAmount, 'totalExpenseAmount'),
    upfrontCommission: minorFromDecimalString(terms.totalCommissionAmount, 'totalCommissionAmount'),
    statedTotalRepayment: minorFromDecimalString(
      terms.totalRepaymentAmount,
      'totalRepaymentAmount',
    ),
  });
  return {
    effectiveAnnualCost: cost.effectiveAnnualCostPercent,
    effectiveAnnualCostRate: cost.effectiveAnnualCost,
    totalCost: toDecimalString(cost.totalCost),
    computedTotalRepayment: toDecimalString(cost.totalRepayment),
    repaymentMismatch: cost.repaymentMismatch?.large ?? false,
  };
}

export interface RankableOffer {
  readonly offerId: string;
  readonly status: OfferStatus;
  readonly effectiveAnnualCostRate: number;
  readonly totalCost: string;
  /**
   * When the current terms were made: the submission, or the last revision. A revision goes behind
   * an equal offer made earlier, so matching a rival's cost after seeing one's rank does not win.
   */
  readonly termsAt: string;
}

/** Rank of every live offer, 1 = best (R13); withdrawn offers have none. */
export function rankOffers(offers: readonly RankableOffer[]): Map<string, number> {
  const live = offers
    .filter((offer) => offer.status !== 'withdrawn')
    .map((offer) => ({
      offerId: offer.offerId,
      effectiveAnnualCost: offer.effectiveAnnualCostRate,
      totalCost: minorFromDecimalString(offer.totalCost),
      submittedAt: offer.termsAt,
    }))
    .sort(compareOffersByCost);
  return new Map(live.map((offer, index) => [offer.offerId, index + 1]));
}
