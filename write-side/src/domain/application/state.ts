import type {
  ApplicationStatus as SharedApplicationStatus,
  EventData,
  OfferTerms,
  Segment,
} from '@kefalet/events';
import type { DecidedEvent } from '../decider';

/*
 * The application stream (application-<uuid>): one state shared by the applications, bidding and
 * selection slices, folded from the stream's events. Instants are the ISO strings of the events.
 */

/** The statuses users see (shared with the read-side), and NONE for a stream not yet written. */
export type ApplicationStatus = 'NONE' | SharedApplicationStatus;

export type ApplicationFacts = EventData<'ApplicationSubmitted'>;

export interface OfferState {
  readonly offerId: string;
  readonly bankCode: string;
  readonly bankName: string;
  /** 1 when submitted, +1 for each revision (R12). */
  readonly version: number;
  readonly status: 'live' | 'withdrawn';
  /** The current version's terms. */
  readonly terms: OfferTerms;
}

export interface InformationRequestState {
  readonly requestId: string;
  readonly bankCode: string;
  readonly question: string;
  readonly answered: boolean;
}

export interface SelectedOffer {
  readonly offerId: string;
  readonly bankCode: string;
}

// Maps rather than records: ids come from outside, and a record would answer for '__proto__'.
export interface ApplicationState {
  readonly status: ApplicationStatus;
  readonly application?: ApplicationFacts;
  /** Set once the firm's data was collected (R4); the scoring needs it. */
  readonly segment?: Segment;
  /** Failed collections so far; the scheduler's retry counts on from here. */
  readonly dataAttempts: number;
  readonly partnerBankCodes: readonly string[];
  readonly biddingClosesAt?: string;
  /** When the bidding actually closed (by the deadline or early). */
  readonly closedAt?: string;
  readonly offers: ReadonlyMap<string, OfferState>;
  readonly declinedBankCodes: ReadonlySet<string>;
  readonly informationRequests: ReadonlyMap<string, InformationRequestState>;
  readonly referenceNumber?: string;
  readonly selectionDeadline?: string;
  readonly selectedOffer?: SelectedOffer;
}

export const initialApplicationState: ApplicationState = {
  status: 'NONE',
  dataAttempts: 0,
  partnerBankCodes: [],
  offers: new Map(),
  declinedBankCodes: new Set(),
  informationRequests: new Map(),
};

function updateOffer(
  state: ApplicationState,
  offerId: string,
  change: Partial<OfferState>,
): ApplicationState {
  const offer = state.offers.get(offerId);
  if (!offer) return state;
  return { ...state, offers: new Map(state.offers).set(offerId, { ...offer, ...change }) };
}

/** Pure and total: events of other streams leave the state as it is. */
export function evolveApplication(state: ApplicationState, event: DecidedEvent): ApplicationState {
  switch (event.type) {
    case 'ApplicationSubmitted':
      return { ...initialApplicationState, status: 'SUBMITTED', application: event.data };
    case 'ApplicationDataCollected':
      return { ...state, status: 'SUBMITTED', segment: event.data.segment };
    case 'ApplicationDataDelayed':
      return { ...state, status: 'AWAITING_DATA', dataAttempts: event.data.attempt };
    case 'ApplicationScored':
      // the decision shows in the event written with it: opened for bidding, or rejected
      return state;
    case 'ApplicationRejected':
      return { ...state, status: 'REJECTED' };
    case 'ApplicationOpenedForBidding':
      return {
        ...state,
        status: 'BIDDING',
        partnerBankCodes: event.data.partnerBankCodes,
        biddingClosesAt: event.data.biddingClosesAt,
      };
    case 'InformationRequested': {
      const { requestId, bankCode, question } = event.data;
      return {
        ...state,
        informationRequests: new Map(state.informationRequests).set(requestId, {
          requestId,
          bankCode,
          question,
          answered: false,
        }),
      };
    }
    case 'InformationProvided': {
      const request = state.informationRequests.get(event.data.requestId);
      if (!request) return state;
      return {
        ...state,
        informationRequests: new Map(state.informationRequests).set(request.requestId, {
          ...request,
          answered: true,
        }),
      };
    }
    case 'OfferSubmitted': {
      const { offerId, bankCode, bankName, version, terms } = event.data;
      return {
        ...state,
        offers: new Map(state.offers).set(offerId, {
          offerId,
          bankCode,
          bankName,
          version,
          status: 'live',
          terms,
        }),
      };
    }
    case 'OfferRevised':
      return updateOffer(state, event.data.offerId, {
        version: event.data.version,
        terms: event.data.terms,
      });
    case 'OfferWithdrawn': {
      const next = updateOffer(state, event.data.offerId, { status: 'withdrawn' });
      // the chosen offer is gone: the firm may choose another live one within the same window
      return next.status === 'OFFER_SELECTED' && next.selectedOffer?.offerId === event.data.offerId
        ? { ...next, status: 'BIDDING_CLOSED', selectedOffer: undefined }
        : next;
    }
    case 'BankDeclined':
      return {
        ...state,
        declinedBankCodes: new Set(state.declinedBankCodes).add(event.data.bankCode),
      };
    case 'BiddingClosed':
      return {
        ...state,
        status: 'BIDDING_CLOSED',
        closedAt: event.data.closedAt,
        referenceNumber: event.data.referenceNumber,
        selectionDeadline: event.data.selectionDeadline,
      };
    case 'BiddingClosedWithoutOffers':
      return { ...state, status: 'CLOSED_WITHOUT_OFFERS', closedAt: event.data.closedAt };
    case 'OfferSelected':
      return {
        ...state,
        status: 'OFFER_SELECTED',
        selectedOffer: { offerId: event.data.offerId, bankCode: event.data.bankCode },
      };
    case 'FirmAppliedToBank':
      return { ...state, status: 'APPLIED_TO_BANK' };
    case 'SelectionWindowLapsed':
      return { ...state, status: 'SELECTION_LAPSED' };
    case 'ApplicationCancelled':
      return { ...state, status: 'CANCELLED' };
    default:
      return state;
  }
}
