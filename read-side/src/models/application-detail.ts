import {
  formatMoneyTr,
  parseMoney,
  type Actor,
  type Currency,
  type DataSource,
  type DomainEvent,
  type EventData,
  type EventType,
  type FirmDataSnapshot,
  type Role,
  type Segment,
} from '@kefalet/events';
import { evolveVersioned, type Body, type Versioned } from './document';
import { nextInformationRequests, type InformationRequest } from './information-requests';
import {
  applicationIdOf,
  nextPhase,
  type ApplicationPhase,
  type ApplicationStatus,
} from './status';

/*
 * One application in detail: one document per application, keyed by its id, holding every event of
 * its stream. The firm and analysts see all of it; a bank sees detailForBank (R6, R11).
 *
 * Bank names come from PartnerBankRegistered, which is not an event of the application's stream:
 * the projection keeps them in one small registry document (PartnerBanks) and hands its names to
 * evolveDetail, so a bank that only asked, declined or was opened to is named too, not only one
 * that made an offer.
 */

export type ScoreReason = EventData<'ApplicationScored'>['reasons'][number];

/** R5: the model's decision, with its version so a replay reproduces it. */
export interface ApplicationDecision {
  readonly eligible: boolean;
  readonly score: number;
  readonly creditNote: number;
  readonly creditNoteLabel: string;
  readonly reasons: readonly ScoreReason[];
  readonly guaranteeRatio: string;
  readonly guaranteeAmount: string;
  readonly currency: Currency;
  readonly modelVersion: string;
  readonly scoredAt: string;
}

/** Who caused an event, without the user's id. */
export type TimelineActor =
  | { readonly kind: 'user'; readonly role: Role; readonly bankCode: string | null }
  | { readonly kind: 'system'; readonly name: string };

export interface TimelineEntry {
  readonly position: string;
  readonly type: EventType;
  readonly occurredAt: string;
  readonly actor: TimelineActor;
  /** The bank the event is about; a bank's view drops other banks' entries. */
  readonly bankCode: string | null;
  /** Never names the credit note, offer terms or the reference number: safe for any partner bank. */
  readonly summaryTr: string;
  readonly summaryEn: string;
}

export interface ApplicationDetail extends Versioned, ApplicationPhase {
  readonly applicationId: string;
  readonly firmVkn: string;
  readonly firmTitle: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: Currency;
  readonly maturityMonths: number;
  readonly purpose: string;
  readonly submittedAt: string;
  readonly segment: Segment | null;
  readonly dataSnapshot: FirmDataSnapshot | null;
  /** While the public sources keep the application waiting (AWAITING_DATA). */
  readonly dataDelay: {
    readonly unavailableSources: readonly DataSource[];
    readonly retryAt: string;
    readonly attempt: number;
  } | null;
  readonly decision: ApplicationDecision | null;
  readonly rejection: {
    readonly reasons: readonly ScoreReason[];
    readonly rejectedAt: string;
  } | null;
  readonly partnerBankCodes: readonly string[];
  readonly openedAt: string | null;
  readonly biddingClosesAt: string | null;
  readonly closedAt: string | null;
  readonly referenceNumber: string | null;
  readonly selectionDeadline: string | null;
  readonly contactDeadline: string | null;
  /**
   * Bank names by bank code, for the summaries: the partner banks' registered names, and a name an
   * offer gave (the latest) over it.
   */
  readonly bankNames: Readonly<Record<string, string>>;
  readonly declinedBankCodes: readonly string[];
  readonly informationRequests: readonly InformationRequest[];
  /** Every event of the application, in log order. */
  readonly timeline: readonly TimelineEntry[];
}

/** The detail ids (application ids) an event touches: every event of an application stream. */
export function detailKeys(event: DomainEvent): string[] {
  const applicationId = applicationIdOf(event);
  return applicationId === undefined ? [] : [applicationId];
}

/** The registered names of the partner banks, by bank code: one document for every application. */
export interface PartnerBanks extends Versioned {
  readonly names: Readonly<Record<string, string>>;
}

/** The registry after the event: a registration (or a new name) adds to it. */
export function evolvePartnerBanks(
  banks: PartnerBanks | undefined,
  event: DomainEvent,
): PartnerBanks | undefined {
  return evolveVersioned(banks, event, (current) => {
    if (event.type !== 'PartnerBankRegistered') return current;
    const { bankCode, name } = event.data;
    if (current?.names[bankCode] === name) return current;
    return { names: { ...current?.names, [bankCode]: name } };
  });
}

/**
 * `registered`: the partner banks' registered names (PartnerBanks.names) as they stand at this
 * event; without it banks are named only by their offers.
 */
export function evolveDetail(
  detail: ApplicationDetail | undefined,
  event: DomainEvent,
  registered: Readonly<Record<string, string>> = {},
): ApplicationDetail | undefined {
  return evolveVersioned(detail, event, (current) => changeDetail(current, event, registered));
}

function changeDetail(
  detail: ApplicationDetail | undefined,
  event: DomainEvent,
  registered: Readonly<Record<string, string>>,
): Body<ApplicationDetail> | undefined {
  if (applicationIdOf(event) === undefined) return detail;
  const base = event.type === 'ApplicationSubmitted' ? newDetail(event.data) : detail;
  if (base === undefined) return undefined;
  const next = withFacts(
    {
      ...base,
      ...nextPhase(base, event),
      informationRequests: nextInformationRequests(base.informationRequests, event),
    },
    event,
  );
  const named = withRegisteredNames(next, event, registered);
  return { ...named, timeline: [...named.timeline, timelineEntry(named, event)] };
}

/** Names the banks the event brings in (the partner banks, the bank it is about) when unnamed. */
function withRegisteredNames(
  detail: Body<ApplicationDetail>,
  event: DomainEvent,
  registered: Readonly<Record<string, string>>,
): Body<ApplicationDetail> {
  const codes =
    event.type === 'ApplicationOpenedForBidding'
      ? event.data.partnerBankCodes
      : 'bankCode' in event.data && typeof event.data.bankCode === 'string'
        ? [event.data.bankCode]
        : [];
  const missing = codes.filter(
    (code) => detail.bankNames[code] === undefined && registered[code] !== undefined,
  );
  if (missing.length === 0) return detail;
  const bankNames = { ...detail.bankNames };
  for (const code of missing) bankNames[code] = registered[code]!;
  return { ...detail, bankNames };
}

function newDetail(data: EventData<'ApplicationSubmitted'>): Body<ApplicationDetail> {
  return {
    applicationId: data.applicationId,
    firmVkn: data.firmVkn,
    firmTitle: data.firmTitle,
    packageCode: data.packageCode,
    amount: data.amount,
    currency: data.currency,
    maturityMonths: data.maturityMonths,
    purpose: data.purpose,
    submittedAt: data.submittedAt,
    status: 'SUBMITTED',
    selectedOfferId: null,
    segment: null,
    dataSnapshot: null,
    dataDelay: null,
    decision: null,
    rejection: null,
    partnerBankCodes: [],
    openedAt: null,
    biddingClosesAt: null,
    closedAt: null,
    referenceNumber: null,
    selectionDeadline: null,
    contactDeadline: null,
    bankNames: {},
    declinedBankCodes: [],
    informationRequests: [],
    timeline: [],
  };
}

function withFacts(detail: Body<ApplicationDetail>, event: DomainEvent): Body<ApplicationDetail> {
  switch (event.type) {
    case 'ApplicationDataCollected':
      return {
        ...detail,
        dataSnapshot: event.data.snapshot,
        segment: event.data.segment,
        dataDelay: null,
      };
    case 'ApplicationDataDelayed': {
      const { unavailableSources, retryAt, attempt } = event.data;
      return { ...detail, dataDelay: { unavailableSources, retryAt, attempt } };
    }
    case 'ApplicationScored': {
      const { applicationId: _, ...decision } = event.data;
      return { ...detail, decision };
    }
    case 'ApplicationRejected':
      return {
        ...detail,
        rejection: { reasons: event.data.reasons, rejectedAt: event.data.rejectedAt },
      };
    case 'ApplicationOpenedForBidding':
      return {
        ...detail,
        partnerBankCodes: event.data.partnerBankCodes,
        openedAt: event.data.openedAt,
        biddingClosesAt: event.data.biddingClosesAt,
      };
    case 'OfferSubmitted':
      return {
        ...detail,
        bankNames: { ...detail.bankNames, [event.data.bankCode]: event.data.bankName },
      };
    case 'BankDeclined':
      return { ...detail, declinedBankCodes: [...detail.declinedBankCodes, event.data.bankCode] };
    case 'BiddingClosed':
      return {
        ...detail,
        closedAt: event.data.closedAt,
        referenceNumber: event.data.referenceNumber,
        selectionDeadline: event.data.selectionDeadline,
      };
    case 'BiddingClosedWithoutOffers':
      return { ...detail, closedAt: event.data.closedAt };
    case 'OfferSelected':
      return { ...detail, contactDeadline: event.data.contactDeadline };
    default:
      return detail;
  }
}

function timelineActor(actor: Actor): TimelineActor {
  return actor.kind === 'user'
    ? { kind: 'user', role: actor.role, bankCode: actor.bankCode ?? null }
    : { kind: 'system', name: actor.name };
}

function timelineEntry(detail: Body<ApplicationDetail>, event: DomainEvent): TimelineEntry {
  const bankCode = 'bankCode' in event.data ? (event.data.bankCode ?? null) : null;
  const [summaryTr, summaryEn] = summaries(detail, event, bankCode);
  return {
    position: event.position.toString(),
    type: event.type,
    occurredAt: event.metadata.occurredAt,
    actor: timelineActor(event.metadata.actor),
    bankCode,
    summaryTr,
    summaryEn,
  };
}

/** "1500000.00" -> "1,500,000.00": English display without going through a float. */
function formatAmountEn(amount: string, currency: Currency): string {
  const [whole = '0', fraction = '00'] = amount.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction} ${currency}`;
}

/** Turkish and English one-liners; bank names as registered or as the offers gave them. */
function summaries(
  detail: Body<ApplicationDetail>,
  event: DomainEvent,
  bankCode: string | null,
): [string, string] {
  const name = bankCode === null ? undefined : detail.bankNames[bankCode];
  const bankTr = name ?? `Banka ${bankCode}`;
  const bankEn = name ?? `Bank ${bankCode}`;
  switch (event.type) {
    case 'ApplicationSubmitted': {
      const { packageCode, amount, currency, maturityMonths } = event.data;
      return [
        `Başvuru yapıldı: ${packageCode}, ${formatMoneyTr(parseMoney(amount, currency))}, ${maturityMonths} ay`,
        `Application submitted: ${packageCode}, ${formatAmountEn(amount, currency)}, ${maturityMonths} months`,
      ];
    }
    case 'ApplicationDataCollected':
      return [
        'Firma verileri kamu kaynaklarından toplandı',
        'Firm data collected from public sources',
      ];
    case 'ApplicationDataDelayed': {
      const sources = event.data.unavailableSources.join(', ');
      return [
        `Veri kaynakları yanıt vermedi (${sources}); yeniden denenecek`,
        `Data sources did not answer (${sources}); will retry`,
      ];
    }
    case 'ApplicationScored':
      return event.data.eligible
        ? ['Değerlendirme tamamlandı: kefalete uygun', 'Assessed: eligible for the guarantee']
        : ['Değerlendirme tamamlandı: kefalete uygun değil', 'Assessed: not eligible'];
    case 'ApplicationRejected':
      return ['Başvuru reddedildi', 'Application rejected'];
    case 'ApplicationOpenedForBidding': {
      const banks = event.data.partnerBankCodes.length;
      return [
        `${banks} ortak bankaya teklife açıldı`,
        `Opened for bidding to ${banks} partner banks`,
      ];
    }
    case 'InformationRequested':
      return [`Ek bilgi istendi (${bankTr})`, `More information requested (${bankEn})`];
    case 'InformationProvided':
      return [`Bilgi talebi yanıtlandı (${bankTr})`, `Information request answered (${bankEn})`];
    case 'OfferSubmitted':
      return [`Teklif verildi (${bankTr})`, `Offer submitted (${bankEn})`];
    case 'OfferRevised':
      return [
        `Teklif güncellendi, sürüm ${event.data.version} (${bankTr})`,
        `Offer revised to version ${event.data.version} (${bankEn})`,
      ];
    case 'OfferWithdrawn':
      return [`Teklif geri çekildi (${bankTr})`, `Offer withdrawn (${bankEn})`];
    case 'BankDeclined':
      return [`Teklif vermeyeceğini bildirdi (${bankTr})`, `Declined to bid (${bankEn})`];
    case 'BiddingClosed': {
      const offers = event.data.liveOfferIds.length;
      return event.data.early
        ? [
            `Tüm bankalar yanıtladı, teklif süreci erken kapandı: ${offers} teklif`,
            `Every bank answered, bidding closed early: ${offers} offers`,
          ]
        : [`Teklif süreci kapandı: ${offers} teklif`, `Bidding closed: ${offers} offers`];
    }
    case 'BiddingClosedWithoutOffers':
      return ['Teklif süreci teklif gelmeden kapandı', 'Bidding closed without offers'];
    case 'OfferSelected':
      return [`Teklif seçildi (${bankTr})`, `Offer selected (${bankEn})`];
    case 'FirmAppliedToBank':
      return [`Firma bankaya başvurdu (${bankTr})`, `Firm applied to the bank (${bankEn})`];
    case 'SelectionWindowLapsed':
      return ['Seçim ve başvuru süresi doldu', 'Selection and application window lapsed'];
    case 'ApplicationCancelled':
      return ['Başvuru iptal edildi', 'Application cancelled'];
    default:
      // events of other streams never reach a detail (detailKeys)
      return [event.type, event.type];
  }
}

/** The firm's MERSIS-verified users see everything, the credit note included (R6). */
export function detailForFirm(detail: ApplicationDetail): ApplicationDetail {
  return detail;
}

export function detailForAnalyst(detail: ApplicationDetail): ApplicationDetail {
  return detail;
}

/** R6, R11: what a partner bank sees; built field by field so nothing else slips through. */
export interface BankApplicationDetail extends Versioned {
  readonly applicationId: string;
  readonly firmVkn: string;
  readonly firmTitle: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: Currency;
  readonly maturityMonths: number;
  readonly purpose: string;
  readonly submittedAt: string;
  readonly status: ApplicationStatus;
  readonly segment: Segment | null;
  readonly dataSnapshot: FirmDataSnapshot | null;
  /** The guarantee eligibility only: no credit note, score or reasons. */
  readonly eligibility: {
    readonly packageCode: string;
    readonly guaranteeRatio: string;
    readonly guaranteeAmount: string;
    readonly currency: Currency;
  } | null;
  readonly openedAt: string | null;
  readonly biddingClosesAt: string | null;
  readonly closedAt: string | null;
  readonly declined: boolean;
  readonly chosen: boolean;
  /** Only when chosen (R15). */
  readonly referenceNumber: string | null;
  readonly contactDeadline: string | null;
  readonly informationRequests: readonly InformationRequest[];
  /** The application's own entries and this bank's; never another bank's. */
  readonly timeline: readonly TimelineEntry[];
}

/** Undefined when the application was never opened to this bank. */
export function detailForBank(
  detail: ApplicationDetail,
  bankCode: string,
): BankApplicationDetail | undefined {
  if (!detail.partnerBankCodes.includes(bankCode)) return undefined;
  // while an offer is selected, the latest selection in the timeline is that offer's
  const selection = detail.timeline.findLast((entry) => entry.type === 'OfferSelected');
  const chosen = detail.selectedOfferId !== null && selection?.bankCode === bankCode;
  const { decision } = detail;
  return {
    applicationId: detail.applicationId,
    firmVkn: detail.firmVkn,
    firmTitle: detail.firmTitle,
    packageCode: detail.packageCode,
    amount: detail.amount,
    currency: detail.currency,
    maturityMonths: detail.maturityMonths,
    purpose: detail.purpose,
    submittedAt: detail.submittedAt,
    status: detail.status,
    segment: detail.segment,
    dataSnapshot: detail.dataSnapshot,
    eligibility: decision && {
      packageCode: detail.packageCode,
      guaranteeRatio: decision.guaranteeRatio,
      guaranteeAmount: decision.guaranteeAmount,
      currency: decision.currency,
    },
    openedAt: detail.openedAt,
    biddingClosesAt: detail.biddingClosesAt,
    closedAt: detail.closedAt,
    declined: detail.declinedBankCodes.includes(bankCode),
    chosen,
    referenceNumber: chosen ? detail.referenceNumber : null,
    contactDeadline: chosen ? detail.contactDeadline : null,
    informationRequests: detail.informationRequests.filter((r) => r.bankCode === bankCode),
    timeline: detail.timeline.filter(
      (entry) => entry.bankCode === null || entry.bankCode === bankCode,
    ),
    version: detail.version,
    lastPosition: detail.lastPosition,
  };
}
