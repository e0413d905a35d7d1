import {
  businessDaysLeft,
  type Currency,
  type DomainEvent,
  type EventData,
  type EventType,
  type OfferTerms,
} from '@kefalet/events';
import { evolveVersioned, type Body, type Versioned } from './document';
import {
  liveOfferStatus,
  offerFigures,
  rankOffers,
  type OfferFigures,
  type OfferStatus,
} from './offer-ranking';
import { applicationIdOf, nextPhase, type ApplicationPhase } from './status';

/*
 * The offer board (R11, R13): one document per application, keyed by the application id. The firm
 * watches it live; a bank sees it only through boardForBank. The credit note is never on it (R6).
 */

export interface OfferVersion {
  readonly version: number;
  /** When this version was made: the submission or the revision. */
  readonly at: string;
  readonly terms: OfferTerms;
  readonly effectiveAnnualCost: string;
  readonly totalCost: string;
}

/** An offer's current terms under the command's field names, its cost figures and its place. */
export interface BoardOffer extends OfferTerms, OfferFigures {
  readonly offerId: string;
  readonly bankCode: string;
  readonly bankName: string;
  /** 1 = best among live offers; null once withdrawn. */
  readonly rank: number | null;
  readonly status: OfferStatus;
  readonly version: number;
  /** Every version, oldest first, the current one last (R12). */
  readonly versions: readonly OfferVersion[];
  readonly submittedAt: string;
  readonly updatedAt: string;
}

export interface BestOffer {
  readonly offerId: string;
  readonly bankCode: string;
  readonly bankName: string;
  readonly effectiveAnnualCost: string;
  readonly totalCost: string;
}

export interface OfferBoard extends Versioned, ApplicationPhase {
  readonly applicationId: string;
  readonly firmVkn: string;
  readonly firmTitle: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: Currency;
  readonly maturityMonths: number;
  readonly openedAt: string | null;
  readonly biddingClosesAt: string | null;
  readonly closedAt: string | null;
  /** R14: issued when the bidding closes with live offers. */
  readonly referenceNumber: string | null;
  readonly selectionDeadline: string | null;
  readonly partnerBankCount: number;
  readonly declinedBankCodes: readonly string[];
  readonly declinedBankCount: number;
  /** Live offers by rank, then withdrawn ones in submission order. */
  readonly offers: readonly BoardOffer[];
  /** Live offers. */
  readonly offerCount: number;
  readonly best: BestOffer | null;
}

/** The events that change a board; the score and information requests never show on it. */
const BOARD_EVENTS: ReadonlySet<EventType> = new Set<EventType>([
  'ApplicationSubmitted',
  'ApplicationDataCollected',
  'ApplicationDataDelayed',
  'ApplicationRejected',
  'ApplicationOpenedForBidding',
  'OfferSubmitted',
  'OfferRevised',
  'OfferWithdrawn',
  'BankDeclined',
  'BiddingClosed',
  'BiddingClosedWithoutOffers',
  'OfferSelected',
  'FirmAppliedToBank',
  'SelectionWindowLapsed',
  'ApplicationCancelled',
]);

/** The board ids (application ids) an event touches. */
export function boardKeys(event: DomainEvent): string[] {
  const applicationId = applicationIdOf(event);
  return applicationId !== undefined && BOARD_EVENTS.has(event.type) ? [applicationId] : [];
}

export function evolveBoard(
  board: OfferBoard | undefined,
  event: DomainEvent,
): OfferBoard | undefined {
  return evolveVersioned(board, event, (current) => changeBoard(current, event));
}

function changeBoard(
  board: OfferBoard | undefined,
  event: DomainEvent,
): Body<OfferBoard> | undefined {
  if (event.type === 'ApplicationSubmitted') return newBoard(event.data);
  if (board === undefined || !BOARD_EVENTS.has(event.type)) return board;
  const next = { ...board, ...nextPhase(board, event) };
  switch (event.type) {
    case 'ApplicationOpenedForBidding':
      return {
        ...next,
        openedAt: event.data.openedAt,
        biddingClosesAt: event.data.biddingClosesAt,
        partnerBankCount: event.data.partnerBankCodes.length,
      };
    case 'OfferSubmitted':
      return withOffers(next, [...next.offers, submittedOffer(next.amount, event.data)]);
    case 'OfferRevised':
      return withOffers(
        next,
        next.offers.map((offer) =>
          offer.offerId === event.data.offerId
            ? revisedOffer(next.amount, offer, event.data)
            : offer,
        ),
      );
    case 'OfferWithdrawn':
      return withOffers(
        next,
        next.offers.map((offer) =>
          offer.offerId === event.data.offerId
            ? { ...offer, status: 'withdrawn', updatedAt: event.data.withdrawnAt }
            : offer,
        ),
      );
    case 'BankDeclined': {
      const declinedBankCodes = [...next.declinedBankCodes, event.data.bankCode];
      return { ...next, declinedBankCodes, declinedBankCount: declinedBankCodes.length };
    }
    case 'BiddingClosed':
      return {
        ...next,
        closedAt: event.data.closedAt,
        referenceNumber: event.data.referenceNumber,
        selectionDeadline: event.data.selectionDeadline,
      };
    case 'BiddingClosedWithoutOffers':
      return { ...next, closedAt: event.data.closedAt };
    default:
      return next;
  }
}

function newBoard(data: EventData<'ApplicationSubmitted'>): Body<OfferBoard> {
  return {
    applicationId: data.applicationId,
    firmVkn: data.firmVkn,
    firmTitle: data.firmTitle,
    packageCode: data.packageCode,
    amount: data.amount,
    currency: data.currency,
    maturityMonths: data.maturityMonths,
    status: 'SUBMITTED',
    selectedOfferId: null,
    openedAt: null,
    biddingClosesAt: null,
    closedAt: null,
    referenceNumber: null,
    selectionDeadline: null,
    partnerBankCount: 0,
    declinedBankCodes: [],
    declinedBankCount: 0,
    offers: [],
    offerCount: 0,
    best: null,
  };
}

function offerVersion(
  version: number,
  at: string,
  terms: OfferTerms,
  figures: OfferFigures,
): OfferVersion {
  const { effectiveAnnualCost, totalCost } = figures;
  return { version, at, terms, effectiveAnnualCost, totalCost };
}

function submittedOffer(amount: string, data: EventData<'OfferSubmitted'>): BoardOffer {
  const figures = offerFigures(amount, data.terms);
  return {
    offerId: data.offerId,
    bankCode: data.bankCode,
    bankName: data.bankName,
    ...data.terms,
    ...figures,
    rank: null,
    status: liveOfferStatus(data.version),
    version: data.version,
    versions: [offerVersion(data.version, data.submittedAt, data.terms, figures)],
    submittedAt: data.submittedAt,
    updatedAt: data.submittedAt,
  };
}

function revisedOffer(
  amount: string,
  offer: BoardOffer,
  data: EventData<'OfferRevised'>,
): BoardOffer {
  const figures = offerFigures(amount, data.terms);
  const { offerId, bankCode, bankName, rank, versions, submittedAt } = offer;
  // rebuilt rather than spread so a term the revision drops (a floating spread) does not linger
  return {
    offerId,
    bankCode,
    bankName,
    ...data.terms,
    ...figures,
    rank,
    status: liveOfferStatus(data.version),
    version: data.version,
    versions: [...versions, offerVersion(data.version, data.revisedAt, data.terms, figures)],
    submittedAt,
    updatedAt: data.revisedAt,
  };
}

/** Re-ranks after any offer change: one bank's bid moves every other bank's rank. */
function withOffers(board: Body<OfferBoard>, offers: readonly BoardOffer[]): Body<OfferBoard> {
  const ranks = rankOffers(
    offers.map((offer) => ({ ...offer, termsAt: offer.versions.at(-1)?.at ?? offer.submittedAt })),
  );
  const ranked = offers
    .map((offer) => ({ ...offer, rank: ranks.get(offer.offerId) ?? null }))
    .sort(byRankThenSubmission);
  const first = ranked[0]?.rank === 1 ? ranked[0] : undefined;
  return {
    ...board,
    offers: ranked,
    offerCount: ranks.size,
    best: first
      ? {
          offerId: first.offerId,
          bankCode: first.bankCode,
          bankName: first.bankName,
          effectiveAnnualCost: first.effectiveAnnualCost,
          totalCost: first.totalCost,
        }
      : null,
  };
}

function byRankThenSubmission(a: BoardOffer, b: BoardOffer): number {
  if (a.rank !== null && b.rank !== null) return a.rank - b.rank;
  if (a.rank !== null) return -1;
  if (b.rank !== null) return 1;
  return (
    Date.parse(a.submittedAt) - Date.parse(b.submittedAt) || a.offerId.localeCompare(b.offerId)
  );
}

export interface TimeLeft {
  /** Whole business days before the close (R8, R20); the rest of today does not count. */
  readonly businessDays: number;
  readonly ms: number;
}

/** Time left to bid, at query time; null before the bidding opens, zero once it closed. */
export function timeLeft(
  board: Pick<OfferBoard, 'status' | 'biddingClosesAt'>,
  now: Date,
): TimeLeft | null {
  if (board.biddingClosesAt === null) return null;
  const closesAt = new Date(board.biddingClosesAt);
  const ms = board.status === 'BIDDING' ? Math.max(0, closesAt.getTime() - now.getTime()) : 0;
  return { businessDays: ms > 0 ? businessDaysUntil(now, board.biddingClosesAt, closesAt) : 0, ms };
}

const HOUR_MS = 3_600_000;
const BUSINESS_DAYS_CACHE_SIZE = 4_096;
const businessDaysCache = new Map<string, number>();

/**
 * businessDaysLeft, remembered: it depends only on today's date in Istanbul and the deadline, and
 * walks the calendar with luxon (the costliest part of a board push). Istanbul's offset is whole
 * hours, so within one UTC hour the date, and the answer, stay the same.
 */
function businessDaysUntil(now: Date, deadline: string, closesAt: Date): number {
  const key = `${Math.floor(now.getTime() / HOUR_MS)}|${deadline}`;
  let days = businessDaysCache.get(key);
  if (days === undefined) {
    days = businessDaysLeft(now, closesAt);
    if (businessDaysCache.size >= BUSINESS_DAYS_CACHE_SIZE) businessDaysCache.clear();
    businessDaysCache.set(key, days);
  }
  return days;
}

/** The firm sees its whole board. */
export function boardForFirm(board: OfferBoard): OfferBoard {
  return board;
}

/** R11: a bank's view of the board; built field by field so nothing of a rival slips through. */
export interface BankBoardView extends Versioned {
  readonly applicationId: string;
  readonly firmVkn: string;
  readonly firmTitle: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: Currency;
  readonly maturityMonths: number;
  readonly status: OfferBoard['status'];
  readonly openedAt: string | null;
  readonly biddingClosesAt: string | null;
  readonly closedAt: string | null;
  readonly selectionDeadline: string | null;
  readonly declined: boolean;
  /** This bank's own offers in full, each with its live rank. */
  readonly offers: readonly BoardOffer[];
  /** Live offers of the other banks: their number only. */
  readonly competingOfferCount: number;
  /** The firm selected one of this bank's offers. */
  readonly chosen: boolean;
  /** Only for the chosen bank: the firm applies to it with this number (R15). */
  readonly referenceNumber: string | null;
}

export function boardForBank(board: OfferBoard, bankCode: string): BankBoardView {
  const own = board.offers.filter((offer) => offer.bankCode === bankCode);
  const chosen = own.some((offer) => offer.offerId === board.selectedOfferId);
  return {
    applicationId: board.applicationId,
    firmVkn: board.firmVkn,
    firmTitle: board.firmTitle,
    packageCode: board.packageCode,
    amount: board.amount,
    currency: board.currency,
    maturityMonths: board.maturityMonths,
    status: board.status,
    openedAt: board.openedAt,
    biddingClosesAt: board.biddingClosesAt,
    closedAt: board.closedAt,
    selectionDeadline: board.selectionDeadline,
    declined: board.declinedBankCodes.includes(bankCode),
    offers: own,
    competingOfferCount: board.offers.filter(
      (offer) => offer.bankCode !== bankCode && offer.rank !== null,
    ).length,
    chosen,
    referenceNumber: chosen ? board.referenceNumber : null,
    version: board.version,
    lastPosition: board.lastPosition,
  };
}
