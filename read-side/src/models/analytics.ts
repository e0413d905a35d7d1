import { istanbulDay, type DomainEvent, type OfferTerms } from '@kefalet/events';
import { evolveVersioned, type Body, type Versioned } from './document';
import { offerFigures } from './offer-ranking';
import { applicationIdOf, nextPhase, type ApplicationPhase } from './status';

/*
 * Market KPIs for analysts: per application, the few facts the KPIs need (ApplicationStats);
 * marketKpis derives the figures at query time. A per-application record (a few hundred bytes)
 * keeps re-scoring, revisions, withdrawals and re-selections exact, which running sums could not.
 *
 * Stored as one document per application (evolveApplicationStats) plus one of bank names
 * (evolveBankNames), so an event rewrites only its own application's record; evolveAnalytics folds
 * the same pieces into one MarketAnalytics value, which is what a query assembles.
 */

export const ANALYTICS_KEY = 'market';

/** An offer as the KPIs see it: its bank, its effective annual cost in basis points, live or not. */
export interface OfferStat {
  readonly offerId: string;
  readonly bankCode: string;
  readonly effectiveCostBps: number;
  readonly live: boolean;
}

export interface ApplicationStats extends ApplicationPhase {
  readonly amount: string;
  /** Istanbul calendar day of the submission. */
  readonly submittedDay: string;
  readonly creditNote: number | null;
  readonly eligible: boolean | null;
  readonly openedAt: string | null;
  readonly firstOfferAt: string | null;
  readonly offers: readonly OfferStat[];
  /** Effective cost of the median live offer minus the best one when the bidding closed. */
  readonly closingSpreadBps: number | null;
}

export interface MarketAnalytics extends Versioned {
  readonly applications: Readonly<Record<string, ApplicationStats>>;
  readonly bankNames: Readonly<Record<string, string>>;
}

/** Bank registrations (for names) and every application event: the status machine needs them all. */
export function analyticsKeys(event: DomainEvent): string[] {
  return event.type === 'PartnerBankRegistered' || applicationIdOf(event) !== undefined
    ? [ANALYTICS_KEY]
    : [];
}

/** One application's record as stored: its stats and a version stamp. */
export interface StoredApplicationStats extends ApplicationStats, Versioned {}

export interface BankNames extends Versioned {
  readonly bankNames: Readonly<Record<string, string>>;
}

/** The application's record after the event; the same document when it is not about it. */
export function evolveApplicationStats(
  stats: StoredApplicationStats | undefined,
  event: DomainEvent,
): StoredApplicationStats | undefined {
  return evolveVersioned(stats, event, (current) => nextStats(current, event) ?? current);
}

/** Bank names from registrations and, as they gave them, from offers. */
export function evolveBankNames(
  names: BankNames | undefined,
  event: DomainEvent,
): BankNames | undefined {
  return evolveVersioned(names, event, (current) => {
    const named =
      event.type === 'PartnerBankRegistered'
        ? [event.data.bankCode, event.data.name]
        : event.type === 'OfferSubmitted'
          ? [event.data.bankCode, event.data.bankName]
          : undefined;
    if (named === undefined) return current;
    const [code, name] = named as [string, string];
    if (current?.bankNames[code] === name) return current;
    return { bankNames: { ...current?.bankNames, [code]: name } };
  });
}

export function evolveAnalytics(
  analytics: MarketAnalytics | undefined,
  event: DomainEvent,
): MarketAnalytics | undefined {
  return evolveVersioned(analytics, event, (current) => changeAnalytics(current, event));
}

function changeAnalytics(
  analytics: MarketAnalytics | undefined,
  event: DomainEvent,
): Body<MarketAnalytics> | undefined {
  if (analyticsKeys(event).length === 0) return analytics;
  const base = analytics ?? { applications: {}, bankNames: {} };
  if (event.type === 'PartnerBankRegistered') {
    return { ...base, bankNames: { ...base.bankNames, [event.data.bankCode]: event.data.name } };
  }
  if (event.type === 'OfferSubmitted') {
    const { bankCode, bankName } = event.data;
    const withName = { ...base, bankNames: { ...base.bankNames, [bankCode]: bankName } };
    return withApplication(withName, event);
  }
  return withApplication(base, event);
}

function withApplication(
  analytics: Body<MarketAnalytics>,
  event: DomainEvent,
): Body<MarketAnalytics> {
  const applicationId = applicationIdOf(event);
  if (applicationId === undefined) return analytics;
  // keys are schema-checked uuids and bank codes, never '__proto__'
  const next = nextStats(analytics.applications[applicationId], event);
  if (next === undefined) return analytics;
  return { ...analytics, applications: { ...analytics.applications, [applicationId]: next } };
}

function nextStats(
  stats: ApplicationStats | undefined,
  event: DomainEvent,
): ApplicationStats | undefined {
  if (event.type === 'ApplicationSubmitted') {
    return {
      status: 'SUBMITTED',
      selectedOfferId: null,
      amount: event.data.amount,
      submittedDay: istanbulDay(new Date(event.data.submittedAt)),
      creditNote: null,
      eligible: null,
      openedAt: null,
      firstOfferAt: null,
      offers: [],
      closingSpreadBps: null,
    };
  }
  if (stats === undefined) return undefined;
  const next = { ...stats, ...nextPhase(stats, event) };
  switch (event.type) {
    case 'ApplicationScored':
      return { ...next, creditNote: event.data.creditNote, eligible: event.data.eligible };
    case 'ApplicationOpenedForBidding':
      return { ...next, openedAt: event.data.openedAt };
    case 'OfferSubmitted': {
      const { offerId, bankCode, terms, submittedAt } = event.data;
      const offer = {
        offerId,
        bankCode,
        effectiveCostBps: costBps(next.amount, terms),
        live: true,
      };
      return {
        ...next,
        firstOfferAt: next.firstOfferAt ?? submittedAt,
        offers: [...next.offers, offer],
      };
    }
    case 'OfferRevised': {
      const effectiveCostBps = costBps(next.amount, event.data.terms);
      return {
        ...next,
        offers: next.offers.map((offer) =>
          offer.offerId === event.data.offerId ? { ...offer, effectiveCostBps } : offer,
        ),
      };
    }
    case 'OfferWithdrawn':
      return {
        ...next,
        offers: next.offers.map((offer) =>
          offer.offerId === event.data.offerId ? { ...offer, live: false } : offer,
        ),
      };
    case 'BiddingClosed': {
      const live = next.offers
        .filter((offer) => event.data.liveOfferIds.includes(offer.offerId))
        .map((offer) => offer.effectiveCostBps);
      if (live.length === 0) return next;
      return { ...next, closingSpreadBps: median(live) - Math.min(...live) };
    }
    default:
      return next;
  }
}

/** The displayed effective annual cost ("46.21" percent) in basis points (4621). */
function costBps(amount: string, terms: OfferTerms): number {
  return Math.round(Number(offerFigures(amount, terms).effectiveAnnualCost) * 100);
}

/** Of a non-empty list; the mean of the middle two for an even count. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

const mean = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;

export interface MarketKpis {
  /** By Istanbul calendar day of submission, oldest first. */
  readonly applicationsPerDay: readonly { readonly day: string; readonly count: number }[];
  /** Eligible / scored, per credit note (1 best … 7). */
  readonly approvalRateByCreditNote: readonly {
    readonly creditNote: number;
    readonly scored: number;
    readonly eligible: number;
    readonly rate: number;
  }[];
  /** Offers submitted (revisions not counted) per application opened for bidding. */
  readonly offersPerApplication: number | null;
  /** From the opening to the first offer, over applications that got one. */
  readonly medianTimeToFirstOfferMs: number | null;
  /** Median minus best effective annual cost at the close, averaged over closed applications. */
  readonly meanBestToMedianSpreadBps: number | null;
  /** Applications a bank won (its offer is the one selected) / applications it bid on. */
  readonly winRateByBank: readonly {
    readonly bankCode: string;
    readonly bankName: string | null;
    readonly applicationsBid: number;
    readonly wins: number;
    readonly rate: number;
  }[];
}

export function marketKpis(analytics: MarketAnalytics | undefined): MarketKpis {
  const applications = Object.values(analytics?.applications ?? {});
  const bankNames = analytics?.bankNames ?? {};

  const perDay = new Map<string, number>();
  for (const { submittedDay } of applications) {
    perDay.set(submittedDay, (perDay.get(submittedDay) ?? 0) + 1);
  }

  const byNote = new Map<number, { scored: number; eligible: number }>();
  for (const { creditNote, eligible } of applications) {
    if (creditNote === null) continue;
    const counts = byNote.get(creditNote) ?? { scored: 0, eligible: 0 };
    byNote.set(creditNote, {
      scored: counts.scored + 1,
      eligible: counts.eligible + (eligible ? 1 : 0),
    });
  }

  const opened = applications.filter((stats) => stats.openedAt !== null);
  const timesToFirstOffer = opened.flatMap(({ openedAt, firstOfferAt }) =>
    openedAt !== null && firstOfferAt !== null
      ? [Date.parse(firstOfferAt) - Date.parse(openedAt)]
      : [],
  );

  const banks = new Map<string, { applicationsBid: number; wins: number }>();
  for (const { offers, selectedOfferId } of applications) {
    const winner = offers.find((offer) => offer.offerId === selectedOfferId)?.bankCode;
    for (const bankCode of new Set(offers.map((offer) => offer.bankCode))) {
      const counts = banks.get(bankCode) ?? { applicationsBid: 0, wins: 0 };
      banks.set(bankCode, {
        applicationsBid: counts.applicationsBid + 1,
        wins: counts.wins + (bankCode === winner ? 1 : 0),
      });
    }
  }

  return {
    applicationsPerDay: [...perDay]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, count]) => ({ day, count })),
    approvalRateByCreditNote: [...byNote]
      .sort(([a], [b]) => a - b)
      .map(([creditNote, { scored, eligible }]) => ({
        creditNote,
        scored,
        eligible,
        rate: eligible / scored,
      })),
    offersPerApplication: mean(opened.map((stats) => stats.offers.length)),
    medianTimeToFirstOfferMs: timesToFirstOffer.length === 0 ? null : median(timesToFirstOffer),
    meanBestToMedianSpreadBps: mean(
      applications.flatMap(({ closingSpreadBps }) =>
        closingSpreadBps === null ? [] : [closingSpreadBps],
      ),
    ),
    winRateByBank: [...banks]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([bankCode, { applicationsBid, wins }]) => ({
        bankCode,
        bankName: bankNames[bankCode] ?? null,
        applicationsBid,
        wins,
        rate: wins / applicationsBid,
      })),
  };
}
