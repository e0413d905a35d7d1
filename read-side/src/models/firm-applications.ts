import type { Currency, DomainEvent, EventData, EventType } from '@kefalet/events';
import { evolveVersioned, type Body, type Versioned } from './document';
import { offerFigures } from './offer-ranking';
import {
  applicationIdOf,
  nextPhase,
  type ApplicationPhase,
  type ApplicationStatus,
} from './status';

/*
 * A firm's applications, past and present (R17). The firm sees its credit note (R6).
 *
 * One document per application, FirmApplicationState (stored as 'application:<id>'), knows the firm
 * and what the list shows; the list is a sorted index per firm over those documents (newest first)
 * read a page at a time, each row derived with firmApplicationRow. A small head document per firm
 * (FirmHead, keyed by VKN) carries the firm's title and the list `version`, raised once for every
 * event that changes one of its rows: the live push numbers the `firm:<vkn>` room's updates with
 * it. So an event costs the same however many applications the firm has. The runner applies an
 * event in two steps, both pure:
 *
 *   1. id = firmApplicationKey(event); if any: state = evolveFirmApplication(stored, event)
 *   2. for vkn of firmKeys(event, state): head = evolveFirmHead(stored head, event, state)
 */

export type DeadlineKind = 'BIDDING_CLOSES' | 'SELECT_AND_APPLY';

export interface Deadline {
  readonly kind: DeadlineKind;
  readonly at: string;
}

/** The helper document: one application as its firm's list needs it. */
export interface FirmApplicationState extends Versioned, ApplicationPhase {
  readonly applicationId: string;
  readonly firmVkn: string;
  readonly firmTitle: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: Currency;
  readonly maturityMonths: number;
  readonly submittedAt: string;
  readonly creditNote: number | null;
  /** Effective annual cost (percent, 2 decimals) of each live offer. */
  readonly liveOffers: readonly {
    readonly offerId: string;
    readonly effectiveAnnualCost: string;
  }[];
  readonly biddingClosesAt: string | null;
  readonly selectionDeadline: string | null;
  readonly contactDeadline: string | null;
}

/** One row of the firm's list. */
export interface FirmApplication {
  readonly applicationId: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: Currency;
  readonly maturityMonths: number;
  readonly status: ApplicationStatus;
  readonly creditNote: number | null;
  /** Live offers. */
  readonly offerCount: number;
  /** The lowest effective annual cost among live offers, percent with 2 decimals. */
  readonly bestEffectiveAnnualCost: string | null;
  readonly submittedAt: string;
  /** What the firm must watch next: the bidding close, or its own select-and-apply window (R15). */
  readonly nextDeadline: Deadline | null;
}

/** Per firm: its title and the list version (one step per event that changed any of its rows). */
export interface FirmHead extends Versioned {
  readonly firmVkn: string;
  /** As the latest application recorded it. */
  readonly firmTitle: string;
}

/** The events the list shows; information requests and declines are not on it. */
const FIRM_EVENTS: ReadonlySet<EventType> = new Set<EventType>([
  'ApplicationSubmitted',
  'ApplicationDataCollected',
  'ApplicationDataDelayed',
  'ApplicationScored',
  'ApplicationRejected',
  'ApplicationOpenedForBidding',
  'OfferSubmitted',
  'OfferRevised',
  'OfferWithdrawn',
  'BiddingClosed',
  'BiddingClosedWithoutOffers',
  'OfferSelected',
  'FirmAppliedToBank',
  'SelectionWindowLapsed',
  'ApplicationCancelled',
]);

/** The helper document an event touches: its application id, for the events the list shows. */
export function firmApplicationKey(event: DomainEvent): string | undefined {
  return FIRM_EVENTS.has(event.type) ? applicationIdOf(event) : undefined;
}

export function evolveFirmApplication(
  state: FirmApplicationState | undefined,
  event: DomainEvent,
): FirmApplicationState | undefined {
  return evolveVersioned(state, event, (current) => changeState(current, event));
}

function changeState(
  state: FirmApplicationState | undefined,
  event: DomainEvent,
): Body<FirmApplicationState> | undefined {
  if (event.type === 'ApplicationSubmitted') return newState(event.data);
  if (state === undefined || !FIRM_EVENTS.has(event.type)) return state;
  const next = { ...state, ...nextPhase(state, event) };
  switch (event.type) {
    case 'ApplicationScored':
      return { ...next, creditNote: event.data.creditNote };
    case 'ApplicationOpenedForBidding':
      return { ...next, biddingClosesAt: event.data.biddingClosesAt };
    case 'OfferSubmitted':
    case 'OfferRevised': {
      const { offerId, terms } = event.data;
      const { effectiveAnnualCost } = offerFigures(next.amount, terms);
      const others = next.liveOffers.filter((offer) => offer.offerId !== offerId);
      return { ...next, liveOffers: [...others, { offerId, effectiveAnnualCost }] };
    }
    case 'OfferWithdrawn':
      return {
        ...next,
        liveOffers: next.liveOffers.filter((offer) => offer.offerId !== event.data.offerId),
      };
    case 'BiddingClosed':
      return { ...next, selectionDeadline: event.data.selectionDeadline };
    case 'OfferSelected':
      return { ...next, contactDeadline: event.data.contactDeadline };
    default:
      return next;
  }
}

function newState(data: EventData<'ApplicationSubmitted'>): Body<FirmApplicationState> {
  return {
    applicationId: data.applicationId,
    firmVkn: data.firmVkn,
    firmTitle: data.firmTitle,
    packageCode: data.packageCode,
    amount: data.amount,
    currency: data.currency,
    maturityMonths: data.maturityMonths,
    submittedAt: data.submittedAt,
    status: 'SUBMITTED',
    selectedOfferId: null,
    creditNote: null,
    liveOffers: [],
    biddingClosesAt: null,
    selectionDeadline: null,
    contactDeadline: null,
  };
}

/** The firms (heads) an event touches, given the helper document after the event. */
export function firmKeys(event: DomainEvent, state: FirmApplicationState | undefined): string[] {
  return state !== undefined && FIRM_EVENTS.has(event.type) ? [state.firmVkn] : [];
}

/** The firm's head after the event; `state` is the application's document after it. */
export function evolveFirmHead(
  head: FirmHead | undefined,
  event: DomainEvent,
  state: FirmApplicationState | undefined,
): FirmHead | undefined {
  return evolveVersioned(head, event, (current) => {
    // the row changed only if the application's document took this event
    if (state === undefined || state.lastPosition !== event.position.toString()) return current;
    return {
      firmVkn: state.firmVkn,
      firmTitle:
        event.type === 'ApplicationSubmitted' || !current ? state.firmTitle : current.firmTitle,
    };
  });
}

export function firmApplicationRow(state: FirmApplicationState): FirmApplication {
  // rounding is monotonic: the lowest of the rounded figures is the rounded lowest
  const best = state.liveOffers.reduce<string | null>(
    (lowest, { effectiveAnnualCost }) =>
      lowest === null || Number(effectiveAnnualCost) < Number(lowest)
        ? effectiveAnnualCost
        : lowest,
    null,
  );
  return {
    applicationId: state.applicationId,
    packageCode: state.packageCode,
    amount: state.amount,
    currency: state.currency,
    maturityMonths: state.maturityMonths,
    status: state.status,
    creditNote: state.creditNote,
    offerCount: state.liveOffers.length,
    bestEffectiveAnnualCost: best,
    submittedAt: state.submittedAt,
    nextDeadline: nextDeadline(state),
  };
}

function nextDeadline(state: FirmApplicationState): Deadline | null {
  const deadline = (kind: DeadlineKind, at: string | null) => (at === null ? null : { kind, at });
  switch (state.status) {
    case 'BIDDING':
      return deadline('BIDDING_CLOSES', state.biddingClosesAt);
    case 'BIDDING_CLOSED':
      return deadline('SELECT_AND_APPLY', state.selectionDeadline);
    case 'OFFER_SELECTED':
      return deadline('SELECT_AND_APPLY', state.contactDeadline ?? state.selectionDeadline);
    default:
      return null;
  }
}

/** Newest submitted first, as the list shows them (the order of the per-firm index, reversed). */
export function newestSubmittedFirst(
  a: Pick<FirmApplication, 'submittedAt' | 'applicationId'>,
  b: Pick<FirmApplication, 'submittedAt' | 'applicationId'>,
): number {
  return (
    Date.parse(b.submittedAt) - Date.parse(a.submittedAt) ||
    (a.applicationId < b.applicationId ? 1 : a.applicationId > b.applicationId ? -1 : 0)
  );
}
