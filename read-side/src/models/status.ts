import type { ApplicationStatus, DomainEvent } from '@kefalet/events';

/*
 * The application status machine, the one place that maps events to an application's status. Every
 * read model folds it; it mirrors the write-side's fold of the application stream.
 */

export { APPLICATION_STATUSES, type ApplicationStatus } from '@kefalet/events';

/** Where an application stands. The selected offer is part of it: its withdrawal moves the status. */
export interface ApplicationPhase {
  readonly status: ApplicationStatus;
  /** The offer the firm chose (R15); null before, and again if the bank withdrew it before the firm applied. */
  readonly selectedOfferId: string | null;
}

/** The application an event belongs to, for every event of an application stream. */
export function applicationIdOf(event: DomainEvent): string | undefined {
  return 'applicationId' in event.data ? event.data.applicationId : undefined;
}

/**
 * The phase after `event`; undefined while the application is not submitted. Returns a fresh
 * object holding only the phase's fields, so a document may pass itself and spread the result.
 */
export function nextPhase(
  phase: ApplicationPhase | undefined,
  event: DomainEvent,
): ApplicationPhase | undefined {
  if (event.type === 'ApplicationSubmitted') return { status: 'SUBMITTED', selectedOfferId: null };
  if (phase === undefined) return undefined;
  const to = (status: ApplicationStatus): ApplicationPhase => ({
    status,
    selectedOfferId: phase.selectedOfferId,
  });
  switch (event.type) {
    case 'ApplicationDataCollected':
      return to('SUBMITTED');
    case 'ApplicationDataDelayed':
      return to('AWAITING_DATA');
    case 'ApplicationRejected':
      return to('REJECTED');
    case 'ApplicationOpenedForBidding':
      return to('BIDDING');
    case 'BiddingClosed':
      return to('BIDDING_CLOSED');
    case 'BiddingClosedWithoutOffers':
      return to('CLOSED_WITHOUT_OFFERS');
    case 'OfferSelected':
      return { status: 'OFFER_SELECTED', selectedOfferId: event.data.offerId };
    case 'OfferWithdrawn':
      // the chosen offer is gone before the firm applied: it may choose another in the same window
      return phase.status === 'OFFER_SELECTED' && phase.selectedOfferId === event.data.offerId
        ? { status: 'BIDDING_CLOSED', selectedOfferId: null }
        : to(phase.status);
    case 'FirmAppliedToBank':
      return to('APPLIED_TO_BANK');
    case 'SelectionWindowLapsed':
      return to('SELECTION_LAPSED');
    case 'ApplicationCancelled':
      return to('CANCELLED');
    default:
      return to(phase.status);
  }
}
