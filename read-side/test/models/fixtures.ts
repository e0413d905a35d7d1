import {
  businessDeadline,
  EVENT_SCHEMAS,
  streams,
  type Actor,
  type DomainEvent,
  type EventData,
  type EventType,
  type OfferTerms,
  type WithdrawalReason,
} from '@kefalet/events';

/*
 * Builds histories of DomainEvents as the store hands them to projections: positions from 1,
 * revisions per stream, metadata with the actor and the instant, data checked by the event schemas.
 */

export const VKN = '0150015264';
export const FIRM_TITLE = 'Anadolu Tekstil İhracat A.Ş.';
export const EXPORTER_ID = uuid(900);

type Contact = Pick<OfferTerms, 'branchCode' | 'representativeName' | 'phone' | 'email'>;

export interface Bank {
  readonly code: string;
  readonly name: string;
  readonly userId: string;
  /** The bank's branch and representative: History puts them on every offer of the bank. */
  readonly contact: Contact;
}

export const GARANTI: Bank = {
  code: '0062',
  name: 'Garanti BBVA',
  userId: uuid(901),
  contact: {
    branchCode: '00401',
    representativeName: 'Can Öztürk',
    phone: '+90 212 318 18 18',
    email: 'can.ozturk@garantibbva.com.tr',
  },
};
export const HALKBANK: Bank = {
  code: '0012',
  name: 'Halkbank',
  userId: uuid(902),
  contact: {
    branchCode: '00788',
    representativeName: 'Zeynep Kaya',
    phone: '+90 216 503 70 70',
    email: 'zeynep.kaya@halkbank.com.tr',
  },
};
export const AKBANK: Bank = {
  code: '0046',
  name: 'Akbank',
  userId: uuid(903),
  contact: {
    branchCode: '00952',
    representativeName: 'Emre Şahin',
    phone: '+90 212 385 55 55',
    email: 'emre.sahin@akbank.com.tr',
  },
};
export const PARTNER_BANKS = [GARANTI, HALKBANK, AKBANK] as const;

/** A uuid that reads as a number, so expectations stay legible. */
export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
}

/**
 * Pricing of a 12-month TRY instalment loan on 1,500,000.00, monthly payments, no grace, no fees, fixed 44 %:
 * effective annual cost 54.05 %, total cost 357,500.00, total repayment 1,857,500.00.
 */
export function terms(overrides: Partial<OfferTerms> = {}): OfferTerms {
  return {
    offerDate: '2026-03-03',
    maturityMonths: 12,
    totalRepaymentAmount: '1857500.00',
    interestType: 'FIXED',
    interestRate: '44.0000',
    principalPaymentFrequency: 'MONTHLY',
    interestPaymentFrequency: 'MONTHLY',
    collateralType: 'PERSONAL_SURETY',
    totalExpenseAmount: '0.00',
    creditType: 'INSTALMENT',
    totalCommissionAmount: '0.00',
    principalGraceMonths: 0,
    interestGraceMonths: 0,
    ...GARANTI.contact,
    ...overrides,
  };
}

/** 42 % but 30,000.00 expenses and 45,000.00 commission: 68.32 % effective, total cost 416,250.00. */
export const HEAVY_FEES = terms({
  interestRate: '42.0000',
  totalRepaymentAmount: '1841250.00',
  totalExpenseAmount: '30000.00',
  totalCommissionAmount: '45000.00',
  collateralType: 'CHEQUE_ASSIGNMENT',
});
/** 44 %, no fees: 54.05 %, total cost 357,500.00. */
export const NO_FEES_44 = terms();
/** 45 %, no fees: 55.55 %, total cost 365,625.00. */
export const NO_FEES_45 = terms({ interestRate: '45.0000', totalRepaymentAmount: '1865625.00' });
/** 40 %, no fees: 48.21 %, total cost 325,000.00. */
export const NO_FEES_40 = terms({ interestRate: '40.0000', totalRepaymentAmount: '1825000.00' });

const exporter: Actor = { kind: 'user', userId: EXPORTER_ID, role: 'exporter' };
const system = (name: string): Actor => ({ kind: 'system', name });
const bankUser = (bank: Bank): Actor => ({
  kind: 'user',
  userId: bank.userId,
  role: 'bank',
  bankCode: bank.code,
});

export class History {
  readonly events: DomainEvent[] = [];
  private position = 0n;
  private readonly revisions = new Map<string, bigint>();
  private nextId = 1000;
  private clock: string;

  constructor(start = '2026-03-02T09:30:00.000+03:00') {
    this.clock = start;
  }

  /** Later events occur at this instant (ISO with offset). */
  at(instant: string): this {
    this.clock = instant;
    return this;
  }

  get now(): string {
    return this.clock;
  }

  private id(): string {
    return uuid(this.nextId++);
  }

  private append<T extends EventType>(
    stream: string,
    type: T,
    data: EventData<T>,
    actor: Actor,
  ): DomainEvent {
    const revision = this.revisions.get(stream) ?? 0n;
    this.revisions.set(stream, revision + 1n);
    this.position += 1n;
    const event = {
      id: this.id(),
      type,
      data: EVENT_SCHEMAS[type].parse(data),
      metadata: {
        correlationId: uuid(800),
        causationId: uuid(801),
        actor,
        occurredAt: this.clock,
        schemaVersion: 1,
      },
      stream,
      revision,
      position: this.position,
    } as DomainEvent;
    this.events.push(event);
    return event;
  }

  bankRegistered(bank: Bank): DomainEvent {
    return this.append(
      streams.bank(bank.code),
      'PartnerBankRegistered',
      { bankCode: bank.code, name: bank.name, registeredAt: this.clock },
      system('seed'),
    );
  }

  submitted(
    applicationId: string,
    overrides: Partial<EventData<'ApplicationSubmitted'>> = {},
  ): DomainEvent {
    return this.append(
      streams.application(applicationId),
      'ApplicationSubmitted',
      {
        applicationId,
        firmVkn: VKN,
        firmTitle: FIRM_TITLE,
        memberId: EXPORTER_ID,
        packageCode: 'IHR-KOBI',
        amount: '1500000.00',
        currency: 'TRY',
        maturityMonths: 12,
        purpose: 'Avrupa siparişleri için hammadde alımı',
        submittedAt: this.clock,
        ...overrides,
      },
      exporter,
    );
  }

  dataDelayed(applicationId: string): DomainEvent {
    return this.append(
      streams.application(applicationId),
      'ApplicationDataDelayed',
      {
        applicationId,
        unavailableSources: ['SGK'],
        retryAt: new Date(Date.parse(this.clock) + 60_000).toISOString(),
        attempt: 1,
      },
      system('data-collector'),
    );
  }

  dataCollected(applicationId: string): DomainEvent {
    const fetched = (source: 'MERSIS' | 'GIB' | 'SGK' | 'GUMRUK' | 'KKB') => ({
      source,
      fetchedAt: this.clock,
    });
    return this.append(
      streams.application(applicationId),
      'ApplicationDataCollected',
      {
        applicationId,
        segment: 'KOBI',
        snapshot: {
          registry: {
            ...fetched('MERSIS'),
            title: FIRM_TITLE,
            mersisNumber: `0${VKN}00015`,
            status: 'ACTIVE',
            foundedOn: '2009-05-14',
            naceCode: '13.20',
            authorisedPersons: [{ name: 'Mehmet Demir', role: 'Yönetim Kurulu Başkanı' }],
          },
          tax: {
            ...fetched('GIB'),
            taxDebt: '0.00',
            netSalesLastYear: '84250000.00',
            year: 2025,
          },
          socialSecurity: { ...fetched('SGK'), headcount: 86, premiumDebt: '0.00' },
          customs: {
            ...fetched('GUMRUK'),
            exportsLast12MonthsUsd: '1840000.00',
            exportsLast24MonthsUsd: '3420000.00',
            declarationsLast12Months: 57,
          },
          creditBureau: {
            ...fetched('KKB'),
            companyScore: 1420,
            openProceedings: 0,
            bouncedCheques: 0,
            unsettledBouncedCheques: 0,
          },
        },
      },
      system('data-collector'),
    );
  }

  scored(applicationId: string, { eligible = true, creditNote = 3 } = {}): DomainEvent {
    const labels = ['Mükemmel', 'Çok İyi', 'İyi', 'Orta', 'Riskli', 'Çok Riskli', 'En Riskli'];
    return this.append(
      streams.application(applicationId),
      'ApplicationScored',
      {
        applicationId,
        modelVersion: 'ige-score-2026.1',
        eligible,
        score: eligible ? 712 : 388,
        creditNote,
        creditNoteLabel: labels[creditNote - 1] ?? '',
        reasons: [
          eligible
            ? {
                code: 'EXPORT_HISTORY',
                kind: 'FACTOR',
                message: 'Son 24 ayda düzenli ihracat',
                messageEn: 'Regular exports in the last 24 months',
                points: 120,
              }
            : {
                code: 'UNSETTLED_CHEQUES',
                kind: 'KNOCKOUT',
                message: 'Ödenmemiş karşılıksız çek',
                messageEn: 'Unsettled bounced cheques',
              },
        ],
        guaranteeRatio: '90',
        guaranteeAmount: '1350000.00',
        currency: 'TRY',
        scoredAt: this.clock,
      },
      system('scoring-model'),
    );
  }

  rejected(applicationId: string): DomainEvent {
    return this.append(
      streams.application(applicationId),
      'ApplicationRejected',
      {
        applicationId,
        reasons: [
          {
            code: 'UNSETTLED_CHEQUES',
            kind: 'KNOCKOUT',
            message: 'Ödenmemiş karşılıksız çek',
            messageEn: 'Unsettled bounced cheques',
          },
        ],
        rejectedAt: this.clock,
      },
      system('scoring-model'),
    );
  }

  /** R8: the window closes 7 business days after the opening. */
  opened(applicationId: string, banks: readonly Bank[] = PARTNER_BANKS): DomainEvent {
    const [first, ...rest] = banks.map((bank) => bank.code);
    if (first === undefined) throw new Error('at least one partner bank');
    return this.append(
      streams.application(applicationId),
      'ApplicationOpenedForBidding',
      {
        applicationId,
        partnerBankCodes: [first, ...rest],
        openedAt: this.clock,
        biddingClosesAt: businessDeadline(this.clock, 7).toISOString(),
      },
      system('bidding'),
    );
  }

  informationRequested(applicationId: string, bank: Bank, question: string): string {
    const requestId = this.id();
    this.append(
      streams.application(applicationId),
      'InformationRequested',
      { applicationId, requestId, bankCode: bank.code, question, requestedAt: this.clock },
      bankUser(bank),
    );
    return requestId;
  }

  informationProvided(applicationId: string, requestId: string, bank: Bank, answer: string) {
    return this.append(
      streams.application(applicationId),
      'InformationProvided',
      {
        applicationId,
        requestId,
        bankCode: bank.code,
        answer,
        answeredBy: EXPORTER_ID,
        answeredAt: this.clock,
      },
      exporter,
    );
  }

  offerSubmitted(applicationId: string, bank: Bank, offerTerms: OfferTerms): string {
    const offerId = this.id();
    this.append(
      streams.application(applicationId),
      'OfferSubmitted',
      {
        applicationId,
        offerId,
        bankCode: bank.code,
        bankName: bank.name,
        version: 1,
        terms: { ...offerTerms, ...bank.contact },
        submittedAt: this.clock,
      },
      bankUser(bank),
    );
    return offerId;
  }

  offerRevised(
    applicationId: string,
    offerId: string,
    bank: Bank,
    version: number,
    offerTerms: OfferTerms,
  ): DomainEvent {
    return this.append(
      streams.application(applicationId),
      'OfferRevised',
      {
        applicationId,
        offerId,
        bankCode: bank.code,
        version,
        terms: { ...offerTerms, ...bank.contact },
        revisedAt: this.clock,
      },
      bankUser(bank),
    );
  }

  offerWithdrawn(
    applicationId: string,
    offerId: string,
    bank: Bank,
    reason: WithdrawalReason = 'BANK_DECISION',
  ): DomainEvent {
    return this.append(
      streams.application(applicationId),
      'OfferWithdrawn',
      {
        applicationId,
        offerId,
        bankCode: bank.code,
        reason,
        note: 'Kredi komitesi kararı',
        withdrawnAt: this.clock,
      },
      bankUser(bank),
    );
  }

  declined(applicationId: string, bank: Bank): DomainEvent {
    return this.append(
      streams.application(applicationId),
      'BankDeclined',
      { applicationId, bankCode: bank.code, note: 'Sektör limiti dolu', declinedAt: this.clock },
      bankUser(bank),
    );
  }

  /** R14, R15: the reference number, and 2 business days to select and apply. */
  biddingClosed(applicationId: string, liveOfferIds: readonly string[], early = false) {
    const [first, ...rest] = liveOfferIds;
    if (first === undefined) throw new Error('at least one live offer');
    return this.append(
      streams.application(applicationId),
      'BiddingClosed',
      {
        applicationId,
        referenceNumber: 'TRN-7K3M-Q9PX-2DC',
        closedAt: this.clock,
        early,
        liveOfferIds: [first, ...rest],
        selectionDeadline: businessDeadline(this.clock, 2).toISOString(),
      },
      system('deadline-scheduler'),
    );
  }

  closedWithoutOffers(applicationId: string): DomainEvent {
    return this.append(
      streams.application(applicationId),
      'BiddingClosedWithoutOffers',
      { applicationId, closedAt: this.clock, early: false },
      system('deadline-scheduler'),
    );
  }

  offerSelected(
    applicationId: string,
    offerId: string,
    bank: Bank,
    contactDeadline: string,
  ): DomainEvent {
    return this.append(
      streams.application(applicationId),
      'OfferSelected',
      {
        applicationId,
        offerId,
        bankCode: bank.code,
        referenceNumber: 'TRN-7K3M-Q9PX-2DC',
        selectedBy: EXPORTER_ID,
        selectedAt: this.clock,
        contactDeadline,
      },
      exporter,
    );
  }

  appliedToBank(applicationId: string, offerId: string, bank: Bank): DomainEvent {
    return this.append(
      streams.application(applicationId),
      'FirmAppliedToBank',
      {
        applicationId,
        offerId,
        bankCode: bank.code,
        referenceNumber: 'TRN-7K3M-Q9PX-2DC',
        recordedBy: EXPORTER_ID,
        appliedAt: this.clock,
      },
      exporter,
    );
  }

  selectionLapsed(applicationId: string, selected?: { offerId: string; bank: Bank }) {
    return this.append(
      streams.application(applicationId),
      'SelectionWindowLapsed',
      {
        applicationId,
        offerId: selected?.offerId,
        bankCode: selected?.bank.code,
        lapsedAt: this.clock,
      },
      system('deadline-scheduler'),
    );
  }

  cancelled(applicationId: string): DomainEvent {
    return this.append(
      streams.application(applicationId),
      'ApplicationCancelled',
      {
        applicationId,
        reason: 'İhtiyaç kalmadı',
        cancelledBy: EXPORTER_ID,
        cancelledAt: this.clock,
      },
      exporter,
    );
  }
}

/** Folds events into the documents of one single-step model, the way the runner does. */
export function project<T>(
  events: readonly DomainEvent[],
  keys: (event: DomainEvent) => string[],
  evolve: (doc: T | undefined, event: DomainEvent) => T | undefined,
  docs = new Map<string, T>(),
): Map<string, T> {
  for (const event of events) {
    for (const key of keys(event)) {
      const next = evolve(docs.get(key), event);
      if (next !== undefined) docs.set(key, next);
    }
  }
  return docs;
}

/** The JSON round trip a store makes: what survives it is what a query returns. */
export function stored<T>(doc: T): T {
  return JSON.parse(JSON.stringify(doc)) as T;
}
