import type {
  Currency,
  DomainEvent,
  EventData,
  FirmDataSnapshot,
  GuaranteeEligibility,
  InboxRequest,
} from '@kefalet/events';
import { evolveVersioned, type Body, type Versioned } from './document';
import { nextInformationRequests, type InformationRequest } from './information-requests';
import { liveOfferStatus, offerFigures, rankOffers, type OfferStatus } from './offer-ranking';
import { applicationIdOf, nextPhase, type ApplicationPhase } from './status';

// the wire shapes a bank reads live in @kefalet/events, shared with the browser
export type { GuaranteeEligibility, InboxOwnOffer, InboxRequest } from '@kefalet/events';

/*
 * The bank inbox (R7, R11): one document per (partner bank, application) entry, so an event costs
 * the same however many requests a bank has. Each entry is what the bank sees of one request opened
 * to it: its own offer, live rank and the number of competing offers. Never the credit note, the
 * score or the reasons (R6): they are not even kept on this side.
 *
 * An offer by any bank moves every partner bank's rank, and most application events carry no bank
 * list, so the projection keeps a helper document per application, InboxApplication: the facts,
 * data set and eligibility a bank may see, the partner banks and every offer's cost figures and
 * rank. Next to the entries, a small head document per bank (InboxHead) carries the bank's name and
 * the inbox `version`, raised once for every event that changes one of the bank's entries: the
 * live push numbers the `inbox:<bankCode>` room's updates with it. The runner applies an event in
 * steps, all pure:
 *
 *   1. id = inboxApplicationKey(event); if any: application = evolveInboxApplication(stored, event)
 *   2. for bankCode of inboxKeys(event, application):
 *        entry = evolveInboxEntry(stored entry of (bankCode, id), event, { bankCode, application })
 *        head  = evolveInboxHead(stored head of bankCode, event, { bankCode, entryChanged })
 *
 * An event touches at most one entry per bank (its application's), so the work per event is bounded
 * by the number of partner banks, never by the number of requests. The list itself is a sorted index
 * per bank (newest opened first), read a page at a time.
 */

/** An offer as every partner bank's inbox needs it: who made it, what it costs, where it ranks. */
export interface InboxOffer {
  readonly offerId: string;
  readonly bankCode: string;
  readonly version: number;
  readonly status: OfferStatus;
  readonly effectiveAnnualCost: string;
  readonly effectiveAnnualCostRate: number;
  readonly totalCost: string;
  readonly termsAt: string;
  readonly rank: number | null;
}

/** The helper document: one per application, what the banks' inboxes are views of. */
export interface InboxApplication extends Versioned, ApplicationPhase {
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
  readonly partnerBankCodes: readonly string[];
  readonly openedAt: string | null;
  readonly biddingClosesAt: string | null;
  readonly referenceNumber: string | null;
  /** R15: the firm must apply to the chosen bank by then. */
  readonly contactDeadline: string | null;
  readonly offers: readonly InboxOffer[];
  readonly declinedBankCodes: readonly string[];
  readonly informationRequests: readonly InformationRequest[];
}

/** A request in a bank's inbox as stored: the view plus its own version stamp. */
export interface InboxEntry extends InboxRequest, Versioned {}

/** Per bank: its name and the inbox version (one step per event that changed any of its entries). */
export interface InboxHead extends Versioned {
  readonly bankCode: string;
  /** From PartnerBankRegistered; null if the bank got a request before its registration was seen. */
  readonly bankName: string | null;
}

/** The id of a bank's entry for an application. */
export function inboxEntryId(bankCode: string, applicationId: string): string {
  return `${bankCode}:${applicationId}`;
}

/** The helper document an event touches: its application id. */
export function inboxApplicationKey(event: DomainEvent): string | undefined {
  return applicationIdOf(event);
}

export function evolveInboxApplication(
  application: InboxApplication | undefined,
  event: DomainEvent,
): InboxApplication | undefined {
  return evolveVersioned(application, event, (current) => changeApplication(current, event));
}

function changeApplication(
  application: InboxApplication | undefined,
  event: DomainEvent,
): Body<InboxApplication> | undefined {
  if (event.type === 'ApplicationSubmitted') return newApplication(event.data);
  if (application === undefined) return undefined;
  const next = {
    ...application,
    ...nextPhase(application, event),
    informationRequests: nextInformationRequests(application.informationRequests, event),
  };
  switch (event.type) {
    case 'ApplicationDataCollected':
      return { ...next, dataSet: event.data.snapshot };
    case 'ApplicationScored': {
      const { guaranteeRatio, guaranteeAmount, currency } = event.data;
      // the note, score and reasons stay out of this side altogether (R6)
      const eligibility = {
        packageCode: next.packageCode,
        guaranteeRatio,
        guaranteeAmount,
        currency,
      };
      return { ...next, eligibility };
    }
    case 'ApplicationOpenedForBidding':
      return {
        ...next,
        partnerBankCodes: event.data.partnerBankCodes,
        openedAt: event.data.openedAt,
        biddingClosesAt: event.data.biddingClosesAt,
      };
    case 'OfferSubmitted': {
      const { offerId, bankCode, version, terms, submittedAt } = event.data;
      const offer = inboxOffer(next.amount, { offerId, bankCode, version, terms }, submittedAt);
      return withOffers(next, [...next.offers, offer]);
    }
    case 'OfferRevised': {
      const { offerId, bankCode, version, terms, revisedAt } = event.data;
      const revised = inboxOffer(next.amount, { offerId, bankCode, version, terms }, revisedAt);
      return withOffers(
        next,
        next.offers.map((offer) => (offer.offerId === offerId ? revised : offer)),
      );
    }
    case 'OfferWithdrawn':
      return withOffers(
        next,
        next.offers.map((offer) =>
          offer.offerId === event.data.offerId ? { ...offer, status: 'withdrawn' } : offer,
        ),
      );
    case 'BankDeclined':
      return { ...next, declinedBankCodes: [...next.declinedBankCodes, event.data.bankCode] };
    case 'BiddingClosed':
      return { ...next, referenceNumber: event.data.referenceNumber };
    case 'OfferSelected':
      return { ...next, contactDeadline: event.data.contactDeadline };
    default:
      return next;
  }
}

function newApplication(data: EventData<'ApplicationSubmitted'>): Body<InboxApplication> {
  return {
    applicationId: data.applicationId,
    firmVkn: data.firmVkn,
    firmTitle: data.firmTitle,
    packageCode: data.packageCode,
    amount: data.amount,
    currency: data.currency,
    maturityMonths: data.maturityMonths,
    purpose: data.purpose,
    status: 'SUBMITTED',
    selectedOfferId: null,
    dataSet: null,
    eligibility: null,
    partnerBankCodes: [],
    openedAt: null,
    biddingClosesAt: null,
    referenceNumber: null,
    contactDeadline: null,
    offers: [],
    declinedBankCodes: [],
    informationRequests: [],
  };
}

function inboxOffer(
  amount: string,
  offer: Pick<EventData<'OfferRevised'>, 'offerId' | 'bankCode' | 'version' | 'terms'>,
  termsAt: string,
): InboxOffer {
  const { effectiveAnnualCost, effectiveAnnualCostRate, totalCost } = offerFigures(
    amount,
    offer.terms,
  );
  return {
    offerId: offer.offerId,
    bankCode: offer.bankCode,
    version: offer.version,
    status: liveOfferStatus(offer.version),
    effectiveAnnualCost,
    effectiveAnnualCostRate,
    totalCost,
    termsAt,
    rank: null,
  };
}

function withOffers(
  application: Body<InboxApplication>,
  offers: readonly InboxOffer[],
): Body<InboxApplication> {
  const ranks = rankOffers(offers);
  return {
    ...application,
    offers: offers.map((offer) => ({ ...offer, rank: ranks.get(offer.offerId) ?? null })),
  };
}

/**
 * The inboxes an event touches, given the helper document after the event: the bank named by a
 * bank's own question, answer or decline, and every partner bank for anything else that happens to
 * an opened application (one bank's offer moves every rank). Nothing before the opening (R7).
 */
export function inboxKeys(event: DomainEvent, application: InboxApplication | undefined): string[] {
  switch (event.type) {
    case 'PartnerBankRegistered':
      return [event.data.bankCode];
    case 'InformationRequested':
    case 'InformationProvided':
    case 'BankDeclined':
      return application?.partnerBankCodes.includes(event.data.bankCode)
        ? [event.data.bankCode]
        : [];
    default:
      return applicationIdOf(event) !== undefined && application
        ? [...application.partnerBankCodes]
        : [];
  }
}

export interface InboxContext {
  /** The bank whose entry is evolved (one of inboxKeys). */
  readonly bankCode: string;
  /** The helper document after this event. */
  readonly application: InboxApplication | undefined;
}

/** The bank's entry for the event's application after the event; the same document if unchanged. */
export function evolveInboxEntry(
  entry: InboxEntry | undefined,
  event: DomainEvent,
  { bankCode, application }: InboxContext,
): InboxEntry | undefined {
  return evolveVersioned(entry, event, (current) => {
    if (event.type === 'PartnerBankRegistered') return current;
    return (application && inboxRequest(application, bankCode)) ?? current;
  });
}

export interface InboxHeadContext {
  readonly bankCode: string;
  /** The event changed the bank's entry (evolveInboxEntry gave a new document). */
  readonly entryChanged: boolean;
}

/** The bank's head after the event: renamed by its registration, a version up per entry change. */
export function evolveInboxHead(
  head: InboxHead | undefined,
  event: DomainEvent,
  { bankCode, entryChanged }: InboxHeadContext,
): InboxHead | undefined {
  return evolveVersioned(head, event, (current) => {
    if (event.type === 'PartnerBankRegistered') return { bankCode, bankName: event.data.name };
    return entryChanged ? { bankCode, bankName: current?.bankName ?? null } : current;
  });
}

/** Newest opened first, as the inbox lists them (the order of the per-bank index, reversed). */
export function newestOpenedFirst(a: InboxRequest, b: InboxRequest): number {
  return (
    Date.parse(b.openedAt) - Date.parse(a.openedAt) ||
    (a.applicationId < b.applicationId ? 1 : a.applicationId > b.applicationId ? -1 : 0)
  );
}

/** What one partner bank sees of an application; undefined unless it was opened to that bank. */
export function inboxRequest(
  application: InboxApplication,
  bankCode: string,
): InboxRequest | undefined {
  const { openedAt, biddingClosesAt } = application;
  if (openedAt === null || biddingClosesAt === null) return undefined;
  if (!application.partnerBankCodes.includes(bankCode)) return undefined;
  const own = application.offers.filter((offer) => offer.bankCode === bankCode).at(-1);
  const chosen = application.offers.some(
    (offer) => offer.bankCode === bankCode && offer.offerId === application.selectedOfferId,
  );
  return {
    applicationId: application.applicationId,
    firmVkn: application.firmVkn,
    firmTitle: application.firmTitle,
    packageCode: application.packageCode,
    amount: application.amount,
    currency: application.currency,
    maturityMonths: application.maturityMonths,
    purpose: application.purpose,
    dataSet: application.dataSet,
    eligibility: application.eligibility,
    status: application.status,
    openedAt,
    biddingClosesAt,
    offer: own
      ? {
          offerId: own.offerId,
          version: own.version,
          status: own.status,
          effectiveAnnualCost: own.effectiveAnnualCost,
          totalCost: own.totalCost,
          rank: own.rank,
        }
      : null,
    competingOfferCount: application.offers.filter(
      (offer) => offer.bankCode !== bankCode && offer.rank !== null,
    ).length,
    informationRequests: application.informationRequests.filter(
      (request) => request.bankCode === bankCode,
    ),
    declined: application.declinedBankCodes.includes(bankCode),
    chosen,
    referenceNumber: chosen ? application.referenceNumber : null,
    contactDeadline: chosen ? application.contactDeadline : null,
  };
}
