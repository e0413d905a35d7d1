import type { FirmDataSnapshot } from './events';
import type { Currency } from './values/money';

/*
 * Shapes the read-side serves and the browser reads: the wire contract of the queries and the live
 * push, kept here so both ends compile against one definition.
 */

/** An application's status as users see it (R17 lists them per firm). */
export const APPLICATION_STATUSES = [
  'SUBMITTED',
  'AWAITING_DATA',
  'REJECTED',
  'BIDDING',
  'BIDDING_CLOSED',
  'CLOSED_WITHOUT_OFFERS',
  'OFFER_SELECTED',
  'APPLIED_TO_BANK',
  'SELECTION_LAPSED',
  'CANCELLED',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** 'revised' is a live offer past its first version (R12). */
export type OfferStatus = 'active' | 'revised' | 'withdrawn';

/** R6: what a bank sees of the decision: the eligibility, never the credit note. */
export interface GuaranteeEligibility {
  readonly packageCode: string;
  /** percent, decimal string ("90") */
  readonly guaranteeRatio: string;
  readonly guaranteeAmount: string;
  readonly currency: Currency;
}

/** R9: a bank's question to the firm and the firm's answer. */
export interface InformationRequest {
  readonly requestId: string;
  readonly bankCode: string;
  readonly question: string;
  readonly requestedAt: string;
  readonly answer: string | null;
  readonly answeredAt: string | null;
}

/** This bank's offer on a request: the latest one it made. */
export interface InboxOwnOffer {
  readonly offerId: string;
  readonly version: number;
  readonly status: OfferStatus;
  /** percent, two decimals ("46.21") */
  readonly effectiveAnnualCost: string;
  readonly totalCost: string;
  /** 1 = best among live offers; null once withdrawn */
  readonly rank: number | null;
}

/** One request in a bank's inbox (R7, R11): never another bank's name or terms. */
export interface InboxRequest {
  readonly applicationId: string;
  readonly firmVkn: string;
  readonly firmTitle: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: Currency;
  readonly maturityMonths: number;
  readonly purpose: string;
  readonly dataSet: FirmDataSnapshot | null;
  readonly eligibility: GuaranteeEligibility | null;
  readonly status: ApplicationStatus;
  readonly openedAt: string;
  readonly biddingClosesAt: string;
  readonly offer: InboxOwnOffer | null;
  /** Live offers of the other banks. */
  readonly competingOfferCount: number;
  /** Only this bank's questions. */
  readonly informationRequests: readonly InformationRequest[];
  readonly declined: boolean;
  /** The firm selected this bank's offer. */
  readonly chosen: boolean;
  /** Only when chosen (R15). */
  readonly referenceNumber: string | null;
  readonly contactDeadline: string | null;
}
