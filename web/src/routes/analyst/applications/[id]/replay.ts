/*
 * The offers of an application at a point of its history, ranked (R13). The time-travel route
 * answers with the application's detail, which has no offers; the same prefix of the stream's
 * events gives them, with the cost math every side shares.
 */
import {
  compareOffersByCost,
  minorFromDecimalString,
  offerCost,
  parseRatePercent,
  type OfferTerms,
} from '@kefalet/events';
import type { EventSummary, TimelineAt } from '$lib/api';

export interface ReplayOffer {
  readonly offerId: string;
  readonly bankCode: string;
  readonly bankName: string;
  readonly version: number;
  readonly live: boolean;
  readonly terms: OfferTerms;
  /** when the current terms were made (submission or last revision) */
  readonly termsAt: string;
  /** fraction; null when the terms do not compute */
  readonly effectiveAnnualCost: number | null;
  /** percent, two decimals */
  readonly effectiveAnnualCostPercent: string | null;
  /** minor units */
  readonly totalCost: bigint | null;
  readonly rank: number | null;
}

type Data = Record<string, unknown>;
const asData = (value: unknown): Data =>
  typeof value === 'object' && value !== null ? (value as Data) : {};

function figures(amount: string, terms: OfferTerms) {
  try {
    const cost = offerCost({
      principal: minorFromDecimalString(amount),
      maturityMonths: terms.maturityMonths,
      annualRate: parseRatePercent(terms.interestRate),
      principalPaymentFrequency: terms.principalPaymentFrequency,
      interestPaymentFrequency: terms.interestPaymentFrequency,
      principalGraceMonths: terms.principalGraceMonths,
      interestGraceMonths: terms.interestGraceMonths,
      upfrontExpenses: minorFromDecimalString(terms.totalExpenseAmount),
      upfrontCommission: minorFromDecimalString(terms.totalCommissionAmount),
    });
    return {
      effectiveAnnualCost: cost.effectiveAnnualCost,
      effectiveAnnualCostPercent: cost.effectiveAnnualCostPercent,
      totalCost: cost.totalCost,
    };
  } catch {
    return { effectiveAnnualCost: null, effectiveAnnualCostPercent: null, totalCost: null };
  }
}

/** The offers after `events` (one application's stream, in log order), best first. */
export function offersAfter(events: readonly EventSummary[]): ReplayOffer[] {
  let amount = '0.00';
  const offers = new Map<string, Omit<ReplayOffer, 'rank'>>();
  for (const event of events) {
    const data = asData(event.data);
    switch (event.type) {
      case 'ApplicationSubmitted':
        amount = String(data['amount'] ?? '0.00');
        break;
      case 'OfferSubmitted':
      case 'OfferRevised': {
        const offerId = String(data['offerId']);
        const terms = data['terms'] as OfferTerms;
        const previous = offers.get(offerId);
        const at = String(data['submittedAt'] ?? data['revisedAt'] ?? event.occurredAt);
        offers.set(offerId, {
          offerId,
          bankCode: String(data['bankCode'] ?? previous?.bankCode ?? ''),
          bankName: String(data['bankName'] ?? previous?.bankName ?? data['bankCode'] ?? ''),
          version: Number(data['version'] ?? 1),
          live: true,
          terms,
          termsAt: at,
          ...figures(amount, terms),
        });
        break;
      }
      case 'OfferWithdrawn': {
        const offerId = String(data['offerId']);
        const offer = offers.get(offerId);
        if (offer) offers.set(offerId, { ...offer, live: false });
        break;
      }
    }
  }
  const ranked = [...offers.values()]
    .filter((offer) => offer.live && offer.effectiveAnnualCost !== null && offer.totalCost !== null)
    .sort((a, b) =>
      compareOffersByCost(
        {
          effectiveAnnualCost: a.effectiveAnnualCost!,
          totalCost: a.totalCost!,
          submittedAt: a.termsAt,
        },
        {
          effectiveAnnualCost: b.effectiveAnnualCost!,
          totalCost: b.totalCost!,
          submittedAt: b.termsAt,
        },
      ),
    );
  const ranks = new Map(ranked.map((offer, index) => [offer.offerId, index + 1]));
  return [...offers.values()]
    .map((offer) => ({ ...offer, rank: ranks.get(offer.offerId) ?? null }))
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
}

/** Answers of the time-travel route by log position: a past state never changes. Not reactive. */
export function timelineCache(): Map<string, TimelineAt> {
  return new Map();
}
